"""WSGI entry point (gunicorn `config.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now (the URL resolver is otherwise built on the first request): with gunicorn's
# preload_app the workers then fork with the whole application already imported.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
