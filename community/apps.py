from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """The register of the community: buildings and the grids (网格) they belong to, flats
    (households), who lives in them and how (owner, family member, tenant), and grid workers.
    The 议事厅 counts its electorate from it; resident services route reports by it."""

    name = "community"
    verbose_name = _("Community register")

    def ready(self):
        from core import page_cache

        # Turnout and the electorate on public pages follow the register.
        page_cache.register(self.label)
