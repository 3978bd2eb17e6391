"""Slack's requests checked before anything parses them.

Bolt builds its request object (parsing JSON and forms) before its signature middleware runs, so a
malformed or oversized body, unsigned or not, used to end in a 500 and a traceback. This WSGI layer
refuses, in this order and without parsing: a body over MAX_BODY (413, unread), a missing or stale
timestamp or a wrong signature (401), then a body that is not UTF-8 or not the JSON or form Slack
sends (400). Only what passes reaches Bolt, with the body handed over unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_step,
    to_view,
)

from bot.adapters.metrics import StartResponse, WSGIApp

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # Slack's largest payloads (view submissions) are a few hundred kB
MAX_SKEW = 300  # seconds, as slack_sdk and Slack's documentation say


class Refused(Exception):
    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def body_length(environ: dict[str, Any]) -> int:
    """The declared body length; Refused (411, 413) when missing or above MAX_BODY."""
    raw = str(environ.get("CONTENT_LENGTH") or "")
    if not raw.isdigit():
        raise Refused("411 Length Required", "no Content-Length")
    length = int(raw)
    if length > MAX_BODY:
        raise Refused("413 Payload Too Large", f"body of {length} bytes")
    return length


def _check_signature(environ: dict[str, Any], body: bytes, secret: str, now: float) -> None:
    """Slack's signature, `v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{body}`), over the raw bytes
    (slack_sdk's verifier decodes the body first, and so fails on bytes that are not UTF-8)."""
    if not secret:
        raise Refused("401 Unauthorized", "no SLACK_SIGNING_SECRET configured")
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_SKEW:
        raise Refused("401 Unauthorized", "missing or stale timestamp")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Refused("401 Unauthorized", "bad signature")


# Bolt's own pure readers of a payload: what Bolt runs on every request before any listener.
_READERS = (to_options, to_shortcut, to_action, to_view, to_command, to_event, to_message, to_step)


def _check_shape(environ: dict[str, Any], body: bytes) -> None:
    """The body parses as Bolt parses it (JSON events, forms with a JSON `payload`), and Bolt's
    payload readers accept it: what Slack sends always does."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("400 Bad Request", "body is not UTF-8") from None
    content_type = str(environ.get("CONTENT_TYPE") or "")
    if not _bolt_reads(lambda: BoltRequest(body=text, headers={"content-type": [content_type]})):
        raise Refused("400 Bad Request", "not a payload Slack sends")


def readable_payload(payload: object) -> bool:
    """The same check for a Socket Mode envelope's payload, which arrives already parsed."""
    return isinstance(payload, dict) and _bolt_reads(lambda: BoltRequest(body=payload, mode="socket_mode"))


def _bolt_reads(build: Callable[[], BoltRequest]) -> bool:
    try:
        request = build()
        if not isinstance(request.body, dict):
            return False
        for read in _READERS:
            read(request.body)
    except Exception:  # whatever Bolt trips on here, it would trip on later, with a traceback
        return False
    return True


def guarded(bolt: WSGIApp, signing_secret: str, clock: Callable[[], float] = time.time) -> WSGIApp:
    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = environ["wsgi.input"].read(body_length(environ))
            _check_signature(environ, body, signing_secret, clock())
            _check_shape(environ, body)
        except Refused as refused:
            log.info("refused a request to /slack/events: %s", refused.reason)
            payload = refused.reason.encode()
            start_response(
                refused.status, [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))]
            )
            return [payload]
        environ["wsgi.input"] = io.BytesIO(body)
        return bolt(environ, start_response)

    return wsgi
