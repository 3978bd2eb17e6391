"""The driver, part 2: a user clicking buttons, picking options, submitting and closing modals."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from emulators.slack.blocks import block_buttons
from emulators.slack.events import EventsDriver
from emulators.slack.records import Ephemeral, Message, ResponseUrlRecord
from emulators.slack.signing import AppResponse, SignedRequest
from emulators.slack.validation import validate_view
from emulators.slack.view_state import state_values
from emulators.slack.views import ViewsApi
from emulators.slack.workspace import APP_ID, MAX_VIEW_STACK, TEAM_DOMAIN, TEAM_ID, JSONDict

__all__ = ["InteractionsDriver"]


@dataclass(frozen=True)
class _Clicked:
    """A message or ephemeral being clicked: its current blocks and where it is."""

    blocks: list[JSONDict]
    channel: str
    ts: str
    thread_ts: str | None
    message: JSONDict | None  # the message as the payload carries it; None for an ephemeral

    @property
    def ephemeral(self) -> bool:
        return self.message is None


class InteractionsDriver(EventsDriver, ViewsApi):
    """Acting as a Slack user on messages and modals; the modal reacts to the app's `response_action`."""

    def click_request(
        self,
        message: Message | Ephemeral,
        button_text: str,
        *,
        user: str = "U_MARIA",
        retry_num: int | None = None,
    ) -> SignedRequest:
        """The signed `block_actions` request for clicking the button whose text contains `button_text`."""
        with self._state:
            clicked = self._clicked(message)
            block_id, button = _pick_button(clicked.blocks, button_text)
            user_ref = self._user_ref(user)
            trigger_id = self._issue_trigger(user)
            response_url = self._new_response_url(
                ResponseUrlRecord(
                    user,
                    clicked.channel,
                    self.clock(),
                    clicked.ts,
                    clicked.ephemeral,
                    thread_ts=clicked.thread_ts,
                )
            )
        channel, thread_ts = clicked.channel, clicked.thread_ts
        container: JSONDict = {
            "type": "message",
            "message_ts": clicked.ts,
            "channel_id": channel,
            "is_ephemeral": clicked.ephemeral,
        }
        if thread_ts:
            container["thread_ts"] = thread_ts
        action = _button_action(block_id, button, action_ts=self._next_ts())
        payload: JSONDict = {
            "type": "block_actions",
            "user": user_ref,
            "api_app_id": APP_ID,
            "token": self.verification_token,
            "container": container,
            "trigger_id": trigger_id,
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": self._channel_name(channel)},
        }
        if clicked.message is not None:
            payload["message"] = clicked.message
        payload.update(state={"values": {}}, response_url=response_url, actions=[action])
        return self._interaction(payload, retry_num)

    def _clicked(self, message: Message | Ephemeral) -> _Clicked:
        """The current version of what is clicked (called with `_state` held)."""
        if isinstance(message, Message):
            current = self._find(message.channel, message.ts)
            if current is None:
                raise KeyError(f"message {message.ts} in {message.channel} no longer exists")
            serialized = self._serialize(current, metadata=False)
            return _Clicked(current.blocks, current.channel, current.ts, current.thread_ts, serialized)
        found = [e for e in self._ephemerals if e.message_ts == message.message_ts and e.user == message.user]
        if not found:
            raise KeyError(f"ephemeral {message.message_ts} no longer exists")
        return _Clicked(found[0].blocks, found[0].channel, found[0].message_ts, None, None)

    def click(
        self,
        app_url: str,
        message: Message | Ephemeral,
        button_text: str,
        *,
        user: str = "U_MARIA",
        retry_num: int | None = None,
    ) -> AppResponse:
        """Click a button in a message (or ephemeral) as `user` and return the app's answer."""
        return self.click_request(message, button_text, user=user, retry_num=retry_num).send(app_url)

    def view_submission_request(
        self,
        view_id: str,
        values: dict[str, dict[str, JSONDict]] | None = None,
        *,
        user: str | None = None,
        enforce_required: bool = True,
    ) -> SignedRequest:
        """The signed `view_submission` for an open modal; `values` is block_id -> action_id -> state.

        Inputs not in `values` keep their initial value. `user` defaults to the modal's owner.
        With `enforce_required`, refuses (ValueError) what the Slack client would not submit.
        """
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.type != "modal":
                raise KeyError(f"no modal {view_id!r}")
            if stored.closed:
                raise ValueError(f"modal {view_id} is closed")
            submitter = user or stored.user
            state = state_values(stored.blocks, values or {}, enforce_required=enforce_required)
            view = copy.deepcopy(stored.data)
            view["state"] = {"values": state}
            payload: JSONDict = {
                "type": "view_submission",
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "user": self._user_ref(submitter),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "trigger_id": self._issue_trigger(submitter),
                "view": view,
                "response_urls": [],
                "is_enterprise_install": False,
                "enterprise": None,
            }
        return self._interaction(payload)

    def select_in_view(
        self, app_url: str, view_id: str, action_id: str, value: str, *, user: str | None = None
    ) -> AppResponse:
        """The user picks `value` in a static_select of an open modal (an accessory, or an input with
        `dispatch_action`): Slack sends `block_actions` with a `view` container and no response_url."""
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.closed:
                raise KeyError(f"no open modal {view_id!r}")
            found = [
                (block, element)
                for block in stored.blocks
                for element in (block.get("accessory"), block.get("element"))
                if isinstance(element, dict) and element.get("action_id") == action_id
            ]
            if not found:
                raise LookupError(f"no element {action_id!r} in modal {view_id}")
            block, element = found[0]
            options = [o for o in element.get("options") or [] if o.get("value") == value]
            if not options:
                raise ValueError(f"{value!r} is not an option of {action_id!r}")
            actor = user or stored.user
            payload: JSONDict = {
                "type": "block_actions",
                "user": self._user_ref(actor),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "container": {"type": "view", "view_id": view_id},
                "trigger_id": self._issue_trigger(actor),
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "enterprise": None,
                "is_enterprise_install": False,
                "view": copy.deepcopy(stored.data),
                "actions": [
                    {
                        "type": "static_select",
                        "action_id": action_id,
                        "block_id": block.get("block_id"),
                        "selected_option": copy.deepcopy(options[0]),
                        "action_ts": self._next_ts(),
                    }
                ],
            }
        return self._interaction(payload).send(app_url)

    def close_view(self, app_url: str, view_id: str, *, user: str | None = None) -> AppResponse:
        """The user closes (cancels) a modal. Slack tells the app only if the view has `notify_on_close`."""
        with self._state:
            stored = self._views.get(view_id)
            if stored is None or stored.type != "modal":
                raise KeyError(f"no modal {view_id!r}")
            stored.closed = True
            notify = bool(stored.data.get("notify_on_close"))
            payload: JSONDict = {
                "type": "view_closed",
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "user": self._user_ref(user or stored.user),
                "api_app_id": APP_ID,
                "token": self.verification_token,
                "view": copy.deepcopy(stored.data),
                "is_cleared": False,
                "is_enterprise_install": False,
                "enterprise": None,
            }
        if not notify:
            return AppResponse(status=200, body="", headers={}, elapsed=0.0)
        return self._interaction(payload).send(app_url)

    def submit_view(
        self,
        app_url: str,
        view_id: str,
        values: dict[str, dict[str, JSONDict]] | None = None,
        *,
        user: str | None = None,
        enforce_required: bool = True,
    ) -> AppResponse:
        """Submit a modal and apply the app's answer to it like Slack (close, errors, update, push, clear)."""
        request = self.view_submission_request(view_id, values, user=user, enforce_required=enforce_required)
        response = request.send(app_url)
        self._apply_view_answer(view_id, response)
        return response

    def _apply_view_answer(self, view_id: str, response: AppResponse) -> None:
        with self._state:
            stored = self._views[view_id]
            if not response.acked_in_time:
                stored.problems.append(
                    f"not acknowledged in time: HTTP {response.status} in {response.elapsed:.2f}s"
                )
                return
            try:
                answer = response.json()
            except ValueError:
                stored.problems.append("answer is not JSON")
                return
            action = answer.get("response_action") if isinstance(answer, dict) else None
            stack = self._stacks.get(str(stored.data["root_view_id"]), [view_id])
            if action is None:
                stored.closed = True
                if view_id in stack:
                    stack.remove(view_id)
            elif action == "errors":
                errors = answer.get("errors") or {}
                stored.errors = dict(errors)
                bad = set(errors) - set(stored.input_block_ids())
                if bad:
                    stored.problems.append(f"errors for non-input block ids: {sorted(bad)}")
            elif action in ("update", "push"):
                problems = validate_view(answer.get("view"))
                if problems:
                    stored.problems.extend(problems)
                elif action == "update":
                    self._replace_view(stored, answer["view"])
                elif len(stack) >= MAX_VIEW_STACK:
                    stored.problems.append("push_limit_reached")
                else:
                    self._open_view(answer["view"], stored.user, stack=stack)
            elif action == "clear":
                for stacked in stack:
                    self._views[stacked].closed = True
                stack.clear()
            else:
                stored.problems.append(f"unknown response_action {action!r}")


def _pick_button(blocks: list[JSONDict], button_text: str) -> tuple[str, JSONDict]:
    buttons = list(block_buttons(blocks))
    wanted = button_text.casefold()
    labels = [str((b.get("text") or {}).get("text", "")) for _, b in buttons]
    exact = [pair for pair, label in zip(buttons, labels, strict=True) if label.casefold() == wanted]
    matches = exact or [
        pair for pair, label in zip(buttons, labels, strict=True) if wanted in label.casefold()
    ]
    if not matches:
        raise LookupError(f"no button containing {button_text!r}; buttons: {labels}")
    if len(matches) > 1:
        raise LookupError(f"several buttons match {button_text!r}; buttons: {labels}")
    return matches[0]


def _button_action(block_id: str, button: JSONDict, *, action_ts: str) -> JSONDict:
    """The `actions[0]` of a `block_actions` payload for a click on `button`."""
    action: JSONDict = {
        "action_id": button.get("action_id"),
        "block_id": block_id,
        "text": copy.deepcopy(button.get("text")),
        "type": "button",
        "action_ts": action_ts,
    }
    for key in ("value", "style"):
        if key in button:
            action[key] = button[key]
    return action
