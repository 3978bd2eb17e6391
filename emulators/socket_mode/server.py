"""`SocketModeServer`: tickets, connections, envelopes out and acknowledgements in."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulators.http.wire import OpenSockets
from emulators.polling import wait_until
from emulators.socket_mode.frames import (
    MAX_HEAD,
    OP_BINARY,
    OP_CLOSE,
    OP_CONTINUATION,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Connection,
    FrameReader,
    ProtocolError,
)
from emulators.socket_mode.handshake import UpgradeRequest, accept, refuse

__all__ = ["ENVELOPE_TYPES", "Ack", "Envelope", "SocketModeServer"]

JSONDict = dict[str, Any]

ENVELOPE_TYPES = ("interactive", "slash_commands", "events_api")


@dataclass(frozen=True)
class Envelope:
    """An envelope sent to a client."""

    envelope_id: str
    type: str
    payload: JSONDict
    accepts_response_payload: bool
    sent_at: float


@dataclass(frozen=True)
class Ack:
    """A client's acknowledgement: `{"envelope_id": ..., "payload": {...}}`."""

    envelope_id: str
    payload: JSONDict | None
    received_at: float
    elapsed: float | None  # seconds since the envelope was sent (None for unknown envelopes)
    raw: JSONDict

    @property
    def in_time(self) -> bool:
        """Acknowledged within Slack's 3 s."""
        return self.elapsed is not None and self.elapsed <= 3.0


