"""Language selection for the public site."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
