"""bench.meta_webhook runs end to end with tiny numbers: figures and correctness, no timing assertions."""

from __future__ import annotations

import pytest
import redis

from bench import meta_webhook

pytestmark = pytest.mark.e2e


def test_the_meta_webhook_benchmark_forwards_every_event_once(redis_client: redis.Redis) -> None:
    report = meta_webhook.measure(redis_client, 4)
    assert report.checks["forwarded"] == {"expected": 5, "seen": 5}
    assert report.checks["duplicates"]["seen"] == 0
    assert 0 < report.to_card_ms["p50"] <= report.to_card_ms["p95"] <= report.to_card_ms["max"]
    assert "card in Slack" in meta_webhook.table(report)
