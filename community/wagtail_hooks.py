"""Admin screens of the register: grids and their workers, buildings, households, and
residents' claims with their verify/reject buttons."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community import admin_views
from community.models import Building, Grid, Household, Residency, ResidencyStatus
from community.permissions import can_verify_residents
from core.admin import post_button


class GridViewSet(SnippetViewSet):
    model = Grid
    icon = "table"
    menu_label = _("Grids")
    list_display = ["name"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("workers")]


class BuildingViewSet(SnippetViewSet):
    model = Building
    icon = "home"
    menu_label = _("Buildings")
    list_display = ["name", "grid", "sort_order"]
    list_filter = ["grid"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("grid"), FieldPanel("sort_order")]

    def get_queryset(self, request):
        return Building.objects.select_related("grid")


class HouseholdViewSet(SnippetViewSet):
    model = Household
    icon = "home"
    menu_label = _("Households")
    list_display = ["label", "floor_area", "owner_ref"]
    list_filter = ["building"]
    search_fields = ["unit", "room"]

    def get_queryset(self, request):
        return Household.objects.select_related("building")


class ResidencyViewSet(SnippetViewSet):
    model = Residency
    icon = "user"
    menu_label = _("Residents' claims")
    list_display = ["user", "household", "relation", "status", "claimed_at", "decided_by"]
    list_filter = ["status", "relation"]
    search_fields = ["user__username", "user__display_name"]
    ordering = ["status", "-claimed_at"]

    def get_queryset(self, request):
        # The listing shows each claim's resident, flat and decider: fetched with the claims.
        return Residency.objects.select_related("user", "household__building", "decided_by")


class CommunityGroup(SnippetViewSetGroup):
    items = (ResidencyViewSet, HouseholdViewSet, BuildingViewSet, GridViewSet)
    menu_icon = "home"
    menu_label = _("Community register")
    menu_name = "community"
    menu_order = 240


register_snippet(CommunityGroup)


@hooks.register("register_admin_urls")
def community_admin_urls():
    return [
        path(
            "community/claims/<id:pk>/<str:decision>/",
            admin_views.decide_claim,
            name="community_decide_claim",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def residency_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Residency) and can_verify_residents(user):
        if snippet.status != ResidencyStatus.VERIFIED:
            url = reverse("community_decide_claim", args=[snippet.pk, "verify"])
            yield post_button(_("Verify"), url, "check", 10)
        if snippet.status != ResidencyStatus.REJECTED:
            url = reverse("community_decide_claim", args=[snippet.pk, "reject"])
            yield post_button(_("Reject"), url, "cross", 11)
