"""WSGI entry point (Granian: ``keten.server.wsgi:application``).

Every serving process imports this module (Granian loads the target in each worker), and
nothing else does: it is where a process that serves starts its audit-log witness, which
signs the log's heads and writes them outside the database every
``KETEN_AUDIT_WITNESS_SECONDS`` (``keten.server.audit.witness``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keten.server.settings")
application = get_wsgi_application()

from keten.server.audit.witness import start_periodic  # noqa: E402  (needs Django set up)

start_periodic()
