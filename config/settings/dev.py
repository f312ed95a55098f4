"""Local development: DEBUG on unless DJANGO_DEBUG says otherwise, a throwaway secret key."""

from config import env

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = env.env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env.env_str("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
STORAGES = {
    **STORAGES,
    # No manifest in development: runserver serves files straight from site/static.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
