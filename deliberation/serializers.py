"""JSON shapes of the 议事厅 API (see deliberation.api for the endpoints)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.numbers import MAX_DB_INT, MIN_DB_INT, request_int
from deliberation.ledger import confirmed_early_close
from deliberation.models import Poll, VotingUnit
from deliberation.permissions import can_see_choice_counts, scope_names
from deliberation.queries import my_participation
from deliberation.tally import electorate_of, shown_counts


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class ClosedEarlySerializer(serializers.Serializer):
    """How a poll closed before its announced time, after a second staff member confirmed."""

    announced_close = serializers.DateTimeField(help_text="The close announced before voting.")
    closed_at = serializers.DateTimeField(help_text="When it actually closed (its seal).")
    reason = serializers.CharField()
    requested_by = serializers.CharField(help_text="Public name of who asked.")
    confirmed_by = serializers.CharField(help_text="Public name of who confirmed.")


class ElectorateSerializer(serializers.Serializer):
    units = serializers.IntegerField(
        help_text="Voting units in the scope: flats (households, owners) or verified residents."
    )
    area = serializers.FloatField(
        allow_null=True,
        help_text="Exclusive floor area of the scope's flats in m²; null for a poll of residents.",
    )
    owners = serializers.IntegerField(
        help_text="Owners of the scope's flats, an owner of several flats once and unsold "
        "developer flats as one owner; 0 for a poll of residents."
    )


class PollSerializer(serializers.ModelSerializer):
    proposal_url = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    ballots_cast = serializers.IntegerField(read_only=True)
    choices = ChoiceSerializer(many=True, read_only=True)
    closed_early = serializers.SerializerMethodField()
    scope = serializers.SerializerMethodField(
        help_text="The buildings (and units) that decide, e.g. “1号楼” or “1号楼2单元”; "
        "empty for the whole community."
    )
    electorate = serializers.SerializerMethodField(
        help_text="Who could vote, counted over the scope (as counted at sealing, once sealed)."
    )

    class Meta:
        model = Poll
        fields = [
            "id",
            "title",
            "proposal_url",
            "status",
            "unit",
            "kind",
            "voters",
            "rule",
            "opens_at",
            "closes_at",
            "ballots_cast",
            "choices",
            "closed_early",
            "scope",
            "electorate",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_scope(self, poll: Poll) -> list[str]:
        return scope_names(poll)

    @extend_schema_field(ElectorateSerializer)
    def get_electorate(self, poll: Poll) -> dict:
        electorate = electorate_of(poll, self.context.setdefault("electorates", {}))
        households = poll.unit == VotingUnit.HOUSEHOLD
        return {
            "units": electorate.count,
            "area": float(electorate.area) if households else None,
            "owners": electorate.owners if households else 0,
        }

    def get_proposal_url(self, poll: Poll) -> str | None:
        if poll.proposal is None:
            return None
        request = self.context["request"]
        return request.build_absolute_uri(poll.proposal.get_url(request))

    @extend_schema_field(ClosedEarlySerializer(allow_null=True))
    def get_closed_early(self, poll: Poll) -> dict | None:
        """Null unless the poll was sealed before its announced close after a confirmed early
        close (``closes_at`` stays the announced close)."""
        if not poll.closed_early:
            return None
        early = confirmed_early_close(poll)
        if early is None:
            return None
        facts = {
            "announced_close": poll.closes_at,
            "closed_at": poll.sealed_at,
            "reason": early.reason,
            "requested_by": early.requested_by.public_name,
            "confirmed_by": early.confirmed_by.public_name,
        }
        return ClosedEarlySerializer(facts).data


CHOICE_IDS = {"type": "array", "items": {"type": "integer"}}
TALLY_SCHEMA = {
    "type": "object",
    "nullable": True,
    "additionalProperties": {},
    "description": (
        "The counts (``eligible``, ``participants``, ``turnout``; ``choices`` when they may be "
        "shown) and, once sealed, what was decided: ``outcome`` is passed / rejected / "
        "quorum_not_met for a motion, chosen / tie / quorum_not_met for a choice or approval "
        "poll (a choice is never rejected)."
    ),
    "properties": {
        "outcome": {
            "type": "string",
            "nullable": True,
            "enum": ["passed", "rejected", "quorum_not_met", "chosen", "tie", None],
            "description": "null while voting runs.",
        },
        "kind": {"type": "string", "enum": ["motion", "choice", "approval"]},
        "winner": {
            "type": "integer",
            "nullable": True,
            "description": "A sealed choice or approval poll's chosen choice id; null on a tie, "
            "without quorum, while voting runs, and for motions.",
        },
        "ranking": {**CHOICE_IDS, "description": "Choice ids, most ballots (or area) first."},
        "tied": {**CHOICE_IDS, "description": "The choice ids tied at the top, if any."},
        "tests": {
            "type": "array",
            "description": "A Civil Code motion's four tests: participation and agreement by "
            "owners and by floor area, each part / whole against its threshold.",
            "items": {
                "type": "object",
                "properties": {
                    "key": {
                        "type": "string",
                        "enum": [
                            "owners_participation",
                            "area_participation",
                            "owners_agreement",
                            "area_agreement",
                        ],
                    },
                    "part": {"type": "number", "nullable": True},
                    "whole": {"type": "number"},
                    "threshold": {"type": "string", "enum": ["1/2", "2/3", "3/4"]},
                    "strictly": {"type": "boolean", "description": "过半数: more than it."},
                    "met": {"type": "boolean", "nullable": True},
                },
            },
        },
    },
}


class PollDetailSerializer(PollSerializer):
    tally = serializers.SerializerMethodField()
    my_ballot = serializers.SerializerMethodField()

    class Meta(PollSerializer.Meta):
        fields = [*PollSerializer.Meta.fields, "secret", "max_choices", "tally", "my_ballot"]

    @extend_schema_field(TALLY_SCHEMA)
    def get_tally(self, poll: Poll) -> dict | None:
        """The count per choice, when it may be shown: always for open ballots, after sealing
        for secret ones. Turnout is public either way. A result sealed before polls had kinds
        reads as the motion it was."""
        request = self.context["request"]
        result = shown_counts(poll)
        if not can_see_choice_counts(request.user, poll):
            return {key: result[key] for key in ("eligible", "participants", "turnout")}
        return {"kind": poll.kind, "winner": None, "ranking": [], "tied": [], **result}

    def get_my_ballot(self, poll: Poll) -> dict | None:
        user = self.context["request"].user
        if not user.is_authenticated:
            return None
        return my_participation(poll, user)


class DatabaseIntegerField(serializers.IntegerField):
    """An integer as ``core.numbers.request_int`` reads one: a JSON integer or a string of
    ASCII digits, within the database's range — not "１２", "1.0", true or 1e400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_DB_INT)
        kwargs.setdefault("max_value", MAX_DB_INT)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        number = request_int(data)
        if number is None:
            self.fail("invalid")
        return number


