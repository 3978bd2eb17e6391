"""Requests exactly as Slack sends them to an app (signed), and the app's answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from emulators.slack.workspace import ACK_DEADLINE

__all__ = ["AppResponse", "SignedRequest", "parse_form", "retry_headers", "sign"]


@dataclass(frozen=True)
class AppResponse:
    """What the app answered to a driver request."""

    status: int
    body: str
    headers: dict[str, str]
    elapsed: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def acked_in_time(self) -> bool:
        """2xx within Slack's 3 s deadline."""
        return self.ok and self.elapsed <= ACK_DEADLINE

    def json(self) -> Any:
        """The body as JSON, or None when the body is empty."""
        return json.loads(self.body) if self.body.strip() else None


@dataclass(frozen=True)
class SignedRequest:
    """A request exactly as Slack would send it; `send()` it, replay it, or tamper with it."""

    body: bytes
    headers: dict[str, str]
    path: str = "/slack/events"

    @property
    def payload(self) -> Any:
        """The decoded payload (the `payload=` JSON of an interaction, the form of a command, the event)."""
        text = self.body.decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(text)
        form = dict(parse_form(text))
        return json.loads(form["payload"]) if "payload" in form else form

    def with_headers(self, **headers: str) -> SignedRequest:
        """A copy with headers replaced; `X_Slack_Signature=...` means `X-Slack-Signature`."""
        merged = dict(self.headers)
        for name, value in headers.items():
            dashed = name.replace("_", "-")
            for existing in [k for k in merged if k.lower() == dashed.lower()]:
                del merged[existing]
            merged[dashed] = value
        return replace(self, headers=merged)

    def tampered(self) -> SignedRequest:
        """A copy whose signature no longer matches (last hex digit changed)."""
        signature = self.headers["X-Slack-Signature"]
        last = "0" if signature[-1] != "0" else "1"
        return self.with_headers(X_Slack_Signature=signature[:-1] + last)

    def send(self, app_url: str, *, timeout: float = 10.0) -> AppResponse:
        """POST to `app_url + path` and return the app's answer (any status)."""
        request = urllib.request.Request(
            app_url.rstrip("/") + self.path, data=self.body, headers=self.headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                body = answer.read()
                status = int(answer.status)
                headers = dict(answer.headers.items())
        except urllib.error.HTTPError as error:
            with error:
                body = error.read()
                status = error.code
                headers = dict(error.headers.items())
        elapsed = time.perf_counter() - started
        return AppResponse(status, body.decode("utf-8", errors="replace"), headers, elapsed)


def sign(signing_secret: str, timestamp: str | int, body: bytes | str) -> str:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def parse_form(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True)


def retry_headers(retry_num: int | None, reason: str) -> dict[str, str]:
    if retry_num is None:
        return {}
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason}
