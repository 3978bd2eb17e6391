"""A local Jetstream: ``GET /subscribe`` upgraded to a WebSocket, one JSON text message per event.

Follows Jetstream's README (bluesky-social/jetstream): query `wantedCollections` (repeatable,
NSIDs or prefixes like ``app.bsky.*``) and `wantedDids` filter the events; each event is
``{"did", "time_us", "kind": "commit", "commit": {"rev", "operation", "collection", "rkey",
"record", "cid"}}``. Not emulated: `cursor` replay, zstd compression, the options update message.
"""

from __future__ import annotations

import json
from typing import Any

from emulators.push import Client, PushServer
from emulators.socket_mode.frames import (
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    FrameReader,
    encode_frame,
    websocket_accept,
)


class JetstreamServer(PushServer):
    scheme = "ws"

    def open(self, client: Client) -> bytes | None:
        head = client.head
        if head.method != "GET" or head.path.rstrip("/") != "/subscribe":
            return None
        if head.headers.get("upgrade", "").lower() != "websocket" or not head.headers.get(
            "sec-websocket-key"
        ):
            return None
        client.state["collections"] = head.query.get("wantedCollections", [])
        client.state["dids"] = head.query.get("wantedDids", [])
        return (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {websocket_accept(head.headers['sec-websocket-key'])}\r\n\r\n"
        ).encode()

    def receive(self, client: Client, reader: FrameReader) -> None:
        """Answer pings (the websockets client pings every 20 s) and closes; ignore the rest."""
        while not client.closed:
            opcode, _fin, data = reader.read_frame()
            if opcode == OP_PING:
                client.send(encode_frame(OP_PONG, data))
            elif opcode == OP_CLOSE:
                client.send(encode_frame(OP_CLOSE, data[:2]))
                return

    def publish(self, event: dict[str, Any]) -> int:
        """Send `event` to every subscriber whose filters let it through; how many got it."""
        payload = encode_frame(OP_TEXT, json.dumps(event).encode())
        collection = (event.get("commit") or {}).get("collection", "")

        def for_client(client: Client) -> bytes | None:
            wanted, dids = client.state["collections"], client.state["dids"]
            if wanted and not any(_matches(collection, w) for w in wanted):
                return None
            if dids and event.get("did") not in dids:
                return None
            return payload

        return self.broadcast(for_client)


def _matches(collection: str, wanted: str) -> bool:
    return collection.startswith(wanted[:-1]) if wanted.endswith("*") else collection == wanted
