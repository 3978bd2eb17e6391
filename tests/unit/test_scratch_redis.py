"""Which database each xdist worker takes, so that parallel tests never flush each other's data."""

from __future__ import annotations

import pytest

from tests.scratch_redis import answers, for_worker


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/15", "master", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379/15", "gw0", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379/15", "gw2", "redis://127.0.0.1:6379/13"),
        ("redis://127.0.0.1:6394/0", "gw1", "redis://127.0.0.1:6394/15"),
        ("redis://:secret@cache:6380", "gw1", "redis://:secret@cache:6380/15"),
        ("unix:///tmp/r/redis.socket?db=3", "gw1", "unix:///tmp/r/redis.socket?db=2"),
        ("unix:///tmp/r/redis.socket", "gw0", "unix:///tmp/r/redis.socket?db=0"),
    ],
)
def test_each_worker_takes_the_next_database_down(url: str, worker: str, expected: str) -> None:
    assert for_worker(url, worker) == expected


def test_a_missing_server_is_noticed_at_once() -> None:
    assert not answers("redis://127.0.0.1:1/0")  # port 1: nothing listens, the connection is refused
