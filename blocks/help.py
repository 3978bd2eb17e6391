"""`/parley help`."""

from __future__ import annotations

from blocks.kit import context, section
from blocks.message import Message
from bot.domain.i18n import N_, _

_INTRO = N_(
    "Parley forwards what is addressed to the brand here (X, Reddit, Facebook, Instagram, Bluesky, "
    "Mastodon, LinkedIn, YouTube, Google reviews), drafts a reply and posts it once approved; "
    "a follow-up joins its thread."
)
_COMMANDS = N_(
    "*Commands*\n"
    "• `/parley help`: this message\n"
    "• `/parley queue`: open cases, oldest first, with links to their threads\n"
    "• `/parley mine`: the cases you took\n"
    "• `/parley stats [today|7d|30d]`: volume, answered, rejected, response times\n"
    "• `/parley digest`: post the digest of the last 24 hours now\n"
    "• `/parley search &lt;text&gt;`: past cases\n"
    "• `/parley pause &lt;network&gt;` / `/parley resume &lt;network&gt;`: stop or restart a network (x, reddit…)\n"
    "• `/parley saved add|list|remove`: saved replies for the Edit window"
)
_BUTTONS = N_(
    "*On a draft card*\n"
    "• *Approve*: post the reply as it is, right away\n"
    "• *Edit*: change the reply (tick “Save and approve” to post it in the same step)\n"
    "• *Reject*: close the case without replying, with an optional reason\n"
    "• *Reply privately*: send the reply as a private message, then *Add a public note* if you like\n"
    "• *Hide* / *Unhide* (Facebook, Instagram): hide a spam or abusive comment\n"
    "• *I'll take it*, *Regenerate*, *History*, and *Undo* for a few seconds after approving"
)


def help_message() -> Message:
    return Message(
        text=_("Parley help: /parley help, queue, mine, stats, digest, search, pause, resume, saved"),
        blocks=[
            section(_(_INTRO)),
            section(_(_COMMANDS)),
            section(_(_BUTTONS)),
            context(_("Every step is logged in the case's thread.")),
        ],
    )
