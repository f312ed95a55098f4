"""Voting from the proposal page (the same service the API uses)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deliberation.models import Poll
from deliberation.services import BallotRefused, cast_ballot


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
