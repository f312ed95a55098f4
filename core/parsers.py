"""The API's JSON parser: refuses, with a 400 and a Chinese detail, what the standard parser
would choke on — bodies nested deeper than ``MAX_JSON_DEPTH`` (Python's ``json`` recurses once
per level: 5,000 nested arrays end in ``RecursionError``, a 500), numbers too large for a float
(``1e400`` is infinity, which ``int()`` cannot take), and lone surrogates (``"\\ud800"``, which
no database stores)."""

import json
import math
import re

from django.utils.translation import gettext as _

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant

MAX_JSON_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """How deeply ``raw`` nests arrays and objects, brackets inside strings not counted. It
    scans without parsing, so it cannot recurse."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


class SafeJSONParser(JSONParser):
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth(raw) > self.max_depth:
            raise ParseError(
                _("The JSON is nested too deeply (at most %(limit)s levels).")
                % {"limit": self.max_depth}
            )
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            data = json.loads(
                raw.decode(encoding),
                parse_constant=strict_constant if api_settings.STRICT_JSON else None,
                parse_float=_finite_float,
            )
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # no lone surrogates
        except (ValueError, LookupError, RecursionError):
            raise ParseError(_("The request body is not valid JSON.")) from None
        return data
