"""The benchmarks run end to end with tiny numbers. No timing assertions: figures and correctness only."""

from __future__ import annotations

import pytest
import redis

from bench import burst, common, ingest, memory
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


# -- ingest, burst and memory: tiny numbers, correctness and the report's fields only ---------------


def test_the_ingest_benchmark_forwards_every_mention_once_and_times_parley_and_the_floor(
    redis_client: redis.Redis,
) -> None:
    report = ingest.measure(redis_client, mentions=20)

    assert common.checks_pass(report.checks), report.checks
    assert set(report.checks) == {"forwarded", "cards", "duplicates"}
    assert report.checks["forwarded"] == {"expected": 20, "seen": 20}
    for run in (report.parley, report.floor):
        assert run.mentions == 20
        assert run.seconds > 0 and run.mentions_per_second > 0 and run.ms_per_mention > 0
        assert run.seconds == sum(run.phases.values())
        assert run.x_requests >= 1 and run.redis_commands > 0
    assert report.parley.slack_calls["chat.postMessage"] >= 40  # a parent and a card each, at least
    assert report.floor.slack_calls == {"chat.postMessage": 40}  # exactly the raw calls
    assert set(report.parley.phases) == {"poll", "drain"}
    assert set(report.floor.phases) == {"read", "post"}
    assert report.paced == 0  # no pacing in this benchmark
    assert report.ratio > 0
    fields = report.as_dict()
    assert {"config", "machine", "parley", "floor", "ratio_parley_over_floor", "paced", "checks"} <= set(
        fields
    )
    assert {"mentions_per_second", "ms_per_mention"} <= set(fields["parley"])
    assert "parley / floor" in ingest.table(report)


def test_the_burst_benchmark_forwards_every_mention_once_without_a_slack_429(
    redis_client: redis.Redis,
) -> None:
    report = burst.measure(redis_client, mentions=20, rate=50, burst=3, per_poll=10)

    assert common.checks_pass(report.checks), report.checks
    assert report.checks["forwarded"] == {"expected": 20, "seen": 20}
    assert report.checks["cards"] == {"expected": 20, "seen": 20}
    assert report.checks["slack_429s"] == {"expected": 0, "seen": 0}
    assert report.slack_429s == 0
    assert report.messages == 40
    assert report.slack_calls["chat.postMessage"] == report.post_calls >= 40
    assert report.config["polls"] == 2 and report.config["slack_limit"] == 53
    assert report.scale == 50
    assert report.floor_seconds == (40 - 3) / 50
    assert report.drain_seconds > 0 and report.poll_seconds > 0 and report.ratio > 0
    assert report.job_runs_per_case >= 1
    assert 0 <= report.waits.parent_p50 <= report.waits.parent_max
    assert 0 <= report.waits.card_p50 <= report.waits.card_max
    fields = report.as_dict()
    for name in ("drain_seconds", "floor_seconds", "ratio_drain_over_floor", "slack_429s", "paced", "scale"):
        assert name in fields
    assert fields["at_slack_pace"]["floor_seconds"] == 40 - 3
    assert "drain / floor" in burst.table(report)


# Not skipped: about 4 s on 2 cores (it starts `parley run` and its three Python processes), well
# under the 20 s that would justify skipping it.
def test_the_memory_benchmark_measures_the_processes_and_stops_them(
    redis_client: redis.Redis, redis_url: str
) -> None:
    report = memory.measure(redis_client, redis_url=redis_url, mentions=20, idle=0.5, timeout=60)

    assert common.checks_pass(report.checks), report.checks
    assert report.checks["stopped"] == {"expected": 3, "seen": 3}  # parley run exited 0, children gone
    assert report.exit_codes == {"run": 0}
    for rss in (report.idle, report.peak, report.high_water):
        values = [getattr(rss, name) for name in memory.CHILDREN]
        assert all(v > 0 for v in values)
        assert rss.total >= max(values)
    assert report.high_water.worker >= report.idle.worker
    assert report.supervisor_mib > 0
    assert set(report.seconds) == {"start_up", "idle", "burst", "stop"}
    assert {"idle_mib", "burst_peak_mib", "high_water_mib", "checks"} <= set(report.as_dict())
    assert "high-water mark" in memory.table(report)
