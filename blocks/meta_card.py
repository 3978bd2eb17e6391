"""What a Facebook or Instagram case adds to its draft card: the messaging window, Hide, Unhide."""

from __future__ import annotations

from blocks.fmt import slack_date
from blocks.ids import ACTION_HIDE, ACTION_REJECT_WINDOW, ACTION_UNHIDE, BLOCK_MODERATION
from blocks.kit import actions, button, context
from blocks.message import Block
from bot.domain import Case
from bot.domain.i18n import _
from bot.domain.moderation import closed_by_hiding, hideable, is_hidden
from bot.domain.windows import HUMAN_AGENT_WINDOW, STANDARD_WINDOW, Phase, Window, reply_window

WINDOW_CLOSED_REASON = "window closed"


def _seen_at(case: Case) -> Window | None:
    """The window as of the case's latest event (a card is drawn when something happens to it)."""
    at = case.last_activity
    return reply_window(case.post, at)


def window_line(case: Case) -> Block | None:
    """How long a message can still be answered where it was sent; None for anything but a message."""
    window = _seen_at(case)
    if window is None or not case.state.is_open:
        return None
    standard = slack_date(case.post.created_at + STANDARD_WINDOW)
    tagged = slack_date(case.post.created_at + HUMAN_AGENT_WINDOW)
    if window.phase is Phase.STANDARD:
        return context(
            _(
                "🕐 Reply window: answer by {standard}; after that only as a person (human agent tag) until {tagged}."
            ).format(standard=standard, tagged=tagged)
        )
    if window.phase is Phase.HUMAN_AGENT:
        return context(
            _(
                "🕐 The 24-hour window has passed: the reply goes out with the human agent tag, possible until {tagged}."
            ).format(tagged=tagged)
        )
    return context(
        _("⛔ The messaging window closed on {tagged}: this message can no longer be answered there.").format(
            tagged=tagged
        )
    )


def window_closed(case: Case) -> bool:
    window = _seen_at(case)
    return window is not None and window.phase is Phase.CLOSED


def extra_buttons(case: Case) -> list[Block]:
    """Buttons beside Approve/Edit/Reject: Hide for a public comment, Reject "window closed"."""
    found = []
    if window_closed(case):
        found.append(button(_("Reject: window closed"), action_id=ACTION_REJECT_WINDOW, value=case.id))
    if hideable(case.post) and not is_hidden(case):
        found.append(button(_("Hide"), action_id=ACTION_HIDE, value=case.id, style="danger"))
    return found


def unhide_block(case: Case) -> Block | None:
    """Unhide, under a case closed by hiding its comment."""
    if not (closed_by_hiding(case) and is_hidden(case)):
        return None
    return actions(button(_("Unhide"), action_id=ACTION_UNHIDE, value=case.id), block_id=BLOCK_MODERATION)
