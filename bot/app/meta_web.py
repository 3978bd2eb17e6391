"""`/webhooks/meta` for the web process: Meta's verification GET and its signed deliveries.

Thin on purpose: read the query or the raw body (at most MAX_BODY), hand it to
`bot.services.meta_webhooks.MetaWebhooks`, write its answer as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from bot.app.admin import StartResponse, WSGIApp
from bot.services.meta_webhooks import Answer, MetaWebhooks

MAX_BODY = 1024 * 1024  # Meta batches up to 1,000 changes in a delivery; a few hundred kB at most
_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    405: "405 Method Not Allowed",
    411: "411 Length Required",
    413: "413 Payload Too Large",
}


def meta_webhook(service: MetaWebhooks) -> WSGIApp:
    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET":
            query = {k: v[0] for k, v in parse_qs(str(environ.get("QUERY_STRING") or "")).items()}
            answer = service.verify(
                query.get("hub.mode", ""), query.get("hub.verify_token", ""), query.get("hub.challenge", "")
            )
        elif method == "POST":
            answer = _delivery(service, environ)
        else:
            answer = Answer(405, "GET or POST")
        payload = answer.body.encode()
        start_response(
            _STATUS.get(answer.status, f"{answer.status} Error"),
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    return wsgi


def _delivery(service: MetaWebhooks, environ: dict[str, Any]) -> Answer:
    raw = str(environ.get("CONTENT_LENGTH") or "")
    if not raw.isdigit():
        return Answer(411, "no Content-Length")
    if int(raw) > MAX_BODY:
        return Answer(413, "too large")
    body = environ["wsgi.input"].read(int(raw))
    return service.receive(body, environ.get("HTTP_X_HUB_SIGNATURE_256"))
