"""The daily digest: the period's figures, replies that missed their target, and what is still open.

A busy day does not fit in one Slack message, so the digest is a list of messages, each within
the Block Kit limits (platform-notes, Slack): at most 50 blocks, sections under 3,000 characters,
and under ~11,000 characters of block text (`msg_blocks_too_long` appears around 12k). Post them
in order. A quiet day (nothing new, nothing closed, nothing open) gives no message at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from blocks.fmt import clip, units
from blocks.kit import MAX_BLOCKS, context, section
from blocks.message import Block, Message
from blocks.stats import breach_line, case_line, line_sections, oldest_first, summary_blocks
from bot.domain import Case
from bot.domain.figures import Stats
from bot.domain.i18n import _, ngettext

MAX_CHARS = 11_000  # block text per message
MAX_LISTED = 200  # open cases listed by name; the rest are counted (/parley queue has them all)
_PART_RESERVE = 200  # room kept in every message for the "part n of m" note


def digest_messages(
    stats: Stats,
    *,
    channel_name: str,
    period_label: str,
    open_cases: Sequence[Case],
    now: datetime,
    max_listed: int = MAX_LISTED,
) -> list[Message]:
    """The digest for one channel, as messages to post in order; [] on a quiet day.

    `stats`: bot.stats.summarise over the period; `open_cases`: the channel's open cases now
    (listed oldest first with links to their threads, marked ⏰ when past their target).
    """
    waiting = oldest_first(open_cases)
    if stats.new == 0 and stats.answered == 0 and stats.rejected == 0 and not waiting:
        return []
    channel = clip("#" + channel_name.strip().lstrip("#"), 100)
    label = clip(period_label, 100)

    blocks: list[Block] = [
        section(_("*Parley digest for {channel} · {period}*").format(channel=channel, period=label)),
        *summary_blocks(stats),
    ]
    late = [b for b in stats.breaches if b.answered]
    if late:
        title = _("*Answered late ({count})*").format(count=len(late))
        blocks += line_sections(title, [breach_line(b) for b in late])
    overdue = {b.case.id for b in stats.breaches if not b.answered}
    if waiting:
        lines = [
            case_line(c, now, note=_("⏰ over target") if c.id in overdue else "")
            for c in waiting[:max_listed]
        ]
        if len(waiting) > max_listed:
            lines.append(_("…and {count} more: see `/parley queue`").format(count=len(waiting) - max_listed))
        blocks += line_sections(_("*Still open ({count})*, oldest first").format(count=len(waiting)), lines)
    else:
        blocks.append(section(_("Nothing is waiting for a reply 🎉")))

    parts = _pack(blocks)
    new = ngettext("{count} new case", "{count} new cases", stats.new).format(count=stats.new)
    fallback = _(
        "Parley digest for {channel}, {period}: {new}, {answered} answered, {open} still open"
    ).format(channel=channel, period=label, new=new, answered=stats.answered, open=stats.open)
    return _numbered(parts, fallback, channel)


def _numbered(parts: list[list[Block]], fallback: str, channel: str) -> list[Message]:
    """One message per part; when there are several, each says which part of how many it is."""
    if len(parts) == 1:
        return [Message(text=fallback, blocks=parts[0])]
    messages = []
    for n, part in enumerate(parts, start=1):
        where = {"channel": channel, "n": n, "parts": len(parts)}
        note = context(_("Parley digest for {channel} · part {n} of {parts}").format(**where))
        text = fallback if n == 1 else _("Parley digest for {channel} (part {n} of {parts})").format(**where)
        messages.append(Message(text=text, blocks=[*part, note] if n == 1 else [note, *part]))
    return messages


def _pack(blocks: list[Block]) -> list[list[Block]]:
    """Consecutive blocks grouped into messages, each leaving room for one more block (the part note)."""
    parts: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        cost = _size(block)
        if parts[-1] and (len(parts[-1]) + 1 >= MAX_BLOCKS or size + cost > MAX_CHARS - _PART_RESERVE):
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += cost
    return parts


def _size(payload: Any) -> int:
    """Characters of every string in a block (a slight overcount: keys' values like "mrkdwn" too)."""
    if isinstance(payload, str):
        return units(payload) + 1
    if isinstance(payload, dict):
        return sum(_size(v) for v in payload.values())
    if isinstance(payload, list):
        return sum(_size(v) for v in payload)
    return 0
