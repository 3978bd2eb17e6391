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

# The bot scopes a token gets unless a test says otherwise (`SlackEmulator.scopes`): everything the
# served methods need, so only a test that removes one meets `missing_scope`.
DEFAULT_SCOPES = (
    "chat:write",
    "commands",
    "channels:history",
    "groups:history",
    "files:write",
    "usergroups:read",
    "users:read",
)
# The scopes Slack accepts for each served method (`x-accepted-oauth-scopes`); unlisted: none needed.
# conversations.* take the history scope of the channel's kind: groups:history for a private (G…) one.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.delete": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "conversations.history": ("channels:history",),
    "conversations.replies": ("channels:history",),
    "usergroups.users.list": ("usergroups:read",),
    "users.info": ("users:read",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}
# Methods that answer `not_in_channel` for a channel the bot is not a member of.
MEMBER_METHODS = frozenset({"chat.postMessage", "conversations.history", "conversations.replies"})
