"""JSON shapes of the 议事厅 API (see deliberation.api for the endpoints)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliberation.models import Poll
from deliberation.permissions import can_see_choice_counts
from deliberation.queries import my_participation
from deliberation.tally import shown_counts


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class PollSerializer(serializers.ModelSerializer):
    proposal_url = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    ballots_cast = serializers.IntegerField(read_only=True)
    choices = ChoiceSerializer(many=True, read_only=True)

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
        ]

    def get_proposal_url(self, poll: Poll) -> str | None:
        if poll.proposal is None:
            return None
        request = self.context["request"]
        return request.build_absolute_uri(poll.proposal.get_url(request))


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


class BallotRequestSerializer(serializers.Serializer):
    choices = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    household = serializers.IntegerField(required=False)


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class LedgerPlaceSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    hash = serializers.CharField()


class ReceiptLookupSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    poll = serializers.IntegerField()
    poll_title = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    channel = serializers.CharField()
    ledger = LedgerPlaceSerializer(allow_null=True)


class LedgerEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    previous_hash = serializers.CharField()
    hash = serializers.CharField()
    payload = serializers.CharField(help_text="The canonical JSON text exactly as hashed.")


class LedgerSerializer(serializers.Serializer):
    poll = serializers.IntegerField()
    title = serializers.CharField()
    secret = serializers.BooleanField()
    sealed_at = serializers.DateTimeField(allow_null=True)
    head = serializers.CharField(help_text="Hash of the last entry (the seal, once sealed).")
    entries = LedgerEntrySerializer(many=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    verified = serializers.BooleanField()
    household = serializers.CharField(allow_null=True)
