"""Production: DEBUG off, a real secret key or no start at all, HTTPS everywhere.

Behind a TLS-terminating proxy set ``SECURE_PROXY_SSL_HEADER`` through
``DJANGO_BEHIND_TLS_PROXY=1``. ``DJANGO_SECURE_SSL_REDIRECT=0`` and ``DJANGO_SECURE_COOKIES=0``
exist only for serving on plain HTTP inside a closed network (``make serve`` on a laptop).
"""

from django.core.exceptions import ImproperlyConfigured

from config import env

from .base import *  # noqa: F403

DEBUG = env.env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production refuses to start without it: set the SECRET_KEY "
        "environment variable to a long random string (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )
if not env.env_list("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the site's host names, separated by commas."
    )

if env.env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
_secure_cookies = env.env_bool("DJANGO_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_HSTS_SECONDS = env.env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.env_bool("DJANGO_HSTS_PRELOAD", True)
