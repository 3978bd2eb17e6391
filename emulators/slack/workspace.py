"""The one workspace the emulator knows (team, bot, app ids) and the Slack limits it enforces."""

from __future__ import annotations

from typing import Any

JSONDict = dict[str, Any]

TEAM_ID = "T0001"
TEAM_DOMAIN = "parley-test"
TEAM_NAME = "Parley Test"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0PARLEY"
ACK_DEADLINE = 3.0
TRIGGER_TTL = 3.0
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL = 30 * 60.0
MAX_TEXT = 40_000
MAX_VIEW_STACK = 3
