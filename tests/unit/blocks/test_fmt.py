from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from blocks.fmt import clip, duration, link, mention, quoted, slack_date
from bot.domain.text import escape_mrkdwn


@pytest.mark.parametrize("budget", range(1, 40))
def test_clip_never_splits_an_escape(budget: int) -> None:
    clipped = clip("a&b<c>d" * 10, max(budget, 1))

    assert len(clipped) <= max(budget, 1)
    assert not re.search(r"&(?!amp;|lt;|gt;)", clipped)


def test_clip_leaves_short_text_alone() -> None:
    assert clip("a & b", 100) == "a &amp; b"


def test_clip_uses_the_whole_budget() -> None:
    assert clip("x" * 100, 10) == "x" * 9 + "…"


def test_clip_counts_emoji_as_two_units() -> None:
    assert len(clip("🙂" * 100, 11).encode("utf-16-le")) // 2 <= 11


def test_quoted_keeps_each_line_quoted() -> None:
    assert quoted("a\n<b>", 100) == "> a\n> &lt;b&gt;"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0.5, "under a minute"),
        (12, "12 min"),
        (60, "1 h"),
        (125, "2 h 5 min"),
        (24 * 60, "1 d"),
        (27 * 60, "1 d 3 h"),
    ],
)
def test_duration(minutes: float, text: str) -> None:
    assert duration(timedelta(minutes=minutes)) == text


def test_mention_only_for_user_ids() -> None:
    assert mention("U_MARIA") == "<@U_MARIA>"
    assert mention("parley") == "Parley"
    assert mention("<!channel>") == escape_mrkdwn("<!channel>")


def test_link_refuses_urls_that_could_break_out() -> None:
    assert link("https://x.com/a?b=1&c=2", "<go>") == "<https://x.com/a?b=1&amp;c=2|&lt;go&gt;>"
    assert link("javascript:alert(1)", "go") == "go"
    assert link("https://x.com/a>|<!channel", "go") == "go"


def test_slack_date_fallback_is_in_utc() -> None:
    paris = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))

    assert slack_date(paris) == "<!date^1772443800^{date_short_pretty} at {time}|2026-03-02T09:30Z>"
