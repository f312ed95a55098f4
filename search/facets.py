"""What the apps above tell the archive about their facets, so that search names no page type.

- ``register_values(facet, choices)``: the values a facet may take and their labels (the
  议事厅 registers its proposal stages under ``"stage"`` and the outcomes of sealed polls —
  passed, not passed, chosen, tied, no quorum — under ``"result"``);
- ``register_listing_note(function)``: ``function(documents)`` may add attributes to the
  documents of an archive listing before it is shown (the 议事厅 adds the sealed ledger heads
  of proposals as ``document.seals``).

Both are called from the registering app's ``AppConfig.ready()``.
"""

from collections.abc import Callable, Iterable

_values: dict[str, dict[str, object]] = {}
_listing_notes: list[Callable[[list], None]] = []


def register_values(facet: str, choices: Iterable[tuple[str, object]]) -> None:
    _values.setdefault(facet, {}).update(choices)


def is_known(facet: str, value: str) -> bool:
    return value in _values.get(facet, {})


def label(facet: str, value: str) -> str:
    return str(_values.get(facet, {}).get(value, value))


def register_listing_note(function: Callable[[list], None]) -> None:
    if function not in _listing_notes:
        _listing_notes.append(function)


def note_listing(documents: list) -> None:
    for function in _listing_notes:
        function(documents)
