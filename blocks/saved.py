"""`/parley saved …` answers, and the saved-reply picker of the Edit modal."""

from __future__ import annotations

from collections.abc import Mapping

from blocks.fmt import clip
from blocks.ids import ACTION_SAVED_PICK, BLOCK_SAVED
from blocks.kit import context, option, plain, section
from blocks.message import Block, Message

MAX_OPTIONS = 100  # Slack's cap for a static_select
USAGE = (
    "`/parley saved add <name> <text>` saves a reply; `{name}`, `{handle}` and `{brand}` are filled in "
    "for each case. `/parley saved list` shows them, `/parley saved remove <name>` deletes one. "
    "In the Edit window, pick one from “Insert a saved reply”."
)


def saved_list(replies: Mapping[str, str]) -> Message:
    if not replies:
        return Message(text="No saved replies yet", blocks=[section("No saved replies yet."), context(USAGE)])
    lines = [f"• `{name}`: {clip(text, 280)}" for name, text in replies.items()]
    return Message(
        text=f"{len(replies)} saved replies",
        blocks=[
            section(f"*Saved replies* ({len(replies)})"),
            section(clip("\n".join(lines), 2900, str)),
            context(USAGE),
        ],
    )


def saved_picker(names: list[str]) -> Block | None:
    """A select that replaces the draft with a saved reply (placeholders filled); None when there are none."""
    if not names:
        return None
    return {
        "type": "section",
        "block_id": BLOCK_SAVED,
        "text": {"type": "mrkdwn", "text": "Insert a saved reply"},
        "accessory": {
            "type": "static_select",
            "action_id": ACTION_SAVED_PICK,
            "placeholder": plain("Choose…"),
            "options": [option(name[:75], name) for name in names[:MAX_OPTIONS]],
        },
    }
