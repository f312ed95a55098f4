"""Local development and the demo (`make run`).

DEBUG stays off unless DJANGO_DEBUG=1, so the demo shows what residents see (the Chinese 404 and
500 pages, not Django's technical ones); whitenoise serves static files straight from the app
folders either way.
"""

from config import env

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = env.env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.env_str("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
STORAGES = {
    **STORAGES,
    # No manifest in development: files are served as they are in site/static.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
