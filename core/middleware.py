"""Language selection, the Content-Security-Policy of each part of the site, and the answer
while the database is unavailable."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from csp.constants import HEADER
from csp.middleware import CSPMiddleware

logger = logging.getLogger(__name__)


class SiteLanguageMiddleware(LocaleMiddleware):
    """Chinese for everyone, unless the visitor chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, which shows English menus
    around Chinese notices to anyone whose phone happens to be set to English; here the choice
    is explicit and remembered in the language cookie. The Wagtail admin still follows each
    staff member's own language preference.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``ADMIN_CONTENT_SECURITY_POLICY`` for the Wagtail admin and
    page previews and ``CONTENT_SECURITY_POLICY`` everywhere else.

    A view's own header, or csp's decorators on it, still take precedence.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        admin = request.path.startswith("/admin/") or getattr(request, "is_preview", False)
        if admin and not report_only and parts.config is None:
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts

    def process_response(self, request, response):
        ours = HEADER not in response
        response = super().process_response(request, response)
        if ours and HEADER in response:
            response[HEADER] = in_declared_order(response[HEADER])
        return response


def in_declared_order(policy: str) -> str:
    """django-csp 4.0 joins a policy's directives in set order, which changes from one process to
    the next (string hashes are randomised); put them back in the order the settings list them,
    so the header stays the same from one response to the next."""
    rank: dict[str, int] = {}
    for name in [
        *settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
        *settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"],
    ]:
        rank.setdefault(name, len(rank))
    directives = policy.split("; ")
    return "; ".join(sorted(directives, key=lambda d: rank.get(d.split(" ", 1)[0], len(rank))))


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached (restarting, failing over, out of connections), answer
    503 with a Chinese message — a page, or JSON under /api/ — and a Retry-After, instead of a
    500. The request's transaction, if any, was rolled back: nothing half-written remains."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.http import HttpResponse, JsonResponse
        from django.template import loader
        from django.utils.translation import gettext as _

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                       type(exception).__name__)  # fmt: skip
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": _(
                        "The service is busy for a moment. Nothing was saved; "
                        "please try again in a minute."
                    )
                },
                status=503,
            )
        else:
            response = HttpResponse(loader.render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = "30"
        return response


class NullCharacterMiddleware:
    """Null characters ("%00"), which no page needs and PostgreSQL refuses in any text it is
    asked to compare (a 500 from every view that looks a value up): a query-string parameter
    holding one is dropped (as if not given, so a bad filter still shows the page); an address
    or a posted form holding one gets the 400 page. Multipart bodies (uploads) are left to
    their forms, which refuse null characters themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and _holds_null(request.POST)
        ):
            from django.views.defaults import bad_request

            return bad_request(request, exception=None)
        if _holds_null(request.GET):
            request.GET = _without_null(request.GET)
        return self.get_response(request)


def _holds_null(query) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )


def _without_null(query):
    from django.http import QueryDict

    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        values = [value for value in values if "\x00" not in value]
        if values and "\x00" not in key:
            kept.setlist(key, values)
    kept._mutable = False
    return kept
