"""Settings come from the environment, and bad values fail with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

from config import env

ROOT = Path(__file__).resolve().parent.parent


def run_django(args: list[str], **environ: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with exactly these settings variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "REDIS_URL",
            "ELASTICSEARCH_URL",
            "EMAIL_URL",
            "DJANGO_DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(environ)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_database_url_the_database_is_an_sqlite_file_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database_from_env(tmp_path / "var" / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert (tmp_path / "var").is_dir()


def test_sqlite_is_set_up_for_concurrent_writers(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    options = env.database_from_env(tmp_path / "db.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_postgres_database_url_is_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://yst:s%40cret@db.internal:6543/yishiting")
    config = env.database_from_env(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6543, "yishiting")
    assert config["PASSWORD"] == "s@cret"


@pytest.mark.parametrize(
    "url",
    ["nonsense", "mysql2//x", "mongodb://h/db", "postgres://u@h:notaport/db", "postgres://h:5432/"],
)
def test_malformed_database_url_fails_with_a_clear_message(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is malformed"):
        env.database_from_env(tmp_path / "db.sqlite3")


def test_redis_url_moves_cache_and_sessions_to_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = env.cache_and_sessions_from_env()
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_url_sessions_live_in_the_database(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert env.cache_and_sessions_from_env()["SESSION_ENGINE"].endswith(".db")


def test_elasticsearch_url_switches_the_archive_search_to_elasticsearch(monkeypatch):
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://search.internal:9200")
    found = env.search_backends_from_env()
    assert found["SEARCH_ELASTICSEARCH"]["URL"] == "http://search.internal:9200"
    assert found["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"].endswith("database")
    monkeypatch.delenv("ELASTICSEARCH_URL")
    assert env.search_backends_from_env()["SEARCH_ELASTICSEARCH"] is None


def test_email_url_configures_smtp_with_starttls(monkeypatch):
    monkeypatch.setenv(
        "EMAIL_URL", "smtp+tls://mailer:p%40ss@mail.example.org?from=office@example.org"
    )
    settings = env.email_from_env()
    assert settings["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["DEFAULT_FROM_EMAIL"] == "office@example.org"


def test_email_defaults_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env.email_from_env()["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_bad_yes_no_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env.env_bool("DJANGO_DEBUG")


def test_production_refuses_to_start_without_secret_key():
    result = run_django(
        ["check"], DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_malformed_database_url_stops_manage_py_with_the_reason():
    result = run_django(
        ["check"], DJANGO_SETTINGS_MODULE="config.settings.dev", DATABASE_URL="mysql//oops"
    )
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr


def test_production_deploy_check_is_clean():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="yishiting.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "en" in dict(settings.LANGUAGES)
