"""Every ballot is written here, and nowhere else; and the receipt each voter gets.

``cast_ballot`` (online) and ``enter_paper_ballot`` (staff, from a sheet) check the window, the
voter's eligibility and the choices, then write the participation and the ballot in one
transaction, with its ledger entry. The unique constraint on (poll, voting unit) is what stops a
second ballot — also two arriving at the same instant, also an online and a paper one from the
same household — so there is no check-then-insert to race. Refusals are ``BallotRefused`` with a
Chinese message and the HTTP status the API answers with. ``check_ballot`` runs the same checks
without writing, for the confirmation page.

Who may vote is ``deliberation.permissions``' to say: residents, households or owners, within the
poll's scope. Several owners of one flat share its voting unit (``household:<id>``), so the
unique constraint leaves them one ballot between them.

Receipts. Each participation gets a random ``receipt_nonce``; the receipt is derived from it and
the participation's id with the site's ``SECRET_KEY`` (``receipt_for``, an HMAC), and stored on
the ballot. For a secret ballot the participation and the ballot are not linked by any key or
receipt, and nothing the application shows joins them: no page, export or API answer (a secret
ballot's receipt does not even give its place in the ledger). The database itself is another
matter, said plainly: participations and ledger entries are written in the same order, so
whoever can read the raw tables can line them up; and with the secret key the site derives the
voter's own receipt again to show it to them (the poll box, "我的投票"). The secrecy of a secret
ballot against the site's operators rests on who may read the database and the key, not on
mathematics. Participations written before
receipts were derived carry no nonce: an open ballot still shows the receipt stored on it, a
secret one has none to show.
"""

import secrets
from collections.abc import Sequence

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
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
    can_vote_for,
    in_scope,
    resident_in_scope,
    scope_in_words,
    vote_refusal,
    voting_households,
)

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12  # 60 bits: unguessable, and short enough to read out


class BallotRefused(Refused):
    """A ballot that cannot be accepted."""


RECEIPT_SALT = "deliberation.receipt"


def _formatted(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def new_receipt() -> str:
    """A fresh random receipt code, ``XXXX-XXXX-XXXX`` (for rows written outside ``_write``)."""
    return _formatted("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH)))


def new_receipt_nonce() -> str:
    return secrets.token_hex(16)


def receipt_for(participation: Participation) -> str:
    """The receipt of ``participation``'s ballot, derived with the site's secret key from its id
    and nonce (60 bits of an HMAC in Crockford's alphabet); empty when it has no nonce."""
    if not participation.receipt_nonce or participation.pk is None:
        return ""
    digest = salted_hmac(
        RECEIPT_SALT,
        f"{participation.pk}:{participation.receipt_nonce}",
        algorithm="sha256",
    ).digest()
    bits = int.from_bytes(digest[:8], "big") >> (64 - 5 * RECEIPT_LENGTH)
    code = "".join(
        RECEIPT_ALPHABET[(bits >> (5 * place)) & 31] for place in reversed(range(RECEIPT_LENGTH))
    )
    return _formatted(code)


def participation_receipt(participation: Participation, poll: Poll) -> str:
    """The receipt to show the voter of ``participation`` again: derived when it can be; for a
    participation from before, an open ballot's stored receipt, and none for a secret one."""
    if participation.receipt_nonce:
        return receipt_for(participation)
    if poll.secret:
        return ""
    ballot = Ballot.objects.filter(participation=participation).only("receipt").first()
    return ballot.receipt if ballot is not None else ""


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


def _already_voted(poll: Poll) -> str:
    if poll.unit == VotingUnit.HOUSEHOLD:
        return _("Your household has already voted in this poll.")
    return _("You have already voted in this poll.")


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
            # One ballot at a time per poll, so ledger positions follow each other; and the
            # window is checked again under the lock, against the poll as it is now: a seal
            # (or a confirmed early close) that came first ends the voting for this ballot too.
            locked = Poll.objects.select_for_update().get(pk=poll.pk)
            _check_published(locked)
            _check_window(locked)
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
                receipt_nonce=new_receipt_nonce(),
            )
            ballot = Ballot.objects.create(
                poll=poll,
                participation=None if poll.secret else participation,
                receipt=receipt_for(participation),
                weight=weight,
                owner_key="" if poll.secret else owner_key,
                channel=channel,
            )
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, choice_id=choice_id) for choice_id in choice_ids
            )
            ledger.append(poll, ballot, choice_ids)
    except IntegrityError:
        raise BallotRefused(_already_voted(poll), 409) from None
    return ballot


