"""Every change to activity sign-ups goes through here.

``sign_up`` and ``cancel_sign_up`` each run in one transaction. The activity's row is locked
first (PostgreSQL; SQLite's IMMEDIATE transactions already let one writer in at a time), so
seats are counted while nobody else can take one; the database's unique constraints on the
seat and on one active sign-up per user are the last line of defence if anything slips past.
"""

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from core import throttle
from core.exceptions import Refused
from news.models import ActivityPage, SignUp, SignUpStatus


class SignUpRefused(Refused):
    """A sign-up or cancellation that cannot be done, with the reason to show the resident."""


def _lock(activity: ActivityPage) -> None:
    Page.objects.select_for_update().filter(pk=activity.pk).values_list("pk", flat=True).first()


def _free_seat(activity: ActivityPage) -> int | None:
    taken = set(
        activity.signups.filter(status=SignUpStatus.CONFIRMED).values_list("seat", flat=True)
    )
    if activity.capacity is None:
        return max(taken, default=0) + 1
    return next((seat for seat in range(1, activity.capacity + 1) if seat not in taken), None)


def sign_up(activity: ActivityPage, user: AbstractUser) -> SignUp:
    """Sign ``user`` up: a confirmed place if one is free, else a place on the waiting list."""
    if not user.is_authenticated:
        raise SignUpRefused(_("Please sign in to sign up."), status=403)
    throttle.check("signup", user.pk)
    state = activity.signup_window_state()
    if state == "disabled":
        raise SignUpRefused(_("This activity takes no sign-ups: just come along."), status=400)
    if state == "not_yet":
        opens = timezone.localtime(activity.signup_opens).strftime("%Y-%m-%d %H:%M")
        raise SignUpRefused(_("Sign-up opens at %(time)s.") % {"time": opens})
    if state == "closed":
        raise SignUpRefused(_("Sign-up for this activity has closed."))
    try:
        with transaction.atomic():
            _lock(activity)
            if activity.signups.active().filter(user=user).exists():
                raise SignUpRefused(_("You have already signed up for this activity."))
            seat = _free_seat(activity)
            return SignUp.objects.create(
                activity=activity,
                user=user,
                seat=seat,
                status=SignUpStatus.CONFIRMED if seat else SignUpStatus.WAITING,
            )
    except IntegrityError:
        # Only reachable when two requests from the same user race past the lock.
        raise SignUpRefused(_("You have already signed up for this activity.")) from None


def cancel_sign_up(activity: ActivityPage, user: AbstractUser) -> SignUp:
    """Cancel ``user``'s sign-up; a freed place goes to the first person waiting."""
    with transaction.atomic():
        _lock(activity)
        signup = activity.signups.active().filter(user=user).first()
        if signup is None:
            raise SignUpRefused(_("You have not signed up for this activity."))
        if activity.start <= timezone.now():
            raise SignUpRefused(_("The activity has started; it can no longer be cancelled."))
        freed_seat = signup.seat
        signup.status, signup.seat, signup.cancelled_at = (
            SignUpStatus.CANCELLED,
            None,
            timezone.now(),
        )
        signup.save(update_fields=["status", "seat", "cancelled_at"])
        if freed_seat is not None:
            first_waiting = activity.signups.waiting_in_order().first()
            if first_waiting is not None:
                first_waiting.status, first_waiting.seat = SignUpStatus.CONFIRMED, freed_seat
                first_waiting.save(update_fields=["status", "seat"])
        return signup
