"""Settings shared by every environment.

Anything a deployment may change is read from the environment through ``config.env``; the
environment-specific modules (dev, test, production) only change what differs.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from csp.constants import NONE, SELF, UNSAFE_INLINE

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"
VAR_DIR = Path(env.env_str("VAR_DIR") or BASE_DIR / "var")

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.env_str("SECRET_KEY")
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Ours first, so our templates override those of the apps below.
    "home",
    "core",
    "community",
    "news",
    "deliberation",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # django-comments-xtd must come before django_comments, whose templates it overrides.
    "django_comments_xtd",
    "django_comments",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "core.page_cache.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SiteLanguageMiddleware",
    "core.middleware.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------
DATABASES = {"default": env.database_from_env(VAR_DIR / "db.sqlite3")}

_cache = env.cache_and_sessions_from_env()
CACHES = _cache["CACHES"]
SESSION_ENGINE = _cache["SESSION_ENGINE"]

# ------------------------------------------------------------------------------
# Accounts
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "home.User"
# Anonymous visitors' pages are cached this long at most (core.page_cache); 0 turns it off.
PAGE_CACHE_SECONDS = env.env_int("PAGE_CACHE_SECONDS", 60)
# ...and another worker process sees a change within this many seconds (1 by default).
PAGE_CACHE_CHECK_SECONDS = float(env.env_str("PAGE_CACHE_CHECK_SECONDS", "1"))
# Site lookups (site, home page, menu, settings, private sections) remembered per generation;
# 0 computes them on every request, for measuring what they save.
PAGE_CACHE_REMEMBER = env.env_bool("PAGE_CACHE_REMEMBER", True)
# Refuses accounts locked after repeated wrong passwords (core.auth, core.throttle).
AUTHENTICATION_BACKENDS = ["core.auth.LockoutBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "home.forms.AdminLoginForm"
# Per-deployment rate limits, e.g. THROTTLE_LIMITS='{"comment": [10, 600]}' (core.throttle).
THROTTLE_LIMITS = env.env_json("THROTTLE_LIMITS", {})
# Proxies in front of the site that append the client to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.env_int("TRUSTED_PROXY_COUNT", 0)
LOGIN_URL = "login"
# A page an editor restricts to signed-in visitors sends them to the site's sign-in, not Wagtail's.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The password every demo account gets from `load_demo`; documented in the README.
DEMO_PASSWORD = env.env_str("DEMO_PASSWORD", "yishiting-demo")

# ------------------------------------------------------------------------------
# Language and time
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

# ------------------------------------------------------------------------------
# Static and media files
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploads are served by the site itself unless a deployment puts them on object storage.
SERVE_MEDIA = env.env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# jieba's dictionary cache (Chinese word segmentation), built once and kept across restarts.
JIEBA_CACHE_DIR = VAR_DIR / "jieba"

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = "noreply@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(env.email_from_env())

# ------------------------------------------------------------------------------
# Wagtail
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.env_str("SITE_NAME", "议事厅")
WAGTAILADMIN_BASE_URL = env.env_str("SITE_URL", "http://127.0.0.1:8000")
globals().update(env.search_backends_from_env())
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "odt", "pdf", "ppt", "pptx", "txt", "xls", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are served by Wagtail's view, which applies their collection's restrictions, never
# straight from /media/ (core.media serves images only); every document, PDFs included, is sent
# as an attachment with "X-Content-Type-Options: nosniff", so none is rendered in the site's
# origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False  # many deployments have no outside access
# Staff avatars are Wagtail's own picture or an uploaded one, never fetched from gravatar.com:
# the admin asks no outside host about its users' email addresses.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# ------------------------------------------------------------------------------
# Comments (django-comments-xtd): threaded, with a stance; posted through our own views
# ------------------------------------------------------------------------------
SITE_ID = 1  # django_comments records a site on each comment
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "deliberation.models.StanceComment"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # a comment, a reply, a reply to the reply
COMMENTS_XTD_CONFIRM_EMAIL = False  # only signed-in residents comment
COMMENTS_PER_PAGE = 20  # threads per page of a proposal

# ------------------------------------------------------------------------------
# JSON API (mini-programs): session auth with CSRF for the site, tokens for apps
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "deliberation.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "议事厅 API",
    "DESCRIPTION": "Polls, ballots and receipts of the 议事厅, for mini-programs and the public.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only our public API; Wagtail's admin API is internal to the admin.
    "PREPROCESSING_HOOKS": ["deliberation.api.public_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "deliberation.api.document_refusals",
    ],
}

# ------------------------------------------------------------------------------
# Security that holds in every environment
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow same-origin framing themselves
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, through core.middleware.ContentSecurityPolicyMiddleware).
# The public site runs no inline script or style and loads nothing from elsewhere; the policy
# says so, and a script injected into a page despite escaping would not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (/admin/) and its page previews still use inline styles and scripts of
# Wagtail's own; they get a policy that keeps everything on this site without forbidding those.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per background task is noise at INFO; failures still show.
        "django_tasks": {"level": "WARNING"},
        # Wagtail logs every page edit at INFO; the admin's history already records them.
        "wagtail": {"level": env.env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}
