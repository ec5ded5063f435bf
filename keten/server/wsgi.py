"""WSGI entry point (Granian: ``keten.server.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keten.server.settings")
application = get_wsgi_application()
