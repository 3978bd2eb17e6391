"""A conversation's later messages in the case thread: each follow-up, and the cards it replaced."""

from __future__ import annotations

from blocks.fmt import author, clip, drafter_label, link, mention, quoted
from blocks.kit import SECTION_TEXT, context, section
from blocks.message import Message
from bot.domain import Case, State, Turn
from bot.domain.i18n import _, ngettext

FALLBACK_BUDGET = 300


def follow_up_message(case: Case, *, notify: str | None = None) -> Message:
    """The newest message of the conversation, posted in its thread; `notify` (a Slack user id:
    whoever took the case) is mentioned so the follow-up reaches them."""
    post = case.post
    line = _("💬 *Message {number}* from {author}").format(number=case.turn + 1, author=author(post))
    if notify:
        line += " · " + _("for {who}").format(who=mention(notify))
    blocks = [
        section(line),
        section(quoted(post.text, SECTION_TEXT)),
        context(link(post.url, _("View on {network}").format(network=post.network.label))),
    ]
    if case.private:
        fallback = _("New private message from {name}").format(name=post.author.name)
    else:
        fallback = _("{name} wrote again: {text}").format(name=post.author.name, text=post.text)
    return Message(text=clip(fallback, FALLBACK_BUDGET), blocks=blocks)


def earlier_card(turn: Turn) -> Message:
    """A draft card once the conversation moved on: what was answered, or that it was not."""
    if turn.draft is None:
        return Message(
            text=_("No reply was drafted"), blocks=[context(_("⏭️ A newer message came before a draft."))]
        )
    if turn.reply is not None:
        how = _("🔒 Sent privately by {who}") if turn.privately else _("✅ Posted by {who}")
        done = how.format(who=mention(turn.answered_by)) + " · " + link(turn.reply.url, _("View reply"))
    else:
        done = _("⏭️ Not sent: the conversation moved on (see the newer message below).")
    blocks = [
        section(quoted(turn.draft.text, SECTION_TEXT)),
        context(drafter_label(turn.draft)),
        section(done),
    ]
    return Message(text=clip(_("Draft reply: {text}").format(text=turn.draft.text), 300), blocks=blocks)


def removed_message() -> Message:
    """What a message of a person who asked to be forgotten shows instead."""
    return Message(text=_("Removed on request"), blocks=[context(_("🗑️ _Removed on request._"))])


def conversation_summary(case: Case) -> str:
    """ "3 messages · they wait for us", or "… · we wait for them" once the newest is answered."""
    count = ngettext("{count} message", "{count} messages", case.messages).format(count=case.messages)
    waiting = _("we wait for them") if case.state is State.POSTED else _("they wait for us")
    return f"💬 {count} · {waiting}"
