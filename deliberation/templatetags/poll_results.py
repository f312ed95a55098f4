"""``{{ poll.result|outcome_in_words }}``: a sealed result worded as what it is (passed, not
passed, chosen, tied, no quorum), the same words as the proposal page and the archive."""

from django import template

from deliberation import tally

register = template.Library()


@register.filter
def outcome_in_words(result) -> str:
    return tally.outcome_in_words(result)
