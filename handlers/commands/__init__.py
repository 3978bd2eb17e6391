"""`/parley <subcommand>`: answered in the acknowledgement itself, ephemerally, from Redis only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_bolt import Ack, App

from bot.saved import SavedReplies
from bot.store import CaseStore
from handlers.blocks.help import help_message
from handlers.blocks.message import Message
from handlers.blocks.notice import ephemeral_notice
from handlers.blocks.queue import MAX_LISTED, queue_message
from handlers.blocks.saved import saved_list


def register(app: App, store: CaseStore, saved: SavedReplies, clock: Callable[[], datetime]) -> None:
    def answer(text: str) -> Message:
        words = text.split()
        subcommand = words[0].lower() if words else "help"
        if subcommand == "queue":
            # Only the cases shown are loaded: decoding is what costs time before the ack.
            return queue_message(store.open_cases(limit=MAX_LISTED), clock(), total=store.open_count())
        if subcommand == "saved":
            return saved_command(words[1:], text)
        return help_message()  # unknown subcommands get help, not an error

    def saved_command(words: list[str], text: str) -> Message:
        action = words[0].lower() if words else "list"
        if action == "add" and len(words) >= 2:
            # Keep the reply's own spacing and line breaks: take it from the raw text.
            reply = text.split(None, 3)[3] if len(words) >= 3 else ""
            problem = saved.add(words[1], reply)
            return ephemeral_notice(problem or f"Saved `{words[1]}`. Pick it in any Edit window.")
        if action == "remove" and len(words) == 2:
            found = saved.remove(words[1])
            return ephemeral_notice(
                f"Removed `{words[1]}`." if found else f"There is no saved reply `{words[1]}`."
            )
        return saved_list(saved.all())

    def parley(ack: Ack, command: dict[str, str]) -> None:
        message = answer(command.get("text", ""))
        ack(text=message.text, blocks=message.blocks, response_type="ephemeral")

    app.command("/parley")(parley)
