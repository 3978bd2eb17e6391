"""Misconfiguration is explained before anything starts, naming the variable and the fix."""

from __future__ import annotations

import pytest

from bot.app.settings import ConfigError, Settings

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1",
    "SLACK_SIGNING_SECRET": "s",
    "PARLEY_CHANNEL": "C1",
}


def test_a_complete_configuration_has_no_problems() -> None:
    settings = Settings.from_env(GOOD)
    settings.require_valid()
    assert settings.poll_interval == 60 and settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.x.api_url == "https://api.twitter.com"


def test_base_urls_are_configurable_and_slack_keeps_its_trailing_slash() -> None:
    settings = Settings.from_env(
        {**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api", "X_API_URL": "http://h:1/"}
    )
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.x.api_url == "http://h:1"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({**GOOD, "SLACK_BOT_TOKEN": "xoxp-user"}, "xoxb-"),
        ({**GOOD, "PARLEY_CHANNEL": ""}, "PARLEY_CHANNEL"),
        ({**GOOD, "SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET"),
        ({**GOOD, "PARLEY_POLL_INTERVAL": "soon"}, "PARLEY_POLL_INTERVAL"),
        ({**GOOD, "PARLEY_POLL_INTERVAL": "0"}, "PARLEY_POLL_INTERVAL"),
        ({**GOOD, "X_ACCESS_TOKEN": "t"}, "X_API_KEY"),
        ({**GOOD, "X_BEARER_TOKEN": "b"}, "OAuth 1.0a"),
        ({**GOOD, "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ],
)
def test_each_problem_names_what_to_fix(env: dict[str, str], named: str) -> None:
    settings = Settings.from_env(env)
    assert any(named in problem for problem in settings.problems), settings.problems
    with pytest.raises(ConfigError, match="cannot start"):
        settings.require_valid()


def test_socket_mode_needs_no_signing_secret() -> None:
    env = {**GOOD, "SLACK_SIGNING_SECRET": "", "SLACK_APP_TOKEN": "xapp-1"}
    assert Settings.from_env(env).problems == ()
