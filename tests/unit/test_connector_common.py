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


def test_google_s_token_refusals_are_told_apart() -> None:
    from google.auth.exceptions import RefreshError

    from connectors.base import Unauthorized, Unavailable
    from connectors.google_oauth import refresh_error

    said = {"refresh_refused": "token", "client_refused": "client", "unavailable": "down"}
    revoked = RefreshError("invalid_grant: Token has been expired or revoked.", {"error": "invalid_grant"})  # type: ignore[no-untyped-call]
    assert (
        isinstance(refresh_error(revoked, **said), Unauthorized)
        and refresh_error(revoked, **said).message == "token"
    )
    client = RefreshError("invalid_client: Unauthorized", {"error": "invalid_client"})  # type: ignore[no-untyped-call]
    assert refresh_error(client, **said).message == "client"
    down = RefreshError("Internal error", retryable=True)  # type: ignore[no-untyped-call]
    assert isinstance(refresh_error(down, **said), Unavailable)
