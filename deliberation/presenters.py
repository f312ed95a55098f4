"""What the proposal page shows of its polls (state, turnout, counts when they may be shown, the
rule in words, the visitor's own ballot) and of its discussion. Kept out of templates so they
stay dumb."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When, prefetch_related_objects
from django.utils.translation import gettext_lazy

from community.permissions import is_verified_resident
from core.numbers import request_int
from deliberation.forms import CommentForm
from deliberation.models import (
    BallotChoice,
    Channel,
    Choice,
    CommentModeration,
    Poll,
    PollKind,
    Stance,
    StanceComment,
    Weighting,
)
from deliberation.permissions import can_comment, can_see_choice_counts, vote_refusal
from deliberation.queries import my_participation
from deliberation.tally import (
    Electorate,
    electorate_in_words,
    in_order,
    live_counts_for,
    outcome_in_words,
    poll_rule_in_words,
    tests_of,
)


@dataclass
class ChoiceRow:
    """One option with its count (None when the count may not be shown yet): ballots, their
    share (of the ballots, or of the floor area when weighted), area, owners, and — for a choice
    or approval poll — its place in the ranking (tied options share a place)."""

    id: int
    label: str
    count: int | None
    percent: float | None
    online: int | None = None
    paper: int | None = None
    area: str = ""
    owners: int | None = None
    rank: int | None = None
    chosen: bool = False
    tied: bool = False


@dataclass
class CheckLine:
    """One of a Civil Code motion's four tests, as a line a resident can check by hand."""

    key: str
    label: str
    part: str
    whole: str
    unit: str
    requirement: str
    met: bool | None


TEST_LABELS = {
    "owners_participation": gettext_lazy("Owners who took part"),
    "area_participation": gettext_lazy("Floor area of the owners who took part"),
    "owners_agreement": gettext_lazy("Owners who chose %(motion)s"),
    "area_agreement": gettext_lazy("Floor area that chose %(motion)s"),
}
REQUIREMENTS = {
    ("2/3", False): gettext_lazy("must reach two thirds or more"),
    ("3/4", False): gettext_lazy("must reach three quarters or more"),
    ("1/2", True): gettext_lazy("must be more than half"),
    ("1/2", False): gettext_lazy("must reach half or more"),
}


def area(value) -> str:
    """Floor area as the register writes it: 1,191.00."""
    return f"{float(value or 0):,.2f}"


def civil_code_lines(result: dict, motion: str) -> list[CheckLine]:
    """The four tests as lines. While voting runs, agreement is not judged yet — neither by
    owners (each owner counts once, settled at sealing) nor, alike, by area."""
    lines = []
    decided = result.get("outcome") is not None
    for test in tests_of(result):
        met = test["met"] if decided or not test["key"].endswith("agreement") else None
        by_area = test["key"].startswith("area")
        lines.append(
            CheckLine(
                key=test["key"],
                label=str(TEST_LABELS[test["key"]]) % {"motion": motion},
                part="—"
                if test["part"] is None
                else area(test["part"])
                if by_area
                else str(test["part"]),
                whole=area(test["whole"]) if by_area else str(test["whole"]),
                unit="㎡" if by_area else "",
                requirement=str(REQUIREMENTS[test["threshold"], test["strictly"]]),
                met=met,
            )
        )
    return lines


def ranked(rows: list[ChoiceRow], result: dict) -> list[ChoiceRow]:
    """The rows of a choice or approval poll in the order of its ranking, each with its place
    (1, 2, 2, 4 …: equal counts share a place) and the chosen one marked."""
    weight = {c["id"]: c.get("weight", c.get("count", 0)) for c in result["choices"]}
    order = result.get("ranking") or sorted(
        (row.id for row in rows), key=lambda pk: -weight.get(pk, 0)
    )
    by_id = {row.id: row for row in rows}
    ordered = [by_id[pk] for pk in order if pk in by_id]
    tied = set(result.get("tied") or [])
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and weight.get(previous.id) == weight.get(row.id)
        row.rank = previous.rank if same else position
        row.chosen = row.id == result.get("winner")
        row.tied = row.id in tied
    return ordered


