"""Admin actions of the 议事厅: seal a poll now, enter a
paper ballot, approve, hide or restore a comment. Each is a POST through
``deliberation.services``; refusals show as messages."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.models import Household, Residency
from core.exceptions import Refused
from core.forms import submit
from deliberation.audit import poll_csv, poll_export, poll_summary
from deliberation.forms import HideCommentForm
from deliberation.models import CommentModeration, Poll, StanceComment, VotingUnit
from deliberation.permissions import (
    can_audit,
    can_enter_paper_ballot,
    can_moderate_comments,
    can_seal,
)
from deliberation.services import (
    enter_paper_ballot,
    moderate_comment,
    seal_poll,
)


@require_POST
def seal(request, pk: int):
    if not can_seal(request.user):
        raise PermissionDenied
    poll = seal_poll(get_object_or_404(Poll, pk=pk))
    messages.success(request, _("“%(poll)s” is sealed.") % {"poll": poll.title})
    return redirect("wagtailsnippets_deliberation_poll:list")


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
