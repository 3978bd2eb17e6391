"""A small HTTP emulator base on the standard library, shared by every platform emulator.

An `Emulator` runs a `ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, records every
request it receives (including ones answered by injected failures) and dispatches the rest to
routes that subclasses declare with `@route(method, pattern)` or add with `add_route()`.

Failure injection for every emulator: `fail_next(path_regex, status=..., times=..., delay=...)`
answers the next matching requests with an error (the subclass's `failure_response()` picks the
platform's usual body when none is given); `delay(path_regex, seconds)` slows matching requests
until `reset()`. `wait_for(predicate)` polls for asynchronous effects; `serve_wsgi(app)` runs a
WSGI app (e.g. Bolt's `SlackRequestHandler`) on a local port for end-to-end tests.

Faithful: real sockets, HTTP/1.1 keep-alive, Content-Length and chunked request bodies, any
status code and headers, slow answers. Simplified: no TLS, no HTTP/2, no `Expect: 100-continue`.

Example::

    class Pets(Emulator):
        @route("GET", r"/pets/(?P<pet_id>\\d+)")
        def get_pet(self, request: RecordedRequest) -> Response:
            return Response(200, {"id": request.path_params["pet_id"]})

    with Pets() as pets:
        pets.fail_next(r"^/pets/", status=503, times=2)
        ...  # call pets.url + "/pets/1"
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import ThreadingMixIn
from typing import Any, Self, TypeVar
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.types import WSGIApplication

__all__ = [
    "Emulator",
    "Handler",
    "RecordedRequest",
    "Response",
    "route",
    "serve_wsgi",
]


@dataclass
class RecordedRequest:
    """One request as the emulator received it.

    `query` and `form()` keep the first value of each key; `query_lists` keeps all of them.
    `headers` keeps the names as sent; use `header()` for a case-insensitive lookup.
    `path_params` holds the named groups of the route pattern that matched (empty otherwise);
    `response` is what the emulator answered (set once the answer is ready).
    """

    method: str
    path: str
    query: dict[str, str]
    query_lists: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    timestamp: float
    path_params: dict[str, str] = field(default_factory=dict)
    response: Response | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str, default: str | None = None) -> str | None:
        """Case-insensitive header lookup."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON (raises `ValueError` if it is not JSON)."""
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        """The body parsed as `application/x-www-form-urlencoded` (first value of each key)."""
        return {k: v[0] for k, v in parse_qs(self.text, keep_blank_values=True).items()}

    def params(self) -> dict[str, Any]:
        """Query, form and JSON-object body merged (body wins): handy for RPC-style APIs."""
        merged: dict[str, Any] = dict(self.query)
        if self.content_type == "application/json":
            data = self.json()
            if isinstance(data, dict):
                merged.update(data)
        elif self.body:
            merged.update(self.form())
        return merged


@dataclass
class Response:
    """An answer. `body`: bytes and str are sent as is, anything else as JSON (None: no body)."""

    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None

    def encode(self) -> tuple[bytes, str]:
        """The body bytes and the Content-Type to send."""
        if self.body is None:
            return b"", self.content_type or "application/json"
        if isinstance(self.body, bytes):
            return self.body, self.content_type or "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), self.content_type or "application/json; charset=utf-8"


Handler = Callable[[RecordedRequest], Response]
_F = TypeVar("_F", bound=Callable[..., Response])
_ROUTE_ATTR = "__emulator_route__"


def route(method: str, pattern: str) -> Callable[[_F], _F]:
    """Mark an `Emulator` method as the handler of `method` requests whose path fully matches `pattern`."""

    def mark(func: _F) -> _F:
        routes: list[tuple[str, str]] = list(getattr(func, _ROUTE_ATTR, []))
        routes.append((method.upper(), pattern))
        setattr(func, _ROUTE_ATTR, routes)
        return func

    return mark


@dataclass
class _Failure:
    pattern: re.Pattern[str]
    method: str | None
    status: int
    body: object
    headers: dict[str, str]
    times: int
    delay: float


