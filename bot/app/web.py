"""The Slack-facing process: Bolt behind WSGI (HTTP mode) or a Socket Mode connection."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterable
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.socket_mode.request import SocketModeRequest

import handlers
from bot.adapters.metrics import StartResponse, WSGIApp
from bot.adapters.slack import make_web_client
from bot.app.admin import healthz, not_found
from bot.app.container import Container
from bot.app.meta_web import meta_webhook
from bot.app.request_guard import guarded, readable_payload

log = logging.getLogger(__name__)

STOP_WITHIN = 5  # seconds for requests in flight: inside the 10 s before a platform's SIGKILL


def build_app(container: Container) -> App:
    settings = container.settings
    app = App(
        signing_secret=settings.slack_signing_secret or "socket-mode",
        client=make_web_client(settings.slack_bot_token, settings.slack_api_url),
        # No auth.test at start-up: the process must start (and pass health checks) without Slack.
        token_verification_enabled=False,
    )
    handlers.register(
        app,
        review=container.review,
        team=container.team,
        insights=container.insights,
        moderator=container.moderator,
    )
    return app


def build_wsgi(app: App, container: Container) -> WSGIApp:
    """The public listener: `POST /slack/events` goes to Bolt, `GET /healthz` (platforms' health checks)
    says whether Redis answers, `/webhooks/meta` takes Meta's webhooks (bot.app.meta_web); nothing else, `/metrics` included, is served here (bot.app.admin)."""
    routes = {
        "/slack/events": guarded(SlackRequestHandler(app), container.settings.slack_signing_secret),
        "/healthz": healthz(container),
        "/webhooks/meta": meta_webhook(container.meta_webhooks),
    }

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return routes.get(environ.get("PATH_INFO", ""), not_found)(environ, start_response)

    return wsgi


def serve_http(container: Container, *, port: int, threads: int = 16) -> None:
    import waitress.server

    app = build_app(container)
    server = waitress.server.create_server(
        build_wsgi(app, container),
        host="0.0.0.0",  # noqa: S104 - a web process listens on all interfaces of its container
        port=port,
        threads=threads,
        ident="parley",
    )

    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        # SIGTERM (deploys, scale-down): answer the requests in flight, then exit. Once: a process
        # group signalled as a whole may deliver it twice (the platform's and `parley run`'s).
        if stopping.is_set():
            return
        stopping.set()
        log.info("stopping: finishing %d request(s) in flight", server.task_dispatcher.active_count)
        server.task_dispatcher.shutdown(timeout=STOP_WITHIN)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    log.info("listening on :%d (POST /slack/events, GET /healthz)", port)
    server.run()


class GuardedSocketModeHandler(SocketModeHandler):
    """Socket Mode has no HTTP guard in front of Bolt: an envelope whose payload Bolt cannot read
    (Slack never sends one) is dropped in one log line, where Bolt raised with a traceback."""

    def handle(self, client: Any, req: SocketModeRequest) -> None:
        if not readable_payload(req.payload):
            log.info("refused a Socket Mode envelope (%s): not a payload Slack sends", req.type)
            return
        super().handle(client, req)


def serve_socket_mode(container: Container) -> None:
    app = build_app(container)
    handler = GuardedSocketModeHandler(app, container.settings.slack_app_token)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    log.info("connecting to Slack in Socket Mode")
    handler.connect()  # type: ignore[no-untyped-call]
    stopping.wait()
    handler.close()  # type: ignore[no-untyped-call]
