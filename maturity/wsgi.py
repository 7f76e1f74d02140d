"""WSGI entry point: `gunicorn maturity.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maturity.settings.production")

application = get_wsgi_application()
