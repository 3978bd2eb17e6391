"""bench.youtube_quota runs with small numbers: figures and correctness only, no timing assertions."""

from __future__ import annotations

import pytest

from bench.youtube_quota import main, measure_poll, simulate_day

pytestmark = pytest.mark.e2e


def test_a_quiet_day_never_slows_polling() -> None:
    day = simulate_day(quota=10_000, interval=60, replies=10)
    assert (day.polls, day.skipped, day.slowed_at, day.replies_moved) == (1_440, 0, None, 0)


def test_a_busy_day_slows_polling_but_keeps_polling_until_midnight() -> None:
    day = simulate_day(quota=10_000, interval=60, replies=180)
    assert day.slowed_at is not None and day.skipped > 0
    assert day.units_used <= 10_000 and day.replies_posted + day.replies_moved == 180
    assert day.longest_gap_min < 60  # slowed, never stopped for hours


def test_one_real_poll_reads_every_new_comment_and_reports_its_cost(
    capsys: pytest.CaptureFixture[str],
) -> None:
    poll = measure_poll(120)
    assert poll.delivered == 120 and poll.units == 3  # two pages of threads and one video title
    assert main(["--comments", "5", "--replies", "5", "--json"]) == 0
    assert '"poll"' in capsys.readouterr().out
