"""Every ballot is written here, and nowhere else; and the receipt each voter gets.

``cast_ballot`` (online) and ``enter_paper_ballot`` (staff, from a sheet) check the window, the
voter's eligibility and the choices, then write the participation and the ballot in one
transaction, with its ledger entry. The unique constraint on (poll, voting unit) is what stops a
second ballot — also two arriving at the same instant, also an online and a paper one from the
same household — so there is no check-then-insert to race. Refusals are ``BallotRefused`` with a
Chinese message and the HTTP status the API answers with.
"""

import secrets
from collections.abc import Sequence

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Household
from core import throttle
from core.exceptions import Refused
from deliberation import ledger
from deliberation.models import (
    Ballot,
    BallotChoice,
    Channel,
    Participation,
    Poll,
    VotingUnit,
    Weighting,
)
from deliberation.permissions import (
    can_enter_paper_ballot,
    can_vote,
    can_vote_for,
    voting_households,
)

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12  # 60 bits: unguessable, and short enough to read out


class BallotRefused(Refused):
    """A ballot that cannot be accepted."""


def new_receipt() -> str:
    """A fresh receipt code, ``XXXX-XXXX-XXXX``: the unique constraint on it is the last word."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_receipt(code: str) -> str:
    """Accept a receipt however it was typed: lower case, no dashes, O for 0, I or L for 1."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != RECEIPT_LENGTH:
        return ""
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def _check_published(poll: Poll) -> None:
    """A draft poll (not yet approved), or one of an unpublished proposal, takes no ballot: to
    a voter it does not exist. (Who may see a restricted proposal is the views' gate,
    ``Poll.objects.visible_to``.)"""
    if not Poll.objects.of_live_proposals().filter(pk=poll.pk).exists():
        raise BallotRefused(_("There is no such poll."), 404)


def _check_window(poll: Poll) -> None:
    now = timezone.now()
    if poll.sealed_at is not None or now >= poll.closes_at:
        raise BallotRefused(_("Voting has closed; no more ballots are accepted."), 409)
    if now < poll.opens_at:
        opens = timezone.localtime(poll.opens_at).strftime("%Y-%m-%d %H:%M")
        raise BallotRefused(_("Voting opens at %(time)s.") % {"time": opens}, 409)


def _check_choices(poll: Poll, choice_ids: object) -> list[int]:
    if not isinstance(choice_ids, list | tuple) or not choice_ids:
        raise BallotRefused(_("Choose at least one option."), 400)
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in choice_ids):
        raise BallotRefused(_("The choices were not understood."), 400)
    if len(set(choice_ids)) != len(choice_ids):
        raise BallotRefused(_("The same option was chosen twice."), 400)
    if len(choice_ids) > poll.max_choices:
        raise BallotRefused(
            _("Choose at most %(count)s options.") % {"count": poll.max_choices}, 400
        )
    valid = set(poll.choices.values_list("pk", flat=True))
    if not set(choice_ids) <= valid:
        raise BallotRefused(_("That option is not part of this poll."), 400)
    return list(choice_ids)


def _unit(
    poll: Poll, user: AbstractUser | None, household: Household | None
) -> tuple[str, Household | None]:
    if poll.unit == VotingUnit.HOUSEHOLD:
        return f"household:{household.pk}", household
    return f"person:{user.pk}", household


def _write(
    poll: Poll,
    choice_ids: list[int],
    *,
    user: AbstractUser | None,
    household: Household | None,
    channel: Channel,
    entered_by: AbstractUser | None = None,
    sheet: str = "",
) -> Ballot:
    voter_key, household = _unit(poll, user, household)
    weight = household.floor_area if poll.weighting == Weighting.FLOOR_AREA else 1
    if weight is None:
        raise BallotRefused(
            _("This household has no registered floor area; ask the community office."), 409
        )
    owner_key = household.owner_key if household is not None else ""
    try:
        with transaction.atomic():
            # One ballot at a time per poll, so ledger positions follow each other.
            Poll.objects.select_for_update().filter(pk=poll.pk).first()
            participation = Participation.objects.create(
                poll=poll,
                voter_key=voter_key,
                user=user,
                household=household,
                weight=weight,
                owner_key=owner_key,
                channel=channel,
                entered_by=entered_by,
                paper_sheet=sheet,
            )
            ballot = Ballot.objects.create(
                poll=poll,
                participation=None if poll.secret else participation,
                receipt=new_receipt(),
                weight=weight,
                owner_key="" if poll.secret else owner_key,
                channel=channel,
            )
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, choice_id=choice_id) for choice_id in choice_ids
            )
            ledger.append(poll, ballot, choice_ids)
    except IntegrityError:
        if poll.unit == VotingUnit.HOUSEHOLD:
            message = _("Your household has already voted in this poll.")
        else:
            message = _("You have already voted in this poll.")
        raise BallotRefused(message, 409) from None
    return ballot


def cast_ballot(
    poll: Poll,
    user: AbstractUser,
    choice_ids: Sequence[int],
    household: Household | None = None,
) -> Ballot:
    """An online ballot from ``user`` (for their household, on a household poll)."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please sign in to vote."), 401)
    throttle.check("ballot", user.pk)
    _check_published(poll)
    _check_window(poll)
    if not can_vote(user, poll):
        if poll.unit == VotingUnit.HOUSEHOLD:
            raise BallotRefused(
                _("Only residents of a verified household can vote in this poll."), 403
            )
        raise BallotRefused(_("Only verified residents can vote in this poll."), 403)
    choice_ids = _check_choices(poll, choice_ids)
    if poll.unit == VotingUnit.HOUSEHOLD:
        if household is None:
            mine = voting_households(user)
            voted = set(
                poll.participations.filter(household__in=mine).values_list("household", flat=True)
            )
            household = next((h for h in mine if h.pk not in voted), mine[0])
        elif not can_vote_for(user, household):
            raise BallotRefused(_("You can only vote for a household you live in."), 403)
    return _write(poll, choice_ids, user=user, household=household, channel=Channel.ONLINE)


def enter_paper_ballot(
    poll: Poll,
    entered_by: AbstractUser,
    choice_ids: Sequence[int],
    *,
    sheet: str,
    user: AbstractUser | None = None,
    household: Household | None = None,
) -> Ballot:
    """A ballot from a meeting or a ballot box, entered by staff for a named voter or household."""
    if not can_enter_paper_ballot(entered_by):
        raise BallotRefused(_("Only moderators can enter paper ballots."), 403)
    if not sheet.strip():
        raise BallotRefused(_("Say which sheet the ballot comes from."), 400)
    _check_published(poll)
    _check_window(poll)
    if poll.unit == VotingUnit.HOUSEHOLD and household is None:
        raise BallotRefused(_("Name the household this ballot is for."), 400)
    if poll.unit == VotingUnit.PERSON and user is None:
        raise BallotRefused(_("Name the resident this ballot is for."), 400)
    choice_ids = _check_choices(poll, choice_ids)
    return _write(
        poll,
        choice_ids,
        user=user,
        household=household,
        channel=Channel.PAPER,
        entered_by=entered_by,
        sheet=sheet.strip(),
    )
