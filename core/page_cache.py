"""The page cache for anonymous visitors: most people read the site without signing in, and on
a busy evening they read the same few pages.

A page is cached when the visitor has no session (so it cannot show a name, a message or a
ballot of theirs), the request is a GET of a public address, and the answer is a 200 HTML page
that sets no cookie. It is keyed by the cache *generation*, the host, the address and the
language. The generation lives in the database (``PageCacheGeneration``) and is bumped by any
change a public page could show: publishing, moving or deleting a page, a ballot, a comment or
its moderation, a sign-up, a setting (each app declares its models with ``register()``). The
bump is written in the same transaction as the change, so when the change is visible the old
pages are already unreachable, in every worker process, with or without Redis (other processes
see it within ``PAGE_CACHE_CHECK_SECONDS``, 1 by default). ``PAGE_CACHE_SECONDS`` (60 by
default) bounds what only time changes: a poll opening, a sign-up window closing.
"""

import time
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

# Addresses that show something personal or change something: never cached. Apps add their own
# with ``register(private_prefixes=...)``.
_private_prefixes: list[str] = [
    "/admin/",
    "/api/",
    "/i18n/",
    "/documents/",
    "/media/",
    "/static/",
    "/healthz",
]
# Models of Wagtail and Django whose changes a public page may show, with the ones it never shows.
# Our apps declare theirs with ``register()`` in their ``AppConfig.ready()``.
FRAMEWORK_SOURCES = {
    "wagtailcore": {"revision", "pagelogentry", "modellogentry", "taskstate", "workflowstate"},
    "wagtailimages": {"rendition"},
}


def register(
    app_label: str, *, skip: set[str] | frozenset = frozenset(), private_prefixes=()
) -> None:
    """Declare what of an app the page cache must know: every model of ``app_label`` but those
    named in ``skip`` (model names) may show on a public page, so saving or deleting one bumps
    the generation; ``private_prefixes`` are addresses of the app that are never cached (forms,
    receipts, anything personal). Call it from the app's ``AppConfig.ready()``."""
    for prefix in private_prefixes:
        if prefix not in _private_prefixes:
            _private_prefixes.append(prefix)
    for model in apps.get_app_config(app_label).get_models():
        if model._meta.model_name in skip:
            continue
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=uid + "-delete", weak=False)


def private_prefixes() -> tuple[str, ...]:
    return tuple(_private_prefixes)


# The generation as this process last read it, trusted for PAGE_CACHE_CHECK_SECONDS: a cache hit
# then touches no database at all. A change made in this process forgets it at once (on commit);
# one made in another process is seen within that time.
_read = {"value": None, "at": 0.0}


GENERATION_SQL = "SELECT value FROM core_pagecachegeneration WHERE id = 1"


def generation() -> int:
    trust = getattr(settings, "PAGE_CACHE_CHECK_SECONDS", 0)
    if _read["value"] is not None and time.monotonic() - _read["at"] < trust:
        return _read["value"]
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    _read["value"], _read["at"] = (row[0] if row else 0), time.monotonic()
    return _read["value"]


def forget() -> None:
    _read["value"] = None


def request_generation(request) -> int:
    """The generation for this request, read once (the middleware reads it for anonymous
    visitors; anything else that caches by generation reads it here)."""
    if not hasattr(request, "page_cache_generation"):
        request.page_cache_generation = generation()
    return request.page_cache_generation


# The request being served (set by SiteMiddleware), for what is remembered below the view, in a
# queryset or a model method, with no request at hand.
_serving: ContextVar = ContextVar("page_cache_serving", default=None)


def remembered(request, key: str, compute):
    """``compute()``, kept in the cache until the next change of the site (any generation).
    Without a request, the one being served gives the generation (read once per request)."""
    if not getattr(settings, "PAGE_CACHE_REMEMBER", True):  # measured without (bench.http)
        return compute()
    request = request if request is not None else _serving.get()
    current = request_generation(request) if request is not None else generation()
    full_key = f"{key}:{current}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, 24 * 60 * 60)
    return value


def bump(**kwargs) -> None:
    from core.models import PageCacheGeneration

    if not PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageCacheGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    forget()
    transaction.on_commit(forget)


def connect() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    # Moves and unpublishing touch many rows with queryset updates, which send no post_save.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"page-cache-{id(signal)}", weak=False)
    for label, skipped in FRAMEWORK_SOURCES.items():
        register(label, skip=skipped)


def cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(private_prefixes())
        and "preview" not in request.GET
    )


def cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "private" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous visitors' pages (see the module's docstring). Answers carry
    ``X-Page-Cache: hit`` or ``miss`` so a deployment can see it work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PAGE_CACHE_SECONDS", 0) or not cacheable_request(request):
            return self.get_response(request)
        try:
            request_generation(request)
        except DatabaseError:  # the view will meet it too, and answer 503 (core.middleware)
            return self.get_response(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        key = (
            f"page:{request_generation(request)}:{language}:{request.get_host()}"
            f":{request.get_full_path()}"
        )
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if cacheable_response(response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() in ("content-type", "content-language", "vary")
            ]
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response


class SiteMiddleware:
    """Wagtail looks up the site of every request, and then its home page, with a query each;
    the answers only change with a change that bumps the generation, so they are remembered per
    host and port. Also marks the request as the one being served (see ``remembered``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port

        if not hasattr(request, "_wagtail_site") and not request.path.startswith(
            ("/healthz", "/static/", "/media/", "/api/", "/documents/")
        ):
            hostname = split_domain_port(request._get_raw_host())[0]
            port = request.get_port()
            try:
                request._wagtail_site = remembered(
                    request, f"site:{hostname}:{port}", lambda: find_site(request)
                )
            except DatabaseError:  # the page's own queries will answer 503 (core.middleware)
                pass
        serving = _serving.set(request)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(serving)


def find_site(request):
    """The site of a request with its home page in its own class, as Wagtail's router asks for
    it (``site.root_page.specific``)."""
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site
