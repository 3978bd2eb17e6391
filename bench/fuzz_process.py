"""The fuzzer's targets: real `parley web` processes (HTTP and Socket Mode) against the sandbox's
emulators, and the real requests (clicks on real cards, commands, events) its generator starts from."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from types import TracebackType
from typing import IO, Any, Self

import redis

from bench.fuzz_requests import Generator, Templates
from demo.sandbox import CHANNEL, Sandbox
from demo.subprocesses import free_port
from emulators.slack import Message

APP_TOKEN = "xapp-1-A0PARLEY-1-fuzz"
TRACEBACK = b"Traceback (most recent call last)"
USERS = ("U_MARIA", "U_LUCA")


def url_of(client: redis.Redis) -> str:
    """The URL another process uses to reach the database `client` talks to."""
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix://{kwargs['path']}"
    return f"redis://{kwargs.get('host', '127.0.0.1')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


def _cards(sb: Sandbox, count: int) -> list[Message]:
    for i in range(count):
        sb.x.add_mention(f"@parleybrand order #{i} never arrived, can you help?", author_handle=f"c{i}")
    sb.poll()
    sb.drain()
    return [
        next(m for m in sb.slack.thread(CHANNEL, parent.ts) if m.buttons())
        for parent in sb.slack.messages(CHANNEL)
    ]


def _modal_submissions(sb: Sandbox, card: Message) -> list[dict[str, Any]]:
    """Open the Edit and Reject windows through the in-process app; their submissions."""
    submissions = []
    for button in ("Edit", "Reject"):
        sb.slack.click(sb.app_url, card, button, user="U_MARIA")
        sb.slack.wait_for(lambda: bool(sb.slack.open_views("U_MARIA")))
        view = sb.slack.open_views("U_MARIA")[-1]
        submissions.append(sb.slack.view_submission_request(view.id, enforce_required=False).payload)
        sb.slack.close_view(sb.app_url, view.id)
    return submissions


def build_templates(sb: Sandbox) -> Templates:
    cards = _cards(sb, 3)
    clicks = [
        sb.slack.click_request(card, str(button["text"]["text"]), user=user).payload
        for card in cards
        for button in card.buttons()
        for user in USERS
    ]
    commands = [
        sb.slack.slash_command_request(text, user=user).payload
        for text in ("queue", "help", "stats", "stats 7d", "mine", "search order", "saved", "")
        for user in USERS
    ]
    # The events Parley subscribes to (manifest.json), and Slack's Request URL check.
    events = [sb.slack.event_request(sb.slack.app_home_opened_event(user)).payload for user in USERS] + [
        {"token": sb.slack.verification_token, "challenge": "fuzz-challenge", "type": "url_verification"}
    ]
    return Templates(clicks + _modal_submissions(sb, cards[-1]), commands, events)


class ParleyWeb:
    """A real `parley web` process on a free port (or in Socket Mode); its log goes to a file."""

    def __init__(self, sb: Sandbox, redis_url: str, *, socket_mode: bool = False) -> None:
        self.sb = sb
        self.secret = sb.slack.signing_secret
        self.socket_mode = socket_mode
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        self.env = {**base, **sb.environment(), "REDIS_URL": redis_url, "PORT": str(self.port)}
        if socket_mode:
            self.env["SLACK_APP_TOKEN"] = APP_TOKEN
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.app.cli", "web"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while not self.ready():
            if not self.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"parley web did not start: {self.text()[-2000:]}")
            time.sleep(0.1)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process is not None and self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def ready(self) -> bool:
        if self.socket_mode:
            return self.sb.slack.socket_mode.connections > 0
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def settle(self) -> None:
        """Give the listeners' work after their acks a moment, then check the process still serves."""
        time.sleep(2)
        if self.alive() and not self.ready():
            time.sleep(3)

    def text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")

    def save_log(self, path: str | None) -> None:
        if path:
            with open(path, "w", encoding="utf-8") as copy:
                copy.write(self.text())

    def tracebacks(self) -> int:
        return self.text().count(TRACEBACK.decode())

    def first_traceback(self) -> str:
        text = self.text()
        start = text.find(TRACEBACK.decode())
        return text[start : start + 3000]


def socket_mode_fuzz(
    sb: Sandbox,
    redis_url: str,
    *,
    seed: int,
    envelopes: int,
    templates: Templates,
    log_path: str | None = None,
) -> dict[str, int]:
    """Send `envelopes` mutated or garbage envelopes to `parley web` in Socket Mode; what happened."""
    if envelopes <= 0:
        return {}
    generator, server = Generator(seed, templates), sb.slack.socket_mode
    generator.rng = random.Random(seed + 1)
    result = {"envelopes": 0, "acked_in_3s": 0, "disconnects": 0, "crashes": 0, "tracebacks": 0}
    sent: list[str] = []
    with ParleyWeb(sb, redis_url, socket_mode=True) as web:
        for _ in range(envelopes):
            if not web.ready():
                result["disconnects"] += 1
                server.wait_for(lambda: web.ready() or not web.alive(), timeout=15)
                if not web.alive():
                    break
            envelope_type, payload = generator.envelope()
            sent.append(
                server.socket_send(
                    envelope_type, payload, accepts_response_payload=envelope_type != "events_api"
                )
            )
            result["envelopes"] += 1
            time.sleep(0.02)
        web.settle()
        acks = [server.ack_of(envelope_id) for envelope_id in sent]
        result["acked_in_3s"] = sum(1 for a in acks if a is not None and a.in_time)
        result["crashes"] = 0 if web.alive() and web.ready() else 1
        result["tracebacks"] = web.tracebacks()
        web.save_log(log_path)
    return result
