"""Integers from requests, parsed one way everywhere.

``str.isdigit`` accepts "²" and full-width digits ("１２") and ``int`` accepts spaces,
underscores and numbers far beyond what the database stores: a view that trusts them answers
a crafted query string with a 500. ``request_int`` takes ASCII digits only (an optional minus
sign), bounded to the database's integer range; anything else is "not given" (``None``).
``IdConverter`` (registered as ``<id:...>`` by ``core.apps``) does the same for ids in URLs:
an id that cannot exist simply does not match, which is a 404.
"""

import re

# The largest value a 64-bit database integer (PostgreSQL bigint, SQLite INTEGER) holds.
MAX_DB_INT = 2**63 - 1
MIN_DB_INT = -(2**63)

_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)


def request_int(value, *, minimum: int | None = None, maximum: int = MAX_DB_INT) -> int | None:
    """``value`` (a query-string or form value, or anything) as an integer in
    ``minimum``..``maximum``, or ``None`` when it is missing, not plain ASCII digits, or out of
    range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value):
        number = int(value)
    else:
        return None
    low = MIN_DB_INT if minimum is None else max(minimum, MIN_DB_INT)
    if not low <= number <= min(maximum, MAX_DB_INT):
        return None
    return number


class IdConverter:
    """``<id:pk>``: a database id in a URL (1 to 2^63 - 1, ASCII digits). Longer numbers do not
    match the pattern; one that matches but is too large fails ``to_python``, so the address
    resolves to nothing (404) rather than to a query the database cannot run."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = request_int(value, minimum=1)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)
