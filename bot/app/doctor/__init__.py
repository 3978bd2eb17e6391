"""`parley doctor`: check the configuration, then reach each configured service and say what is wrong.

Every line is one check; a failure says what to do in plain words (never an exception's name), and
any failure makes `parley doctor` exit non-zero.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.app.doctor.result import Check
from bot.app.doctor.services import network_checks, openai_check, redis_check
from bot.app.doctor.slack import slack_checks
from bot.app.settings import Settings, masked_url

__all__ = ["Check", "diagnose", "where_data_lives"]


def where_data_lives(settings: Settings) -> str:
    """Cases and queues live in Redis: the embedded one's folder, or the server (never its password)."""
    if settings.redis_url:
        return f"external Redis at {masked_url(settings.redis_url)}"
    return f"{settings.data_dir.resolve()} (embedded Redis)"


def diagnose(settings: Settings) -> Iterator[Check]:
    if settings.problems:
        for problem in settings.problems:
            yield Check("configuration", False, problem)
    else:
        yield Check("configuration", True, "all required variables are set")
    yield Check("data", True, where_data_lives(settings))
    yield redis_check(settings)
    if settings.slack_bot_token:
        yield from slack_checks(settings)
    if settings.accounts:
        yield from network_checks(settings)
    elif not settings.config_path:
        yield Check(
            "accounts",
            False,
            "no network configured: set a network's variables (README, Configuration) or accounts in PARLEY_CONFIG",
        )
    yield openai_check(settings)
