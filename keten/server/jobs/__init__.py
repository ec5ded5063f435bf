"""A small job queue in the database: long work (a forecast run) leaves the request.

``models.Job`` is the row (kind, bounded params, status, progress, result, who asked and why);
``queue`` enqueues, claims (safe with several workers), runs and recovers jobs; ``kinds`` maps
a job's kind to the function that does it; ``worker`` is the loop behind
``keten server worker``. The app knows no kind itself: a capability registers its own.
"""
