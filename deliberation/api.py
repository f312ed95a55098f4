"""The 议事厅's JSON API, for mini-programs and anyone who wants the public data.

Endpoints (under /api/deliberation/): polls (list and detail), casting a ballot, looking up a
receipt, who the signed-in user is and the receipts of their ballots. Every refusal carries a
Chinese ``detail``; no input can cause a 5xx. Writes with a session need the CSRF token; apps
can use token authentication.
"""

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from community.models import Household
from core.exceptions import Refused
from core.numbers import IdConverter, request_int
from deliberation.audit import ledger_export
from deliberation.models import Poll, PollStatus
from deliberation.permissions import can_audit
from deliberation.queries import my_ballots, receipt_facts, resident_facts
from deliberation.serializers import (
    BallotRequestSerializer,
    LedgerSerializer,
    MeSerializer,
    MyBallotSerializer,
    PollDetailSerializer,
    PollSerializer,
    ReceiptLookupSerializer,
    ReceiptSerializer,
)
from deliberation.services import cast_ballot


def public_endpoints_only(endpoints):
    """Schema hook: document /api/ only."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


# What every refusal looks like: a status and a sentence in Chinese to show the person.
REFUSALS = {
    "400": "The request is malformed (e.g. an unknown choice); `detail` says what.",
    "401": "Not signed in.",
    "403": "Signed in as someone who may not do this (e.g. not a verified resident).",
    "404": "No such poll or receipt.",
    "405": "This address does not take that method.",
    "409": "Not now (e.g. already voted, or the poll is not open).",
    "429": "Too many attempts in a short time; `detail` says how long to wait.",
    "503": "The database cannot be reached for a moment; nothing was saved.",
}


def document_refusals(result, generator, request, public):
    """Schema hook: every operation may answer a refusal, ``{"detail": "…"}``."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Refusal"] = {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": "In Chinese, for people."}},
        "required": ["detail"],
    }
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in REFUSALS.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": reference}
                )
    return result


def exception_handler(exc, context):
    """DRF's handler, plus our domain refusals as their HTTP status with a Chinese detail."""
    if isinstance(exc, Refused):
        return Response({"detail": exc.message}, status=exc.status)
    return drf_exception_handler(exc, context)


class PollViewSet(viewsets.ReadOnlyModelViewSet):
    """Polls, newest first. ``?status=open`` or ``?status=closed`` filters them."""

    serializer_class = PollSerializer
    lookup_value_regex = IdConverter.regex  # a number too large for the database: 404

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, with no visitor
            return Poll.objects.none()
        # Residents see approved polls of proposals they may see; auditors read any ledger.
        if self.action == "ledger":
            polls = Poll.objects.all()
        else:
            polls = Poll.objects.visible_to(self.request)
        polls = (
            polls.select_related("proposal")
            .prefetch_related("choices", "scope__building")
            .annotate(ballots_cast=Count("participations"))
        )
        wanted = self.request.query_params.get("status")
        if wanted == PollStatus.OPEN:
            polls = polls.open()
        elif wanted == PollStatus.CLOSED:
            polls = polls.closed()
        return polls.order_by("-opens_at", "-pk")

    def get_serializer_class(self):
        return PollDetailSerializer if self.action == "retrieve" else PollSerializer

    def get_object(self):
        if request_int(self.kwargs.get(self.lookup_field), minimum=1) is None:
            raise NotFound(_("There is no such poll."))
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("There is no such poll.")) from None

    @extend_schema(
        request=BallotRequestSerializer,
        responses={201: ReceiptSerializer},
        description="Cast a ballot. 409: already voted or outside the voting window; "
        "403: not entitled; 400: invalid choices.",
    )
    @action(detail=True, methods=["post"], url_path="ballots")
    def ballots(self, request, pk=None):
        poll = self.get_object()
        if not request.user.is_authenticated:
            return Response(
                {"detail": _("Please sign in to vote.")}, status=status.HTTP_403_FORBIDDEN
            )
        data = BallotRequestSerializer(data=request.data)
        if not data.is_valid():
            return Response(
                {"detail": _('Send the chosen options as {"choices": [id, …]}.')},
                status=status.HTTP_400_BAD_REQUEST,
            )
        household = None
        if "household" in data.validated_data:
            household = Household.objects.filter(pk=data.validated_data["household"]).first()
            if household is None:
                return Response({"detail": _("There is no such household.")}, status=400)
        ballot = cast_ballot(poll, request.user, data.validated_data["choices"], household)
        return Response({"receipt": ballot.receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: LedgerSerializer},
        description="The poll's ballot ledger, for auditors (group 审计) only: every entry with "
        "its position, kind (ballot, or close for the last entry of a sealed poll), previous "
        "hash, hash and the exact payload that was hashed. For a secret poll not yet sealed the "
        "payloads (which hold the choices) are null: positions and hashes only.",
    )
    @action(detail=True, methods=["get"], url_path="ledger")
    def ledger(self, request, pk=None):
        if not can_audit(request.user):
            return Response(
                {"detail": _("Only the supervision committee can read the ledger.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        poll = self.get_object()
        return Response(LedgerSerializer(ledger_export(poll)).data)


@extend_schema(responses={200: ReceiptLookupSerializer})
@api_view(["GET"])
def receipt(request, code: str):
    """That a ballot with this receipt is recorded: its poll and when, never a secret choice."""
    facts = receipt_facts(code, request)
    if facts is None:
        raise NotFound(_("No ballot has this receipt. Check the code and try again."))
    return Response(ReceiptLookupSerializer(facts).data)


@extend_schema(
    responses={200: MeSerializer},
    parameters=[OpenApiParameter("format", exclude=True)],
)
@api_view(["GET"])
def me(request):
    """The signed-in user: user name, whether verified, and their household as a label."""
    user = request.user
    if not user.is_authenticated:
        return Response({"detail": _("Please sign in.")}, status=status.HTTP_403_FORBIDDEN)
    return Response(MeSerializer(resident_facts(user)).data)


@extend_schema(
    responses={200: MyBallotSerializer(many=True)},
    parameters=[OpenApiParameter("format", exclude=True)],
)
@api_view(["GET"])
def my_ballots_list(request):
    """The signed-in user's ballots (theirs, and their flats'), newest first: poll, receipt,
    when and how — never what a secret ballot chose."""
    user = request.user
    if not user.is_authenticated:
        return Response({"detail": _("Please sign in.")}, status=status.HTTP_403_FORBIDDEN)
    return Response(MyBallotSerializer(my_ballots(user), many=True).data)
