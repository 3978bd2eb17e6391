"""RFC 6455 framing: the accept key, server frames, buffered reads of client frames, one connection."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_HEAD",
    "MAX_MESSAGE",
    "OP_BINARY",
    "OP_CLOSE",
    "OP_CONTINUATION",
    "OP_PING",
    "OP_PONG",
    "OP_TEXT",
    "Connection",
    "FrameReader",
    "ProtocolError",
    "encode_frame",
    "websocket_accept",
]

JSONDict = dict[str, Any]

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_HEAD = 16 * 1024
MAX_MESSAGE = 16 * 1024 * 1024


def websocket_accept(key: str) -> str:
    """The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key` (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + _GUID).encode(), usedforsecurity=False).digest()).decode()


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """A single unmasked (server-to-client) frame with FIN set."""
    length = len(payload)
    if length <= 125:
        head = struct.pack("!BB", 0x80 | opcode, length)
    elif length <= 0xFFFF:
        head = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return head + payload


class ProtocolError(Exception):
    """A client frame breaking RFC 6455; `code` is the close code to answer with."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Connection:
    """A client that completed the handshake; sends are serialized (acks and pongs race)."""

    sock: socket.socket
    ticket: str
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False
    pings: int = 0

    def send(self, opcode: int, payload: bytes) -> None:
        with self.send_lock:
            self.sock.sendall(encode_frame(opcode, payload))

    def send_json(self, data: JSONDict) -> None:
        self.send(OP_TEXT, json.dumps(data).encode())


class FrameReader:
    """Buffered reads of the handshake and of client frames."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""

    def _fill(self) -> None:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the client")
        self._buffer += chunk

    def read_until(self, marker: bytes, limit: int) -> bytes:
        while marker not in self._buffer:
            if len(self._buffer) > limit:
                raise ConnectionError("request head too large")
            self._fill()
        head, _, self._buffer = self._buffer.partition(marker)
        return head

    def read_exact(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def read_frame(self) -> tuple[int, bool, bytes]:
        b1, b2 = self.read_exact(2)
        fin, opcode = bool(b1 & 0x80), b1 & 0x0F
        if b1 & 0x70:
            raise ProtocolError(1002, "reserved bits set without an extension")
        if not b2 & 0x80:
            raise ProtocolError(1002, "client frames must be masked")
        length = b2 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.read_exact(8))
        if opcode >= 0x8 and (length > 125 or not fin):
            raise ProtocolError(1002, "control frames must be short and unfragmented")
        if length > MAX_MESSAGE:
            raise ProtocolError(1009, "message too big")
        mask = self.read_exact(4)
        masked = self.read_exact(length)
        keystream = (mask * (length // 4 + 1))[:length]
        data = (int.from_bytes(masked, "big") ^ int.from_bytes(keystream, "big")).to_bytes(length, "big")
        return opcode, fin, data
