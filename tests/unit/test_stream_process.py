"""Which accounts `parley stream` keeps open, how `parley run` starts it, and how it waits between tries."""

from __future__ import annotations

from pathlib import Path

from bot.app.settings import Settings
from bot.app.supervisor import PROCESSES, STREAM, command
from bot.services.streams import BACKOFF, backoff

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CHANNEL": "C1"}


def test_bluesky_and_mastodon_stream_unless_told_not_to() -> None:
    both = {
        **BASE,
        "BLUESKY_HANDLE": "brand.bsky.social",
        "BLUESKY_APP_PASSWORD": "app-pw",
        "MASTODON_API_BASE_URL": "https://mastodon.example",
        "MASTODON_ACCESS_TOKEN": "tok",
    }
    settings = Settings.from_env(both)
    assert settings.problems == ()
    assert settings.streamed_accounts == ["bluesky", "mastodon"]
    quiet = Settings.from_env({**both, "BLUESKY_STREAM": "false", "MASTODON_STREAM": "false"})
    assert quiet.streamed_accounts == []
    polling_only = Settings.from_env({**both, "MASTODON_STREAM": "false"})
    assert polling_only.streamed_accounts == ["bluesky"]


def test_a_bluesky_handle_without_an_app_password_is_named() -> None:
    settings = Settings.from_env({**BASE, "BLUESKY_HANDLE": "brand.bsky.social"})
    assert any("BLUESKY_APP_PASSWORD" in p for p in settings.problems)


def test_parley_run_adds_the_stream_child_only_when_an_account_streams() -> None:
    assert command(data_dir=Path("/d"), log_json=False, stream=True)[-1] == "--stream"
    assert "--stream" not in command(data_dir=None, log_json=False)
    assert "stream" in STREAM and "stream" not in PROCESSES


def test_reconnecting_waits_longer_while_it_keeps_failing() -> None:
    assert backoff(0) < 1  # a stream that was open reconnects at once
    waits = [backoff(n, jitter=lambda: 0.5) for n in range(1, 9)]
    assert waits == sorted(waits) and waits[0] == BACKOFF[0] and waits[-1] == BACKOFF[-1]
