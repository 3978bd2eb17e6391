"""Hiding a public comment (spam, abuse) on Facebook or Instagram, and showing it again.

Hide closes the case (rejected, reason "hidden") and logs who hid it; Unhide logs who showed it
again and leaves the case closed (answer it on the network if needed). The network call itself is
a job queued in the same transaction; its failure is logged too (``hide_failed``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.i18n import _
from bot.domain.model import Activity, Case, Network, Post, State, TransitionError
from bot.domain.transitions import reject

MODERATED = frozenset({Network.FACEBOOK, Network.INSTAGRAM})
HIDDEN_REASON = "hidden"


def hideable(post: Post) -> bool:
    """A public comment under the brand's own post or media (not a message, not a mention elsewhere)."""
    return (
        post.network in MODERATED
        and not post.private
        and post.in_reply_to is not None
        and not post.id.startswith("mention-")
    )


def is_hidden(case: Case) -> bool:
    """Whether the last moderation of the case hid the comment."""
    last = next((a for a in reversed(case.history) if a.action in ("hidden", "unhidden")), None)
    return last is not None and last.action == "hidden"


def hide(case: Case, *, by: str, at: datetime) -> Case:
    if not hideable(case.post):
        raise TransitionError(_("Only public comments on Facebook and Instagram can be hidden."))
    if is_hidden(case):
        raise TransitionError(_("This comment is already hidden."))
    noted = log(case, by, "hidden", case.post.network.label, at=at)
    return reject(noted, by=by, reason=HIDDEN_REASON, at=at)


def unhide(case: Case, *, by: str, at: datetime) -> Case:
    if not is_hidden(case):
        raise TransitionError(_("This comment is not hidden."))
    return log(case, by, "unhidden", case.post.network.label, at=at)


def log(case: Case, actor: str, action: str, detail: str, *, at: datetime) -> Case:
    return replace(case, history=(*case.history, Activity(at=at, actor=actor, action=action, detail=detail)))


def closed_by_hiding(case: Case) -> bool:
    return case.state is State.REJECTED and case.rejection_reason == HIDDEN_REASON
