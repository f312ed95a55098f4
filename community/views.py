"""The resident's side of the register: claiming the flat they live in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from community.forms import HouseholdClaimForm
from community.models import Residency
from community.services import claim_household
from core.forms import submit


@login_required
def household_claim(request):
    """A resident says which flat they live in; a moderator verifies the claim."""
    form = HouseholdClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _claim, status = submit(
            form,
            lambda data: claim_household(request.user, data["household"], data["relation"]),
        )
        if status is None:
            messages.success(
                request, _("Your claim is sent. The community office will verify it soon.")
            )
            return redirect("household_claim")
    claims = Residency.objects.filter(user=request.user).select_related(
        "household__building", "decided_by"
    )
    return TemplateResponse(
        request,
        "community/household_claim.html",
        {"form": form, "claims": claims},
        status=status,
    )
