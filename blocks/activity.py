"""One-line thread notes for what happened to a case: who, what, when."""

from __future__ import annotations

from blocks.fmt import TIME, clip, drafter_name, escape_keeping_mentions, link, mention, slack_date
from bot.domain import Activity, Case
from bot.domain.i18n import _
from bot.domain.text import escape_mrkdwn

DETAIL_BUDGET = 500


def activity_line(activity: Activity, case: Case) -> str:
    return activity_text(activity, case) + f" · {slack_date(activity.at, TIME)}"


def activity_text(activity: Activity, case: Case) -> str:
    """What happened, as a sentence: the thread's lines and the History window say it alike."""
    who, detail = mention(activity.actor), activity.detail
    match activity.action:
        case "forwarded":
            return _("📥 Forwarded to Slack")
        case "drafted":
            return _("🤖 Draft written by {drafter}").format(drafter=_drafter(detail))
        case "edited" if detail:
            return _("✏️ {who} edited the draft ({version})").format(who=who, version=_clip(detail))
        case "edited":
            return _("✏️ {who} edited the draft").format(who=who)
        case "approved" if detail:  # a risky reply's first approval: "1 of 2"
            return _("☑️ {who} approved ({progress})").format(who=who, progress=_clip(detail))
        case "approved":
            return _("✅ {who} approved").format(who=who)
        case "undone":
            return _("↩️ {who} undid the approval: nothing was posted").format(who=who)
        case "reminded":
            return "⏰ " + escape_keeping_mentions(clip(detail, DETAIL_BUDGET, str))
        case "claimed":
            return _("🙋 {who} is taking this one").format(who=who)
        case "regenerated" if detail:
            return _("🔄 {who} asked for a new draft ({how})").format(who=who, how=_clip(detail))
        case "regenerated":
            return _("🔄 {who} asked for a new draft").format(who=who)
        case "posted":
            url = detail or (case.reply.url if case.reply else "")
            return _("📤 Posted on {network} by {who}: {link}").format(
                network=case.post.network.label, who=who, link=link(url, _("view reply"))
            )
        case "sent_privately":
            return _("🔒 Sent as a private message on {network} by {who}").format(
                network=case.post.network.label, who=who
            )
        case "public_note":
            return _("📝 {who} drafted a public note to go with the private answer").format(who=who)
        case "failed":
            return _("⚠️ Posting failed: {reason}").format(reason=_clip(detail)) + _retry(activity, case)
        case "rejected" if detail:
            return _("🚫 {who} rejected: {reason}").format(who=who, reason=_clip(detail))
        case "rejected":
            return _("🚫 {who} rejected").format(who=who)
        case "hidden" | "unhidden" | "hide_failed" | "unhide_failed":
            return _moderation(activity.action, who, detail)
        case "follow_up":
            return _("💬 A new message in the conversation")
        case "slack_deleted":
            return _deleted(detail)
        case "duplicate":
            return _duplicate(detail)
        case _:
            extra = f": {_clip(detail)}" if detail else ""
            return f"• {who} {escape_mrkdwn(activity.action)}{extra}"


def _moderation(action: str, who: str, detail: str) -> str:
    if action == "hidden":
        return _("🙈 {who} hid the comment on {network}").format(who=who, network=escape_mrkdwn(detail))
    if action == "unhidden":
        return _("👁️ {who} showed the comment again on {network}").format(
            who=who, network=escape_mrkdwn(detail)
        )
    if action == "hide_failed":
        return _("⚠️ Hiding the comment failed: {reason}").format(reason=_clip(detail))
    return _("⚠️ Showing the comment again failed: {reason}").format(reason=_clip(detail))


def _deleted(detail: str) -> str:
    part, _sep, again = detail.partition("+")
    line = _("🗑️ The card was deleted in Slack") if part == "card" else _("🗑️ The message was deleted in Slack")
    return line + (_("; forwarded again") if again else "")


def _duplicate(detail: str) -> str:
    second, _sep, first = detail.partition(" ")
    if first:
        return _(
            "‼️ A second reply was posted ({second}) after the first ({first}): delete one of them"
        ).format(second=link(second, _("view")), first=link(first, _("view")))
    return _("‼️ An earlier attempt posted a reply although the case is rejected: {reply}").format(
        reply=link(second, _("view"))
    )


def _clip(detail: str) -> str:
    return clip(detail, DETAIL_BUDGET)


def _drafter(detail: str) -> str:
    """The domain logs drafts as "by <drafter>" or "by <drafter> (<note>)"."""
    drafter, _sep, note = detail.removeprefix("by ").partition(" (")
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
        return _("; retrying soon")
    return _("; retrying at {time}").format(time=slack_date(failure.retry_at, TIME))