@dataclass
class _Delay:
    pattern: re.Pattern[str]
    method: str | None
    seconds: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class Emulator:
    """Base class: start/stop a local HTTP server, record requests, route them, inject failures.

    Subclasses declare routes with `@route(...)`; extend `reset()` to clear their own state
    (call `super().reset()`), and override `failure_response()` to shape injected failures.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._failures: list[_Failure] = []
        self._delays: list[_Delay] = []
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._url: str | None = None
        seen: set[str] = set()
        for klass in type(self).__mro__:  # subclass routes first, each class in definition order
            for name, member in vars(klass).items():
                if name in seen:
                    continue
                seen.add(name)
                for method, pattern in getattr(member, _ROUTE_ATTR, []):
                    self.add_route(method, pattern, getattr(self, name))

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> str:
        """Start serving in a daemon thread and return the base URL (`http://127.0.0.1:PORT`)."""
        if self._server is not None:
            return self.url
        server = _Server((self._host, self._port), self._handler_class())
        self._server = server
        host, port = server.server_address[:2]
        self._url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{type(self).__name__}-server",
            daemon=True,
        )
        self._thread.start()
        return self._url

    def stop(self) -> None:
        """Stop serving and close every open connection. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = None
        self._thread = None
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL without a trailing slash; raises if the emulator is not started."""
        if self._url is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._url

    # -- routes and recording ----------------------------------------------------------------

    def add_route(self, method: str, pattern: str, handler: Handler) -> None:
        """Route `method` requests whose path fully matches the regex `pattern` to `handler`."""
        with self._lock:
            self._routes.append((method.upper(), re.compile(pattern), handler))

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path_regex: str, *, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose path matches `path_regex` (`re.search`) and, if given, `method`."""
        pattern = re.compile(path_regex)
        return [
            r
            for r in self.requests
            if pattern.search(r.path) and (method is None or r.method == method.upper())
        ]

    def reset(self) -> None:
        """Forget recorded requests, pending failures and delays."""
        with self._lock:
            self._requests.clear()
            self._failures.clear()
            self._delays.clear()

    def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> None:
        """Poll `predicate` until it is true; raise `TimeoutError` after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            time.sleep(0.01)

    # -- failure injection ---------------------------------------------------------------------

    def fail_next(
        self,
        path_regex: str,
        *,
        status: int,
        body: object = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        delay: float = 0,
        method: str | None = None,
    ) -> None:
        """Answer the next `times` requests whose path matches `path_regex` (`re.search`) with `status`.

        `body=None` lets `failure_response()` pick the platform's usual error body. Failures queue
        up in the order they were added; `delay` seconds pass before each failing answer.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        failure = _Failure(
            pattern=re.compile(path_regex),
            method=method.upper() if method else None,
            status=status,
            body=body,
            headers=dict(headers or {}),
            times=times,
            delay=delay,
        )
        with self._lock:
            self._failures.append(failure)

    def delay(self, path_regex: str, seconds: float, *, method: str | None = None) -> None:
        """Make every matching request wait `seconds` before being answered, until `reset()`."""
        with self._lock:
            self._delays.append(_Delay(re.compile(path_regex), method.upper() if method else None, seconds))

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        """The response for an injected failure whose `body` was None. Subclasses override this."""
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        return Response(status, {"error": phrase})

    # -- dispatch --------------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> Response:
        """Record `request`, apply delays and injected failures, then dispatch it to its route."""
        response = self._dispatch(request)
        request.response = response
        return response

    def _dispatch(self, request: RecordedRequest) -> Response:
        with self._lock:
            self._requests.append(request)
            failure = self._take_failure(request)
            wait = sum(
                d.seconds
                for d in self._delays
                if d.pattern.search(request.path) and d.method in (None, request.method)
            )
            routes = list(self._routes)
        if failure is not None:
            wait += failure.delay
        if wait > 0:
            time.sleep(wait)
        if failure is not None:
            if failure.body is None:
                response = self.failure_response(request, failure.status, None)
                response.headers = {**response.headers, **failure.headers}
                return response
            return Response(failure.status, failure.body, dict(failure.headers))
        path_matched = False
        for method, pattern, handler in routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            path_matched = True
            if method == request.method:
                request.path_params = {k: v for k, v in match.groupdict().items() if v is not None}
                return handler(request)
        if path_matched:
            return Response(405, {"error": "method_not_allowed"})
        return self.not_found(request)

    def not_found(self, request: RecordedRequest) -> Response:
        """The answer for a path no route matches."""
        return Response(404, {"error": "not_found", "path": request.path})

    def _take_failure(self, request: RecordedRequest) -> _Failure | None:
        for failure in self._failures:
            if failure.pattern.search(request.path) and failure.method in (None, request.method):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30
            # Headers and body go out in two sends: without TCP_NODELAY a keep-alive client waits
            # for the delayed ACK (~40 ms a request).
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with emulator._lock:
                    emulator._connections.add(self.connection)

            def finish(self) -> None:
                with emulator._lock:
                    emulator._connections.discard(self.connection)
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

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                lists = parse_qs(parts.query, keep_blank_values=True)
                request = RecordedRequest(
                    method=self.command.upper(),
                    path=parts.path,
                    query={k: v[0] for k, v in lists.items()},
                    query_lists=lists,
                    headers=dict(self.headers.items()),
                    body=self._read_body(),
                    timestamp=time.time(),
                )
                try:
                    response = emulator.handle(request)
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

        return _RequestHandler


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class _QuietWSGIRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve_wsgi(app: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a WSGI app (e.g. Bolt's `SlackRequestHandler`) in a daemon thread; yield its base URL."""
    server = _ThreadingWSGIServer((host, port), _QuietWSGIRequestHandler)
    server.set_app(app)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="wsgi-server", daemon=True
    )
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield f"http://{bound_host!s}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