@dataclass
class PollView:
    poll: Poll
    rule_text: str
    ballots: int
    eligible: int
    turnout_percent: float
    rows: list[ChoiceRow]  # in the editor's order, as the form lists them
    counts_visible: bool
    outcome: str | None
    mine: dict | None
    may_vote: bool
    electorate_text: str = ""
    refusal: str = ""  # why a signed-in visitor may not vote, while the poll is open
    may_claim: bool = False  # refused for want of a verified flat: claim one
    outcome_words: str = ""
    result_rows: list[ChoiceRow] | None = None  # ranked for a choice or approval poll
    is_ranked: bool = False
    weighted: bool = False
    tests: list[CheckLine] | None = None
    online: int = 0
    paper: int = 0


def channel_counts(polls) -> dict[tuple[int, str], int]:
    """Ballots per (choice, channel) of sealed polls, in one query: online and paper are
    published apart."""
    if not polls:
        return {}
    rows = (
        BallotChoice.objects.filter(ballot__poll__in=polls)
        .values_list("choice_id", "ballot__channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(choice, channel): n for choice, channel, n in rows}


def polls_for_display(polls, request) -> list[PollView]:
    """The polls of a page with their choices and counts, in the same few queries whatever
    their number (polls, choices, the live counts of those still unsealed, the channels of
    those sealed); a signed-in visitor's own ballot is then looked up poll by poll."""
    user = request.user
    polls = list(polls)
    prefetch_related_objects(polls, "scope__building")
    choices: dict[int, list] = {poll.pk: [] for poll in polls}
    for choice in sorted(Choice.objects.filter(poll__in=polls), key=in_order):
        choices[choice.poll_id].append(choice)
    live = live_counts_for([poll for poll in polls if not poll.sealed_at], choices)
    by_channel = channel_counts(
        [poll for poll in polls if poll.sealed_at and can_see_choice_counts(user, poll)]
    )
    views = []
    for poll in polls:
        result = poll.result if poll.sealed_at else live[poll.pk]
        ordered = choices[poll.pk]
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
                area=area(by_id.get(choice.pk, {}).get("weight")) if visible else "",
                owners=by_id.get(choice.pk, {}).get("owners") if visible else None,
            )
            for choice in ordered
        ]
        refusal = vote_refusal(user, poll) if poll.is_open else None
        if poll.sealed_at is not None and visible:
            for row in rows:
                row.online = by_channel.get((row.id, Channel.ONLINE), 0)
                row.paper = by_channel.get((row.id, Channel.PAPER), 0)
        kind = result.get("kind", poll.kind)
        is_ranked = kind in (PollKind.CHOICE, PollKind.APPROVAL)
        result_rows = None
        if visible:
            result_rows = (
                ranked([ChoiceRow(**vars(row)) for row in rows], result) if is_ranked else rows
            )
        labels = [choice.label for choice in ordered]
        views.append(
            PollView(
                poll=poll,
                rule_text=poll_rule_in_words(poll, ordered),
                ballots=result["participants"]["count"],
                eligible=result["eligible"]["count"],
                turnout_percent=round(result["turnout"] * 100, 1),
                rows=rows,
                counts_visible=visible,
                outcome=result.get("outcome") if poll.sealed_at else None,
                mine=my_participation(poll, user) if user.is_authenticated else None,
                may_vote=poll.is_open and refusal is None,
                refusal=refusal[0] if refusal and user.is_authenticated else "",
                may_claim=bool(refusal)
                and user.is_authenticated
                and not is_verified_resident(user),
                electorate_text=electorate_in_words(
                    poll,
                    Electorate(
                        count=result["eligible"]["count"],
                        area=Decimal(str(result["eligible"]["area"] or 0)),
                        owners=result["eligible"]["owners"] or 0,
                    ),
                ),
                outcome_words=outcome_in_words(result) if poll.sealed_at else "",
                result_rows=result_rows,
                is_ranked=is_ranked,
                weighted=poll.weighting == Weighting.FLOOR_AREA,
                tests=civil_code_lines(result, (labels or [""])[0]) if visible else None,
                online=result["participants"].get("online", 0),
                paper=result["participants"].get("paper", 0),
            )
        )
    return views


@dataclass
class StanceRow:
    stance: str
    label: str
    count: int
    percent: float


@dataclass
class DiscussionView:
    """The discussion under a proposal: stance counts, one page of threads with their replies,
    the form (or why there is none), and the public moderation log."""

    open: bool
    may_comment: bool
    premoderated: bool
    stances: list[StanceRow]
    total: int
    threads: object  # a paginator page of top-level comments, each with ``.replies``
    form: object
    moderation_log: list
    hidden_count: int


