"""Admin screens of the 议事厅: polls, comments, suggestions, the word list, and their actions."""

from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from django_comments.models import CommentFlag
from django_filters import ChoiceFilter

from core.admin import post_button
from deliberation import admin_views
from deliberation.models import (
    CommentModeration,
    CommentStatus,
    Poll,
    SensitiveWord,
    StanceComment,
    TopicSuggestion,
)
from deliberation.permissions import (
    can_audit,
    can_enter_paper_ballot,
    can_moderate_comments,
    can_seal,
)
from deliberation.services import pending_early_close


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "tasks"
    menu_label = _("Polls")
    list_display = [
        "title",
        "proposal",
        Column("status_string", label=_("Approval")),
        Column("voting_status", label=_("Voting"), accessor=lambda poll: poll.voting_status()),
        "opens_at",
        "closes_at",
        "rule",
    ]
    list_filter = ["kind", "voters", "rule", "secret", "live"]
    search_fields = ["title"]
    ordering = ["-opens_at"]


class TopicSuggestionViewSet(SnippetViewSet):
    model = TopicSuggestion
    icon = "comment"
    menu_label = _("Topic suggestions")
    list_display = ["title", "status", "created_at", "proposal"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    ordering = ["status", "-created_at"]


# The queue's filter: a comment's status, or shown but reported by residents.
FLAGGED = "flagged"


class CommentFilterSet(WagtailFilterSet):
    state = ChoiceFilter(
        label=_("Status"),
        method="filter_state",
        choices=[
            (CommentStatus.PENDING, CommentStatus.PENDING.label),
            (FLAGGED, _("Reported by residents")),
            (CommentStatus.SHOWN, CommentStatus.SHOWN.label),
            (CommentStatus.HIDDEN, CommentStatus.HIDDEN.label),
        ],
        empty_label=_("All"),
    )

    class Meta:
        model = StanceComment
        fields = ["stance"]

    def filter_state(self, queryset, name, value):
        if value == CommentStatus.PENDING:
            return queryset.pending()
        if value == CommentStatus.HIDDEN:
            return queryset.hidden()
        if value == CommentStatus.SHOWN:
            return queryset.shown()
        if value == FLAGGED:
            return queryset.shown().filter(flag_count__gt=0)
        return queryset


class StanceCommentViewSet(SnippetViewSet):
    """The moderation queue: read, approve, hide with a reason, restore. Comments are never
    edited here: they are residents' words."""

    model = StanceComment
    icon = "comment"
    menu_label = _("Comments")
    list_display = [
        "excerpt",
        "proposal",
        "user_name",
        "get_status_display",
        # "Reports" alone is Wagtail's admin menu (报告); here it counts residents' reports.
        Column("flag_count", label=pgettext_lazy("reports on a comment", "Reports")),
    ]
    filterset_class = CommentFilterSet
    search_fields = ["comment", "user_name"]
    ordering = ["-submit_date"]
    inspect_view_enabled = True
    inspect_view_fields = ["proposal", "user_name", "stance", "comment", "submit_date"]

    def get_queryset(self, request):
        return (
            StanceComment.objects.select_related("proposal")
            .annotate(flag_count=Count("flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)))
            .order_by("-submit_date")
        )


class SensitiveWordViewSet(SnippetViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = _("Sensitive words")
    list_display = ["word", "action", "note"]
    list_filter = ["action"]
    search_fields = ["word"]


class CommentModerationViewSet(SnippetViewSet):
    """The moderation log: who approved, hid or restored which comment, when and why."""

    model = CommentModeration
    icon = "list-ul"
    menu_label = _("Moderation log")
    list_display = ["decided_at", "action", "reason", "comment", "moderator"]
    list_filter = ["action", "reason"]
    ordering = ["-decided_at"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return CommentModeration.objects.select_related("comment", "moderator")


class DeliberationGroup(SnippetViewSetGroup):
    items = (
        PollViewSet,
        StanceCommentViewSet,
        TopicSuggestionViewSet,
        SensitiveWordViewSet,
        CommentModerationViewSet,
    )
    menu_icon = "group"
    menu_label = _("Deliberation hall")
    menu_name = "deliberation"
    menu_order = 250


register_snippet(DeliberationGroup)


@hooks.register("register_admin_urls")
def deliberation_admin_urls():
    return [
        path(
            "deliberation/comments/<id:pk>/<str:action>/",
            admin_views.moderate_comment_view,
            name="deliberation_moderate_comment",
        ),
        path("audit/", admin_views.audit_index, name="deliberation_audit"),
        path("audit/polls/<id:pk>/", admin_views.audit_poll, name="deliberation_audit_poll"),
        path(
            "audit/polls/<id:pk>/export.<str:kind>",
            admin_views.audit_export,
            name="deliberation_audit_export",
        ),
        path(
            "audit/polls/<id:pk>/participants.<str:kind>",
            admin_views.audit_participants,
            name="deliberation_audit_participants",
        ),
        path("audit/residents/", admin_views.audit_residents, name="deliberation_audit_residents"),
        path("deliberation/polls/<id:pk>/seal/", admin_views.seal, name="deliberation_seal_poll"),
        path(
            "deliberation/polls/<id:pk>/close-early/",
            admin_views.early_close,
            name="deliberation_early_close",
        ),
        path(
            "deliberation/early-closes/",
            admin_views.early_close_list,
            name="deliberation_early_closes",
        ),
        path(
            "deliberation/early-closes/<id:pk>/confirm/",
            admin_views.early_close_confirm,
            name="deliberation_early_close_confirm",
        ),
        path(
            "deliberation/polls/<id:pk>/paper/",
            admin_views.paper_ballot,
            name="deliberation_paper_ballot",
        ),
    ]


@hooks.register("register_admin_menu_item")
def audit_menu_item():
    return AuditMenuItem(
        _("Supervision"), reverse("deliberation_audit"), icon_name="doc-full-inverse", order=260
    )


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return can_audit(request.user)


def comment_buttons(comment: StanceComment):
    Action = CommentModeration.Action

    def url(action: str) -> str:
        return reverse("deliberation_moderate_comment", args=[comment.pk, action])

    if comment.status == CommentStatus.PENDING:
        yield post_button(_("Approve"), url(Action.APPROVE), "check", 10)
    if comment.status != CommentStatus.HIDDEN:
        yield Button(_("Hide…"), url(Action.HIDE), icon_name="view", priority=11)
    else:
        yield post_button(_("Restore"), url(Action.RESTORE), "undo", 12)


@hooks.register("register_snippet_listing_buttons")
def deliberation_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, StanceComment) and can_moderate_comments(user):
        yield from comment_buttons(snippet)
    # A draft takes no ballots and has nothing to seal: its buttons come with approval.
    if isinstance(snippet, Poll) and snippet.live and snippet.sealed_at is None:
        if can_enter_paper_ballot(user):
            yield Button(
                _("Enter a paper ballot"),
                reverse("deliberation_paper_ballot", args=[snippet.pk]),
                icon_name="form",
                priority=10,
            )
        if can_seal(user):
            yield from poll_closing_buttons(snippet, user)


def poll_closing_buttons(poll: Poll, user):
    """ "Seal" once the announced close has come (a confirmation page first); before it,
    "Close early…" with a reason, or the pending request for another staff member to
    confirm."""
    if timezone.now() >= poll.closes_at:
        url = reverse("deliberation_seal_poll", args=[poll.pk])
        yield Button(_("Seal"), url, icon_name="lock", priority=11)
    elif poll.is_open:
        pending = pending_early_close(poll)
        if pending is None:
            url = reverse("deliberation_early_close", args=[poll.pk])
            yield Button(_("Close early…"), url, icon_name="lock", priority=11)
        elif pending.requested_by_id != user.pk:  # the one who asked cannot confirm
            url = reverse("deliberation_early_close_confirm", args=[pending.pk])
            yield Button(_("Confirm early close"), url, icon_name="lock", priority=11)
