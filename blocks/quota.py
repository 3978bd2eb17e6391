"""The day's API quotas (YouTube's units) as lines for `/parley stats`: pure, domain values in."""

from __future__ import annotations

from collections.abc import Sequence

from blocks.fmt import clip, duration, slack_date
from bot.domain.i18n import _
from bot.domain.quota import QuotaUse


def quota_line(use: QuotaUse) -> str:
    """One account's quota: what is used, and what Parley does about it."""
    figures = _("*{name}*: {used} of {limit} units of today's YouTube quota used ({share} %)").format(
        name=clip(use.name, 80),
        used=f"{use.used:,}",
        limit=f"{use.limit:,}",
        share=round(use.share * 100),
    )
    if use.remaining == 0:
        return (
            figures
            + " · "
            + _("used up: polling and replies wait until {reset}").format(reset=slack_date(use.resets_at))
        )
    if use.poll_every is not None:
        return (
            figures
            + " · "
            + _("polling slowed to every {every} so the rest lasts until {reset}").format(
                every=duration(use.poll_every), reset=slack_date(use.resets_at)
            )
        )
    return figures


def quota_lines(uses: Sequence[QuotaUse]) -> list[str]:
    return [quota_line(use) for use in uses]
