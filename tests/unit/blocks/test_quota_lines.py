"""`/parley stats`'s quota lines: what is used, and what Parley does about it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from blocks.quota import quota_line, quota_lines
from bot.domain.quota import QuotaUse

AT = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def test_a_quota_at_ease_shows_its_figures_only() -> None:
    line = quota_line(QuotaUse(name="brand", used=1_234, limit=10_000, at=AT))
    assert line == "*brand*: 1,234 of 10,000 units of today's YouTube quota used (12 %)"


def test_a_slowed_quota_says_how_often_parley_polls_and_until_when() -> None:
    line = quota_line(
        QuotaUse(name="brand", used=8_600, limit=10_000, at=AT, poll_every=timedelta(minutes=4))
    )
    assert "(86 %)" in line and "polling slowed to every 4 min" in line and "<!date^1796630400^" in line


def test_a_used_up_quota_says_what_waits() -> None:
    [line] = quota_lines([QuotaUse(name="brand", used=10_000, limit=10_000, at=AT)])
    assert "used up: polling and replies wait until <!date^1796630400^" in line


def test_a_channel_name_is_escaped() -> None:
    assert quota_line(QuotaUse(name="<!channel>", used=0, limit=1, at=AT)).startswith("*&lt;!channel&gt;*")
