"""Admin actions on the register: a moderator verifies or rejects a resident's claim."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Residency
from community.services import decide_residency
from core.exceptions import Refused


@require_POST
def decide_claim(request, pk: int, decision: str):
    if decision not in {"verify", "reject"}:
        raise Http404
    residency = get_object_or_404(Residency.objects.select_related("user", "household"), pk=pk)
    try:
        decide_residency(residency, request.user, verify=decision == "verify")
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    if decision == "verify":
        messages.success(request, _("%(user)s is verified.") % {"user": residency.user.public_name})
    else:
        messages.warning(
            request, _("The claim of %(user)s is rejected.") % {"user": residency.user.public_name}
        )
    return redirect(reverse("wagtailsnippets_community_residency:list") + "?status=pending")
