"""`parley backup` while Parley runs on its embedded store, then `parley restore` into a wiped data
directory: every case, queued and scheduled job, cursor and audit entry comes back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.adapters.embedded_redis import EmbeddedRedis
from bot.adapters.redis_conn import connect
from demo.sandbox import Sandbox
from tests.e2e.conftest import Clock, card_of, mention_and_deliver


def parley(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.app.cli", *args],
        env={"PATH": os.environ.get("PATH", ""), "PARLEY_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def contents(client: redis.Redis) -> dict[bytes, Any]:
    """Every key that does not expire, with its type and value (leases and locks may expire meanwhile)."""
    read: dict[bytes, Callable[[bytes], Any]] = {
        b"string": client.get,
        b"hash": client.hgetall,
        b"list": lambda key: client.lrange(key, 0, -1),
        b"set": client.smembers,
        b"zset": lambda key: client.zrange(key, 0, -1, withscores=True),
        b"stream": client.xrange,
    }
    found = {}
    for key in client.scan_iter(count=1000):
        kind: Any = client.type(key)
        if client.ttl(key) == -1:
            found[key] = (kind, read[kind](key))
    return found


def test_backup_while_running_then_restore_into_a_wiped_directory_keeps_everything(tmp_path: Path) -> None:
    data, backup = tmp_path / "data", tmp_path / "parley-backup.rdb"
    running = EmbeddedRedis(data)  # what `parley run` starts
    running.start()
    try:
        client = connect(running.url)
        with Sandbox(client, clock=Clock()) as sandbox:
            for text in ("where is my parcel?", "do you ship to Italy?", "my order never arrived"):
                mention_and_deliver(sandbox, f"@parleybrand {text}")
            card = card_of(sandbox, mention_and_deliver(sandbox, "@parleybrand can I pay by card?"))
            sandbox.slack.click(sandbox.app_url, card, "Approve", user="U_MARIA")
            sandbox.drain()  # the reply is scheduled after the Undo window
            sandbox.parley.jobs.poll("x")  # queued, not run
            queue = sandbox.parley.queue
            assert queue.count >= 1 and queue.scheduled_job_registry.count >= 1
        before = contents(client)
        assert sum(1 for key in before if key.startswith(b"parley:case:")) >= 4

        made = parley("backup", str(backup), data_dir=data)
        assert made.returncode == 0, made.stderr
        assert "Backed up" in made.stdout

        client.set("written after the backup", "1")
        refused = parley("restore", str(backup), data_dir=data)
        assert refused.returncode != 0 and "stop Parley first" in refused.stderr
        client.close()
    finally:
        running.stop()

    shutil.rmtree(data)
    restored = parley("restore", str(backup), data_dir=data)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    again = EmbeddedRedis(data)  # a fresh start reads the append-only file the restore wrote
    again.start()
    try:
        client = connect(again.url)
        assert contents(client) == before
        client.close()
    finally:
        again.stop()


def test_restore_sets_the_replaced_data_aside_and_refuses_other_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = EmbeddedRedis(data)
    server.start()
    connect(server.url).set("old", "1")
    server.stop()
    backup = tmp_path / "empty.rdb"
    assert parley("backup", str(backup), data_dir=tmp_path / "empty").returncode == 0

    not_a_snapshot = tmp_path / "notes.txt"
    not_a_snapshot.write_text("hello")
    refused = parley("restore", str(not_a_snapshot), data_dir=data)
    assert refused.returncode != 0 and "is not a Redis snapshot" in refused.stderr

    damaged = tmp_path / "damaged.rdb"
    damaged.write_bytes(backup.read_bytes()[:20])
    refused = parley("restore", str(damaged), data_dir=data)
    assert refused.returncode != 0 and "The data it was to replace is back in place" in refused.stderr
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == ["appendonly.aof", "parley.rdb"]

    restored = parley("restore", str(backup), data_dir=data)
    assert restored.returncode == 0 and "The data it replaced is in" in restored.stdout
    (aside,) = data.glob("before-restore-*")
    assert (aside / "appendonly.aof").exists()


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_an_external_redis_is_backed_up_with_its_own_tools(command: str, tmp_path: Path) -> None:
    result = parley(command, str(tmp_path / "x.rdb"), data_dir=tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0 and "redis-cli --rdb" in result.stderr


def test_an_audit_export_while_parley_runs_leaves_its_redis_running(tmp_path: Path) -> None:
    running = EmbeddedRedis(tmp_path)
    running.start()
    try:
        client = connect(running.url)
        client.set("case", "1")
        assert parley("audit", "export", data_dir=tmp_path).returncode == 0
        assert client.get("case") == b"1"  # it used to SHUTDOWN the server it had joined
        client.close()
    finally:
        running.stop()
