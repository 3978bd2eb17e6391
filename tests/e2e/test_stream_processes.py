"""`parley stream` as real processes: two of them and a SIGKILL make one case per post, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.domain import Network, case_id_for
from demo.fediverse import FediverseSandbox
from demo.subprocesses import Process, Processes
from tests.e2e.conftest import Clock

pytestmark = pytest.mark.e2e


@pytest.fixture
def sb(redis_client: redis.Redis, clock: Clock) -> Iterator[FediverseSandbox]:
    with FediverseSandbox(redis_client, clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    yield started
    started.stop_all()


def _connected(sb: FediverseSandbox, count: int) -> None:
    sb.bluesky.jetstream.wait_for_clients(count, timeout=60)
    sb.mastodon.streaming.wait_for_clients(count, timeout=60)


def test_two_stream_processes_and_a_kill_make_one_case_per_post(
    sb: FediverseSandbox, processes: Processes, redis_url: str
) -> None:
    env = sb.environment() | {"REDIS_URL": redis_url}
    first: Process = processes.start("stream", env)
    processes.start("stream", env)
    _connected(sb, 2)
    brand = sb.bluesky.brand.handle
    written: list[str] = []

    def burst(tag: str, count: int) -> None:
        for i in range(count):
            written.append(case_id_for(Network.BLUESKY, sb.bluesky.add_post(f"@{brand} {tag} {i}").uri))
            written.append(
                case_id_for(Network.MASTODON, sb.mastodon.add_status(f"@parleybrand {tag} {i}").id)
            )

    burst("both running", 5)
    first.kill()  # SIGKILL mid-burst: the other process goes on
    burst("one killed", 5)
    processes.start("stream", env)  # the restart catches up, then streams
    _connected(sb, 2)
    burst("restarted", 3)
    store = sb.parley.store
    sb.slack.wait_for(lambda: all(store.get(c) is not None for c in written), timeout=60)
    assert sorted(c.id for c in store.open_cases()) == sorted(written)
    assert sb.parley.queue.count == len(written)  # one delivery job per case, whoever brought it
