"""Draft card buttons: thin listeners that make one fast service call and ack well inside 3 s."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.services.review import Review
from handlers.blocks import ids
from handlers.blocks.edit_modal import edit_modal
from handlers.blocks.notice import ephemeral_notice
from handlers.blocks.reject_modal import reject_modal


def _case_id(body: dict[str, Any]) -> str:
    return str(body["actions"][0]["value"])


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral answer to the person who clicked, leaving the card as it is."""
    notice = ephemeral_notice(text)
    respond(text=notice.text, blocks=notice.blocks, response_type="ephemeral", replace_original=False)


def register(app: App, review: Review) -> None:
    def approve(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        # One Redis transaction (about a millisecond) before the ack: once Slack sees 200, the
        # approval and its publish job are durable, even if this process dies the next instant.
        outcome = review.approve(_case_id(body), by=body["user"]["id"])
        ack()
        if outcome.error:
            _tell(respond, outcome.error)

    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        case = review.get(_case_id(body))
        if case is None:
            _tell(respond, "This case no longer exists in Parley.")
            return
        if not case.state.is_open or case.draft is None:
            _tell(respond, "This case can no longer be changed.")
            return
        builder = edit_modal if body["actions"][0]["action_id"] == ids.ACTION_EDIT else reject_modal
        client.views_open(trigger_id=body["trigger_id"], view=builder(case))

    app.action(ids.ACTION_APPROVE)(approve)
    app.action(ids.ACTION_EDIT)(open_modal)
    app.action(ids.ACTION_REJECT)(open_modal)
