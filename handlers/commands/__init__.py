"""`/parley <subcommand>`, always answered privately. Quick answers come in the acknowledgement
itself; the ones that read many cases (stats, search, mine) ack at once and answer through the
command's response_url."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_bolt import Ack, App, Respond

from blocks.help import help_message
from blocks.kit import context
from blocks.message import Message
from blocks.notice import ephemeral_notice
from blocks.queue import MAX_LISTED, queue_message
from blocks.saved import saved_list
from blocks.stats import mine_message, search_message, stats_message
from bot.adapters import keys
from bot.adapters.queue import Jobs
from bot.adapters.saved import SavedReplies
from bot.adapters.store import CaseStore
from bot.domain import Network
from bot.reporting.topics import search_cases
from bot.services.insights import PERIODS, Insights

NETWORKS = {n.value: n for n in Network}


def register(
    app: App,
    *,
    store: CaseStore,
    saved: SavedReplies,
    insights: Insights,
    jobs: Jobs,
    clock: Callable[[], datetime],
) -> None:
    def quick(words: list[str], text: str) -> Message | None:
        """Answers that fit in the acknowledgement; None for the slow ones."""
        subcommand = words[0].lower() if words else "help"
        if subcommand == "queue":
            # Only the cases shown are loaded: decoding is what costs time before the ack.
            return queue_message(store.open_cases(limit=MAX_LISTED), clock(), total=store.open_count())
        if subcommand == "saved":
            return saved_command(words[1:], text)
        if subcommand == "digest":
            jobs.digest(force=True)
            return ephemeral_notice("Posting the digest of the last 24 hours to the Parley channels now.")
        if subcommand in ("pause", "resume"):
            return pause(subcommand, words[1:])
        if subcommand in ("stats", "search", "mine"):
            return None
        return help_message()  # unknown subcommands get help, not an error

    def slow(words: list[str], user: str) -> Message:
        subcommand, rest = words[0].lower(), words[1:]
        if subcommand == "stats":
            period = rest[0].lower() if rest and rest[0].lower() in PERIODS else "today"
            labels = {"today": "today", "7d": "the last 7 days", "30d": "the last 30 days"}
            message = stats_message(insights.stats(period), labels[period])
            tokens, cost, drafts = insights.llm_cost(period)
            spend = (
                f"OpenAI: {drafts} draft(s), {tokens:,} tokens, ${cost:.4f}"
                if drafts
                else "OpenAI: no drafts"
            )
            return Message(text=message.text, blocks=[*message.blocks, context(spend)])
        if subcommand == "mine":
            now = clock()
            return mine_message([c for c in store.open_cases(limit=1000) if c.claimed_by(now) == user], now)
        query = " ".join(rest).strip()
        if not query:
            return ephemeral_notice("Search for what? e.g. `/parley search refund`")
        return search_message(query, search_cases(insights.recent_cases(), query)[:50], clock())

    def pause(action: str, words: list[str]) -> Message:
        network = NETWORKS.get(words[0].lower()) if words else None
        if network is None:
            return ephemeral_notice(f"`/parley {action} <network>`: one of {', '.join(NETWORKS)}.")
        if action == "pause":
            store.redis.set(keys.paused(network.value), b"1")
            return ephemeral_notice(
                f"{network.label} polling is paused. `/parley resume {network.value}` restarts it."
            )
        store.redis.delete(keys.paused(network.value))
        return ephemeral_notice(f"{network.label} polling resumed: new posts arrive at the next poll.")

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

    def parley(ack: Ack, command: dict[str, str], respond: Respond) -> None:
        text = command.get("text", "")
        words = text.split()
        answer = quick(words, text)
        if answer is not None:
            ack(text=answer.text, blocks=answer.blocks, response_type="ephemeral")
            return
        ack()
        message = slow(words, command["user_id"])
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral")

    app.command("/parley")(parley)
