"""The driver, part 1: signing requests as Slack, slash commands, Events API deliveries, the URL check."""

from __future__ import annotations

import copy
import json
import secrets
import time
from urllib.parse import urlencode

from emulators.slack.blocks import normalize_blocks, random_id
from emulators.slack.records import Ephemeral, Message, ResponseUrlRecord
from emulators.slack.signing import AppResponse, SignedRequest, retry_headers, sign
from emulators.slack.state import SlackState
from emulators.slack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, JSONDict

__all__ = ["EventsDriver"]


class EventsDriver(SlackState):
    """Acting as Slack towards the app: signed requests, slash commands and events."""

    def signed_request(
        self,
        body: bytes | str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> SignedRequest:
        """Sign `body` as Slack does; `timestamp` defaults to now (pass an old one to test replay)."""
        raw = body.encode() if isinstance(body, str) else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            "Accept": "application/json,*/*",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(self.signing_secret, stamp, raw),
            **(headers or {}),
        }
        return SignedRequest(raw, all_headers, path)

    def _interaction(self, payload: JSONDict, retry_num: int | None = None) -> SignedRequest:
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
        headers = retry_headers(retry_num, "http_timeout")
        return self.signed_request(body, content_type="application/x-www-form-urlencoded", headers=headers)

    def slash_command_request(
        self, text: str, *, command: str = "/parley", user: str = "U_MARIA", channel: str = "C_SOCIAL"
    ) -> SignedRequest:
        """The signed slash command request (form-encoded, as Slack sends it)."""
        with self._state:
            user_ref = self._user_ref(user)
            fields = {
                "token": self.verification_token,
                "team_id": TEAM_ID,
                "team_domain": TEAM_DOMAIN,
                "channel_id": channel,
                "channel_name": self._channel_name(channel),
                "user_id": user,
                "user_name": user_ref["name"],
                "command": command,
                "text": text,
                "api_app_id": APP_ID,
                "is_enterprise_install": "false",
                "response_url": self._new_response_url(ResponseUrlRecord(user, channel, self.clock())),
                "trigger_id": self._issue_trigger(user),
            }
        return self.signed_request(urlencode(fields))

    def slash_command(
        self,
        app_url: str,
        text: str,
        *,
        command: str = "/parley",
        user: str = "U_MARIA",
        channel: str = "C_SOCIAL",
    ) -> AppResponse:
        """Run a slash command; a non-empty ack body is shown like Slack (ephemeral or in_channel)."""
        response = self.slash_command_request(text, command=command, user=user, channel=channel).send(app_url)
        if response.acked_in_time and response.body.strip():
            try:
                answer = response.json()
            except ValueError:
                answer = {"text": response.body}
            if isinstance(answer, dict):
                self._show_ack(answer, user=user, channel=channel)
        return response

    def _show_ack(self, answer: JSONDict, *, user: str, channel: str) -> None:
        with self._state:
            text = str(answer.get("text") or "")
            blocks = normalize_blocks(answer.get("blocks") or [])
            if answer.get("response_type") == "in_channel":
                self._store(Message(channel, self._next_ts(), text, blocks, user=BOT_USER_ID, bot_id=BOT_ID))
            else:
                self._ephemerals.append(Ephemeral(channel, user, self._next_ts(), text, blocks, source="ack"))

    def event_request(
        self,
        event: JSONDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> SignedRequest:
        """The signed `event_callback` envelope for `event`; retries carry X-Slack-Retry-* headers."""
        envelope = {
            "token": self.verification_token,
            "team_id": TEAM_ID,
            "context_team_id": TEAM_ID,
            "context_enterprise_id": None,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or random_id("Ev"),
            "event_time": int(self.clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_urlsafe(24),
        }
        return self.signed_request(
            json.dumps(envelope),
            content_type="application/json",
            headers=retry_headers(retry_num, retry_reason),
        )

    def send_event(
        self,
        app_url: str,
        event: JSONDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> AppResponse:
        """Deliver an Events API event (reuse `event_id` with `retry_num` to simulate Slack's retries)."""
        request = self.event_request(event, event_id=event_id, retry_num=retry_num, retry_reason=retry_reason)
        return request.send(app_url)

    def url_verification(self, app_url: str, challenge: str | None = None) -> AppResponse:
        """Slack's Request URL check; a correct app answers with the challenge."""
        body = {
            "token": self.verification_token,
            "challenge": challenge or secrets.token_urlsafe(32),
            "type": "url_verification",
        }
        return self.signed_request(json.dumps(body), content_type="application/json").send(app_url)

    def app_home_opened_event(self, user: str = "U_MARIA", *, tab: str = "home") -> JSONDict:
        """An `app_home_opened` event, with the user's current Home view if one was published."""
        event: JSONDict = {
            "type": "app_home_opened",
            "user": user,
            "channel": "D" + user[1:],
            "tab": tab,
            "event_ts": self._next_ts(),
        }
        with self._state:
            home_id = self._homes.get(user)
            if home_id is not None:
                event["view"] = copy.deepcopy(self._views[home_id].data)
        return event

    def message_event(
        self, channel: str, text: str, *, user: str = "U_MARIA", thread_ts: str | None = None
    ) -> JSONDict:
        """A `message` event for a person's message (store it first with `post_user_message` if needed)."""
        ts = self._next_ts()
        event: JSONDict = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
            "team": TEAM_ID,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event
