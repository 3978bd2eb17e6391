"""MetaEmulator on the wire: Graph's access checks and error bodies, and Meta's signed deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import requests

from emulators.meta import MetaEmulator, Person

FAN = Person("24", "Giulia")


@pytest.fixture
def meta() -> Iterator[MetaEmulator]:
    with MetaEmulator() as emulator:
        yield emulator


def proof(meta: MetaEmulator) -> str:
    return hmac.new(meta.app_secret.encode(), meta.access_token.encode(), hashlib.sha256).hexdigest()


def get(meta: MetaEmulator, path: str, **params: str) -> requests.Response:
    auth = {"access_token": meta.access_token, "appsecret_proof": proof(meta)}
    return requests.get(f"{meta.graph_url}/{path}", params=auth | params, timeout=5)


def test_graph_requires_the_token_and_its_proof(meta: MetaEmulator) -> None:
    assert get(meta, meta.page_id, fields="name").json() == {"id": meta.page_id, "name": "Parley Demo"}
    no_proof = requests.get(
        f"{meta.graph_url}/{meta.page_id}", params={"access_token": meta.access_token}, timeout=5
    )
    assert no_proof.status_code == 400 and no_proof.json()["error"]["code"] == 100
    meta.expire_token()
    expired = get(meta, meta.page_id)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == 190 and expired.json()["error"]["type"] == "OAuthException"


def test_every_answer_carries_the_usage_headers(meta: MetaEmulator) -> None:
    answer = get(meta, f"{meta.page_id}/feed")
    assert json.loads(answer.headers["X-App-Usage"])["call_count"] == meta.usage_percent
    usage = json.loads(answer.headers["X-Business-Use-Case-Usage"])
    assert "estimated_time_to_regain_access" in usage[meta.page_id][0]


def test_a_missing_object_and_a_missing_permission(meta: MetaEmulator) -> None:
    missing = get(meta, "999_999")
    assert missing.json()["error"]["code"] == 100 and missing.json()["error"]["error_subcode"] == 33
    meta.revoke("pages_read_engagement")
    assert get(meta, f"{meta.page_id}/feed").json()["error"]["code"] == 200


def test_a_delivery_is_signed_over_its_exact_bytes(meta: MetaEmulator) -> None:
    received: list[tuple[bytes, dict[str, Any]]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, dict(self.headers.items())))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.handle_request, daemon=True).start()
    meta.webhooks.target = f"http://127.0.0.1:{server.server_address[1]}/webhooks/meta"
    comment = meta.add_comment(meta.add_post("Menu"), "Caffè?", author=FAN)
    assert meta.webhooks.deliver(meta.webhooks.page_comment(comment)).status == 200
    server.server_close()
    [(body, headers)] = received
    expected = "sha256=" + hmac.new(meta.app_secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == expected
    assert b"Caff\\u00e8?" in body  # non-ASCII escaped, as Meta sends it
    payload = json.loads(body)
    assert payload["object"] == "page"
    [change] = payload["entry"][0]["changes"]
    assert change["field"] == "feed" and change["value"]["comment_id"] == comment.id
