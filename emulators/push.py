"""`PushServer`: a raw-socket server for the long-lived connections of network streams.

The HTTP emulators answer one request with one response; a stream keeps its connection open and
pushes events down it. Jetstream (WebSocket, `emulators.bluesky.jetstream`) and Mastodon's streaming
API (server-sent events, `emulators.mastodon.streaming`) are subclasses: they read the request
head, answer the handshake (`open`), and then write events to every open client (`push`).
`drop_all()` closes every open connection at once (a stream dropped mid-burst); `refuse_next(n)`
answers the next n connection attempts with 503 (a stream endpoint that is down).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from emulators.http.wire import OpenSockets
from emulators.polling import wait_until
from emulators.socket_mode.frames import MAX_HEAD, FrameReader, ProtocolError

__all__ = ["Client", "Head", "PushServer"]


@dataclass(frozen=True)
class Head:
    """A request line and its headers (names lower-cased)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    @classmethod
    def parse(cls, raw: str) -> Head:
        request_line, *lines = raw.split("\r\n")
        headers: dict[str, str] = {}
        for line in lines:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        parts = request_line.split(" ")
        target = urlsplit(parts[1] if len(parts) == 3 else "")
        return cls(parts[0], target.path, parse_qs(target.query), headers)


@dataclass
class Client:
    """One open stream: what it asked for, and a lock so pushes from several threads don't interleave."""

    sock: socket.socket
    head: Head
    state: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False

    def send(self, data: bytes) -> bool:
        """Write `data`; False (and the client is closed) when the peer is gone."""
        with self.lock:
            if self.closed:
                return False
            try:
                self.sock.sendall(data)
            except OSError:
                self.closed = True
                return False
        return True


class PushServer:
    """Accepts stream connections on 127.0.0.1; subclasses answer the handshake and frame events."""

    scheme = "http"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host, self._port = host, port
        self._lock = threading.RLock()
        self._listener: socket.socket | None = None
        self._clients: list[Client] = []
        self._sockets = OpenSockets()
        self._refuse = 0
        self.url = ""

    # --- lifecycle ---

    def start(self) -> str:
        if self._listener is not None:
            return self.url
        listener = socket.create_server((self._host, self._port))
        self._listener = listener
        host, port = listener.getsockname()[:2]
        self.url = f"{self.scheme}://{host}:{port}"
        threading.Thread(
            target=self._accept_loop, args=(listener,), name=type(self).__name__, daemon=True
        ).start()
        return self.url

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.close()
        self.drop_all()
        self._sockets.shutdown_all()

    # --- driving ---

    def clients(self) -> list[Client]:
        with self._lock:
            self._clients = [c for c in self._clients if not c.closed]
            return list(self._clients)

    def wait_for_clients(self, count: int = 1, *, timeout: float = 10.0) -> None:
        wait_until(lambda: len(self.clients()) >= count, timeout=timeout)

    def drop_all(self) -> int:
        """Close every open stream now, as a network restart or a proxy timeout would."""
        dropped = self.clients()
        for client in dropped:
            with client.lock:
                client.closed = True
                with contextlib.suppress(OSError):
                    client.sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    client.sock.close()
        return len(dropped)

    def refuse_next(self, times: int) -> None:
        with self._lock:
            self._refuse += times

    def broadcast(self, encode: Callable[[Client], bytes | None]) -> int:
        """Send `encode(client)` to each open client (None: not for this one); how many got it."""
        sent = 0
        for client in self.clients():
            data = encode(client)
            if data is not None and client.send(data):
                sent += 1
        return sent

    # --- for subclasses ---

    def open(self, client: Client) -> bytes | None:
        """The handshake answer for `client` (None: refuse with 404 and close)."""
        raise NotImplementedError

    def receive(self, client: Client, reader: FrameReader) -> None:
        """Read what the client sends after the handshake until it goes (default: wait for EOF)."""
        while client.sock.recv(4096):
            pass

    # --- internals ---

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            self._sockets.add(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = FrameReader(sock)
        client: Client | None = None
        try:
            head = Head.parse(reader.read_until(b"\r\n\r\n", MAX_HEAD).decode("latin-1"))
            with self._lock:
                refused, self._refuse = self._refuse > 0, max(0, self._refuse - 1)
            if refused:
                sock.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                return
            client = Client(sock, head)
            answer = self.open(client)
            if answer is None:
                sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if client.closed:  # the subclass answered (and refused) by itself
                return
            with self._lock:
                self._clients.append(client)
            client.send(answer)
            self.receive(client, reader)
        except (OSError, ValueError, ProtocolError):  # a client that hung up or spoke no WebSocket
            pass
        finally:
            if client is not None:
                client.closed = True
            self._sockets.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()
