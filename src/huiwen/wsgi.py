"""WSGI entry point for gunicorn and other servers: `gunicorn huiwen.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwen.settings")
application = get_wsgi_application()
