"""One-line descriptions of where a case stands, shared by the parent message and the draft card."""

from __future__ import annotations

from datetime import datetime

from blocks.fmt import DATE_AND_TIME, TIME, clip, link, mention, slack_date
from bot.domain import Case, State

REASON_BUDGET = 500  # reasons and failure messages are free text: keep the line a line

STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "Drafting a reply",
    State.DRAFTED: "Waiting for approval",
    State.APPROVED: "Approved, posting",
    State.PUBLISHING: "Posting",
    State.FAILED: "Posting failed",
    State.POSTED: "Posted",
    State.REJECTED: "Rejected",
}


def approver(case: Case) -> str:
    return mention(case.approved_by)


def retry_note(case: Case) -> str:
    """After a retryable failure the case stays approved; say so instead of looking stuck."""
    failure = case.failure
    if failure is None or not failure.retryable:
        return ""
    when = f"; retrying at {slack_date(failure.retry_at, TIME)}" if failure.retry_at else "; retrying soon"
    return f" (last attempt failed: {clip(failure.message, REASON_BUDGET)}{when})"


def posted(case: Case, fmt: str = DATE_AND_TIME) -> str:
    closed = case.closed_by
    by = mention(case.approved_by or (closed.actor if closed else None))
    if case.reply is None:
        return f"✅ Posted by {by}"
    reply = case.reply
    return f"✅ Posted by {by}{_when(reply.posted_at, fmt)} · {link(reply.url, 'View reply')}"


def rejected(case: Case, fmt: str = DATE_AND_TIME) -> str:
    activity = case.last("rejected")
    line = "🚫 Rejected"
    if activity is not None:
        line += f" by {mention(activity.actor)}{_when(activity.at, fmt)}"
    if case.rejection_reason:
        line += f" · {clip(case.rejection_reason, REASON_BUDGET)}"
    return line


def failed(case: Case) -> str:
    message = case.failure.message if case.failure else "unknown error"
    return f"⚠️ Posting failed: {clip(message, REASON_BUDGET)}"


def _when(at: datetime, fmt: str) -> str:
    """ " at 14:02" for a time alone; " · today at 14:02" with a date (not "at today at 14:02")."""
    return f" at {slack_date(at, fmt)}" if fmt == TIME else f" · {slack_date(at, fmt)}"
