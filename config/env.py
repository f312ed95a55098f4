"""Reading settings from the environment, with messages that name the variable at fault.

Every setting a deployment may change is read here, so the settings modules stay declarative and
a typo in a variable fails at start-up with a sentence an operator can act on, not a traceback
from deep inside a database driver.
"""

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

SUPPORTED_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use one of 1/0, true/false, yes/no, on/off."
    )


def env_json(name: str, default):
    """A JSON value (an object or a list), with a message naming the variable if it is not."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {raw[:60]}") from None


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def sqlite_options() -> dict:
    """Options that let SQLite serve concurrent web requests.

    WAL lets readers run beside the single writer; the busy timeout makes a second writer wait
    instead of failing at once; IMMEDIATE transactions take the write lock at BEGIN, so two
    voters never both read, then both try to upgrade to a write lock and get "database is locked".
    """
    return {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }


def database_from_env(default_sqlite_path: Path) -> dict:
    """The default database from DATABASE_URL, or an SQLite file under var/."""
    url = env_str("DATABASE_URL")
    if not url:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": sqlite_options(),
        }
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed: {scheme or 'no scheme'!r} is not a database this site "
            "runs on. Expected postgres://user:password@host:5432/name or "
            "sqlite:////absolute/path/to/file.sqlite3."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            config["NAME"] = str(default_sqlite_path)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {**sqlite_options(), **config.get("OPTIONS", {})}
    elif not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL is malformed: it names no database.")
    config["CONN_HEALTH_CHECKS"] = True
    return config


def email_from_env() -> dict:
    """Email settings from EMAIL_URL.

    ``console://`` (default) prints mail to the server log; ``smtp://user:pass@host:25``,
    ``smtp+tls://…:587`` (STARTTLS) and ``smtp+ssl://…:465`` send it; ``memory://`` keeps it in
    memory for tests. ``?from=noreply@example.org`` sets the sender.
    """
    url = env_str("EMAIL_URL", "console://")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    settings: dict = {}
    if "from" in query:
        settings["DEFAULT_FROM_EMAIL"] = query["from"][0]
        settings["SERVER_EMAIL"] = query["from"][0]
    if parts.scheme == "console":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    elif parts.scheme == "memory":
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    elif parts.scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL is malformed: it names no mail server host.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                "EMAIL_URL is malformed: the port is not a number."
            ) from None
        default_port = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme]
        settings.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
        )
    else:
        raise ImproperlyConfigured(
            f"EMAIL_URL is malformed: the scheme {parts.scheme!r} is not one of "
            "console, memory, smtp, smtp+tls, smtp+ssl."
        )
    return settings


def cache_and_sessions_from_env() -> dict:
    """Redis for the cache and sessions when REDIS_URL is set; local memory otherwise."""
    url = env_str("REDIS_URL")
    if not url:
        return {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        }
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            "REDIS_URL is malformed: expected redis://host:6379/0 (or rediss://, unix://)."
        )
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "yishiting"),
            }
        },
        # Sessions live in the cache for speed and in the database for durability, so a Redis
        # restart does not sign every resident out in the middle of a vote.
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    }


def search_backends_from_env() -> dict:
    """Where the public archive is searched: the database by default, Elasticsearch when
    ELASTICSEARCH_URL is set (``search.backends``). Wagtail's own index (the admin's page search,
    and the database backend of the archive) always stays in the database."""
    url = env_str("ELASTICSEARCH_URL")
    database = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    if not url:
        return {"WAGTAILSEARCH_BACKENDS": database, "SEARCH_ELASTICSEARCH": None}
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            "ELASTICSEARCH_URL is malformed: expected http://host:9200 or https://host:9200."
        )
    return {
        "WAGTAILSEARCH_BACKENDS": database,
        "SEARCH_ELASTICSEARCH": {
            "URL": url,
            "INDEX": env_str("ELASTICSEARCH_INDEX", "yishiting-archive"),
            "TIMEOUT": env_int("ELASTICSEARCH_TIMEOUT", 10),
        },
    }
