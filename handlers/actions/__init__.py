"""Draft card buttons: thin listeners that make one fast service call and ack well inside 3 s."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from blocks import ids
from blocks.edit_modal import edit_modal
from blocks.history_modal import history_modal
from blocks.notice import ephemeral_notice
from blocks.regenerate_modal import regenerate_modal
from blocks.reject_modal import reject_modal
from bot.domain import Case
from bot.domain.i18n import _
from bot.services.review import Outcome, Review
from bot.services.team import Team
from handlers.safety import never_raises


def _case_id(body: dict[str, Any]) -> str:
    return str(body["actions"][0]["value"])


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral answer to the person who clicked, leaving the card as it is."""
    notice = ephemeral_notice(text)
    respond(text=notice.text, blocks=notice.blocks, response_type="ephemeral", replace_original=False)


def _checked(review: Review, call: Callable[[], Outcome]) -> Outcome:
    """`call`, asked again once the user groups are loaded if it was unsure. Listeners call this
    after their ack only: loading a group asks Slack."""
    outcome = call()
    if outcome.unsure:
        review.load_groups()
        outcome = call()
    return outcome


def _decision(
    review: Review, decide: Callable[..., Outcome]
) -> Callable[[Ack, dict[str, Any], Respond], None]:
    """A button that changes the case in one Redis transaction (about a millisecond) *before* the
    ack: once Slack sees 200, the decision and its follow-up job are durable, even if this process
    dies the next instant. Whoever is refused is told why, privately. Only when a permission depends
    on a user group not loaded yet does the decision wait until after the ack."""

    def listener(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        case_id, user = _case_id(body), body["user"]["id"]
        outcome = decide(case_id, by=user)
        ack()
        if outcome.unsure:  # it was just asked: load the groups, then ask once more
            review.load_groups()
            outcome = decide(case_id, by=user)
        if outcome.error:
            _tell(respond, outcome.error)

    return listener


def _window(
    review: Review, may: Callable[..., Outcome], window: Callable[[Case], dict[str, Any]]
) -> Callable[[Ack, dict[str, Any], WebClient, Respond], None]:
    """A button that opens a modal for the case, once `may` allows it for the person who clicked."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        case_id, user = _case_id(body), body["user"]["id"]
        outcome = _checked(review, lambda: may(case_id, by=user))
        if outcome.error or outcome.case is None or outcome.case.draft is None:
            _tell(respond, outcome.error or _("This case can no longer be changed."))
            return
        client.views_open(trigger_id=body["trigger_id"], view=window(outcome.case))

    return listener


def register(app: App, review: Review, team: Team) -> None:
    approve, undo, claim = (_decision(review, d) for d in (review.approve, review.undo, review.claim))
    privately, note = (
        _decision(review, d) for d in (partial(review.approve, privately=True), review.public_note)
    )

    edit = _window(
        review, review.start_editing, lambda case: edit_modal(case, saved=list(team.saved_replies()))
    )
    reject = _window(review, review.may_reject, reject_modal)

    def history(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        case = review.get(_case_id(body))
        if case is None:
            _tell(respond, _("This case no longer exists in Parley."))
            return
        client.views_open(trigger_id=body["trigger_id"], view=history_modal(case))

    regenerate = _window(review, review.may_regenerate, regenerate_modal)

    app.action(ids.ACTION_APPROVE)(never_raises(approve))
    app.action(ids.ACTION_RETRY)(never_raises(approve))  # a retry is a new approval of the same text
    app.action(ids.ACTION_UNDO)(never_raises(undo))
    app.action(ids.ACTION_REPLY_PRIVATELY)(never_raises(privately))
    app.action(ids.ACTION_PUBLIC_NOTE)(never_raises(note))
    app.action(ids.ACTION_CLAIM)(never_raises(claim))
    app.action(ids.ACTION_EDIT)(never_raises(edit))
    app.action(ids.ACTION_REJECT)(never_raises(reject))
    app.action(ids.ACTION_HISTORY)(never_raises(history))
    app.action(ids.ACTION_REGENERATE)(never_raises(regenerate))
