"""bench/stream_latency runs end to end with tiny numbers: figures and correctness only, no timing assertion."""

from __future__ import annotations

import pytest
import redis

from bench import stream_latency

pytestmark = pytest.mark.e2e


def test_the_stream_latency_benchmark_times_every_post_once(redis_client: redis.Redis) -> None:
    report = stream_latency.measure(redis_client, posts=3, interval=1)
    assert sorted(report.seconds) == ["bluesky", "mastodon", "x"]
    assert all(len(samples) == 1 and samples[0] > 0 for samples in report.seconds.values())
    assert report.checks["forwarded once"] == {"expected": 3, "seen": 3}
    assert "p95" in stream_latency.table(report)
