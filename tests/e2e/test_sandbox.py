"""The sandbox itself: draining and shutting down cost no idle waiting (the suite does both hundreds of times)."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from redis.client import PubSub

from demo.sandbox import Sandbox


def test_a_drain_starts_no_pubsub_listener(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    # rq's listener serves only remote commands; stopping it could wait out its 60 s sleep.
    started: list[Any] = []
    monkeypatch.setattr(PubSub, "run_in_thread", lambda *args, **kwargs: started.append(args))
    sandbox.parley.jobs.sweep()
    sandbox.drain()
    assert started == []
    assert sandbox.parley.queue.count == 0


def test_a_sandbox_shuts_down_without_waiting_for_its_server_loop(redis_client: redis.Redis) -> None:
    with Sandbox(redis_client) as sb:
        # waitress's default loop timeout (1 s) made every shutdown wait that long
        assert sb._server.adj.asyncore_loop_timeout <= 0.05
        sb.shutdown()
