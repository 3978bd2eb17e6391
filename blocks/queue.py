"""`/parley queue`: open cases, oldest first, each linked to its thread."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from blocks.conversation import conversation_summary
from blocks.fmt import author, clip, duration, link
from blocks.kit import context, section
from blocks.message import Block, Message
from blocks.status import state_label
from bot.domain import Case
from bot.domain.i18n import _, ngettext

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
            text=_("Inbox zero 🎉"), blocks=[section(_("Inbox zero 🎉 Nothing is waiting for a reply."))]
        )
    count = max(total or 0, len(waiting))
    open_cases = ngettext("{count} open case", "{count} open cases", count).format(count=count)
    title = _("*{open_cases}*, oldest first").format(open_cases=open_cases)
    blocks: list[Block] = [section(title)]
    blocks += [section(_entry(case, now)) for case in waiting[:MAX_LISTED]]
    if count > MAX_LISTED:
        blocks.append(context(_("…and {count} more").format(count=count - MAX_LISTED)))
    return Message(text=open_cases, blocks=blocks)


def _entry(case: Case, now: datetime) -> str:
    post = case.post
    waiting = _("waiting {duration}").format(duration=duration(now - case.received_at))
    lock = "🔒 " if case.private else ""
    head = f"{lock}*{post.network.label}* · {author(post)} · {waiting} · {state_label(case.state)}"
    if case.messages > 1:
        head += " · " + conversation_summary(case)
    snippet = (  # one line per case; a private message is read in its own (private) channel only
        _("private message") if case.private else clip(" ".join(post.text.split()), SNIPPET_BUDGET)
    )
    where = link(case.slack.permalink, _("Open thread")) if case.slack and case.slack.permalink else ""
    where = where or link(post.url, _("View on {network}").format(network=post.network.label))
    return f"{head}\n> {snippet}\n{where}"
