"""The chain's domain objects that are not persistence: identity, priorities, documents, hand-overs,
what a server caches from a procedure's derived state, and the synthetic chain generator.

Pure Python: the Django server (``keten.server``) builds on these; they never import it.
"""
