"""Metrics and the /metrics WSGI app, with plain callables in place of Redis and rq."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.adapters.metrics import (
    Metrics,
    QueueStats,
    label,
    rq_queue_stats,
    wsgi_metrics,
)

FAKE_TOKENS = (
    "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
    "xapp-1-A0123456789-1234567890123-abcdef0123456789",
    "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
    "8f14e45fceea167a5a36dedd4bea2543",
)


def sample(metrics: Metrics, name: str, labels: Mapping[str, str] | None = None) -> float | None:
    value = metrics.registry.get_sample_value(name, dict(labels or {}))
    return None if value is None else float(value)


def scrape(app: Any, method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body: Iterable[bytes] = app({"REQUEST_METHOD": method, "PATH_INFO": "/metrics"}, start_response)
    return seen["status"], seen["headers"], b"".join(body)


def test_exposition_names_the_metrics_with_their_labels() -> None:
    metrics = Metrics(process_metrics=False)
    metrics.api_call("slack", "chat.postMessage", "ok")
    metrics.rate_limit_wait("slack", 1.5)
    metrics.time_to_slack(4.0)
    metrics.time_to_reply(600.0)

    status, headers, body = scrape(wsgi_metrics(metrics))
    text = body.decode()

    assert status == "200 OK"
    assert headers["Content-Type"] == CONTENT_TYPE_LATEST
    assert int(headers["Content-Length"]) == len(body)
    assert 'parley_api_calls_total{method="chat.postMessage",outcome="ok",service="slack"} 1.0' in text
    assert 'parley_rate_limit_wait_seconds_bucket{le="2.0",service="slack"} 1.0' in text
    assert "parley_time_to_slack_seconds_count 1.0" in text
    assert "parley_time_to_reply_seconds_sum 600.0" in text
    # and it parses as Prometheus text
    names = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "parley_api_calls",
        "parley_rate_limit_wait_seconds",
        "parley_time_to_slack_seconds",
        "parley_time_to_reply_seconds",
    } <= names


def test_counters_and_histograms_increase() -> None:
    metrics = Metrics(process_metrics=False)
    labels = {"service": "x", "method": "create_tweet", "outcome": "rate_limited"}
    assert sample(metrics, "parley_api_calls_total", labels) is None

    metrics.api_call("x", "create_tweet", "rate_limited")
    metrics.api_call("x", "create_tweet", "rate_limited")
    metrics.api_call("x", "create_tweet", "ok")
    metrics.rate_limit_wait("reddit", 30)
    metrics.rate_limit_wait("reddit", 90)
    metrics.time_to_reply(100)
    metrics.time_to_reply(-5)  # clock skew between us and the network: counted as 0

    assert sample(metrics, "parley_api_calls_total", labels) == 2.0
    assert sample(metrics, "parley_api_calls_total", {**labels, "outcome": "ok"}) == 1.0
    assert sample(metrics, "parley_rate_limit_wait_seconds_count", {"service": "reddit"}) == 2.0
    assert sample(metrics, "parley_rate_limit_wait_seconds_sum", {"service": "reddit"}) == 120.0
    assert sample(metrics, "parley_time_to_reply_seconds_count") == 2.0
    assert sample(metrics, "parley_time_to_reply_seconds_sum") == 100.0


def test_collector_reports_the_callables_values_on_each_scrape() -> None:
    counts = {"received": 2, "drafted": 5}
    calls = 0

    def cases() -> Mapping[str, int]:
        nonlocal calls
        calls += 1
        return counts

    def queues() -> Mapping[str, QueueStats]:
        return {"parley": QueueStats(depth=7, oldest_age_seconds=42.5, scheduled=3, failed=1)}

    metrics = Metrics(cases_by_state=cases, queue_stats=queues, process_metrics=False)
    assert calls == 0  # registering does not read Redis

    assert sample(metrics, "parley_open_cases", {"state": "drafted"}) == 5.0
    assert sample(metrics, "parley_open_cases", {"state": "received"}) == 2.0
    assert sample(metrics, "parley_open_cases", {"state": "approved"}) == 0.0  # open states always shown
    assert sample(metrics, "parley_queue_depth", {"queue": "parley"}) == 7.0
    assert sample(metrics, "parley_queue_oldest_job_age_seconds", {"queue": "parley"}) == 42.5
    assert sample(metrics, "parley_queue_scheduled_jobs", {"queue": "parley"}) == 3.0
    assert sample(metrics, "parley_queue_failed_jobs", {"queue": "parley"}) == 1.0
    assert sample(metrics, "parley_scrape_source_up", {"source": "cases"}) == 1.0

    counts = {"drafted": 1}
    assert sample(metrics, "parley_open_cases", {"state": "drafted"}) == 1.0
    assert sample(metrics, "parley_open_cases", {"state": "received"}) == 0.0


def test_a_failing_source_does_not_break_the_scrape() -> None:
    def broken() -> Mapping[str, int]:
        raise ConnectionError("redis is down")

    def empty_queue() -> Mapping[str, QueueStats]:
        return {"parley": QueueStats(depth=0, oldest_age_seconds=None)}

    metrics = Metrics(cases_by_state=broken, queue_stats=empty_queue, process_metrics=False)
    metrics.api_call("slack", "chat.update", "ok")

    status, _, body = scrape(wsgi_metrics(metrics))
    text = body.decode()
    assert status == "200 OK"
    assert 'parley_scrape_source_up{source="cases"} 0.0' in text
    assert 'parley_scrape_source_up{source="queue"} 1.0' in text
    assert "parley_open_cases{" not in text
    assert 'parley_queue_oldest_job_age_seconds{queue="parley"} 0.0' in text
    assert "parley_api_calls_total{" in text


@pytest.mark.parametrize("secret", FAKE_TOKENS)
def test_no_token_or_secret_ever_appears(secret: str) -> None:
    metrics = Metrics(
        cases_by_state=lambda: {secret: 1},
        queue_stats=lambda: {secret: QueueStats(depth=1, oldest_age_seconds=1.0)},
    )
    metrics.api_call("slack", f"chat.postMessage?token={secret}", f"error: invalid_auth {secret}")
    metrics.api_call(secret, "auth.test", "Bearer " + secret)
    metrics.rate_limit_wait(secret, 1.0)

    _, _, body = scrape(wsgi_metrics(metrics))
    text = body.decode()
    assert secret not in text
    assert secret[:12] not in text
    for prefix in ("xoxb-", "xapp-", "sk-", "Bearer"):
        assert prefix not in text
    assert 'outcome="redacted"' in text


def test_labels_keep_ordinary_values() -> None:
    assert label("chat.postMessage") == "chat.postMessage"
    assert label("rate_limited") == "rate_limited"
    assert label("token_revoked") == "token_revoked"
    assert label("  a weird value!  ") == "a_weird_value_"
    assert label("") == "unknown"
    assert len(label("a_" * 100)) == 60


def test_registries_are_separate_and_the_global_one_is_untouched() -> None:
    before = {name for name in REGISTRY._names_to_collectors if name.startswith("parley_")}
    first, second = Metrics(process_metrics=False), Metrics(process_metrics=False)
    first.api_call("slack", "chat.postMessage", "ok")

    labels = {"service": "slack", "method": "chat.postMessage", "outcome": "ok"}
    assert sample(first, "parley_api_calls_total", labels) == 1.0
    assert sample(second, "parley_api_calls_total", labels) is None
    assert {name for name in REGISTRY._names_to_collectors if name.startswith("parley_")} == before == set()


def test_process_metrics_are_optional() -> None:
    assert b"python_info" in Metrics().exposition()
    assert b"python_info" not in Metrics(process_metrics=False).exposition()


def test_wsgi_head_and_other_methods() -> None:
    app = wsgi_metrics(Metrics(process_metrics=False))
    status, headers, body = scrape(app, "HEAD")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 0
    status, headers, _ = scrape(app, "POST")
    assert status.startswith("405") and headers["Allow"] == "GET, HEAD"


class FakeRegistry:
    def __init__(self, count: int) -> None:
        self.count = count


class FakeJob:
    def __init__(self, enqueued_at: datetime | None) -> None:
        self.enqueued_at = enqueued_at


class FakeQueue:
    """The few rq Queue attributes rq_queue_stats reads."""

    def __init__(self, enqueued: list[datetime]) -> None:
        self.jobs = {f"job-{i}": FakeJob(at) for i, at in enumerate(enqueued)}
        self.scheduled_job_registry = FakeRegistry(2)
        self.failed_job_registry = FakeRegistry(4)

    @property
    def count(self) -> int:
        return len(self.jobs)

    def get_job_ids(self, offset: int = 0, length: int = -1) -> list[str]:
        ids = list(self.jobs)
        return ids[offset:] if length < 0 else ids[offset : offset + length]

    def fetch_job(self, job_id: str) -> FakeJob | None:
        return self.jobs.get(job_id)


def test_rq_queue_stats_from_a_queue_like_object() -> None:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    queue = FakeQueue([now - timedelta(seconds=90), now - timedelta(seconds=5)])

    stats = rq_queue_stats(queue, now=lambda: now)

    assert stats == QueueStats(depth=2, oldest_age_seconds=90.0, scheduled=2, failed=4)
    assert rq_queue_stats(FakeQueue([]), now=lambda: now).oldest_age_seconds is None
    naive = FakeQueue([(now - timedelta(seconds=30)).replace(tzinfo=None)])
    assert rq_queue_stats(naive, now=lambda: now).oldest_age_seconds == 30.0
