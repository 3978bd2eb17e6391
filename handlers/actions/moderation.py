"""Facebook and Instagram buttons on the draft card: Hide, Unhide, and Reject "window closed".

Decisions like Approve's: one Redis transaction before the ack (bot.services.moderation), then a
private word to whoever was refused.
"""

from __future__ import annotations

from slack_bolt import App

from blocks import ids
from blocks.meta_card import WINDOW_CLOSED_REASON
from bot.services.moderation import Moderator
from bot.services.review import Outcome, Review
from handlers.actions import _decision
from handlers.safety import never_raises


def register(app: App, review: Review, moderator: Moderator) -> None:
    def reject_window(case_id: str, *, by: str) -> Outcome:
        return review.reject(case_id, by=by, reason=WINDOW_CLOSED_REASON)

    app.action(ids.ACTION_HIDE)(never_raises(_decision(review, moderator.hide)))
    app.action(ids.ACTION_UNHIDE)(never_raises(_decision(review, moderator.unhide)))
    app.action(ids.ACTION_REJECT_WINDOW)(never_raises(_decision(review, reject_window)))
