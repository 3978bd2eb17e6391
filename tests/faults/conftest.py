"""Fault-test fixtures: real `parley` processes and private `redis-server`s (demo.subprocesses, shared
with the fault campaign in bench/faults.py), and what the Slack emulator shows of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.sandbox import CHANNEL, Sandbox
from demo.subprocesses import Processes, RedisServer
from emulators.slack import Message


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults: fault injection against real parley processes (kill -9, Redis restarts, 5xx/429)"
    )


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def parley_env(sb: Sandbox, redis_url: str) -> dict[str, str]:
    """What a deployment would set: the sandbox's emulators, and the shared Redis."""
    return {**sb.environment(), "REDIS_URL": redis_url}


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- what the Slack emulator shows ---------------------------------------------------------------


def _part(message: Message) -> str | None:
    payload = (message.metadata or {}).get("event_payload") or {}
    part = payload.get("part")
    return str(part) if part is not None else None


def parents(sb: Sandbox) -> list[Message]:
    """Top-level messages that forward a case (digests and other notices left out)."""
    return [m for m in sb.slack.messages(CHANNEL) if _part(m) == "parent"]


def cards(sb: Sandbox, parent: Message) -> list[Message]:
    """The draft cards Parley posted in a case's thread (fresh copies)."""
    return [m for m in sb.slack.thread(CHANNEL, parent.ts) if _part(m) == "card"]


def case_id_of(message: Message) -> str:
    payload = (message.metadata or {}).get("event_payload") or {}
    return str(payload["case_id"])


def delivered(sb: Sandbox, count: int) -> bool:
    """`count` cases forwarded, each with its card."""
    found = parents(sb)
    return len(found) == count and all(cards(sb, p) for p in found)
