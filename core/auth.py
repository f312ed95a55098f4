"""Signing in under a lock: after repeated wrong passwords an account (or a network address) is
locked for a while, whatever password comes next — in the site's sign-in, the admin's and any
other path through ``django.contrib.auth.authenticate``.

Failures are counted from Django's ``user_login_failed`` signal; the backend refuses a locked
account before it looks at the password; the sign-in forms say so in words (``LockoutMixin``).
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from core import throttle


def _username(credentials: dict) -> str:
    return str(credentials.get("username") or "").strip().casefold()


def lock_of(username: str, request) -> tuple[str, object] | None:
    """``(scope, until)`` when this account or this address may not sign in now."""
    address = throttle.client_address(request) if request is not None else ""
    for scope, value in (("login-account", username), ("login-address", address)):
        if value:
            until = throttle.blocked(scope, value)
            if until:
                return scope, until
    return None


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and lock_of(_username({"username": username}), request):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="count-failed-sign-ins")
def count_failure(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    if not username or lock_of(username, request):
        return
    throttle.hit("login-account", username)
    if request is not None:
        throttle.hit("login-address", throttle.client_address(request))


class LockoutMixin:
    """For sign-in forms built on ``AuthenticationForm``: a locked account gets the lock's
    message (and ``locked`` set, for a 429) instead of "wrong user name or password"."""

    locked = False

    def clean(self):
        # A locked account fails to authenticate (LockoutBackend); only then is the lock looked
        # up again, to say so.
        try:
            return super().clean()
        except ValidationError:
            username = _username(self.cleaned_data)
            lock = lock_of(username, self.request) if username else None
            if lock is None:
                raise
        self.locked = True
        raise ValidationError(throttle.refusal(*lock).message, code="locked")
