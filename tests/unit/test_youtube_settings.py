"""YouTube's settings: the YOUTUBE_* variables, several channels in PARLEY_CONFIG, and what is missing."""

from __future__ import annotations

from pathlib import Path

from bot.app.settings import Settings
from bot.app.settings.accounts import YouTubeSettings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CHANNEL": "C1"}
YOUTUBE = {
    "YOUTUBE_CLIENT_ID": "client.apps.googleusercontent.com",
    "YOUTUBE_CLIENT_SECRET": "secret",
    "YOUTUBE_REFRESH_TOKEN": "1//refresh",
    "YOUTUBE_CHANNEL_ID": "UCbrand",
}


def test_the_environment_configures_one_channel_with_googles_defaults() -> None:
    settings = Settings.from_env({**BASE, **YOUTUBE})
    assert settings.problems == ()
    [account] = settings.accounts
    assert isinstance(account, YouTubeSettings) and account.name == "youtube"
    assert account.connector_options() == {
        "client_id": "client.apps.googleusercontent.com",
        "client_secret": "secret",
        "refresh_token": "1//refresh",
        "channel_id": "UCbrand",
        "api_url": "https://youtube.googleapis.com",
        "token_url": "https://oauth2.googleapis.com/token",
        "daily_quota": 10_000,
    }
    assert account.quota == ("youtube:client.apps.googleusercontent.com", 10_000)


def test_urls_and_the_quota_are_configurable() -> None:
    env = {
        **BASE,
        **YOUTUBE,
        "YOUTUBE_API_URL": "http://127.0.0.1:9000/",
        "YOUTUBE_TOKEN_URL": "http://127.0.0.1:9000/token",
        "YOUTUBE_DAILY_QUOTA": "50000",
    }
    account = Settings.from_env(env).youtube
    assert (account.api_url, account.oauth_url, account.daily_quota) == (
        "http://127.0.0.1:9000",
        "http://127.0.0.1:9000/token",
        50_000,
    )


def test_a_half_configured_channel_names_what_is_missing() -> None:
    problems = Settings.from_env({**BASE, "YOUTUBE_REFRESH_TOKEN": "1//r"}).problems
    assert any("YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET, YOUTUBE_CHANNEL_ID missing" in p for p in problems)


def test_a_bad_quota_is_named_by_its_variable() -> None:
    problems = Settings.from_env({**BASE, **YOUTUBE, "YOUTUBE_DAILY_QUOTA": "lots"}).problems
    assert any(p.startswith("YOUTUBE_DAILY_QUOTA") for p in problems)


def test_several_channels_in_the_configuration_file(tmp_path: Path) -> None:
    path = tmp_path / "parley.toml"
    path.write_text(
        """
[[accounts]]
name = "brand-en"
network = "youtube"
client_id = "shared.apps.googleusercontent.com"
client_secret = "env:YT_SECRET"
refresh_token = "env:YT_EN_TOKEN"
channel_id = "UCenglish"

[[accounts]]
name = "brand-it"
network = "youtube"
client_id = "shared.apps.googleusercontent.com"
client_secret = "env:YT_SECRET"
refresh_token = "env:YT_IT_TOKEN"
channel_id = "UCitaliano"
daily_quota = 20000

[[accounts]]
name = "broken"
network = "youtube"
channel_id = "UCnothing"
""",
        encoding="utf-8",
    )
    env = {
        **BASE,
        "PARLEY_CONFIG": str(path),
        "YT_SECRET": "s",
        "YT_EN_TOKEN": "1//en",
        "YT_IT_TOKEN": "1//it",
    }
    settings = Settings.from_env(env)
    assert any("accounts[2].client_id is required" in p for p in settings.problems)
    path.write_text(path.read_text().split('[[accounts]]\nname = "broken"')[0], encoding="utf-8")
    settings = Settings.from_env(env)
    assert settings.problems == ()
    en, it = settings.accounts
    assert isinstance(en, YouTubeSettings) and isinstance(it, YouTubeSettings)
    assert (en.refresh_token, it.refresh_token, it.daily_quota) == ("1//en", "1//it", 20_000)
    assert en.quota is not None and it.quota is not None and en.quota[0] == it.quota[0]  # one project


def test_the_logs_hide_the_secret_and_the_refresh_token_but_no_address() -> None:
    from bot.app.secrets import secret_values

    hidden = secret_values(Settings.from_env({**BASE, **YOUTUBE}))
    assert {"secret", "1//refresh"} <= set(hidden)
    assert not any(value.startswith("http") for value in hidden)
