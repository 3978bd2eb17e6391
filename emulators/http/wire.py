"""The HTTP/1.1 side of an emulator: reading requests off a socket and writing answers back.

Kept apart from `Emulator` so the emulator itself only sees `RecordedRequest` and `Response`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Protocol
from urllib.parse import parse_qs, urlsplit

from emulators.http.messages import RecordedRequest, Response

__all__ = ["OpenSockets", "Server", "request_handler_class"]


class OpenSockets:
    """The sockets a server holds open, so `stop()` can shut them (keep-alive clients would linger)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def shutdown_all(self) -> None:
        """Shut down (read and write) every socket still open; errors of already-dead sockets are ignored."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class _Host(Protocol):
    """What the request handler needs from its emulator."""

    @property
    def open_sockets(self) -> OpenSockets: ...

    def handle(self, request: RecordedRequest) -> Response: ...


class _RequestHandler(BaseHTTPRequestHandler):
    host: ClassVar[_Host]  # set by `request_handler_class`
    protocol_version = "HTTP/1.1"
    timeout = 30
    # Headers and body go out in two sends: without TCP_NODELAY a keep-alive client waits
    # for the delayed ACK (~40 ms a request).
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.host.open_sockets.add(self.connection)

    def finish(self) -> None:
        self.host.open_sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _record(self) -> RecordedRequest:
        parts = urlsplit(self.path)
        lists = parse_qs(parts.query, keep_blank_values=True)
        return RecordedRequest(
            method=self.command.upper(),
            path=parts.path,
            query={k: v[0] for k, v in lists.items()},
            query_lists=lists,
            headers=dict(self.headers.items()),
            body=self._read_body(),
            timestamp=time.time(),
        )

    def _serve(self) -> None:
        request = self._record()
        try:
            response = self.host.handle(request)
        except Exception as exc:  # a bug in an emulator route: answer 500, visibly
            response = Response(500, {"error": "emulator_error", "detail": repr(exc)})
            request.response = response
        payload, content_type = response.encode()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


def request_handler_class(host: _Host) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `host` (the server instantiates it once a connection)."""
    return type("EmulatorRequestHandler", (_RequestHandler,), {"host": host})
