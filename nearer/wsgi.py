import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings")
application = get_wsgi_application()

# Import the URL configuration (every app's views and API routers) now, not on the first
# request: with gunicorn's preload (nearer serve) this happens once, before the workers fork.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
