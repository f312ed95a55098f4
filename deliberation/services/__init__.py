"""Every state change of the 议事厅, one function per verb, by area:

- ``ballots``: ``cast_ballot`` (online; ``check_ballot`` to confirm first), ``enter_paper_ballot``
  (staff, from a sheet), receipts (``receipt_for``);
- ``sealing``: ``seal_poll`` (once due), ``request_early_close`` and ``confirm_early_close``
  (two people, before the announced close);
- ``comments``: ``post_comment``, ``flag_comment``, ``moderate_comment``, ``stop_followups``;
- ``participation``: ``rate_proposal``, ``suggest_topic``.

Each checks who may act with ``deliberation.permissions``, writes in one transaction with the
database's constraints as the last line of defence, and refuses with a ``core.exceptions.Refused``
carrying a Chinese message and the HTTP status to answer with. Reads live in
``deliberation.queries``. The names are re-exported here: ``from deliberation.services import
cast_ballot``.
"""

from deliberation.services.ballots import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    BallotRefused,
    cast_ballot,
    check_ballot,
    enter_paper_ballot,
    new_receipt,
    normalise_receipt,
    participation_receipt,
    receipt_for,
)
from deliberation.services.comments import (
    DUPLICATE_COMMENT_WINDOW,
    flag_comment,
    moderate_comment,
    post_comment,
    stop_followups,
)
from deliberation.services.participation import rate_proposal, suggest_topic
from deliberation.services.sealing import (
    confirm_early_close,
    pending_early_close,
    request_early_close,
    seal_poll,
)

__all__ = [
    "DUPLICATE_COMMENT_WINDOW",
    "RECEIPT_ALPHABET",
    "RECEIPT_LENGTH",
    "BallotRefused",
    "cast_ballot",
    "confirm_early_close",
    "check_ballot",
    "enter_paper_ballot",
    "flag_comment",
    "moderate_comment",
    "new_receipt",
    "normalise_receipt",
    "pending_early_close",
    "post_comment",
    "rate_proposal",
    "participation_receipt",
    "receipt_for",
    "request_early_close",
    "seal_poll",
    "stop_followups",
    "suggest_topic",
]
