"""`views.open|push|update|publish`: modals (trigger ids, the view stack) and Home tabs."""

from __future__ import annotations

import copy
import secrets

from emulators.slack.arguments import ApiError, invalid_arguments
from emulators.slack.blocks import normalize, normalize_blocks, random_id
from emulators.slack.records import StoredView
from emulators.slack.state import SlackState
from emulators.slack.validation import validate_view
from emulators.slack.workspace import APP_ID, BOT_ID, MAX_VIEW_STACK, TEAM_ID, JSONDict

__all__ = ["ViewsApi"]


class ViewsApi(SlackState):
    """Modals and Home tabs, as the Web API changes them (the driver reuses `_open_view` / `_replace_view`)."""

    def _consume_trigger(self, params: JSONDict) -> str:
        trigger = self._triggers.get(str(params.get("trigger_id") or ""))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if self.clock() - trigger.issued_at > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def _view_param(self, params: JSONDict, *, kind: str, current_id: str | None = None) -> JSONDict:
        view = params.get("view")
        errors = validate_view(view)
        if not errors and isinstance(view, dict) and view.get("type") != kind:
            errors = ["must be a valid enum value [json-pointer:/view/type]"]
        if errors or not isinstance(view, dict):
            raise invalid_arguments(errors)
        external_id = view.get("external_id")
        if external_id and any(
            v.data.get("external_id") == external_id and v.id != current_id and not v.closed
            for v in self._views.values()
        ):
            raise ApiError("duplicate_external_id")
        return view

    def _new_hash(self) -> str:
        return f"{int(self.clock())}.{secrets.token_hex(4)}"

    def _view_data(self, view: JSONDict, *, view_id: str, root_id: str, previous_id: str | None) -> JSONDict:
        def text(key: str) -> JSONDict | None:
            value = view.get(key)
            return normalize(value) if isinstance(value, dict) else None

        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "title": text("title"),
            "submit": text("submit"),
            "close": text("close"),
            "blocks": normalize_blocks(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata") or "",
            "callback_id": view.get("callback_id") or "",
            "external_id": view.get("external_id") or "",
            "state": {"values": {}},
            "hash": self._new_hash(),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_id,
            "previous_view_id": previous_id,
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }

    def _open_view(self, view: JSONDict, user: str, *, stack: list[str] | None) -> StoredView:
        view_id = random_id("V")
        root_id = stack[0] if stack else view_id
        previous = stack[-1] if stack else None
        stored = StoredView(
            self._view_data(view, view_id=view_id, root_id=root_id, previous_id=previous), user
        )
        self._views[view_id] = stored
        if stack is None:
            self._stacks[view_id] = [view_id]
        else:
            stack.append(view_id)
        return stored

    def _replace_view(self, stored: StoredView, view: JSONDict) -> None:
        stored.data = self._view_data(
            view,
            view_id=stored.id,
            root_id=str(stored.data["root_view_id"]),
            previous_id=stored.data.get("previous_view_id"),
        )
        stored.updates += 1
        stored.errors = None

    def _views_open(self, params: JSONDict) -> JSONDict:
        user = self._consume_trigger(params)
        view = self._view_param(params, kind="modal")
        return {"view": copy.deepcopy(self._open_view(view, user, stack=None).data)}

    def _views_push(self, params: JSONDict) -> JSONDict:
        user = self._consume_trigger(params)
        view = self._view_param(params, kind="modal")
        open_stacks = [
            stack
            for stack in self._stacks.values()
            if stack and self._views[stack[-1]].user == user and not self._views[stack[-1]].closed
        ]
        stack = open_stacks[-1] if open_stacks else None
        if stack is not None and len(stack) >= MAX_VIEW_STACK:
            raise ApiError("push_limit_reached")
        return {"view": copy.deepcopy(self._open_view(view, user, stack=stack).data)}

    def _views_update(self, params: JSONDict) -> JSONDict:
        view_id = str(params.get("view_id") or "")
        external_id = str(params.get("external_id") or "")
        if not view_id and not external_id:
            raise invalid_arguments(["must provide view_id or external_id [json-pointer:/view_id]"])
        stored = self._views.get(view_id) if view_id else None
        if stored is None and external_id:
            stored = next((v for v in self._views.values() if v.data.get("external_id") == external_id), None)
        if stored is None or stored.closed:
            raise ApiError("not_found")
        view = self._view_param(params, kind=stored.type, current_id=stored.id)
        expected = params.get("hash")
        if expected and expected != stored.hash:
            raise ApiError("hash_conflict")
        self._replace_view(stored, view)
        return {"view": copy.deepcopy(stored.data)}

    def _views_publish(self, params: JSONDict) -> JSONDict:
        user = str(params.get("user_id") or "")
        if user not in self._users:
            raise ApiError("user_not_found")
        home_id = self._homes.get(user)
        view = self._view_param(params, kind="home", current_id=home_id)
        if home_id is None:
            stored = self._open_view(view, user, stack=None)
            self._stacks.pop(stored.id, None)
            self._homes[user] = stored.id
        else:
            stored = self._views[home_id]
            expected = params.get("hash")
            if expected and expected != stored.hash:
                raise ApiError("hash_conflict")
            self._replace_view(stored, view)
        return {"view": copy.deepcopy(stored.data)}
