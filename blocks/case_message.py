"""The parent message of a case: what was said, by whom, where, and where the case stands."""

from __future__ import annotations

from blocks import status
from blocks.fmt import author, clip, link, quoted, slack_date, subreddit
from blocks.kit import SECTION_TEXT, context, section
from blocks.message import Message
from bot.domain import Case, Network, State, Triage
from bot.domain.text import escape_mrkdwn

TITLE_BUDGET = 300
FALLBACK_BUDGET = 300

_SENTIMENT = {"positive": "🙂 Positive", "neutral": "😐 Neutral", "negative": "🙁 Negative"}
_URGENCY = {"low": "🐢 Low urgency", "normal": "⏱️ Normal urgency", "high": "🔥 High urgency"}


def parent_message(case: Case) -> Message:
    post = case.post
    blocks = [
        section(_headline(case)),
        section(quoted(post.text, SECTION_TEXT)),
        context(
            f"{link(post.url, f'View on {post.network.label}')} · received {slack_date(case.received_at)}",
            *(_chips(case.triage) if case.triage else ()),
        ),
        section(_status(case)),
    ]
    kind = "mention" if post.network is Network.X else "comment"
    fallback = clip(f"New {post.network.label} {kind} from {post.author.name}: {post.text}", FALLBACK_BUDGET)
    return Message(text=fallback, blocks=blocks)


def _headline(case: Case) -> str:
    post = case.post
    line = f"*{post.network.label}* · {author(post)}"
    if post.place:
        line += f" in {subreddit(post.place)}"
    if post.title:
        line += "\n*" + clip(post.title, TITLE_BUDGET) + "*"
    return line


def _chips(triage: Triage) -> list[str]:
    chips = ["❓ Question"] if triage.is_question else []
    # .get: a stored case may carry a value newer than this code.
    chips += [
        _SENTIMENT.get(triage.sentiment, escape_mrkdwn(triage.sentiment)),
        _URGENCY.get(triage.urgency, escape_mrkdwn(triage.urgency)),
    ]
    if triage.language:
        chips.append("🌐 " + escape_mrkdwn(triage.language))
    if triage.summary:
        chips.append("💡 " + clip(triage.summary, 300))
    return chips


def _status(case: Case) -> str:
    match case.state:
        case State.RECEIVED:
            return "⏳ Drafting a reply…"
        case State.DRAFTED:
            return "👀 Waiting for approval"
        case State.APPROVED | State.PUBLISHING:
            return f"⏳ Approved by {status.approver(case)} · posting…{status.retry_note(case)}"
        case State.POSTED:
            return status.posted(case)
        case State.FAILED:
            return status.failed(case)
        case State.REJECTED:
            return status.rejected(case)
