"""The DM benchmark runs and counts what it should (a smoke test, not a timing test)."""

from __future__ import annotations

from bench.direct_messages import measure


def test_the_dm_benchmark_reads_every_new_dm_and_mention() -> None:
    with_dms = measure(7, 12, 1, direct_messages=True)
    without = measure(7, 12, 1, direct_messages=False)
    assert (with_dms["posts"], without["posts"]) == (19, 7)
    assert with_dms["requests"] == without["requests"] + 1  # one page of DMs
