"""`/parley <subcommand>`, always answered privately. Quick answers come in the acknowledgement
itself; the ones that read many cases (stats, search, mine) ack at once and answer through the
command's response_url."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from blocks.help import help_message
from blocks.kit import context
from blocks.message import Message
from blocks.notice import ephemeral_notice
from blocks.queue import MAX_LISTED, queue_message
from blocks.quota import quota_lines
from blocks.saved import saved_list
from blocks.stats import mine_message, search_message, stats_message
from bot.domain import Network
from bot.domain.i18n import N_, _
from bot.services.insights import PERIODS, Insights
from bot.services.team import Team
from handlers.safety import never_raises

NETWORKS = {n.value: n for n in Network}
SLOW = frozenset({"stats", "search", "mine"})
CONFIGURE = frozenset({"pause", "resume", "digest", "saved add", "saved remove"})
PERIOD_LABELS = {"today": N_("today"), "7d": N_("the last 7 days"), "30d": N_("the last 30 days")}


class ParleyCommand:
    """The `/parley` listener: parse the words, ask one service, answer privately."""

    def __init__(self, team: Team, insights: Insights) -> None:
        self.team = team
        self.insights = insights

    def quick(self, words: list[str], text: str, user: str, *, load: bool = False) -> Message | None:
        """Answers that fit in the acknowledgement; None for the slow ones, and for a change of
        settings whose permission depends on a user group not loaded yet (`load` loads it)."""
        subcommand = words[0].lower() if words else "help"
        if " ".join(words[:2]).lower() in CONFIGURE or subcommand in CONFIGURE:
            verdict = self.team.may_configure(user, load=load)
            if verdict.unsure:
                return None
            if verdict.refusal:
                return ephemeral_notice(verdict.refusal)
        if subcommand == "queue":
            cases, total = self.team.queue(limit=MAX_LISTED)
            return queue_message(cases, self.team.clock(), total=total)
        if subcommand == "saved":
            return self.saved_command(words[1:], text)
        if subcommand == "digest":
            self.team.post_digest_now()
            return ephemeral_notice(_("Posting the digest of the last 24 hours to the Parley channels now."))
        if subcommand in ("pause", "resume"):
            return self.pause(subcommand, words[1:])
        if subcommand in SLOW:
            return None
        return help_message()  # unknown subcommands get help, not an error

    def slow(self, words: list[str], text: str, user: str) -> Message:
        subcommand, rest = words[0].lower(), words[1:]
        if subcommand not in SLOW:  # a change of settings, once the user groups are loaded
            return self.quick(words, text, user, load=True) or help_message()
        if subcommand == "stats":
            return self.stats(rest[0].lower() if rest and rest[0].lower() in PERIODS else "today")
        if subcommand == "mine":
            return mine_message(self.team.mine(user), self.team.clock())
        query = " ".join(rest).strip()
        if not query:
            return ephemeral_notice(_("Search for what? e.g. `/parley search refund`"))
        return search_message(query, self.team.search(query), self.team.clock())

    def stats(self, period: str) -> Message:
        message = stats_message(self.insights.stats(period), _(PERIOD_LABELS[period]))
        tokens, cost, drafts = self.insights.llm_cost(period)
        spend = (
            _("OpenAI: {drafts} draft(s), {tokens} tokens, ${cost}").format(
                drafts=drafts, tokens=f"{tokens:,}", cost=f"{cost:.4f}"
            )
            if drafts
            else _("OpenAI: no drafts")
        )
        quotas = [context(line) for line in quota_lines(self.insights.quota_uses())]
        return Message(text=message.text, blocks=[*message.blocks, context(spend), *quotas])

    def pause(self, action: str, words: list[str]) -> Message:
        network = NETWORKS.get(words[0].lower()) if words else None
        if network is None:
            usage = _("`/parley {action} <network>`: one of {networks}.")
            return ephemeral_notice(usage.format(action=action, networks=", ".join(NETWORKS)))
        if action == "pause":
            self.team.pause(network)
            paused = _("{network} polling is paused. `/parley resume {name}` restarts it.")
            return ephemeral_notice(paused.format(network=network.label, name=network.value))
        self.team.resume(network)
        resumed = _("{network} polling resumed: new posts arrive at the next poll.")
        return ephemeral_notice(resumed.format(network=network.label))

    def saved_command(self, words: list[str], text: str) -> Message:
        action = words[0].lower() if words else "list"
        if action == "add" and len(words) >= 2:
            # Keep the reply's own spacing and line breaks: take it from the raw text.
            reply = text.split(None, 3)[3] if len(words) >= 3 else ""
            problem = self.team.save_reply(words[1], reply)
            saved = _("Saved `{name}`. Pick it in any Edit window.")
            return ephemeral_notice(problem or saved.format(name=words[1]))
        if action == "remove" and len(words) == 2:
            found = self.team.remove_saved_reply(words[1])
            answer = _("Removed `{name}`.") if found else _("There is no saved reply `{name}`.")
            return ephemeral_notice(answer.format(name=words[1]))
        return saved_list(self.team.saved_replies())

    def __call__(self, ack: Ack, command: dict[str, str], respond: Respond) -> None:
        text = command.get("text", "")
        words = text.split()
        answer = self.quick(words, text, command["user_id"])
        if answer is not None:
            ack(text=answer.text, blocks=answer.blocks, response_type="ephemeral")
            return
        ack()
        message = self.slow(words, text, command["user_id"])
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def register(app: App, *, team: Team, insights: Insights) -> None:
    app.command("/parley")(never_raises(ParleyCommand(team, insights)))
