"""The App Home tab: what is open, what waits longest, what is mine, and how today is going."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from blocks.fmt import slack_date
from blocks.kit import context, section
from blocks.message import Block, View
from blocks.stats import (
    case_line,
    counts_line,
    line_sections,
    network_counts,
    oldest_first,
    state_counts,
    target_line,
    times_line,
)
from bot.domain import Case
from bot.domain.figures import Stats
from bot.domain.i18n import _

MAX_HOME_BLOCKS = 100
OLDEST = 5  # oldest waiting cases shown
MAX_MINE = 10


def home_view(
    *, user: str, open_cases: Sequence[Case], stats_today: Stats, now: datetime, target_met: bool | None
) -> View:
    """For `client.views_publish(user_id=user, view=home_view(...))`.

    `target_met`: whether the response-time target is being met (e.g. `stats_today.target_met`);
    None when no target is configured or nothing was measured yet.
    """
    waiting = oldest_first(open_cases)
    mine = [c for c in waiting if c.claimed_by(now) == user]
    divider: Block = {"type": "divider"}

    blocks: list[Block] = [
        section("*Parley*"),
        context(_("Updated {when}").format(when=slack_date(now))),
        section(_("*Today*") + f"\n{counts_line(stats_today)}\n{times_line(stats_today)}"),
        section(_target_text(stats_today, target_met)),
        divider,
    ]
    if waiting:
        by = f"{state_counts(waiting)}\n{network_counts(waiting)}"
        blocks.append(section(_("*Open cases ({count})*").format(count=len(waiting)) + f"\n{by}"))
        oldest = [case_line(c, now) for c in waiting[:OLDEST]]
        blocks += line_sections(_("*Oldest waiting*"), oldest)
    else:
        blocks.append(section(_("*Open cases*") + "\n" + _("Inbox zero 🎉 Nothing is waiting for a reply.")))
    blocks.append(divider)
    if mine:
        lines = [case_line(c, now, show_holder=False) for c in mine[:MAX_MINE]]
        if len(mine) > MAX_MINE:
            lines.append(_("…and {count} more: `/parley mine`").format(count=len(mine) - MAX_MINE))
        blocks += line_sections(_("*Your cases ({count})*").format(count=len(mine)), lines)
    else:
        none = _("None right now. Press *I'll take it* on a case to claim it.")
        blocks.append(section(_("*Your cases*") + "\n" + none))
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _target_text(stats: Stats, target_met: bool | None) -> str:
    if target_met is None:
        return _("Response-time target: nothing measured yet today")
    if target_met:
        return _("✅ Response-time target met today")
    detail = target_line(stats)
    return _("⚠️ Response-time target missed today") + (
        f"\n{detail}" if detail and not stats.target_met else ""
    )