class SocketModeServer:
    """A local Socket Mode WebSocket endpoint; thread-safe. Starts on the first `open_url()`."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, app_id: str = "A0PARLEY") -> None:
        self._host = host
        self._port = port
        self.app_id = app_id
        self._lock = threading.RLock()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []
        self._connections: list[Connection] = []
        self._sockets = OpenSockets()  # every accepted socket, handshake done or not
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self._envelopes: dict[str, Envelope] = {}
        self._acks: list[Ack] = []
        self.messages: list[JSONDict] = []  # every text message received, parsed
        self.handshakes_refused = 0
        self.protocol_errors: list[str] = []

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> str:
        """Listen (idempotent) and return the base URL `ws://host:port`."""
        with self._lock:
            if self._listener is None:
                listener = socket.create_server((self._host, self._port))
                listener.settimeout(0.05)
                self._listener = listener
                self._accept_thread = threading.Thread(
                    target=self._accept_loop, args=(listener,), name="socket-mode-accept", daemon=True
                )
                self._accept_thread.start()
            return self.url

    @property
    def url(self) -> str:
        with self._lock:
            if self._listener is None:
                raise RuntimeError("the Socket Mode server is not started")
            host, port = self._listener.getsockname()[:2]
            return f"ws://{host}:{port}"

    def stop(self) -> None:
        """Close every connection (close frame 1001) and stop listening. Safe to call twice."""
        with self._lock:
            listener, self._listener = self._listener, None
            accept_thread, self._accept_thread = self._accept_thread, None
            connections = list(self._connections)
        if listener is None:
            return
        for conn in connections:
            self._close(conn, 1001, "going away")
        self._sockets.shutdown_all()
        if accept_thread is not None:
            accept_thread.join(timeout=5)
        listener.close()
        with self._lock:
            threads, self._threads = list(self._threads), []
        for thread in threads:
            thread.join(timeout=5)

    def reset(self) -> None:
        """Forget envelopes, acks and received messages (connections stay open)."""
        with self._lock:
            self._envelopes.clear()
            self._acks.clear()
            self.messages.clear()
            self.protocol_errors.clear()
            self.handshakes_refused = 0

    # -- what apps.connections.open answers --------------------------------------------------------

    def open_url(self) -> str:
        """A fresh single-use WebSocket URL, as `apps.connections.open` returns."""
        base = self.start()
        ticket = str(uuid.uuid4())
        with self._lock:
            self._tickets[ticket] = False
        return f"{base}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- driving ---------------------------------------------------------------------------------

    @property
    def connections(self) -> int:
        """How many clients are connected (handshake done, not closed)."""
        with self._lock:
            return sum(1 for c in self._connections if not c.closed)

    def wait_for_connection(self, *, timeout: float = 10.0) -> None:
        self.wait_for(lambda: self.connections > 0, timeout=timeout)

    def socket_send(
        self, envelope_type: str, payload: JSONDict, *, accepts_response_payload: bool | None = None
    ) -> str:
        """Send an envelope to the newest connected client; return its `envelope_id`.

        `accepts_response_payload` defaults to Slack's: true for slash commands, view submissions
        and block suggestions, false otherwise.
        """
        if envelope_type not in ENVELOPE_TYPES:
            raise ValueError(f"envelope type must be one of {ENVELOPE_TYPES}, not {envelope_type!r}")
        if accepts_response_payload is None:
            accepts_response_payload = envelope_type == "slash_commands" or (
                envelope_type == "interactive"
                and payload.get("type") in ("view_submission", "block_suggestion")
            )
        envelope_id = str(uuid.uuid4())
        message = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": envelope_type,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        conn = self._newest()
        with self._lock:
            self._envelopes[envelope_id] = Envelope(
                envelope_id, envelope_type, payload, accepts_response_payload, time.monotonic()
            )
        conn.send_json(message)
        return envelope_id

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's `disconnect` message (`warning`, `refresh_requested`, `link_disabled`)."""
        self._newest().send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-emulator"}}
        )

    @property
    def envelopes(self) -> list[Envelope]:
        with self._lock:
            return list(self._envelopes.values())

    @property
    def acks(self) -> list[Ack]:
        with self._lock:
            return list(self._acks)

    def ack_of(self, envelope_id: str) -> Ack | None:
        with self._lock:
            return next((a for a in self._acks if a.envelope_id == envelope_id), None)

    def wait_for_ack(self, envelope_id: str, *, timeout: float = 3.0) -> Ack:
        """The client's acknowledgement of `envelope_id`; `TimeoutError` if none within `timeout` s."""
        self.wait_for(lambda: self.ack_of(envelope_id) is not None, timeout=timeout)
        ack = self.ack_of(envelope_id)
        assert ack is not None
        return ack

    def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> None:
        wait_until(predicate, timeout=timeout)

    # -- internals -------------------------------------------------------------------------------

    def _newest(self) -> Connection:
        with self._lock:
            live = [c for c in self._connections if not c.closed]
        if not live:
            raise RuntimeError("no Socket Mode client is connected")
        return live[-1]

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            with self._lock:
                if self._listener is not listener:
                    return
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(sock,), name="socket-mode-conn", daemon=True)
            with self._lock:
                self._threads.append(thread)
            self._sockets.add(sock)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            try:
                reader = FrameReader(sock)
                conn = self._handshake(sock, reader)
                if conn is None:
                    return
                try:
                    self._run(conn, reader)
                finally:
                    conn.closed = True
            except (OSError, ConnectionError):
                return
            finally:
                self._sockets.discard(sock)

    def _handshake(self, sock: socket.socket, reader: FrameReader) -> Connection | None:
        upgrade = UpgradeRequest.parse(reader.read_until(b"\r\n\r\n", MAX_HEAD).decode("latin-1"))
        with self._lock:  # a valid ticket is spent by any attempt, even one refused for another reason
            valid_ticket = self._tickets.get(upgrade.ticket) is False
            if valid_ticket:
                self._tickets[upgrade.ticket] = True
        problem = upgrade.problem(valid_ticket=valid_ticket)
        if problem is not None:
            with self._lock:
                self.handshakes_refused += 1
            refuse(sock, problem)
            return None
        accept(sock, upgrade.key)
        conn = Connection(sock, upgrade.ticket)
        with self._lock:
            self._connections.append(conn)
        conn.send_json(
            {
                "type": "hello",
                "num_connections": self.connections,
                "debug_info": {
                    "host": "applink-emulator",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        return conn

    def _run(self, conn: Connection, reader: FrameReader) -> None:
        fragments: list[bytes] = []
        while True:
            try:
                opcode, fin, data = reader.read_frame()
            except ProtocolError as error:
                with self._lock:
                    self.protocol_errors.append(error.reason)
                self._close(conn, error.code, error.reason)
                return
            if opcode == OP_PING:
                conn.send(OP_PONG, data)
                conn.pings += 1
            elif opcode == OP_PONG:
                continue
            elif opcode == OP_CLOSE:
                code = data[:2] if len(data) >= 2 else b""
                if not conn.closed:
                    conn.closed = True
                    with contextlib.suppress(OSError):
                        conn.send(OP_CLOSE, code)
                return
            elif opcode in (OP_TEXT, OP_BINARY) or (opcode == OP_CONTINUATION and fragments):
                fragments.append(data)
                if fin:
                    message, fragments = b"".join(fragments), []
                    self._receive(message)
            else:
                self._close(conn, 1002, f"unexpected opcode {opcode}")
                return

    def _receive(self, message: bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            with self._lock:
                self.protocol_errors.append(f"not JSON: {message[:200]!r}")
            return
        if not isinstance(data, dict):
            return
        with self._lock:
            self.messages.append(data)
            envelope_id = data.get("envelope_id")
            if isinstance(envelope_id, str):
                envelope = self._envelopes.get(envelope_id)
                now = time.monotonic()
                payload = data.get("payload")
                self._acks.append(
                    Ack(
                        envelope_id=envelope_id,
                        payload=payload if isinstance(payload, dict) else None,
                        received_at=now,
                        elapsed=None if envelope is None else now - envelope.sent_at,
                        raw=data,
                    )
                )

    def _close(self, conn: Connection, code: int, reason: str) -> None:
        if conn.closed:
            return
        conn.closed = True
        with contextlib.suppress(OSError):
            conn.send(OP_CLOSE, struct.pack("!H", code) + reason.encode()[:123])
        with contextlib.suppress(OSError):
            conn.sock.shutdown(socket.SHUT_RDWR)
