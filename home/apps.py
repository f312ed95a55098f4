from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: users, the home page, standard pages, site settings, the menu, roles and
    the demo community. It may use every other app; none of them imports it."""

    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from core import page_cache

        # What of this app a public page may show; users, throttles and the generation are not.
        page_cache.register(self.label, skip={"user"}, private_prefixes=("/accounts/",))
