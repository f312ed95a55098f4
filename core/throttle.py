"""Limits on how often one person (or one address) may do something: wrong passwords, ballots,
comments, sign-ups, topic suggestions, new accounts.

Counts live in the database (``core.models.Throttle``), so every worker process of a deployment
sees the same ones, with or without Redis. Each (scope, key) has one row: a window that starts
with the first hit, and once the limit is reached a ``blocked_until`` — the whole period from
the hit that crossed it, so an account locked by wrong passwords stays locked even when the right
one follows. Keys are keyed hashes: the table never holds a user name or an address.

Limits come from ``LIMITS`` and may be changed per deployment with the ``THROTTLE_LIMITS``
setting, e.g. ``{"comment": (10, 600)}``.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import Refused


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int
    message: str


LIMITS = {
    "login-account": Limit(5, 15 * 60, _("Too many wrong passwords for this account. It is locked for %(minutes)s minutes; try again later or ask the community office to reset the password.")),  # noqa: E501
    "login-address": Limit(30, 15 * 60, _("Too many wrong passwords from this network. Please try again in %(minutes)s minutes.")),  # noqa: E501
    "account": Limit(10, 60 * 60, _("Too many new accounts from this network. Please try again in %(minutes)s minutes.")),  # noqa: E501
    "ballot": Limit(30, 10 * 60, _("Too many voting attempts in a short time. Please wait %(minutes)s minutes.")),  # noqa: E501
    "comment": Limit(10, 10 * 60, _("You are commenting very fast. Please wait %(minutes)s minutes before the next comment.")),  # noqa: E501
    "signup": Limit(20, 60 * 60, _("Too many sign-ups in a short time. Please wait %(minutes)s minutes.")),  # noqa: E501
    "suggestion": Limit(5, 60 * 60, _("You have suggested several topics already. Please wait %(minutes)s minutes.")),  # noqa: E501
}  # fmt: skip


def limit(scope: str) -> Limit:
    base = LIMITS[scope]
    override = getattr(settings, "THROTTLE_LIMITS", {}).get(scope)
    return Limit(override[0], override[1], base.message) if override else base


def hashed(scope: str, value) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or the first hop of X-Forwarded-For when the site is
    told (``TRUSTED_PROXY_COUNT``) that many proxies in front of it set that header."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def refusal(scope: str, until) -> Refused:
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return Refused(str(limit(scope).message) % {"minutes": minutes}, status=429)


def blocked(scope: str, value):
    """When ``value`` may act again in ``scope``, or None if it may act now."""
    from core.models import Throttle

    until = (
        Throttle.objects.filter(scope=scope, key=hashed(scope, value))
        .values_list("blocked_until", flat=True)
        .first()
    )
    return until if until and until > timezone.now() else None


def hit(scope: str, value) -> None:
    """Count one attempt; at the limit, block ``value`` for the scope's period."""
    from core.models import Throttle

    rule = limit(scope)
    now = timezone.now()
    key = hashed(scope, value)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = Throttle.objects.select_for_update().filter(scope=scope, key=key).first()
                if row is None:
                    row = Throttle.objects.create(scope=scope, key=key, started_at=now, hits=0)
                if row.started_at <= now - timedelta(seconds=rule.seconds):
                    row.started_at, row.hits = now, 0
                row.hits += 1
                if row.hits >= rule.hits:
                    row.blocked_until = now + timedelta(seconds=rule.seconds)
                    row.started_at, row.hits = now, 0
                row.save()
                return
        except IntegrityError:  # created by a simultaneous first hit: count on that row
            continue


def check(scope: str, value) -> None:
    """Refuse (429, in Chinese) while ``value`` is blocked in ``scope``; otherwise count this
    attempt."""
    until = blocked(scope, value)
    if until:
        raise refusal(scope, until)
    hit(scope, value)


def reset(scope: str, value) -> None:
    from core.models import Throttle

    Throttle.objects.filter(scope=scope, key=hashed(scope, value)).delete()
