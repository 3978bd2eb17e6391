"""The text and time rules every connector shares."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors.common import folded, parse_time, same_text


def test_network_times_of_every_shape_become_aware_utc() -> None:
    noon = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    for shown in (
        "2026-12-06T12:00:00Z",
        "2026-12-06T12:00:00+0000",
        "2026-12-06T13:00:00+01:00",
        "2026-12-06T12:00:00",
    ):
        assert parse_time(shown) == noon, shown
    assert parse_time("yesterday") is None and parse_time(None) is None and parse_time("") is None


def test_a_reply_read_back_matches_what_we_posted_despite_escaping_and_wrapping() -> None:
    assert folded("Fish &amp; chips\n  at   noon ") == "Fish & chips at noon"
    assert same_text("Fish & chips at noon", "Fish &amp; chips\nat noon")
    assert not same_text("Fish & chips", "Fish and chips")
