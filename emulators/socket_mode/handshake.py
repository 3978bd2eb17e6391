"""The HTTP Upgrade request a Socket Mode client opens with, and the two answers it can get."""

from __future__ import annotations

import base64
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from emulators.socket_mode.frames import websocket_accept

__all__ = ["UpgradeRequest", "accept", "refuse"]


@dataclass(frozen=True)
class UpgradeRequest:
    """The request line and headers of a client's opening handshake (header names lower-cased)."""

    method: str
    path: str
    ticket: str
    headers: dict[str, str]

    @classmethod
    def parse(cls, head: str) -> UpgradeRequest:
        request_line, *lines = head.split("\r\n")
        headers: dict[str, str] = {}
        for line in lines:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        parts = request_line.split(" ")
        target = urlsplit(parts[1] if len(parts) == 3 else "")
        ticket = (parse_qs(target.query).get("ticket") or [""])[0]
        return cls(parts[0], target.path, ticket, headers)

    @property
    def key(self) -> str:
        return self.headers.get("sec-websocket-key", "")

    def problem(self, *, valid_ticket: bool) -> str | None:
        """The HTTP status to refuse the upgrade with, or None to accept it."""
        if self.method != "GET" or self.path.rstrip("/") != "/link":
            return "404 Not Found"
        if not valid_ticket:
            return "401 Unauthorized"
        headers, key = self.headers, self.key
        if (
            headers.get("upgrade", "").lower() != "websocket"
            or "upgrade" not in headers.get("connection", "").lower()
            or headers.get("sec-websocket-version") != "13"
            or len(base64.b64decode(key.encode(), validate=False) if key else b"") != 16
        ):
            return "400 Bad Request"
        return None


def refuse(sock: socket.socket, problem: str) -> None:
    sock.sendall(f"HTTP/1.1 {problem}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())


def accept(sock: socket.socket, key: str) -> None:
    sock.sendall(
        (
            "HTTP/1.1 101 Switching Protocols\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {websocket_accept(key)}\r\n\r\n"
        ).encode()
    )
