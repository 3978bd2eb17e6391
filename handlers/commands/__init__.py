"""`/parley <subcommand>`: answered in the acknowledgement itself, ephemerally, from Redis only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_bolt import Ack, App

from bot.store import CaseStore
from handlers.blocks.help import help_message
from handlers.blocks.message import Message
from handlers.blocks.queue import MAX_LISTED, queue_message


def register(app: App, store: CaseStore, clock: Callable[[], datetime]) -> None:
    def answer(text: str) -> Message:
        words = text.split()
        subcommand = words[0].lower() if words else "help"
        if subcommand == "queue":
            # Only the cases shown are loaded: decoding is what costs time before the ack.
            return queue_message(store.open_cases(limit=MAX_LISTED), clock(), total=store.open_count())
        return help_message()  # unknown subcommands get help, not an error

    def parley(ack: Ack, command: dict[str, str]) -> None:
        message = answer(command.get("text", ""))
        ack(text=message.text, blocks=message.blocks, response_type="ephemeral")

    app.command("/parley")(parley)
