"""The domain core: posts, cases and their pure transitions. No I/O, nothing of ours below it.

Lifecycle::

    received --draft--> drafted --approve--> approved --start_publish--> publishing --posted--> posted
       |                 |   ^                   ^                           |
       |                 |   +-------edit--------+---- failed (retryable) ---+
       +-----reject------+---------------------------------------------------+--> rejected
                                                 failed (final) --edit/approve--> ...

The values live in :mod:`bot.domain.model`, the state changes in :mod:`bot.domain.transitions`;
both are re-exported here so callers write ``from bot.domain import Case, approve``.
"""

from bot.domain.model import (
    Activity,
    Author,
    Case,
    Draft,
    Failure,
    Network,
    Post,
    Reply,
    Sentiment,
    Similar,
    SlackRefs,
    State,
    TransitionError,
    Triage,
    Turn,
    Urgency,
    case_from_json,
    case_id_for,
    case_to_json,
    now,
    open_case,
)
from bot.domain.transitions import (
    approve,
    claim,
    edit,
    mark_failed,
    mark_posted,
    regenerate,
    reject,
    remind,
    slack_message_gone,
    slack_part_posted,
    start_editing,
    start_publish,
    stop_editing,
    undo,
    with_draft,
    with_slack,
)

__all__ = [
    "Activity",
    "Author",
    "Case",
    "Draft",
    "Failure",
    "Network",
    "Post",
    "Reply",
    "Sentiment",
    "Similar",
    "SlackRefs",
    "State",
    "TransitionError",
    "Triage",
    "Turn",
    "Urgency",
    "approve",
    "case_from_json",
    "case_id_for",
    "case_to_json",
    "claim",
    "edit",
    "mark_failed",
    "mark_posted",
    "now",
    "open_case",
    "regenerate",
    "reject",
    "remind",
    "slack_message_gone",
    "slack_part_posted",
    "start_editing",
    "start_publish",
    "stop_editing",
    "undo",
    "with_draft",
    "with_slack",
]
