"""The web process's admin listener: `GET /healthz` and `GET /metrics` on PARLEY_ADMIN_HOST:PARLEY_ADMIN_PORT
(127.0.0.1 by default), apart from the public $PORT that a reverse proxy exposes for Slack. In HTTP mode
and in Socket Mode alike; the public listener keeps `/healthz` for platforms' health checks, not `/metrics`."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.adapters.metrics import StartResponse, WSGIApp, bind_first_free, wsgi_metrics
from bot.app.container import Container

log = logging.getLogger(__name__)


def healthz(container: Container) -> WSGIApp:
    """`GET /healthz`: 200 when Redis answers, else 503 with the error's kind."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body: dict[str, object]
        try:
            container.redis.ping()
            status, body = "200 OK", {"ok": True}
        except Exception as error:
            status, body = "503 Service Unavailable", {"ok": False, "error": type(error).__name__}
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]

    return app


def not_found(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def build_admin_wsgi(container: Container) -> WSGIApp:
    """`/healthz`, and `/metrics` for Prometheus (this process's counters, plus cases by state and
    queue depth from Redis)."""
    routes = {"/healthz": healthz(container), "/metrics": wsgi_metrics(container.metrics)}

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return routes.get(environ.get("PATH_INFO", ""), not_found)(environ, start_response)

    return wsgi


@dataclass
class AdminListener:
    server: Any  # waitress's
    port: int
    thread: threading.Thread

    def close(self) -> None:
        """Stop serving (tests; a process just exits): with no socket left, waitress's loop returns."""
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown(timeout=1)
        wasyncore.close_all(self.server._map, ignore_all=True)
        self.thread.join(timeout=5)


def serve_admin(container: Container, *, host: str, port: int) -> AdminListener:
    """Serve the admin app in a thread of this process on `port`, or the next free one (two web
    processes on one host); port 0: any free port."""
    import waitress.server

    def bind(port: int) -> Any:
        return waitress.server.create_server(
            build_admin_wsgi(container), host=host, port=port, threads=2, ident="parley-admin"
        )

    server, _ = bind_first_free(port, bind)
    taken = int(server.effective_port)
    thread = threading.Thread(target=_run, args=(server,), name="parley-admin", daemon=True)
    thread.start()
    log.info("admin on %s:%d (GET /healthz, GET /metrics)", host, taken)
    return AdminListener(server, taken, thread)


def _run(server: Any) -> None:
    # Closed from another thread (tests), the loop may wake on a closed descriptor.
    with contextlib.suppress(OSError):
        server.run()
