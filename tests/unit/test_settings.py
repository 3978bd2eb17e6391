"""Misconfiguration is explained before anything starts, naming the variable and the fix."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from bot.app.settings import ConfigError, Settings, default_data_dir, masked_url

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


def test_every_bad_value_is_reported_together_by_its_variable_and_its_default_kept() -> None:
    settings = Settings.from_env(
        {
            **GOOD,
            "PARLEY_POLL_INTERVAL": "abc",
            "PORT": "0",
            "PARLEY_SLACK_RATE": "fast",
            "PARLEY_UNDO_SECONDS": "-1",
            "PARLEY_TARGETS": "soon",
            "X_API_URL": "ftp://x",
        }
    )
    assert set(settings.problems) >= {
        "PARLEY_POLL_INTERVAL='abc' is not a whole number.",
        "PORT must be positive, got 0.",
        "PARLEY_SLACK_RATE='fast' is not a number.",
        "PARLEY_UNDO_SECONDS must not be negative, got -1.",
        "X_API_URL='ftp://x' must be an http(s) URL.",
    }
    assert any(p.startswith("PARLEY_TARGETS='soon': ") for p in settings.problems)
    assert (settings.poll_interval, settings.port, settings.undo_seconds) == (60, 3000, 30)
    assert not any("pydantic" in p or "Input should" in p for p in settings.problems)


def test_blank_values_count_as_unset_and_lists_are_comma_separated() -> None:
    settings = Settings.from_env(
        {**GOOD, "PORT": "  ", "REDDIT_SUBREDDITS": "acme, acmehelp,", "PARLEY_RISK_WORDS": "refund, sue"}
    )
    assert settings.port == 3000 and settings.problems == ()
    assert settings.reddit.subreddits == ("acme", "acmehelp")
    assert settings.risk_words == {"*": ("refund", "sue")}


def test_the_data_directory_defaults_to_the_users_data_folder() -> None:
    data_dir = Settings.from_env(GOOD).data_dir
    assert data_dir.is_absolute()
    assert data_dir == Path(platformdirs.user_data_dir("parley")) == default_data_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is the Linux convention")
def test_the_data_directory_follows_the_platform_convention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings.from_env(GOOD).data_dir == tmp_path / "parley"


def test_parley_data_dir_overrides_the_data_directory(tmp_path: Path) -> None:
    assert Settings.from_env({**GOOD, "PARLEY_DATA_DIR": str(tmp_path)}).data_dir == tmp_path


def test_a_redis_password_is_never_echoed_in_a_problem() -> None:
    settings = Settings.from_env({**GOOD, "REDIS_URL": "http://:hunter2@redis.example:6379/0"})
    [problem] = settings.problems
    assert problem.startswith("REDIS_URL='http://:***@redis.example:6379/0' must start with redis://")
    assert "hunter2" not in problem


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:hunter2@host:6379/0", "redis://:***@host:6379/0"),
        ("rediss://default:hunter2@host", "rediss://default:***@host"),
        ("redis://hunter2@host", "redis://***@host"),
        ("redis://:p@ss@host/0", "redis://:***@host/0"),
        ("unix:///run/redis.sock?db=0&password=hunter2", "unix:///run/redis.sock?db=0&password=***"),
        ("redis://host:6379/0", "redis://host:6379/0"),
    ],
)
def test_masked_url_hides_the_password(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_the_teams_zone_and_holidays_apply_where_the_hours_and_digest_name_none() -> None:
    env = {
        **GOOD,
        "PARLEY_TZ": "Europe/Rome",
        "PARLEY_HOLIDAYS": "it",
        "PARLEY_BUSINESS_HOURS": "mon-fri 09:00-18:00",
    }
    settings = Settings.from_env(env)
    assert settings.problems == ()
    assert (
        settings.business_hours.describe() == "Mon–Fri 09:00–18:00 Europe/Rome except public holidays of IT"
    )
    assert (settings.digest.tz, settings.digest.at.hour, sorted(settings.digest.days)) == (
        "Europe/Rome",
        9,
        [0, 1, 2, 3, 4],
    )
    named = Settings.from_env(
        {**env, "PARLEY_DIGEST_AT": "08:30 UTC daily", "PARLEY_BUSINESS_HOURS": "always"}
    )
    assert (named.digest.tz, named.business_hours.tz) == ("UTC", "Europe/Rome")


def test_without_a_zone_the_team_works_in_utc() -> None:
    settings = Settings.from_env(GOOD)
    assert (settings.tz, settings.digest.tz, settings.business_hours.tz) == ("UTC", "UTC", "UTC")
    assert not settings.holidays


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("PARLEY_TZ", "Rome", "PARLEY_TZ='Rome' is not a time zone"),
        ("PARLEY_HOLIDAYS", "IT,XX", "'XX' is not a country code"),
        ("PARLEY_RISK_WORDS", "it:a:b", "it:rimborso"),
    ],
)
def test_a_bad_zone_holiday_calendar_or_risk_word_is_named(variable: str, value: str, said: str) -> None:
    settings = Settings.from_env({**GOOD, variable: value})
    assert any(p.startswith(variable) and said in p for p in settings.problems), settings.problems
    assert settings.digest.tz == "UTC"