def _online(
    poll: Poll, user: AbstractUser, choice_ids: object, household: Household | None
) -> tuple[list[int], Household | None]:
    """Every check of an online ballot before it is written: the poll approved, the window, the
    voter's right to vote (the poll's voters and scope), the choices, and the flat it is cast
    for."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please sign in to vote."), 401)
    _check_published(poll)
    _check_window(poll)
    refusal = vote_refusal(user, poll)
    if refusal is not None:
        raise BallotRefused(*refusal)
    choice_ids = _check_choices(poll, choice_ids)
    if poll.unit == VotingUnit.HOUSEHOLD:
        if household is None:
            mine = voting_households(user, poll)
            voted = set(
                poll.participations.filter(household__in=mine).values_list("household", flat=True)
            )
            household = next((h for h in mine if h.pk not in voted), mine[0])
        elif not can_vote_for(user, household, poll):
            raise BallotRefused(_household_refusal(user, household, poll), 403)
    return choice_ids, household


def _household_refusal(user: AbstractUser, household: Household, poll: Poll) -> str:
    if household not in voting_households(user):
        return _("You can only vote for a household you live in.")
    if not in_scope(poll, household):
        return _("That household is outside this poll's scope (%(scope)s).") % {
            "scope": scope_in_words(poll)
        }
    return _("Only owners take part in this vote.")


def check_ballot(
    poll: Poll,
    user: AbstractUser,
    choice_ids: Sequence[int],
    household: Household | None = None,
) -> list[int]:
    """What ``cast_ballot`` would refuse, without casting anything (for the confirmation page):
    the checked choices, or ``BallotRefused``; also when the voting unit has voted already."""
    choice_ids, household = _online(poll, user, choice_ids, household)
    voter_key, _household = _unit(poll, user, household)
    if poll.participations.filter(voter_key=voter_key).exists():
        raise BallotRefused(_already_voted(poll), 409)
    return choice_ids


def cast_ballot(
    poll: Poll,
    user: AbstractUser,
    choice_ids: Sequence[int],
    household: Household | None = None,
) -> Ballot:
    """An online ballot from ``user`` (for their household, on a household or owners' poll)."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please sign in to vote."), 401)
    throttle.check("ballot", user.pk)
    choice_ids, household = _online(poll, user, choice_ids, household)
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
    if poll.unit == VotingUnit.HOUSEHOLD and not in_scope(poll, household):
        raise BallotRefused(
            _("That household is outside this poll's scope (%(scope)s).")
            % {"scope": scope_in_words(poll)},
            403,
        )
    if poll.unit == VotingUnit.PERSON and not resident_in_scope(user, poll):
        raise BallotRefused(
            _("That resident does not live within this poll's scope (%(scope)s).")
            % {"scope": scope_in_words(poll)},
            403,
        )
    if poll.unit == VotingUnit.PERSON:
        # On paper as online: only someone who may vote in this poll (a verified resident,
        # unless the poll is open to anyone signed in) has a ballot to be entered for them.
        refusal = vote_refusal(user, poll)
        if refusal is not None:
            raise BallotRefused(
                _("%(name)s cannot vote in this poll: %(reason)s")
                % {"name": user.public_name, "reason": refusal[0]},
                403,
            )
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
