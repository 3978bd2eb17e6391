"""`/parley queue`: open cases, oldest first, each linked to its thread."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from blocks.fmt import author, clip, duration, link
from blocks.kit import context, section
from blocks.message import Block, Message
from blocks.status import STATE_LABELS
from bot.domain import Case

# 15 entries of at most ~600 characters stay far from both the 50-block cap and the
# ~12k characters at which Slack starts answering msg_blocks_too_long.
MAX_LISTED = 15
SNIPPET_BUDGET = 200


def queue_message(cases: Sequence[Case], now: datetime, *, total: int | None = None) -> Message:
    """`cases`: the oldest open cases (at least MAX_LISTED of them when there are that many);
    `total`: how many are open in all, when the caller loaded only the oldest."""
    waiting = sorted((c for c in cases if c.state.is_open), key=lambda c: c.received_at)
    if not waiting:
        return Message(
            text="Inbox zero 🎉", blocks=[section("Inbox zero 🎉 Nothing is waiting for a reply.")]
        )
    count = max(total or 0, len(waiting))
    title = f"*{count} open case{'s' if count != 1 else ''}*, oldest first"
    blocks: list[Block] = [section(title)]
    blocks += [section(_entry(case, now)) for case in waiting[:MAX_LISTED]]
    if count > MAX_LISTED:
        blocks.append(context(f"…and {count - MAX_LISTED} more"))
    return Message(text=f"{count} open case{'s' if count != 1 else ''}", blocks=blocks)


def _entry(case: Case, now: datetime) -> str:
    post = case.post
    head = (
        f"*{post.network.label}* · {author(post)} · waiting {duration(now - case.received_at)}"
        f" · {STATE_LABELS[case.state]}"
    )
    snippet = clip(" ".join(post.text.split()), SNIPPET_BUDGET)  # one line per case
    where = link(case.slack.permalink, "Open thread") if case.slack and case.slack.permalink else ""
    where = where or link(post.url, f"View on {post.network.label}")
    return f"{head}\n> {snippet}\n{where}"
