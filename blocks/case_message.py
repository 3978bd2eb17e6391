"""The parent message of a case: what was said, by whom, where, and where the case stands."""

from __future__ import annotations

from blocks import status
from blocks.fmt import author, clip, link, quoted, slack_date, subreddit
from blocks.kit import SECTION_TEXT, context, section
from blocks.message import Message
from bot.domain import Case, Network, State, Triage
from bot.domain.i18n import N_, _
from bot.domain.reviews import stars
from bot.domain.text import escape_mrkdwn

TITLE_BUDGET = 300
FALLBACK_BUDGET = 300

_SENTIMENT = {"positive": N_("🙂 Positive"), "neutral": N_("😐 Neutral"), "negative": N_("🙁 Negative")}
_URGENCY = {
    "low": N_("🐢 Low urgency"),
    "normal": N_("⏱️ Normal urgency"),
    "high": N_("🔥 High urgency"),
}


def parent_message(case: Case) -> Message:
    """The conversation's first message; its follow-ups are in the thread, counted in the status."""
    post = case.earlier[0].post if case.earlier else case.post
    received = case.earlier[0].received_at if case.earlier else case.received_at
    blocks = [
        section(_headline(case)),
        section(
            _("_Only stars, no text._")
            if post.rating is not None and not post.text.strip()
            else quoted(post.text, SECTION_TEXT)
        ),
        context(
            _("{link} · received {when}").format(
                link=link(post.url, _("View on {network}").format(network=post.network.label)),
                when=slack_date(received),
            ),
            *(_chips(case.triage) if case.triage else ()),
        ),
        section(_count(case) + _status(case)),
    ]
    if case.private:  # a lock screen may show the text of a notification: the text stays out
        new = _("New private {network} message from {name}")
    elif post.rating is not None:
        new = _("New {rating}-star review from {name}: {text}")
    elif post.network in (Network.X, Network.BLUESKY, Network.MASTODON):
        new = _("New {network} mention from {name}: {text}")
    else:
        new = _("New {network} comment from {name}: {text}")
    fallback = clip(
        new.format(network=post.network.label, name=post.author.name, text=post.text, rating=post.rating),
        FALLBACK_BUDGET,
    )
    return Message(text=fallback, blocks=blocks)


def _count(case: Case) -> str:
    if case.messages == 1:
        return ""
    return _("💬 {count} messages").format(count=case.messages) + " · "


def _headline(case: Case) -> str:
    post = case.post
    line = f"*{post.network.label}* · {author(post)}"
    if case.private:
        line = "🔒 " + _("*Private message*") + " · " + line
    if post.place and post.network is Network.REDDIT:
        line += _(" in {subreddit}").format(subreddit=subreddit(post.place))
    elif post.place:
        line += _(" · 📍 {place}").format(place=clip(post.place, TITLE_BUDGET))
    if post.rating is not None:
        line += "\n" + _("{stars} {rating} of 5 stars").format(stars=stars(post.rating), rating=post.rating)
    if post.title:
        line += "\n*" + clip(post.title, TITLE_BUDGET) + "*"
    return line


def _chips(triage: Triage) -> list[str]:
    chips = [_("❓ Question")] if triage.is_question else []
    # .get: a stored case may carry a value newer than this code.
    chips += [
        _(_SENTIMENT[triage.sentiment])
        if triage.sentiment in _SENTIMENT
        else escape_mrkdwn(triage.sentiment),
        _(_URGENCY[triage.urgency]) if triage.urgency in _URGENCY else escape_mrkdwn(triage.urgency),
    ]
    if triage.language:
        chips.append("🌐 " + escape_mrkdwn(triage.language))
    if triage.summary:
        chips.append("💡 " + clip(triage.summary, 300))
    return chips


def _status(case: Case) -> str:
    match case.state:
        case State.RECEIVED:
            return _("⏳ Drafting a reply…")
        case State.DRAFTED:
            return _("👀 Waiting for approval")
        case State.APPROVED | State.PUBLISHING:
            return _("⏳ Approved by {who} · posting…").format(who=status.approver(case)) + status.retry_note(
                case
            )
        case State.POSTED:
            return status.posted(case)
        case State.FAILED:
            return status.failed(case)
        case State.REJECTED:
            return status.rejected(case)
