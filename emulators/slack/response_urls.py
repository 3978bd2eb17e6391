"""`POST /response/<id>`: what an app sends to an interaction's `response_url` (5 uses, 30 minutes)."""

from __future__ import annotations

import json

from emulators.http import RecordedRequest, Response, route
from emulators.slack.arguments import ApiError, check_content, truthy
from emulators.slack.blocks import normalize_blocks
from emulators.slack.records import Ephemeral, Message, ResponseUrlRecord, ResponseUse
from emulators.slack.state import SlackState
from emulators.slack.workspace import BOT_ID, BOT_USER_ID, RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL, JSONDict

__all__ = ["ResponseUrls"]


class ResponseUrls(SlackState):
    """Response URLs: ephemeral or in-channel answers, replacing or deleting the original message."""

    @route("POST", r"/response/(?P<response_id>.+)")
    def _response_url(self, request: RecordedRequest) -> Response:
        response_id = request.path_params["response_id"]
        try:
            payload = request.json() if request.content_type == "application/json" else request.form()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return Response(400, {"ok": False, "error": "invalid_payload"})
        with self._state:
            record = self._response_urls.get(response_id)
            if record is None or self.clock() - record.created_at > RESPONSE_URL_TTL:
                return self._record_use(response_id, "", payload, "rejected", 404, "expired_url")
            if record.uses >= RESPONSE_URL_MAX_USES:
                return self._record_use(response_id, record.user, payload, "rejected", 404, "used_url")
            record.uses += 1
            try:
                action = self._apply_response(record, payload)
            except ApiError as error:
                return self._record_use(response_id, record.user, payload, "rejected", 400, error.error)
            return self._record_use(response_id, record.user, payload, action, 200, None)

    def _record_use(
        self, response_id: str, user: str, payload: JSONDict, action: str, status: int, error: str | None
    ) -> Response:
        self._responses.append(ResponseUse(response_id, user, payload, action, status, error, self.clock()))
        body: JSONDict = {"ok": True} if error is None else {"ok": False, "error": error}
        return Response(status, body)

    def _apply_response(self, record: ResponseUrlRecord, payload: JSONDict) -> str:
        blocks = payload.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        text = str(payload.get("text") or "")
        if truthy(payload.get("delete_original")):
            if record.origin_ts is None:
                raise ApiError("no_original")
            self._delete_origin(record)
            return "delete_original"
        check_content(text, blocks, payload)
        if truthy(payload.get("replace_original")) and record.origin_ts is not None:
            self._replace_origin(record, text, blocks)
            return "replace_original"
        thread_ts = str(payload.get("thread_ts") or "") or record.thread_ts
        if payload.get("response_type") == "in_channel":
            self._store(
                Message(
                    channel=record.channel,
                    ts=self._next_ts(),
                    text=text,
                    blocks=normalize_blocks(blocks or []),
                    user=BOT_USER_ID,
                    bot_id=BOT_ID,
                    thread_ts=thread_ts if thread_ts and self._find(record.channel, thread_ts) else None,
                )
            )
            return "in_channel"
        self._ephemerals.append(
            Ephemeral(
                channel=record.channel,
                user=record.user,
                message_ts=self._next_ts(),
                text=text,
                blocks=normalize_blocks(blocks or []),
                thread_ts=thread_ts,
                source="response_url",
            )
        )
        return "ephemeral"

    def _delete_origin(self, record: ResponseUrlRecord) -> None:
        if record.origin_ephemeral:
            self._ephemerals = [e for e in self._ephemerals if e.message_ts != record.origin_ts]
            return
        message = self._find(record.channel, str(record.origin_ts))
        if message is not None:
            self._messages[record.channel].remove(message)
            self._deleted.append(message)

    def _replace_origin(self, record: ResponseUrlRecord, text: str, blocks: list[JSONDict] | None) -> None:
        if record.origin_ephemeral:
            for ephemeral in self._ephemerals:
                if ephemeral.message_ts == record.origin_ts:
                    ephemeral.text = text
                    ephemeral.blocks = normalize_blocks(blocks or [])
                    ephemeral.replaced += 1
            return
        message = self._find(record.channel, str(record.origin_ts))
        if message is None:
            raise ApiError("message_not_found")
        message.text = text
        message.blocks = normalize_blocks(blocks or [])
        self._record_edit(message)
