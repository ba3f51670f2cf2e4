"""WSGI entry point (waitress in `fundwatch serve`, or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundwatch.web.settings")
application = get_wsgi_application()
