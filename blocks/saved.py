"""`/parley saved …` answers, and the saved-reply picker of the Edit modal."""

from __future__ import annotations

from collections.abc import Mapping

from blocks.fmt import clip
from blocks.ids import ACTION_SAVED_PICK, BLOCK_SAVED
from blocks.kit import context, option, plain, section
from blocks.message import Block, Message
from bot.domain.i18n import N_, _, ngettext

MAX_OPTIONS = 100  # Slack's cap for a static_select
USAGE = N_(
    "`/parley saved add <name> <text>` saves a reply; `{name}`, `{handle}` and `{brand}` are filled in "
    "for each case. `/parley saved list` shows them, `/parley saved remove <name>` deletes one. "
    "In the Edit window, pick one from “Insert a saved reply”."
)


def saved_list(replies: Mapping[str, str]) -> Message:
    if not replies:
        return Message(
            text=_("No saved replies yet"), blocks=[section(_("No saved replies yet.")), context(_(USAGE))]
        )
    lines = [f"• `{name}`: {clip(text, 280)}" for name, text in replies.items()]
    return Message(
        text=ngettext("{count} saved replies", "{count} saved replies", len(replies)).format(
            count=len(replies)
        ),
        blocks=[
            section(_("*Saved replies* ({count})").format(count=len(replies))),
            section(clip("\n".join(lines), 2900, str)),
            context(_(USAGE)),
        ],
    )


def saved_picker(names: list[str]) -> Block | None:
    """A select that replaces the draft with a saved reply (placeholders filled); None when there are none."""
    if not names:
        return None
    return {
        "type": "section",
        "block_id": BLOCK_SAVED,
        "text": {"type": "mrkdwn", "text": _("Insert a saved reply")},
        "accessory": {
            "type": "static_select",
            "action_id": ACTION_SAVED_PICK,
            "placeholder": plain(_("Choose…")),
            "options": [option(name[:75], name) for name in names[:MAX_OPTIONS]],
        },
    }
