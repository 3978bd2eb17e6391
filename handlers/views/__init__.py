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


def register(app: App, review: Review, team: Team) -> None:
    def save_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = read_edit(view)
        case = review.get(submission.case_id)
        network = case.post.network if case else Network.X
        errors = validate_edit(network, submission.text, block_id=submission.block_id)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        # One Redis transaction (milliseconds), done before the ack so a conflict shows in the modal.
        outcome = review.edit(
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

    def save_reject(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = read_reject(view)
        outcome = review.reject(submission.case_id, by=body["user"]["id"], reason=submission.reason)
        if outcome.error:
            ack(response_action="errors", errors={ids.BLOCK_REASON_TEXT: outcome.error})
            return
        ack()

    def insert_saved(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A saved reply picked in the Edit window replaces the text, placeholders filled for this case."""
        ack()
        view = body["view"]
        meta = json.loads(view.get("private_metadata") or "{}")
        case = review.get(str(meta.get("case_id", "")))
        if case is None or case.draft is None:
            return
        text = team.saved_reply_for(body["actions"][0]["selected_option"]["value"], case.post)
        if text is None:
            return
        modal = edit_modal(
            case,
            saved=list(team.saved_replies()),
            text=text,
            revision=int(meta.get("revision", 0)) + 1,
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal)

    def close_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        case_id = str(json.loads(view.get("private_metadata") or "{}").get("case_id", ""))
        if case_id:
            review.stop_editing(case_id, by=body["user"]["id"])

    def ask_regenerate(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        request = read_regenerate(view)
        outcome = review.request_regenerate(
            request.case_id, by=body["user"]["id"], instruction=request.instruction
        )
        if outcome.error:
            ack(response_action="errors", errors={ids.BLOCK_REGEN_TEXT: outcome.error})
            return
        ack()

    app.view(ids.CALLBACK_EDIT)(save_edit)
    app.view(ids.CALLBACK_REGENERATE)(ask_regenerate)
    app.view_closed(ids.CALLBACK_EDIT)(close_edit)
    app.action(ids.ACTION_SAVED_PICK)(insert_saved)
    app.view(ids.CALLBACK_REJECT)(save_reject)
