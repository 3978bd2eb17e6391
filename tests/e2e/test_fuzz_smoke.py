"""A short fuzz run against the real `parley web` process (`bench/fuzz.py`, issue 11 #10)."""

from __future__ import annotations

import pytest
import redis

from bench.fuzz import fuzz
from bench.fuzz_process import url_of
from demo.sandbox import Sandbox

pytestmark = pytest.mark.e2e


def test_three_hundred_fuzzed_requests_get_no_5xx_no_hang_and_no_accepted_forgery(
    redis_client: redis.Redis,
) -> None:
    with Sandbox(redis_client) as sandbox:
        report = fuzz(sandbox, url_of(redis_client), seed=11, requests=300, clients=2)

    assert report.sent == 300
    assert report.passed(), report.as_dict()
