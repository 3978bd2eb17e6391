"""The ack-latency benchmark runs end to end with tiny numbers. No timing assertions: figures only."""

from __future__ import annotations

import pytest
import redis

from bench.ack_latency import APPS, KINDS, measure, table

pytestmark = pytest.mark.e2e


def test_the_benchmark_measures_every_kind_and_every_request_is_acknowledged(
    redis_client: redis.Redis,
) -> None:
    report = measure(redis_client, clients=2, requests=10, cases=6)

    for app in APPS:
        by_kind = report.results[app]
        assert list(by_kind) == [*KINDS, "all"], app
        for kind, figures in by_kind.items():
            assert figures.count > 0, (app, kind)
            assert figures.ok == figures.count, (app, kind)  # every request answered HTTP 200
            assert 0 < figures.p50_ms <= figures.p90_ms <= figures.p99_ms <= figures.max_ms
            assert figures.rps > 0
        assert by_kind["all"].count == 10
    assert set(report.ratios()) == {*KINDS, "all"}
    for check in report.checks.values():  # the listeners' work after the ack happened too
        assert check["seen"] == check["expected"]
    assert "parley / baseline" in table(report)
