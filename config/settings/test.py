"""Tests: fast hashing, mail kept in memory, nothing leaves the machine."""

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The archive is searched in the database unless a run points at a real cluster on purpose
# (ELASTICSEARCH_URL, read in base.py); the integration test in tests/search says which.
# Wagtail's own index (the admin's page search; the archive has its own, search.models) is not
# written on every save: it was a third of the cost of each page a test builds, and no test
# searches the admin.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not SQLite's in-memory default: WAL and concurrent writers behave as in production,
    # and concurrency tests can use several connections at once.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405

# Tests see every change at once (they run in one process, inside transactions that never
# commit, so the on-commit reset of the generation would not run).
PAGE_CACHE_CHECK_SECONDS = 0
