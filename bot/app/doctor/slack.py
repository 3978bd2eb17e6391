"""The doctor's Slack checks: the token, its scopes against what Parley uses, the channels, the secrets' shapes.

Membership is read with `conversations.history` (limit 1), which Parley needs anyway: Slack answers
`not_in_channel` when the bot was not invited. `conversations.info` would tell `is_member` too, but
needs channels:read and groups:read, scopes Parley has no other use for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.adapters.slack_scopes import granted_scopes, needed_scopes
from bot.app.doctor.plain import plainly
from bot.app.doctor.result import Check

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.app.settings import Settings

# Slack ids are upper case: C… public or private channels, G… older private channels. (The
# emulators' readable ids, such as C_SOCIAL, have underscores.)
CHANNEL_ID = re.compile(r"[CG][A-Z0-9_]{2,}")
SIGNING_SECRET = re.compile(r"[0-9a-f]{32}")

_TOKEN_REFUSED = {
    "invalid_auth": "Slack does not know SLACK_BOT_TOKEN: copy the Bot User OAuth Token (xoxb-…) again",
    "not_authed": "SLACK_BOT_TOKEN is empty",
    "account_inactive": "the token belongs to a deactivated user or workspace",
    "token_revoked": "the token was revoked (the app was uninstalled?): reinstall the app and copy the new one",
    "token_expired": "the token expired: turn off token rotation or refresh it",
}


def slack_checks(settings: Settings) -> Iterator[Check]:
    yield from _signing_secret(settings)
    if not settings.slack_bot_token.startswith("xoxb-"):
        return  # the configuration lines said why; a user or app token would only mislead the checks below
    from bot.adapters.slack import make_web_client

    client = make_web_client(settings.slack_bot_token, settings.slack_api_url, wait_on_429=False)
    try:
        auth = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error"))
        yield Check("slack", False, _TOKEN_REFUSED.get(code, f"Slack refused the token ({code})"))
        return
    except Exception as error:
        yield Check("slack", False, plainly(error, settings.slack_api_url))
        return
    yield Check("slack", True, f"connected to {auth.get('team')} as {auth.get('user')}")
    yield _scopes(settings, auth.headers.get("x-oauth-scopes"))
    for channel in channels_of(settings):
        yield _channel(client, channel)
    if settings.slack_app_token.startswith("xapp-"):
        yield _app_token(settings)


def _signing_secret(settings: Settings) -> Iterator[Check]:
    secret = settings.slack_signing_secret
    if secret and not SIGNING_SECRET.fullmatch(secret):
        yield Check(
            "slack signing secret",
            False,
            f"SLACK_SIGNING_SECRET has {len(secret)} characters, not the 32 hexadecimal ones of the Signing "
            "Secret (Basic Information → App Credentials): every request from Slack would be refused",
        )
    elif secret:
        yield Check("slack signing secret", True, "32 hexadecimal characters")


def _scopes(settings: Settings, header: str | None) -> Check:
    granted = granted_scopes(header)
    if granted is None:
        return Check(
            "slack scopes", False, "Slack did not say which scopes the token has (no x-oauth-scopes)"
        )
    roles = f"{settings.approvers},{settings.editors},{settings.admins}"
    user_groups = any(part.strip().startswith("S") for part in roles.split(","))
    needed = needed_scopes(user_groups=user_groups)
    missing = [s for s in needed if s.name not in granted]
    if missing:
        names = ", ".join(s.name for s in missing)
        uses = "; ".join(s.used_for for s in missing)
        return Check(
            "slack scopes",
            False,
            f"the token lacks {names} (for {uses}): add them under OAuth & Permissions "
            "(or create the app from manifest.json), then reinstall the app",
        )
    unused = sorted(granted - {s.name for s in needed})
    return Check(
        "slack scopes",
        True,
        f"{', '.join(s.name for s in needed)} granted"
        + (f"; not needed: {', '.join(unused)}" if unused else ""),
    )


def channels_of(settings: Settings) -> list[str]:
    """PARLEY_CHANNEL, PARLEY_PRIVATE_CHANNEL and every routed channel, once each."""
    channels = (settings.channel, settings.private_channel, *(r.channel for r in settings.routes))
    return list(dict.fromkeys(c for c in channels if c))


def _channel(client: WebClient, channel: str) -> Check:
    name = f"channel {channel}"
    if not CHANNEL_ID.fullmatch(channel):
        return Check(
            name,
            False,
            f"{channel!r} looks like a channel name: use the channel id, C…, not its name "
            "(in Slack: the channel's name → About → Channel ID)",
        )
    try:
        client.conversations_history(channel=channel, limit=1)
    except SlackApiError as error:
        return Check(name, False, _channel_refused(error, channel))
    except Exception as error:
        return Check(name, False, plainly(error, client.base_url))
    return Check(name, True, "the bot is a member")


def _channel_refused(error: SlackApiError, channel: str) -> str:
    code = error.response.get("error")
    if code == "not_in_channel":
        return f"the bot is not a member: type /invite @Parley in {channel}"
    if code == "channel_not_found":
        return (
            "Slack finds no such channel for the bot: check the id; a private channel needs /invite @Parley"
        )
    if code == "missing_scope":
        return f"reading it needs {error.response.get('needed')}, which the token lacks"
    return f"Slack refused to read it ({code})"


def _app_token(settings: Settings) -> Check:
    from slack_sdk import WebClient

    try:
        client = WebClient(base_url=settings.slack_api_url, timeout=10)
        client.apps_connections_open(app_token=settings.slack_app_token)
    except SlackApiError as error:
        return Check(
            "slack app token", False, f"Slack refused SLACK_APP_TOKEN ({error.response.get('error')})"
        )
    except Exception as error:
        return Check("slack app token", False, plainly(error, settings.slack_api_url))
    return Check("slack app token", True, "Socket Mode connections open")
