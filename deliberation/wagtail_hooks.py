"""Admin screens of the 议事厅: polls, households, residents' claims, and their actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from deliberation import admin_views
from deliberation.models import Household, Poll, Residency, ResidencyStatus, TopicSuggestion


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "tasks"
    menu_label = _("Polls")
    list_display = ["title", "proposal", "status", "opens_at", "closes_at", "rule"]
    list_filter = ["rule", "unit", "secret"]
    search_fields = ["title"]
    ordering = ["-opens_at"]


class HouseholdViewSet(SnippetViewSet):
    model = Household
    icon = "home"
    menu_label = _("Households")
    list_display = ["label", "floor_area", "owner_ref"]
    search_fields = ["building", "unit", "room"]
    ordering = ["building", "unit", "room"]


class ResidencyViewSet(SnippetViewSet):
    model = Residency
    icon = "user"
    menu_label = _("Residents' claims")
    list_display = ["user", "household", "status", "claimed_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__display_name"]
    ordering = ["status", "-claimed_at"]


class TopicSuggestionViewSet(SnippetViewSet):
    model = TopicSuggestion
    icon = "comment"
    menu_label = _("Topic suggestions")
    list_display = ["title", "status", "created_at", "proposal"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    ordering = ["status", "-created_at"]


class DeliberationGroup(SnippetViewSetGroup):
    items = (PollViewSet, TopicSuggestionViewSet, ResidencyViewSet, HouseholdViewSet)
    menu_icon = "group"
    menu_label = _("Deliberation hall")
    menu_name = "deliberation"
    menu_order = 250


register_snippet(DeliberationGroup)


@hooks.register("register_admin_urls")
def deliberation_admin_urls():
    return [
        path(
            "deliberation/claims/<int:pk>/<str:decision>/",
            admin_views.decide_claim,
            name="deliberation_decide_claim",
        ),
        path("deliberation/polls/<int:pk>/seal/", admin_views.seal, name="deliberation_seal_poll"),
        path(
            "deliberation/polls/<int:pk>/paper/",
            admin_views.paper_ballot,
            name="deliberation_paper_ballot",
        ),
    ]


def post_button(label, url: str, icon: str, priority: int) -> Button:
    """A listing button that POSTs (with the CSRF token) through Wagtail's w-action controller."""
    return Button(
        label,
        url,
        icon_name=icon,
        priority=priority,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        },
    )


@hooks.register("register_snippet_listing_buttons")
def deliberation_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Residency) and user.has_perm("deliberation.verify_residency"):
        if snippet.status != ResidencyStatus.VERIFIED:
            url = reverse("deliberation_decide_claim", args=[snippet.pk, "verify"])
            yield post_button(_("Verify"), url, "check", 10)
        if snippet.status != ResidencyStatus.REJECTED:
            url = reverse("deliberation_decide_claim", args=[snippet.pk, "reject"])
            yield post_button(_("Reject"), url, "cross", 11)
    if isinstance(snippet, Poll) and user.has_perm("deliberation.add_participation"):
        if snippet.sealed_at is None:
            yield Button(
                _("Enter a paper ballot"),
                reverse("deliberation_paper_ballot", args=[snippet.pk]),
                icon_name="form",
                priority=10,
            )
            url = reverse("deliberation_seal_poll", args=[snippet.pk])
            yield post_button(_("Seal now"), url, "lock", 11)
