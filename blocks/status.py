"""One-line descriptions of where a case stands, shared by the parent message and the draft card."""

from __future__ import annotations

from datetime import datetime

from blocks.fmt import DATE_AND_TIME, TIME, clip, link, mention, slack_date
from bot.domain import Case, State
from bot.domain.i18n import N_, _

REASON_BUDGET = 500  # reasons and failure messages are free text: keep the line a line

STATE_LABELS: dict[State, str] = {  # English: translated where shown, by state_label
    State.RECEIVED: N_("Drafting a reply"),
    State.DRAFTED: N_("Waiting for approval"),
    State.APPROVED: N_("Approved, posting"),
    State.PUBLISHING: N_("Posting"),
    State.FAILED: N_("Posting failed"),
    State.POSTED: N_("Posted"),
    State.REJECTED: N_("Rejected"),
}


def state_label(state: State) -> str:
    return _(STATE_LABELS[state])


def approver(case: Case) -> str:
    return mention(case.approved_by)


def retry_note(case: Case) -> str:
    """After a retryable failure the case stays approved; say so instead of looking stuck."""
    failure = case.failure
    if failure is None or not failure.retryable:
        return ""
    reason = clip(failure.message, REASON_BUDGET)
    if failure.retry_at:
        when = slack_date(failure.retry_at, TIME)
        return _(" (last attempt failed: {reason}; retrying at {time})").format(reason=reason, time=when)
    return _(" (last attempt failed: {reason}; retrying soon)").format(reason=reason)


def posted(case: Case, fmt: str = DATE_AND_TIME) -> str:
    closed = case.closed_by
    by = mention(case.approved_by or (closed.actor if closed else None))
    done = _("🔒 Sent privately by {who}") if case.privately else _("✅ Posted by {who}")
    if case.reply is None:
        return done.format(who=by)
    reply = case.reply
    line = done.format(who=by) + _when(reply.posted_at, fmt)
    view = link(reply.url, _("View reply"))
    return f"{line} · {view}"


def rejected(case: Case, fmt: str = DATE_AND_TIME) -> str:
    activity = case.last("rejected")
    line = _("🚫 Rejected")
    if activity is not None:
        line += _(" by {who}").format(who=mention(activity.actor)) + _when(activity.at, fmt)
    if case.rejection_reason:
        line += f" · {clip(case.rejection_reason, REASON_BUDGET)}"
    return line


def failed(case: Case) -> str:
    message = case.failure.message if case.failure else _("unknown error")
    return _("⚠️ Posting failed: {reason}").format(reason=clip(message, REASON_BUDGET))


def _when(at: datetime, fmt: str) -> str:
    """ " at 14:02" for a time alone; " · today at 14:02" with a date (not "at today at 14:02")."""
    if fmt == TIME:
        return _(" at {time}").format(time=slack_date(at, fmt))
    return f" · {slack_date(at, fmt)}"