class BallotRequestSerializer(serializers.Serializer):
    choices = serializers.ListField(child=DatabaseIntegerField(), allow_empty=False)
    household = DatabaseIntegerField(required=False)


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class LedgerPlaceSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    hash = serializers.CharField()


class ReceiptLookupSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    poll = serializers.IntegerField(
        allow_null=True, help_text="Null when the poll is not public (any more)."
    )
    poll_title = serializers.CharField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    channel = serializers.CharField()
    ledger = LedgerPlaceSerializer(
        allow_null=True,
        help_text="The entry's position and hash; null for a secret ballot, whose place in the "
        "published ledger would show its choice.",
    )


class LedgerEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text='"ballot", or "close" for the last entry of a seal.')
    previous_hash = serializers.CharField()
    hash = serializers.CharField()
    payload = serializers.CharField(
        allow_null=True,
        help_text="The canonical JSON text exactly as hashed; null for a secret poll until it "
        "is sealed (the payloads hold the choices).",
    )


class LedgerSerializer(serializers.Serializer):
    poll = serializers.IntegerField()
    title = serializers.CharField()
    secret = serializers.BooleanField()
    sealed_at = serializers.DateTimeField(allow_null=True)
    head = serializers.CharField(help_text="Hash of the last entry (the seal, once sealed).")
    payloads_withheld = serializers.BooleanField(
        help_text="True for a secret poll not yet sealed: positions and hashes only."
    )
    entries = LedgerEntrySerializer(many=True)


class MyBallotSerializer(serializers.Serializer):
    poll = serializers.IntegerField()
    poll_title = serializers.CharField()
    receipt = serializers.CharField(help_text="Empty for a secret ballot cast before receipts.")
    cast_at = serializers.DateTimeField()
    channel = serializers.CharField(help_text="“online” or “paper”.")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    verified = serializers.BooleanField()
    household = serializers.CharField(allow_null=True)
