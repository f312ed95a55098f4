"""JSON shapes of the 议事厅 API (see deliberation.api for the endpoints)."""

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


class PollDetailSerializer(PollSerializer):
    tally = serializers.SerializerMethodField()
    my_ballot = serializers.SerializerMethodField()

    class Meta(PollSerializer.Meta):
        fields = [*PollSerializer.Meta.fields, "secret", "max_choices", "tally", "my_ballot"]

    def get_tally(self, poll: Poll) -> dict | None:
        """The count per choice, when it may be shown: always for open ballots, after sealing
        for secret ones. Turnout is public either way."""
        request = self.context["request"]
        result = shown_counts(poll)
        if not can_see_choice_counts(request.user, poll):
            result = {key: result[key] for key in ("eligible", "participants", "turnout")}
        return result

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
    poll = serializers.IntegerField(
        allow_null=True, help_text="Null when the poll is not public (any more)."
    )
    poll_title = serializers.CharField(allow_null=True)
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
