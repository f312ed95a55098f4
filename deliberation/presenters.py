"""What the proposal page shows of its polls: state, turnout, counts when they may be shown,
the rule in words and the visitor's own ballot. Kept out of templates so they stay dumb."""

from dataclasses import dataclass

from deliberation.models import Poll
from deliberation.permissions import can_see_choice_counts, can_vote
from deliberation.tally import rule_in_words, shown_counts


@dataclass
class ChoiceRow:
    id: int
    label: str
    count: int | None
    percent: float | None


@dataclass
class PollView:
    poll: Poll
    rule_text: str
    ballots: int
    eligible: int
    turnout_percent: float
    rows: list[ChoiceRow]
    counts_visible: bool
    outcome: str | None
    mine: dict | None
    may_vote: bool


def polls_for_display(polls, request) -> list[PollView]:
    from deliberation.services import my_participation

    user = request.user
    views = []
    for poll in polls.prefetch_related("choices"):
        choices = sorted(poll.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))
        result = shown_counts(poll)
        visible = can_see_choice_counts(user, poll)
        by_id = {c["id"]: c for c in result["choices"]}
        rows = [
            ChoiceRow(
                id=choice.pk,
                label=choice.label,
                count=by_id.get(choice.pk, {}).get("count") if visible else None,
                percent=round(by_id.get(choice.pk, {}).get("share", 0) * 100, 1)
                if visible
                else None,
            )
            for choice in choices
        ]
        views.append(
            PollView(
                poll=poll,
                rule_text=rule_in_words(
                    poll.rule, choices[0].label if choices else "", poll.quorum_percent
                ),
                ballots=result["participants"]["count"],
                eligible=result["eligible"]["count"],
                turnout_percent=round(result["turnout"] * 100, 1),
                rows=rows,
                counts_visible=visible,
                outcome=result.get("outcome") if poll.sealed_at else None,
                mine=my_participation(poll, user) if user.is_authenticated else None,
                may_vote=poll.is_open and can_vote(user, poll),
            )
        )
    return views
