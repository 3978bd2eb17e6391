"""Serving a WSGI app (e.g. Bolt's `SlackRequestHandler`) on a local port, for end-to-end tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.types import WSGIApplication

__all__ = ["serve_wsgi"]


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
