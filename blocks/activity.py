"""One-line thread notes for what happened to a case: who, what, when."""

from __future__ import annotations

from blocks.fmt import TIME, clip, drafter_name, escape_keeping_mentions, link, mention, slack_date
from bot.domain import Activity, Case
from bot.domain.text import escape_mrkdwn

DETAIL_BUDGET = 500


def activity_line(activity: Activity, case: Case) -> str:
    who, detail = mention(activity.actor), activity.detail
    when = f" · {slack_date(activity.at, TIME)}"
    match activity.action:
        case "forwarded":
            return f"📥 Forwarded to Slack{when}"
        case "drafted":
            return f"🤖 Draft written by {_drafter(detail)}{when}"
        case "edited":
            version = f" ({clip(detail, DETAIL_BUDGET)})" if detail else ""
            return f"✏️ {who} edited the draft{version}{when}"
        case "approved" if detail:  # a risky reply's first approval: "1 of 2"
            return f"☑️ {who} approved ({clip(detail, DETAIL_BUDGET)}){when}"
        case "approved":
            return f"✅ {who} approved{when}"
        case "undone":
            return f"↩️ {who} undid the approval: nothing was posted{when}"
        case "reminded":
            return f"⏰ {escape_keeping_mentions(clip(detail, DETAIL_BUDGET, str))}{when}"
        case "claimed":
            return f"🙋 {who} is taking this one{when}"
        case "regenerated":
            how = f" ({clip(detail, DETAIL_BUDGET)})" if detail else ""
            return f"🔄 {who} asked for a new draft{how}{when}"
        case "posted":
            url = case.reply.url if case.reply else detail
            return f"📤 Posted on {case.post.network.label} by {who}: {link(url, 'view reply')}{when}"
        case "failed":
            return f"⚠️ Posting failed: {clip(detail, DETAIL_BUDGET)}{_retry(activity, case)}{when}"
        case "rejected":
            reason = f": {clip(detail, DETAIL_BUDGET)}" if detail else ""
            return f"🚫 {who} rejected{reason}{when}"
        case _:
            extra = f": {clip(detail, DETAIL_BUDGET)}" if detail else ""
            return f"• {who} {escape_mrkdwn(activity.action)}{extra}{when}"


def _drafter(detail: str) -> str:
    """The domain logs drafts as "by <drafter>" or "by <drafter> (<note>)"."""
    drafter, _, note = detail.removeprefix("by ").partition(" (")
    name = drafter_name(drafter) if drafter else "Parley"
    return f"{name} ({clip(note.removesuffix(')'), DETAIL_BUDGET)})" if note else name


def _retry(activity: Activity, case: Case) -> str:
    """Only the latest failure knows its retry time; older lines say nothing about retrying."""
    failure = case.failure
    if failure is None or failure.message != activity.detail or case.last("failed") != activity:
        return ""
    if not failure.retryable:
        return ""
    if failure.retry_at is None:
        return "; retrying soon"
    return f"; retrying at {slack_date(failure.retry_at, TIME)}"
