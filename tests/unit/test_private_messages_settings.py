"""X_DIRECT_MESSAGES and REDDIT_PRIVATE_MESSAGES reach the connectors; bad values are named."""

from __future__ import annotations

import pytest

from bot.app.settings import Settings
from tests.unit.test_settings import GOOD

KEYS = {"X_API_KEY": "k", "X_API_SECRET": "s", "X_ACCESS_TOKEN": "t", "X_ACCESS_TOKEN_SECRET": "ts"}


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("true", True), ("false", False), ("0", False)]
)
def test_the_setting_reaches_the_connector(value: str | None, expected: bool | None) -> None:
    env = {**GOOD, **KEYS, **({"X_DIRECT_MESSAGES": value} if value is not None else {})}
    settings = Settings.from_env(env)
    settings.require_valid()
    assert settings.x.connector_options()["direct_messages"] is expected


def test_a_value_that_is_not_a_yes_or_no_is_named() -> None:
    settings = Settings.from_env({**GOOD, **KEYS, "X_DIRECT_MESSAGES": "sometimes"})
    assert any("X_DIRECT_MESSAGES" in problem for problem in settings.problems), settings.problems


def test_reddit_private_messages_are_on_unless_turned_off() -> None:
    reddit = {
        "REDDIT_CLIENT_ID": "id",
        "REDDIT_CLIENT_SECRET": "s",
        "REDDIT_USERNAME": "u",
        "REDDIT_PASSWORD": "p",
    }
    assert Settings.from_env({**GOOD, **reddit}).reddit.connector_options()["private_messages"] is True
    off = Settings.from_env({**GOOD, **reddit, "REDDIT_PRIVATE_MESSAGES": "false"})
    assert off.reddit.connector_options()["private_messages"] is False
