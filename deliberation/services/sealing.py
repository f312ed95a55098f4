"""Closing and sealing a poll: the end of its voting, for good.

A poll closes at its announced time (``closes_at``, never moved). ``seal_poll`` — the periodic
``seal_polls`` and a moderator's "seal" alike — acts only once that time has come. Closing
earlier is its own, two-person action: a moderator asks with a reason
(``request_early_close``), another staff account confirms within
``EarlyClose.CONFIRM_WITHIN_HOURS`` (``confirm_early_close``), and only then is the poll sealed.
An unconfirmed request changes nothing and lapses.

The tally is decided once, here, under the poll's rule, and stored on the poll with the head
hash and length of its ledger. The ledger's last entry (kind ``close``) records the announced
and actual close, who sealed and any early close, so the seal covers them too. Sealing is
idempotent: a second call returns the sealed poll unchanged.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Refused
from deliberation import ledger
from deliberation.models import EarlyClose, Poll
from deliberation.permissions import can_seal
from deliberation.tally import Seal, tally_poll

REASON_MAX_LENGTH = 500


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _seal(poll: Poll, by, early_close: EarlyClose | None, now) -> Poll:
    """Seal the locked, unsealed ``poll`` at ``now``: tally, closing entry, seal."""
    counts = tally_poll(poll)
    poll.sealed_at = now
    poll.sealed_by = by
    ledger.append_close(poll, early_close)
    poll.ledger_head, poll.ledger_length = ledger.head(poll)
    counts.seal = Seal(head=poll.ledger_head, entries=poll.ledger_length)
    poll.result = counts.as_dict()
    poll.save(update_fields=["result", "sealed_at", "sealed_by", "ledger_head", "ledger_length"])
    return poll


def _NOT_APPROVED() -> str:
    return _("This poll has not been approved: residents have not voted in it.")


def seal_poll(poll: Poll, by: AbstractBaseUser | None = None) -> Poll:
    """Seal ``poll`` once its announced close has come, recording its result under its rule
    and who sealed it (``by``; None for the scheduled task). Idempotent. Before the close it
    refuses (409): closing early needs ``request_early_close`` and a second person."""
    if by is not None and not can_seal(by):
        raise Refused(_("Only moderators can seal a poll."), 403)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.sealed_at is not None:
            return poll
        if not poll.live:
            raise Refused(_NOT_APPROVED(), 409)
        now = timezone.now()
        if now < poll.closes_at:
            raise Refused(
                _(
                    "This poll closes at %(time)s as announced and can be sealed only then. To "
                    "close it earlier, ask for an early close, which another staff member "
                    "confirms."
                )
                % {"time": _local(poll.closes_at)},
                409,
            )
        return _seal(poll, by, None, now)


def pending_early_close(poll: Poll) -> EarlyClose | None:
    """The request to close ``poll`` early that is waiting for its confirmation, if any."""
    since = timezone.now() - timedelta(hours=EarlyClose.CONFIRM_WITHIN_HOURS)
    return (
        EarlyClose.objects.filter(poll=poll, confirmed_at__isnull=True, requested_at__gt=since)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )


def request_early_close(poll: Poll, user: AbstractBaseUser, reason: str) -> EarlyClose:
    """A moderator asks to close an open ``poll`` before its announced time, saying why.
    Nothing changes until another staff member confirms (``confirm_early_close``)."""
    if not can_seal(user):
        raise Refused(_("Only moderators can ask to close a poll early."), 403)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the poll should close early: residents will read it."), 400)
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(
            _("Keep the reason within %(max)s characters.") % {"max": REASON_MAX_LENGTH}, 400
        )
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if not poll.live:
            raise Refused(_NOT_APPROVED(), 409)
        if not poll.is_open:
            raise Refused(_("Only an open poll can be closed early."), 409)
        if pending_early_close(poll) is not None:
            raise Refused(
                _("An early close of this poll is already waiting for confirmation."), 409
            )
        return EarlyClose.objects.create(poll=poll, reason=reason, requested_by=user)


def confirm_early_close(early_close: EarlyClose, user: AbstractBaseUser) -> Poll:
    """A second staff member (not the one who asked) confirms an early close within
    ``EarlyClose.CONFIRM_WITHIN_HOURS`` of the request: the poll is sealed now, by them, and
    the request is recorded in its closing entry. Two confirmations at once seal it once."""
    if not (can_seal(user) or user.is_superuser):
        raise Refused(_("Only moderators and administrators can confirm an early close."), 403)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=early_close.poll_id)
        early_close = EarlyClose.objects.select_for_update().get(pk=early_close.pk)
        if early_close.requested_by_id == user.pk:
            raise Refused(
                _(
                    "You asked for this early close yourself: another moderator or an "
                    "administrator must confirm it."
                ),
                403,
            )
        if early_close.confirmed_at is not None:
            raise Refused(_("This early close has already been confirmed."), 409)
        now = timezone.now()
        if now >= early_close.expires_at:
            raise Refused(
                _(
                    "This request has lapsed: it was not confirmed within %(hours)s hours. Ask "
                    "again if the poll must still close early."
                )
                % {"hours": EarlyClose.CONFIRM_WITHIN_HOURS},
                409,
            )
        if poll.sealed_at is not None or now >= poll.closes_at:
            raise Refused(
                _("The poll is no longer open: it closes on its own, nothing to confirm."), 409
            )
        early_close.confirmed_by = user
        early_close.confirmed_at = now
        early_close.save(update_fields=["confirmed_by", "confirmed_at"])
        return _seal(poll, user, early_close, now)
