"""What makes a configuration unusable although every value parses, each as a sentence that says what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.app.settings.accounts import ACCOUNT_MODELS

if TYPE_CHECKING:
    from bot.app.settings.model import Settings


def problems_of(s: Settings) -> list[str]:
    accounts = [*(getattr(s, network) for network in ACCOUNT_MODELS)]
    return [*_slack(s), *(p for a in accounts for p in a.environment_problems()), *_people(s)]


def _slack(s: Settings) -> list[str]:
    problems = []
    if not s.slack_bot_token:
        problems.append(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from the app page."
        )
    elif s.slack_bot_token.startswith("xoxp-"):
        problems.append(
            "SLACK_BOT_TOKEN is a user token (xoxp-…): Parley posts as its bot, so use the "
            "Bot User OAuth Token (xoxb-…) from OAuth & Permissions."
        )
    elif s.slack_bot_token.startswith("xapp-"):
        problems.append(
            "SLACK_BOT_TOKEN is the app-level token (xapp-…), which belongs in SLACK_APP_TOKEN: "
            "use the Bot User OAuth Token (xoxb-…)."
        )
    elif not s.slack_bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN should start with xoxb- (the Bot User OAuth Token).")
    if s.slack_app_token and not s.slack_app_token.startswith("xapp-"):
        problems.append(
            "SLACK_APP_TOKEN should start with xapp- (an app-level token with connections:write)."
        )
    if not s.slack_app_token and not s.slack_signing_secret:
        problems.append(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests "
            "(or set SLACK_APP_TOKEN for Socket Mode)."
        )
    if not s.channel:
        problems.append(
            "PARLEY_CHANNEL is not set: the channel id (C…) where questions are forwarded "
            "(or default_channel in the PARLEY_CONFIG file)."
        )
    return problems


def _people(s: Settings) -> list[str]:
    problems = []
    for name, ids in (
        ("PARLEY_APPROVERS", s.approvers),
        ("PARLEY_EDITORS", s.editors),
        ("PARLEY_ADMINS", s.admins),
    ):
        for part in (p.strip() for p in ids.split(",") if p.strip()):
            if not part.startswith(("U", "W", "S")):
                problems.append(f"{name}: {part!r} is not a Slack user id (U…) or user group id (S…).")
    return problems


def shared_redis_problems(s: Settings, command: str) -> list[str]:
    """A process started on its own (`parley web`, `worker`, `clock`) must share Redis with the others."""
    if s.redis_url:
        return []
    return [
        f"REDIS_URL is not set: `parley {command}` runs beside the other processes (web, worker, clock), "
        "which must all use one Redis; without REDIS_URL it would start an embedded Redis of its own "
        "and never see their data. Set REDIS_URL, or use `parley run` (one command, one embedded Redis)."
    ]
