"""Parley wired to local emulators of Slack, X and OpenAI: the real app, the real SDKs, a real Redis.

Used by `parley demo`, the end-to-end tests and the benchmarks. The web app is served by the same
waitress server as `parley web`; jobs run in this process with rq's SimpleWorker in burst mode
(`drain`), so a test decides when the worker runs.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import redis
from rq.serializers import JSONSerializer

from bot.app import jobs
from bot.app.container import Container, build, build_sources
from bot.app.processes import QuietWorker
from bot.app.settings import Settings
from bot.app.web import build_app, build_wsgi
from bot.domain import now
from bot.services.inbox import PollResult
from emulators.google_business import GoogleBusinessEmulator
from emulators.openai import OpenAIEmulator
from emulators.reddit import RedditEmulator
from emulators.slack import SlackEmulator
from emulators.x import XEmulator

CHANNEL = "C_SOCIAL"
SUBREDDIT = "parleybrand"


class Sandbox:
    def __init__(
        self,
        client: redis.Redis,
        *,
        openai: bool = False,
        google: bool = False,
        env: dict[str, str] | None = None,
        config: Callable[[Sandbox], str] | None = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.redis = client
        self.clock = clock
        self.extra_env = env or {}
        self.config = config  # builds a PARLEY_CONFIG file from the running emulators' URLs
        self._config_dir: tempfile.TemporaryDirectory[str] | None = None
        self.slack = SlackEmulator()
        # The networks' clocks follow Parley's, so posts made after time travel carry the new time.
        self.x = XEmulator(clock=lambda: clock().timestamp())
        self.reddit = RedditEmulator(clock=lambda: clock().timestamp())
        self.openai = OpenAIEmulator() if openai else None
        # Google Business Profile reviews (account "google"), when asked for: the demo's review scene.
        self.google = GoogleBusinessEmulator(clock=lambda: clock().timestamp()) if google else None
        self.container: Container | None = None
        self.app_url = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def __enter__(self) -> Self:
        self.slack.start()
        self.x.start()
        self.reddit.start()
        if self.openai is not None:
            self.openai.start()
        if self.google is not None:
            self.google.start()
        self.boot()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.shutdown()
        for emulator in (self.slack, self.x, self.reddit, self.openai, self.google):
            if emulator is not None:
                emulator.stop()
        if self._config_dir is not None:
            self._config_dir.cleanup()

    def environment(self) -> dict[str, str]:
        """The environment a user would set to point Parley at these emulators."""
        env = {
            "SLACK_BOT_TOKEN": self.slack.bot_token,
            "SLACK_SIGNING_SECRET": self.slack.signing_secret,
            "SLACK_API_URL": self.slack.url + "/api/",
            "PARLEY_CHANNEL": CHANNEL,
            "PARLEY_BRAND": "Parley Demo",
            "PARLEY_UNDO_SECONDS": "0",  # tests that exercise Undo set their own window
            "PARLEY_SLACK_RATE": "1000",  # tests of the send governor set Slack's real pace
            "PARLEY_SLACK_WORKSPACE_PER_MINUTE": "100000",
            "X_BEARER_TOKEN": "sandbox-bearer",
            "X_API_KEY": "sandbox-key",
            "X_API_SECRET": "sandbox-secret",
            "X_ACCESS_TOKEN": "sandbox-access",
            "X_ACCESS_TOKEN_SECRET": "sandbox-access-secret",
            "X_API_URL": self.x.url,
            "REDDIT_CLIENT_ID": self.reddit.client_id,
            "REDDIT_CLIENT_SECRET": self.reddit.client_secret,
            "REDDIT_USERNAME": self.reddit.username,
            "REDDIT_PASSWORD": self.reddit.password,
            "REDDIT_SUBREDDITS": SUBREDDIT,
            "REDDIT_URL": self.reddit.url,
            "REDDIT_OAUTH_URL": self.reddit.url,
        }
        if self.openai is not None:
            env |= {"OPENAI_API_KEY": "sk-sandbox", "OPENAI_BASE_URL": self.openai.url + "/v1"}
        if self.google is not None:
            env |= google_environment(self.google)
        if self.config is not None:
            if self._config_dir is None:
                self._config_dir = tempfile.TemporaryDirectory(prefix="parley-sandbox-")
            path = Path(self._config_dir.name) / "parley.toml"
            path.write_text(self.config(self), encoding="utf-8")
            env["PARLEY_CONFIG"] = str(path)
        return env | self.extra_env

    def boot(self) -> None:
        """Build the container and serve the web app, as a fresh `parley web` + `parley worker` would."""
        import waitress.server

        settings = Settings.from_env(self.environment())
        settings.require_valid()
        self.container = build(
            settings,
            self.redis,
            clock=self.clock,
            sources=build_sources(settings, clock=self.clock, client=self.redis),
        )
        wsgi = build_wsgi(build_app(self.container), self.container)
        # A short loop timeout: `shutdown` closes the sockets from another thread, and the loop only
        # notices when its select() times out (waitress's default: 1 s per sandbox).
        self._server = waitress.server.create_server(
            wsgi, host="127.0.0.1", port=0, threads=16, ident="parley", asyncore_loop_timeout=0.05
        )
        self.app_url = f"http://127.0.0.1:{self._server.effective_port}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(self._server,), name="parley-web", daemon=True
        )
        self._thread.start()

    def _serve(self, server: Any) -> None:
        try:
            server.run()
        except OSError:
            # Closing the sockets from another thread can wake the loop on a closed descriptor.
            if not self._stopping.is_set():
                raise

    def shutdown(self) -> None:
        if self._server is not None:
            self._stopping.set()
            _stop_waitress(self._server)
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def restart(self) -> None:
        """Stop the web app and forget every in-memory object; only Redis and the emulators remain."""
        self.shutdown()
        self.container = None
        self.boot()

    # --- driving ---

    @property
    def parley(self) -> Container:
        assert self.container is not None, "the sandbox is not running"
        return self.container

    def poll(self, source: str = "x") -> PollResult:
        return self.parley.inbox.poll(source)

    def drain(self, *, patience: float = 0.0) -> None:
        """Run every queued job, and every scheduled job already due, until the queue is empty.

        With `patience`, also wait for scheduled jobs due within that many seconds (e.g. jobs the
        Slack send governor postponed by a second or two).
        """
        jobs.bind(self.parley)
        worker = QuietWorker([self.parley.queue], connection=self.redis, serializer=JSONSerializer)
        registry = self.parley.queue.scheduled_job_registry
        while True:
            # What the clock process does every second: move due scheduled jobs onto the queue.
            if self.parley.jobs.enqueue_due() or self.parley.queue.count:
                worker.work(burst=True, logging_level="ERROR")
                continue
            upcoming = registry.get_job_ids() if patience else []
            if not upcoming:
                return
            due = min(registry.get_scheduled_time(job_id) for job_id in upcoming)
            wait = (due - datetime.now(UTC)).total_seconds()
            if wait > patience:
                return
            time.sleep(max(0.01, min(wait, 0.2)))


def google_environment(google: GoogleBusinessEmulator) -> dict[str, str]:
    """The GOOGLE_BUSINESS_* variables that point Parley's "google" account at the emulator."""
    return {
        "GOOGLE_BUSINESS_CLIENT_ID": google.client_id,
        "GOOGLE_BUSINESS_CLIENT_SECRET": google.client_secret,
        "GOOGLE_BUSINESS_REFRESH_TOKEN": google.refresh_token,
        "GOOGLE_BUSINESS_ACCOUNT_ID": google.account,
        "GOOGLE_BUSINESS_API_URL": google.url,
        "GOOGLE_BUSINESS_INFORMATION_URL": google.url,
        "GOOGLE_BUSINESS_TOKEN_URL": google.token_url,
    }


def _stop_waitress(server: Any) -> None:
    """Finish in-flight requests, then close every channel so waitress's loop (`run`) returns."""
    server.task_dispatcher.shutdown(timeout=5)
    while server._map:  # the listening socket, open connections and the wake-up trigger
        for channel in list(server._map.values()):
            channel.close()
