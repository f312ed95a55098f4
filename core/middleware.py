"""Language selection and the Content-Security-Policy of the public site."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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


# The public site runs no inline script or style and loads nothing from elsewhere; the policy
# says so, and a script injected into a page despite escaping would not run.
PUBLIC_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The Wagtail admin and its page previews still use inline styles and scripts of Wagtail's own;
# they get a policy that keeps everything on this site without forbidding those.
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: ``PUBLIC_POLICY`` everywhere but the admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_prefix) or getattr(
                request, "is_preview", False
            )
            response["Content-Security-Policy"] = ADMIN_POLICY if admin else PUBLIC_POLICY
        return response


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
