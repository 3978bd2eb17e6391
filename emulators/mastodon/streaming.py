"""A local Mastodon streaming server: ``GET /api/v1/streaming/user`` as server-sent events.

Followed: Mastodon's streaming API docs (docs.joinmastodon.org/methods/streaming): the token as
``Authorization: Bearer``, ``:)`` written on connect, ``:thump`` heartbeat comments (every 15 s
there; `heartbeat` seconds here), events as ``event: notification`` / ``data: <JSON>`` pairs
ended by a blank line, the body chunked; ``GET /api/v1/streaming/health`` answers ``OK``. Mastodon runs it as a server of its own, announced by
the instance as ``urls.streaming_api``; so does this emulator.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from emulators.push import Client, PushServer
from emulators.socket_mode.frames import FrameReader

STREAMS = {"/api/v1/streaming/user": "user", "/api/v1/streaming/user/notification": "user:notification"}


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


class StreamingServer(PushServer):
    """`token_owner(token)` names the account a token belongs to (None: refused with 401)."""

    def __init__(self, token_owner: Callable[[str], str | None], *, heartbeat: float = 0.5) -> None:
        super().__init__()
        self._owner = token_owner
        self.heartbeat = heartbeat

    def open(self, client: Client) -> bytes | None:
        head = client.head
        if head.method == "GET" and head.path == "/api/v1/streaming/health":
            client.sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"
            )
            client.closed = True
            return b""
        if head.method != "GET" or head.path not in STREAMS:
            return None
        token = head.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or (head.query.get("access_token") or [""])[0]
        owner = self._owner(token)
        if owner is None:
            body = b'{"error":"Error: Invalid access token"}'
            client.sock.sendall(
                b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            client.closed = True
            return b""
        client.state["account"] = owner
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(b":)\n")
        )

    def receive(self, client: Client, reader: FrameReader) -> None:
        """Nothing comes from an SSE client: beat until it goes."""
        stop = threading.Event()
        while not client.closed and not stop.wait(self.heartbeat):
            if not client.send(_chunk(b":thump\n")):
                return

    def push(self, account_id: str, event: str, payload: dict[str, Any]) -> int:
        """Send `event` with `payload` to every stream of `account_id`; how many got it."""
        data = _chunk(f"event: {event}\ndata: {json.dumps(payload)}\n\n".encode())
        return self.broadcast(lambda c: data if c.state.get("account") == account_id else None)
