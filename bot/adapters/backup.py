"""`parley backup` and `parley restore`: the embedded store as one Redis snapshot file (RDB).

A backup asks the running server to SAVE (every key written at one instant: a small team's data takes
milliseconds, and clients wait meanwhile), then copies the file it wrote. A restore works on a stopped
store only: it sets the current files aside, loads the snapshot into a Redis of its own with the
append-only file off, then turns it on. Redis rewrites the AOF from the loaded data, and the next
start reads that AOF (with appendonly on, Redis never reads the RDB). An external Redis is backed up
with its own tools (docs/deploy.md).
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

from bot.adapters.embedded_redis import DB_FILE, EmbeddedRedis
from bot.adapters.redis_conn import connect

RDB_MAGIC = b"REDIS"  # every RDB file starts with it, then the format version
AOF_FILE = "appendonly.aof"  # Redis 6.2's name, in the data directory
WAIT = 120.0  # seconds for a save or an AOF rewrite already under way to finish


class RestoreRefused(Exception):
    """The restore would lose or corrupt data; the message says what to do."""


def snapshot(client: redis.Redis, into: Path) -> int:
    """Write a consistent snapshot of the server `client` talks to into `into`; returns its key count."""
    _save(client)
    settings = client.config_get("dir") | client.config_get("dbfilename")
    written = Path(str(settings["dir"])) / str(settings["dbfilename"])
    partial = into.with_name(into.name + ".partial")
    # An automatic save may replace the file meanwhile: Redis renames a complete file into place,
    # so the copy is of one snapshot or the next, never a mix.
    shutil.copyfile(written, partial)
    partial.replace(into)
    return int(client.dbsize())


def _save(client: redis.Redis) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            client.save()
            return
        except redis.ResponseError as error:  # a background save is under way: wait for it
            if "in progress" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def restore(data_dir: Path, source: Path) -> tuple[int, Path | None]:
    """Make `source` the store in `data_dir`; returns the key count and where the previous files went."""
    with source.open("rb") as file:
        if file.read(len(RDB_MAGIC)) != RDB_MAGIC:
            raise RestoreRefused(f"{source} is not a Redis snapshot (made by `parley backup`).")
    server = EmbeddedRedis(data_dir, append_only=False)
    if server.serving():
        raise RestoreRefused(
            f"Parley's Redis is running on {server.data_dir}: stop Parley first "
            "(`systemctl stop parley` or Ctrl-C), then restore."
        )
    set_aside = _set_aside(server.data_dir)
    shutil.copyfile(source, server.data_dir / DB_FILE)
    try:
        server.start()
    except RuntimeError:  # not a snapshot this Redis can read (a newer version's, damaged)
        raise RestoreRefused(
            f"Redis could not load {source} ({_undo(server, set_aside)}). "
            "The data it was to replace is back in place."
        ) from None
    try:
        client = connect(server.url)
        keys = int(client.dbsize())
        client.config_set("appendonly", "yes")  # Redis writes the AOF from the data it loaded
        _wait_for_aof(client)
        client.close()
    finally:
        server.stop()
    return keys, set_aside


def _set_aside(data_dir: Path) -> Path | None:
    """Move the store's current files into a dated folder beside them (nothing is deleted)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    present = [data_dir / name for name in (DB_FILE, AOF_FILE) if (data_dir / name).exists()]
    if not present:
        return None
    folder = data_dir / f"before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    folder.mkdir()
    for path in present:
        path.rename(folder / path.name)
    return folder


def _undo(server: EmbeddedRedis, set_aside: Path | None) -> str:
    """Stop the server that could not load the snapshot and put the set-aside files back; returns
    the last line of its log (why it failed)."""
    log = server.run_dir / "redis.log"
    said = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
    server.stop()
    (server.data_dir / DB_FILE).unlink()
    if set_aside is not None:
        for path in set_aside.iterdir():
            path.rename(server.data_dir / path.name)
        set_aside.rmdir()
    return " ".join(said) or "no reason given"


def _wait_for_aof(client: redis.Redis) -> None:
    deadline = time.monotonic() + WAIT
    while True:
        info = client.info("persistence")
        done = info["aof_enabled"] and not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"])
        if done:
            if info["aof_last_bgrewrite_status"] != "ok":
                raise RuntimeError("Redis could not write the append-only file; see its log")
            return
        if time.monotonic() > deadline:
            raise RuntimeError("Redis did not finish writing the append-only file in time")
        time.sleep(0.05)
