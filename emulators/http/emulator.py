"""`Emulator`: the base of every platform emulator (lifecycle, routing, recording, injected failures)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Self

from emulators.http.messages import Handler, RecordedRequest, Response, declared_routes
from emulators.http.wire import OpenSockets, Server, request_handler_class
from emulators.polling import wait_until

__all__ = ["Emulator"]


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
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.open_sockets = OpenSockets()  # what stop() shuts down
        self._url: str | None = None
        seen: set[str] = set()
        for klass in type(self).__mro__:  # subclass routes first, each class in definition order
            for name, member in vars(klass).items():
                if name in seen:
                    continue
                seen.add(name)
                for method, pattern in declared_routes(member):
                    self.add_route(method, pattern, getattr(self, name))

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> str:
        """Start serving in a daemon thread and return the base URL (`http://127.0.0.1:PORT`)."""
        if self._server is not None:
            return self.url
        server = Server((self._host, self._port), request_handler_class(self))
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
        self.open_sockets.shutdown_all()
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
        wait_until(predicate, timeout=timeout)

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

    def refuse(self, request: RecordedRequest) -> Response | None:
        """The answer to a request the API refuses before any route (no or a bad token); None: go on.
        Recorded, and after injected failures, like every other request."""
        return None

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
        refused = self.refuse(request)
        if refused is not None:
            return refused
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
