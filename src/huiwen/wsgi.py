"""WSGI entry point for gunicorn and other servers: `gunicorn huiwen.wsgi`.

Once Django and the URL configuration (with every view module it imports) are loaded, the objects
they made are frozen out of the cyclic garbage collector's generations (`gc.freeze`): they live
as long as the worker, and each full collection would otherwise walk all of them again, about
145,000 objects, for nothing. On an uncached article page that walk was 2–4 % of the CPU.
"""

import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwen.settings")
application = get_wsgi_application()
importlib.import_module(settings.ROOT_URLCONF)
gc.freeze()
