"""`/webhooks/meta` for the web process: Meta's verification GET and its signed deliveries.

Thin on purpose: read the query or the raw body (at most MAX_BODY), hand it to
`bot.services.meta_webhooks.MetaWebhooks`, write its answer as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from bot.adapters.metrics import StartResponse, WSGIApp
from bot.app.request_guard import Refused, body_length
from bot.services.meta_webhooks import Answer, MetaWebhooks


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
            f"{answer.status} {HTTPStatus(answer.status).phrase}",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    return wsgi


def _delivery(service: MetaWebhooks, environ: dict[str, Any]) -> Answer:
    try:  # the same limits as Slack's requests (Meta's deliveries are a few hundred kB at most)
        length = body_length(environ)
    except Refused as refused:
        return Answer(int(refused.status.split()[0]), refused.reason)
    body = environ["wsgi.input"].read(length)
    return service.receive(body, environ.get("HTTP_X_HUB_SIGNATURE_256"))
