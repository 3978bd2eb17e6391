"""The few Slack Web API calls the workers make, behind one small class.

Posting is made safe to retry: every message Parley posts carries message metadata naming the
case and the part (parent or card), so after a crash between "posted" and "stored the ts" the
worker finds the message it already posted instead of posting a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.web import SlackResponse

from bot.adapters.governor import SendGovernor, retry_after_of
from bot.adapters.metrics import Metrics

METADATA_EVENT = "parley_case"


class SlackBusy(Exception):
    """Slack must not be sent to now (our send budget, or a 429): run the job again after `wait` s."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"Slack send budget: retry in {wait:.1f} s")
        self.wait = wait


class MessageGone(Exception):
    """The message to update is no longer in Slack (someone deleted it): retrying cannot help."""


class Renderable(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def blocks(self) -> Sequence[dict[str, Any]]: ...


def make_web_client(token: str, base_url: str, *, timeout: int = 10, wait_on_429: bool = True) -> WebClient:
    """A WebClient that retries 5xx and dropped connections, and (unless told not to) waits out 429s.

    Workers pass `wait_on_429=False`: a 429 then reaches SlackGateway, which tells every process
    (SendGovernor.penalise) and reschedules the job instead of sleeping in the worker.
    """
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    if wait_on_429:
        handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers)


class SlackGateway:
    def __init__(
        self, client: WebClient, governor: SendGovernor | None = None, *, metrics: Metrics | None = None
    ) -> None:
        self.client = client
        self.governor = governor
        self.metrics = metrics

    def _count(self, outcome: str, wait: float = 0.0) -> None:
        if self.metrics is not None:
            self.metrics.api_call("slack", "chat.postMessage", outcome)
            if wait:
                self.metrics.rate_limit_wait("slack", wait)

    def _send(
        self, channel: str, call: Callable[[], SlackResponse], *, before: Callable[[], object] | None = None
    ) -> SlackResponse:
        """Pace chat.postMessage through the shared governor; turn a 429 into SlackBusy for everyone.

        `before` runs once the send is allowed, right before the request (e.g. to mark the attempt).
        """
        if self.governor is not None:
            wait = self.governor.reserve(channel)
            if wait > 0:
                self._count("paced", wait)
                raise SlackBusy(wait)
        if before is not None:
            before()
        try:
            response = call()
        except SlackApiError as error:
            if error.response.status_code != 429:
                self._count("error")
                raise
            retry_after = retry_after_of(error)
            self._count("rate_limited", retry_after)
            if self.governor is not None:
                self.governor.penalise(channel, retry_after)
            raise SlackBusy(retry_after) from error
        self._count("ok")
        return response

    def post(
        self,
        channel: str,
        message: Renderable,
        *,
        case_id: str,
        part: str,
        thread_ts: str | None = None,
        before: Callable[[], object] | None = None,
    ) -> str:
        response = self._send(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=list(message.blocks),
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"case_id": case_id, "part": part}},
            ),
            before=before,
        )
        return str(response["ts"])

    def find_posted(
        self, channel: str, *, case_id: str, part: str, thread_ts: str | None = None
    ) -> str | None:
        """The ts of a message Parley already posted for this case part, if any (recent history only)."""
        if thread_ts is None:
            response = self.client.conversations_history(
                channel=channel, limit=200, include_all_metadata=True
            )
        else:
            response = self.client.conversations_replies(
                channel=channel, ts=thread_ts, limit=200, include_all_metadata=True
            )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and payload.get("case_id") == case_id
                and payload.get("part") == part
            ):
                return str(message["ts"])
        return None

    def announce(self, channel: str, message: Renderable) -> str:
        """A message of Parley's own (the digest), paced like every other post."""
        response = self._send(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel, text=message.text, blocks=list(message.blocks), unfurl_links=False
            ),
        )
        return str(response["ts"])

    def upload_image(self, channel: str, png: bytes, *, title: str) -> None:
        self._send(
            channel,
            lambda: self.client.files_upload_v2(
                channel=channel, content=png, filename="chart.png", title=title
            ),
        )

    def update(self, channel: str, ts: str, message: Renderable) -> None:
        try:
            self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=list(message.blocks))
        except SlackApiError as error:
            if error.response.get("error") == "message_not_found":
                raise MessageGone(f"message {ts} in {channel} was deleted") from error
            raise

    def note(self, channel: str, thread_ts: str, text: str) -> None:
        self._send(
            channel,
            lambda: self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=text, unfurl_links=False
            ),
        )

    def group_members(self, group: str) -> list[str]:
        response = self.client.usergroups_users_list(usergroup=group)
        return [str(u) for u in response.get("users") or []]

    def permalink(self, channel: str, ts: str) -> str | None:
        response = self.client.chat_getPermalink(channel=channel, message_ts=ts)
        link = response.get("permalink")
        return str(link) if link else None
