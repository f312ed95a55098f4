"""Admin actions of the 议事厅: seal a due poll (after a confirmation page), ask for and confirm
an early close (two people), enter a paper ballot, approve, hide or restore a comment. Each
change is a POST through ``deliberation.services``; refusals show as messages."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import Household, Residency
from core.exceptions import Refused
from core.forms import submit
from deliberation.audit import (
    closing_facts,
    early_close_rows,
    participants_csv,
    participants_export,
    poll_csv,
    poll_export,
    poll_summary,
)
from deliberation.forms import HideCommentForm
from deliberation.models import CommentModeration, EarlyClose, Poll, StanceComment, VotingUnit
from deliberation.permissions import (
    can_audit,
    can_enter_paper_ballot,
    can_moderate_comments,
    can_seal,
)
from deliberation.services import (
    confirm_early_close,
    enter_paper_ballot,
    moderate_comment,
    pending_early_close,
    request_early_close,
    seal_poll,
)
from deliberation.services.sealing import REASON_MAX_LENGTH

POLL_LIST = "wagtailsnippets_deliberation_poll:list"


def seal(request, pk: int):
    """A confirmation page (GET), then the seal (POST) of a poll whose close has come."""
    if not can_seal(request.user):
        raise PermissionDenied
    poll = get_object_or_404(Poll, pk=pk)
    if request.method == "POST":
        try:
            poll = seal_poll(poll, by=request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(POLL_LIST)
        messages.success(request, _("“%(poll)s” is sealed.") % {"poll": poll.title})
        return redirect(POLL_LIST)
    return TemplateResponse(
        request,
        "deliberation/admin/confirm_seal.html",
        {"poll": poll, "due": poll.sealed_at is None and timezone.now() >= poll.closes_at},
    )


class EarlyCloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Shown to residents on the proposal page beside the announced close. Another staff "
            "member must confirm within 24 hours; until then nothing changes."
        ),
    )


def early_close(request, pk: int):
    """A moderator asks to close an open poll before its announced time, with a reason."""
    if not can_seal(request.user):
        raise PermissionDenied
    poll = get_object_or_404(Poll, pk=pk)
    form = EarlyCloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _result, status = submit(
            form, lambda data: request_early_close(poll, request.user, data["reason"])
        )
        if status is None:
            messages.success(
                request,
                _(
                    "Early close of “%(poll)s” requested. It takes effect only when another "
                    "staff member confirms it within 24 hours."
                )
                % {"poll": poll.title},
            )
            return redirect(POLL_LIST)
    return TemplateResponse(
        request,
        "deliberation/admin/request_early_close.html",
        {"poll": poll, "form": form, "pending": pending_early_close(poll)},
        status=status,
    )


def early_close_confirm(request, pk: int):
    """Who asked, when, why, and the announced close (GET); the confirmation (POST) seals."""
    if not can_seal(request.user):
        raise PermissionDenied
    request_row = get_object_or_404(
        EarlyClose.objects.select_related("poll", "requested_by", "confirmed_by"), pk=pk
    )
    if request.method == "POST":
        try:
            poll = confirm_early_close(request_row, request.user)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("deliberation_early_close_confirm", pk=request_row.pk)
        messages.success(
            request, _("Early close confirmed: “%(poll)s” is sealed.") % {"poll": poll.title}
        )
        return redirect(POLL_LIST)
    return TemplateResponse(
        request,
        "deliberation/admin/confirm_early_close.html",
        {
            "request_row": request_row,
            "poll": request_row.poll,
            "own": request_row.requested_by_id == request.user.pk,
        },
    )


def early_close_list(request):
    """Every request to close a poll early — pending, confirmed, lapsed — for moderators (who
    confirm from here) and the supervision committee."""
    if not (can_seal(request.user) or can_audit(request.user)):
        return TemplateResponse(
            request,
            "403.html",
            {"message": _("Only moderators and the supervision committee can see this.")},
            status=403,
        )
    rows = early_close_rows(
        EarlyClose.objects.select_related("poll", "requested_by", "confirmed_by")[:500]
    )
    return TemplateResponse(
        request,
        "deliberation/admin/early_closes.html",
        {"rows": rows, "may_confirm": can_seal(request.user)},
    )


class PaperBallotForm(forms.Form):
    sheet = forms.CharField(
        label=gettext_lazy("Sheet"),
        max_length=60,
        help_text=gettext_lazy("Where the ballot comes from, e.g. “业主大会表决票 第3页”."),
    )
    household = forms.ModelChoiceField(
        label=gettext_lazy("Household"),
        queryset=Household.objects.select_related("building"),
        required=False,
    )
    username = forms.CharField(label=gettext_lazy("Resident's user name"), required=False)
    choices = forms.MultipleChoiceField(
        label=gettext_lazy("Choices"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, poll: Poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.fields["choices"].choices = [(c.pk, c.label) for c in poll.choices.all()]
        if poll.unit == VotingUnit.HOUSEHOLD:
            del self.fields["username"]
            self.fields["household"].required = True
        else:
            del self.fields["household"]
            self.fields["username"].required = True

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with this name."))
        return user


def paper_ballot(request, pk: int):
    poll = get_object_or_404(Poll, pk=pk)
    if not can_enter_paper_ballot(request.user):
        raise PermissionDenied
    form = PaperBallotForm(poll, request.POST or None)
    status = 200
    if request.method == "POST":
        ballot, status = submit(
            form,
            lambda data: enter_paper_ballot(
                poll,
                request.user,
                [int(c) for c in data["choices"]],
                sheet=data["sheet"],
                user=data.get("username"),
                household=data.get("household"),
            ),
        )
        if status is None:
            messages.success(
                request,
                _("Paper ballot recorded; receipt %(receipt)s.") % {"receipt": ballot.receipt},
            )
            return redirect("deliberation_paper_ballot", pk=poll.pk)
    return TemplateResponse(
        request, "deliberation/admin/paper_ballot.html", {"poll": poll, "form": form}, status=status
    )


def moderate_comment_view(request, pk: int, action: str):
    """Approve or restore (a POST from the listing), or hide (a form asking for the reason that
    residents will see and an internal note)."""
    Action = CommentModeration.Action
    if action not in Action.values:
        raise Http404
    if not can_moderate_comments(request.user):
        raise PermissionDenied
    comment = get_object_or_404(StanceComment.objects.select_related("proposal"), pk=pk)
    back = reverse("wagtailsnippets_deliberation_stancecomment:list")
    form = HideCommentForm(request.POST or None) if action == Action.HIDE else None
    status = 200
    if request.method == "POST" and (form is None or form.is_valid()):
        extra = form.cleaned_data if form is not None else {}
        try:
            moderate_comment(comment, request.user, action, **extra)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(back)
        done = {
            Action.APPROVE: _("The comment is published."),
            Action.HIDE: _("The comment is hidden; the reason is shown in its place."),
            Action.RESTORE: _("The comment is shown again."),
        }
        messages.success(request, done[action])
        return redirect(back)
    if request.method == "POST":
        status = 400
    elif form is None:
        return redirect(back)  # approve and restore change state only on POST
    return TemplateResponse(
        request,
        "deliberation/admin/hide_comment.html",
        {"comment": comment, "form": form, "back": back},
        status=status,
    )


# The supervision committee's workspace ---------------------------------------------------------


def auditors_only(view):
    """A 403 for everyone but the supervision committee (not Wagtail's usual redirect to the
    dashboard: the refusal is the answer, and it is tested as such)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not can_audit(request.user):
            return TemplateResponse(
                request,
                "403.html",
                {"message": _("Only the supervision committee can see this.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return guarded


@auditors_only
def audit_index(request):
    """Every poll of every deliberation with its rule, turnout, tally, seal and verification."""
    polls = Poll.objects.select_related("proposal").prefetch_related("choices").order_by("-pk")
    return TemplateResponse(
        request,
        "deliberation/audit/index.html",
        {"summaries": [poll_summary(poll) for poll in polls]},
    )


@auditors_only
def audit_poll(request, pk: int):
    """One poll: its summary, ledger, exports, and the history of its proposal."""
    from wagtail.models import Revision

    poll = get_object_or_404(Poll.objects.select_related("proposal"), pk=pk)
    proposal = poll.proposal
    context = {
        "summary": poll_summary(poll),
        "poll": poll,
        "closing": closing_facts(poll),
        "early_closes": early_close_rows(
            poll.early_closes.select_related("requested_by", "confirmed_by")
        ),
        "participants": participants_export(poll, as_text=False),
        # A secret poll's payloads name its choices: withheld until it is sealed.
        "payloads_withheld": poll.secret and poll.sealed_at is None,
        "entries": poll.ledger.order_by("position")[:2000],
        "transitions": [],
        "revisions": [],
        "moderations": [],
    }
    if proposal is not None:
        context["transitions"] = proposal.stage_transitions.select_related("moved_by")
        context["revisions"] = (
            Revision.page_revisions.filter(object_id=str(proposal.pk))
            .select_related("user")
            .order_by("-created_at")[:100]
        )
        context["moderations"] = proposal.comment_moderations.select_related(
            "moderator", "comment"
        ).order_by("-decided_at")
    return TemplateResponse(request, "deliberation/audit/poll.html", context)


@auditors_only
def audit_export(request, pk: int, kind: str):
    """A poll's ballots and chain as CSV or JSON: no voter, no receipt."""
    poll = get_object_or_404(Poll, pk=pk)
    if kind == "csv":
        response = HttpResponse(poll_csv(poll), content_type="text/csv; charset=utf-8")
    elif kind == "json":
        response = JsonResponse(
            poll_export(poll), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}.{kind}"'
    return response


@auditors_only
def audit_participants(request, pk: int, kind: str):
    """Who took part in an open (记名) poll — person or flat, channel, time, and for paper who
    entered it from which sheet — as CSV or JSON. Never for a secret poll."""
    poll = get_object_or_404(Poll, pk=pk)
    rows = participants_export(poll)
    if rows is None:
        return TemplateResponse(
            request,
            "403.html",
            {"message": _("A secret ballot's participants are not listed, not even here.")},
            status=404,
        )
    if kind == "csv":
        response = HttpResponse(participants_csv(rows), content_type="text/csv; charset=utf-8")
    elif kind == "json":
        response = JsonResponse(
            {"poll": poll.pk, "title": poll.title, "participants": rows},
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-participants.{kind}"'
    return response


@auditors_only
def audit_residents(request):
    """Who verified or rejected whose claim, and when: public names and buildings only."""
    decisions = (
        Residency.objects.exclude(decided_at=None)
        .select_related("user", "household__building", "decided_by")
        .order_by("-decided_at")
    )
    return TemplateResponse(
        request, "deliberation/audit/residents.html", {"decisions": decisions[:500]}
    )
