"""Voting from the proposal page (the same service the API uses), and claiming a household."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deliberation.models import Household, Poll, ProposalPage, Residency, TopicSuggestion
from deliberation.services import (
    BallotRefused,
    ResidencyRefused,
    cast_ballot,
    claim_household,
    rate_proposal,
    suggest_topic,
)
from home.exceptions import Refused


def _back_to(request, poll: Poll) -> str:
    if poll.proposal is not None:
        return f"{poll.proposal.get_url(request)}#poll-{poll.pk}"
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@require_POST
def vote(request, poll_id: int):
    poll = get_object_or_404(Poll.objects.select_related("proposal"), pk=poll_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_back_to(request, poll))
    try:
        choices = [int(value) for value in request.POST.getlist("choices")]
    except ValueError:
        choices = ["?"]
    try:
        ballot = cast_ballot(poll, request.user, choices)
    except BallotRefused as refusal:
        messages.error(request, refusal.message)
        if poll.proposal is None:
            return redirect(_back_to(request, poll))
        response = poll.proposal.specific.serve(request)
        response.status_code = refusal.status if refusal.status != 401 else 403
        return response
    messages.success(
        request,
        _("Your vote is recorded. Keep your receipt code: %(receipt)s")
        % {"receipt": ballot.receipt},
    )
    return redirect(_back_to(request, poll))


class HouseholdClaimForm(forms.Form):
    """Which flat a resident lives in, as written on the door: building, unit, room."""

    building = forms.ChoiceField(label=gettext_lazy("Building"))
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Leave empty if your building has no units."),
    )
    room = forms.CharField(label=gettext_lazy("Room"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        buildings = (
            Household.objects.order_by("building").values_list("building", flat=True).distinct()
        )
        self.fields["building"].choices = [("", "—")] + [(b, b) for b in buildings]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        household = Household.objects.filter(
            building=data["building"], unit=data.get("unit", "").strip(), room=data["room"].strip()
        ).first()
        if household is None:
            raise forms.ValidationError(
                _(
                    "No such flat in the register. "
                    "Check building, unit and room, or ask the community office."
                )
            )
        data["household"] = household
        return data


@login_required
def household_claim(request):
    """A resident says which flat they live in; a moderator verifies the claim."""
    form = HouseholdClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                claim_household(request.user, form.cleaned_data["household"])
            except ResidencyRefused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                messages.success(
                    request, _("Your claim is sent. The community office will verify it soon.")
                )
                return redirect("household_claim")
        else:
            status = 400
    claims = Residency.objects.filter(user=request.user).select_related("household", "decided_by")
    return TemplateResponse(
        request,
        "deliberation/household_claim.html",
        {"form": form, "claims": claims},
        status=status,
    )


@require_POST
def rate(request, proposal_id: int):
    """A resident's satisfaction score (1–5) for a proposal under review."""
    proposal = get_object_or_404(ProposalPage.objects.live().public(), pk=proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.url)
    score = request.POST.get("score", "")
    try:
        rate_proposal(proposal, request.user, int(score) if score.isdigit() else None)
    except Refused as refusal:
        messages.error(request, refusal.message)
        response = proposal.serve(request)
        response.status_code = refusal.status
        return response
    messages.success(request, _("Thank you: your rating is recorded."))
    return redirect(proposal.url)


class TopicSuggestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Topic"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("What and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What should change, where, and why it matters to neighbours."),
    )


@login_required
def suggest_topic_view(request):
    """Residents propose a topic for the 议事厅 (自治议题征集)."""
    form = TopicSuggestionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            suggest_topic(
                request.user, form.cleaned_data["title"], form.cleaned_data["description"]
            )
            messages.success(
                request, _("Thank you. Community staff will read your suggestion and reply.")
            )
            return redirect("suggest_topic")
        return TemplateResponse(
            request, "deliberation/suggest_topic.html", {"form": form}, status=400
        )
    mine = TopicSuggestion.objects.filter(user=request.user).select_related("proposal")[:20]
    return TemplateResponse(
        request, "deliberation/suggest_topic.html", {"form": form, "mine": mine}
    )
