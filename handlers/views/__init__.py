"""Modal submissions. Validation errors go back into the modal; nothing is lost or half-applied."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from blocks import ids
from blocks.edit_modal import edit_modal, read_edit, validate_edit
from blocks.regenerate_modal import read_regenerate
from blocks.reject_modal import read_reject
from bot.domain import Network
from bot.services.review import Review
from bot.services.team import Team
from handlers.safety import never_raises


class Modals:
    """Listeners of the Edit, Reject and Regenerate windows."""

    def __init__(self, review: Review, team: Team) -> None:
        self.review = review
        self.team = team

    def save_edit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = read_edit(view)
        case = self.review.get(submission.case_id)
        network = case.post.network if case else Network.X
        errors = validate_edit(
            network, submission.text, block_id=submission.block_id, post=case.post if case else None
        )
        if errors:
            ack(response_action="errors", errors=errors)
            return
        # One Redis transaction (milliseconds), done before the ack so a conflict shows in the modal.
        outcome = self.review.edit(
            submission.case_id,
            submission.text,
            by=body["user"]["id"],
            version=submission.version,
            approve=submission.approve,
        )
        if outcome.error:
            ack(response_action="errors", errors={submission.block_id: outcome.error})
            return
        ack()

    def save_reject(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = read_reject(view)
        outcome = self.review.reject(submission.case_id, by=body["user"]["id"], reason=submission.reason)
        if outcome.error:
            ack(response_action="errors", errors={ids.BLOCK_REASON_TEXT: outcome.error})
            return
        ack()

    def insert_saved(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A saved reply picked in the Edit window replaces the text, placeholders filled for this case."""
        ack()
        view = body["view"]
        meta = json.loads(view.get("private_metadata") or "{}")
        case = self.review.get(str(meta.get("case_id", "")))
        if case is None or case.draft is None:
            return
        text = self.team.saved_reply_for(body["actions"][0]["selected_option"]["value"], case.post)
        if text is None:
            return
        modal = edit_modal(
            case,
            saved=list(self.team.saved_replies()),
            text=text,
            revision=int(meta.get("revision", 0)) + 1,
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal)

    def close_edit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        case_id = str(json.loads(view.get("private_metadata") or "{}").get("case_id", ""))
        if case_id:
            self.review.stop_editing(case_id, by=body["user"]["id"])

    def ask_regenerate(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        request = read_regenerate(view)
        outcome = self.review.request_regenerate(
            request.case_id, by=body["user"]["id"], instruction=request.instruction
        )
        if outcome.error:
            ack(response_action="errors", errors={ids.BLOCK_REGEN_TEXT: outcome.error})
            return
        ack()


def register(app: App, review: Review, team: Team) -> None:
    modals = Modals(review, team)
    app.view(ids.CALLBACK_EDIT)(never_raises(modals.save_edit))
    app.view(ids.CALLBACK_REGENERATE)(never_raises(modals.ask_regenerate))
    app.view_closed(ids.CALLBACK_EDIT)(never_raises(modals.close_edit))
    app.action(ids.ACTION_SAVED_PICK)(never_raises(modals.insert_saved))
    app.view(ids.CALLBACK_REJECT)(never_raises(modals.save_reject))
