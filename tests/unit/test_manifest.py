"""manifest.json asks Slack for exactly the scopes Parley uses, and its usage hint lists every subcommand."""

from __future__ import annotations

import json
from pathlib import Path

from bot.adapters.slack_scopes import BOT_SCOPES, granted_scopes, needed_scopes

MANIFEST = json.loads((Path(__file__).parents[2] / "manifest.json").read_text(encoding="utf-8"))
SUBCOMMANDS = ("help", "queue", "mine", "stats", "digest", "search", "pause", "resume", "saved")


def test_the_manifest_asks_for_exactly_the_scopes_in_the_table() -> None:
    asked = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert sorted(asked) == sorted(s.name for s in BOT_SCOPES)
    assert len(asked) == len(set(asked))


def test_the_usage_hint_lists_every_subcommand() -> None:
    (command,) = MANIFEST["features"]["slash_commands"]
    assert [part.strip() for part in command["usage_hint"].split("|")] == list(SUBCOMMANDS)


def test_usergroups_read_is_needed_only_when_a_role_names_a_group() -> None:
    assert "usergroups:read" not in {s.name for s in needed_scopes(user_groups=False)}
    assert {s.name for s in needed_scopes(user_groups=True)} == {s.name for s in BOT_SCOPES}


def test_granted_scopes_read_slacks_header() -> None:
    assert granted_scopes("chat:write, commands,") == frozenset({"chat:write", "commands"})
    assert granted_scopes(None) is None