def discussion_for_display(proposal, request, form=None) -> DiscussionView:
    """A constant number of queries whatever the number of comments: one grouped count, one
    for a page of threads with their replies, and — only when something is hidden — the reasons
    and the moderation log."""
    user = request.user
    comments = StanceComment.objects.filter(proposal=proposal)
    visible = Q(is_public=True) | Q(is_removed=True)
    if user.is_authenticated:
        visible |= Q(user=user)  # your own comment awaiting review
    sums = _comment_sums(comments, user)
    total_top = sum(sums[value] for value in Stance.values)
    stances = [
        StanceRow(
            stance=value,
            label=label,
            count=sums[value],
            percent=round(sums[value] * 100 / total_top, 1) if total_top else 0,
        )
        for value, label in Stance.choices
    ]
    paginator = Paginator(
        comments.filter(visible, level=0).order_by("-submit_date", "-pk"),
        settings.COMMENTS_PER_PAGE,
    )
    paginator.count = sums["threads"]  # counted above with the rest, not in a query of its own
    threads = paginator.get_page(request_int(request.GET.get("comments"), minimum=1))
    # The page's threads and their replies in one query: the page is a subquery (its ids).
    replies: dict[int, list] = defaultdict(list)
    tops = []
    page_of_threads = (
        comments.for_display()
        .filter(visible, thread_id__in=threads.object_list.values("pk"))
        .order_by("thread_id", "order", "pk")
    )
    if sums["threads"]:  # none to show: no query
        for comment in page_of_threads:
            if comment.level == 0:
                tops.append(comment)
            else:
                replies[comment.thread_id].append(comment)
    tops.sort(key=lambda thread: (thread.submit_date, thread.pk), reverse=True)
    threads.object_list = tops
    shown = []
    for thread in tops:
        thread.replies = replies[thread.pk]
        shown += [thread, *thread.replies]
    log = []
    if sums["hidden"]:
        _add_hidden_reasons([comment for comment in shown if comment.is_removed])
        log = list(
            CommentModeration.objects.filter(
                proposal=proposal, action=CommentModeration.Action.HIDE
            )
            .order_by("-decided_at", "-pk")
            .only("decided_at", "reason")[:20]
        )
    may_comment = proposal.comments_open and can_comment(user)
    return DiscussionView(
        open=proposal.comments_open,
        may_comment=may_comment,
        premoderated=proposal.comments_premoderated,
        stances=stances,
        total=sums["total"],
        threads=threads,
        form=form or (CommentForm(proposal) if may_comment else None),
        moderation_log=log,
        hidden_count=sums["hidden"],
    )


def _comment_sums(comments, user) -> dict[str, int]:
    """Shown comments, hidden ones, threads the visitor sees and shown threads per stance, from
    one grouped count (a few rows whatever the number of comments)."""
    keys = ["stance", "is_public", "is_removed", "level"]
    if user.is_authenticated:
        comments = comments.annotate(
            mine=Case(When(user=user, then=Value(True)), default=Value(False))
        )
        keys.append("mine")
    sums = dict.fromkeys(["total", "hidden", "threads", *Stance.values], 0)
    for *group, n in comments.order_by().values_list(*keys).annotate(n=Count("pk")):
        stance, public, removed, level, *mine = group
        shown = public and not removed
        sums["total"] += n if shown else 0
        sums["hidden"] += n if removed else 0
        if level == 0 and (public or removed or any(mine)):
            sums["threads"] += n
        if level == 0 and shown and stance in sums:
            sums[stance] += n
    return sums


def _add_hidden_reasons(hidden) -> None:
    """The published reason of each hidden comment shown: its latest decision to hide it."""
    if not hidden:
        return
    reasons: dict[int, str] = {}
    for comment_id, reason in (
        CommentModeration.objects.filter(comment__in=hidden, action=CommentModeration.Action.HIDE)
        .order_by("comment_id", "decided_at", "pk")
        .values_list("comment_id", "reason")
    ):
        reasons[comment_id] = reason  # ordered oldest first: the latest wins
    for comment in hidden:
        comment.hidden_reason = reasons.get(comment.pk, "")
