"""`/parley help`."""

from __future__ import annotations

from handlers.blocks.kit import context, section
from handlers.blocks.message import Message

_INTRO = "Parley forwards X mentions and Reddit comments here, drafts a reply and posts it once approved."
_COMMANDS = (
    "*Commands*\n"
    "• `/parley help`: this message\n"
    "• `/parley queue`: open cases, oldest first, with links to their threads\n"
    "• `/parley digest`: a summary of recent activity"
)
_BUTTONS = (
    "*On a draft card*\n"
    "• *Approve*: post the reply as it is, right away\n"
    "• *Edit*: change the reply (tick “Save and approve” to post it in the same step)\n"
    "• *Reject*: close the case without replying, with an optional reason"
)


def help_message() -> Message:
    return Message(
        text="Parley help: /parley help, /parley queue, /parley digest",
        blocks=[
            section(_INTRO),
            section(_COMMANDS),
            section(_BUTTONS),
            context("Every step is logged in the case's thread."),
        ],
    )
