"""The Slack bot scopes Parley uses, each with the Web API methods (or feature) that need it.

This table is the one source: `manifest.json` asks for exactly these scopes (a test checks it) and
`parley doctor` compares them with the scopes Slack says the token has (`x-oauth-scopes`).
Not needed: `chat:write.public` (the bot is invited to its channels), `channels:read`,
`groups:read` and `users:read` (no conversations.info, conversations.list or users.info call).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    name: str
    used_for: str  # what a team would miss without it
    methods: str  # the Web API methods (or the feature) that need it
    only_with_user_groups: bool = False  # needed only when a role names a user group (S…)


BOT_SCOPES: tuple[Scope, ...] = (
    Scope("chat:write", "posting cards and replies", "chat.postMessage, chat.update"),
    Scope("commands", "the /parley command", "slash command"),
    Scope("channels:history", "finding posted messages in public channels", "conversations.history|replies"),
    Scope("groups:history", "finding posted messages in private channels", "conversations.history|replies"),
    Scope("files:write", "the digest's chart", "files.getUploadURLExternal, files.completeUploadExternal"),
    Scope(
        "usergroups:read",
        "user groups (S…) named in PARLEY_APPROVERS, PARLEY_EDITORS or PARLEY_ADMINS",
        "usergroups.users.list",
        only_with_user_groups=True,
    ),
)


def needed_scopes(*, user_groups: bool) -> tuple[Scope, ...]:
    """The scopes the configured features need: all, less usergroups:read when no role names a group."""
    return tuple(s for s in BOT_SCOPES if user_groups or not s.only_with_user_groups)


def granted_scopes(header: str | None) -> frozenset[str] | None:
    """The scopes in Slack's `x-oauth-scopes` header ("chat:write,commands"); None when it is absent."""
    if header is None:
        return None
    return frozenset(part.strip() for part in header.split(",") if part.strip())
