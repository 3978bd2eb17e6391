"""Shared fixtures. Tests that need Redis use a real server: REDIS_URL, or 127.0.0.1:6379 db 15.

The database they use is flushed before each such test: point REDIS_URL at a scratch database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.domain import i18n

DEFAULT_TEST_REDIS = "redis://127.0.0.1:6379/15"


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


@pytest.fixture
def redis_url() -> str:
    return os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Tests need a real Redis at {redis_url} ({error}); `.ci/run` starts one.")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
