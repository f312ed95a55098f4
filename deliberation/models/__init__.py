"""The 议事厅's data (re-exported here so ``deliberation.models.X`` keeps working)."""

from deliberation.models.comments import (
    CommentModeration,
    CommentStatus,
    HidingReason,
    SensitiveWord,
    Stance,
    StanceComment,
)
from deliberation.models.ledger import LedgerEntry
from deliberation.models.participation import (
    ProgressUpdate,
    SatisfactionRating,
    SuggestionStatus,
    TopicSuggestion,
)
from deliberation.models.polls import (
    Ballot,
    BallotChoice,
    Channel,
    Choice,
    Eligibility,
    Participation,
    Poll,
    PollQuerySet,
    PollStatus,
    Rule,
    VotingUnit,
    Weighting,
)
from deliberation.models.proposals import (
    DeliberationIndexPage,
    ProposalPage,
    ProposalPageQuerySet,
    ProposalStage,
    StageTransition,
)

__all__ = [
    "Ballot",
    "BallotChoice",
    "Channel",
    "Choice",
    "CommentModeration",
    "CommentStatus",
    "DeliberationIndexPage",
    "Eligibility",
    "HidingReason",
    "LedgerEntry",
    "Participation",
    "Poll",
    "ProgressUpdate",
    "PollQuerySet",
    "PollStatus",
    "ProposalPage",
    "ProposalPageQuerySet",
    "ProposalStage",
    "Rule",
    "SatisfactionRating",
    "SensitiveWord",
    "Stance",
    "StanceComment",
    "StageTransition",
    "SuggestionStatus",
    "TopicSuggestion",
    "VotingUnit",
    "Weighting",
]
