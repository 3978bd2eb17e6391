"""Prometheus metrics: what Parley counts, and ``GET /metrics`` in the Prometheus text format.

Everything lives in a :class:`Metrics` object with its own ``CollectorRegistry``: importing this
module registers nothing globally, and tests build as many as they like.

Two kinds of numbers, and what "multi-process" means for each:

* **Counters and histograms** (API calls, rate-limit waits, time to Slack, time to reply) live in
  the memory of the process that counts them. Each process (web, each rq worker) exposes its own;
  Prometheus scrapes each one and ``sum()`` adds them up. A process that is never scraped (e.g.
  a worker without an HTTP port) loses its counts at exit. For gunicorn-style deployments where
  one port fronts several forked processes, ``prometheus_client`` multiprocess mode
  (``PROMETHEUS_MULTIPROC_DIR`` + ``MultiProcessCollector``) is the way to merge them.
* **Gauges read from Redis on every scrape** (cases by state, queue depth, oldest job age) are
  global: every process reports the same values, so aggregate them with ``max()``, not ``sum()``.
  They come from callables passed in, so this module imports neither the store nor rq; see
  :func:`open_cases_by_state` and :func:`rq_queue_stats` for ready-made ones.

Label values come from code, but are cleaned anyway (short, a safe alphabet, anything that looks
like a Slack token or a bearer secret replaced), so an error message passed as an outcome cannot
leak a credential into the exposition.
"""

from __future__ import annotations

import errno
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import redis
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from bot.adapters import keys
from bot.domain import State
from bot.domain.text import as_text

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

NAMESPACE = "parley"

# Seconds. Rate-limit waits run from a fraction of a second (Slack pacing) to minutes (Reddit).
WAIT_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900)
# Post created -> Slack parent message: seconds to a few minutes when all is well.
TO_SLACK_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600)
# Post created -> our reply posted: people are in the loop, so minutes to days.
TO_REPLY_BUCKETS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 604800)

# What a credential looks like: Slack, OpenAI and HTTP auth prefixes, or a long random-looking run.
_SECRET_PREFIX = re.compile(r"(xox[a-z]-|xapp-|sk-|bearer\s|basic\s)", re.IGNORECASE)
_LONG_RUN = re.compile(r"[A-Za-z0-9]{20,}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/-]+")
_MAX_LABEL = 60


def label(value: str) -> str:
    """A label value safe to expose: nothing credential-like, a small alphabet, bounded length."""
    if _SECRET_PREFIX.search(value) or any(any(c.isdigit() for c in run) for run in _LONG_RUN.findall(value)):
        return "redacted"
    cleaned = _UNSAFE.sub("_", value.strip())[:_MAX_LABEL]
    return cleaned or "unknown"


@dataclass(frozen=True)
class QueueStats:
    """One rq queue as seen at scrape time."""

    depth: int  # jobs waiting to run
    oldest_age_seconds: float | None  # age of the job at the head of the queue; None when empty
    scheduled: int = 0  # jobs waiting for their time (enqueue_in / enqueue_at, retries)
    failed: int = 0  # jobs in the failed registry


CasesByState = Callable[[], Mapping[str, int]]
QueueStatsSource = Callable[[], Mapping[str, QueueStats]]


class RedisStateCollector(Collector):
    """On each scrape, asks the callables for cases by state and queue stats (both global).

    A source that fails (Redis down) is reported as ``parley_scrape_source_up{source=...} 0``
    and its gauges are left out; the rest of the scrape still works.
    """

    def __init__(
        self,
        *,
        cases_by_state: CasesByState | None = None,
        queue_stats: QueueStatsSource | None = None,
    ) -> None:
        self.cases_by_state = cases_by_state
        self.queue_stats = queue_stats

    def describe(self) -> Iterable[Metric]:
        # Names only, so registering does not call the sources.
        return list(self._families())

    def collect(self) -> Iterable[Metric]:
        up, cases, depth, age, scheduled, failed = self._families()
        if self.cases_by_state is not None:
            counts = self._read("cases", self.cases_by_state, up)
            if counts is not None:
                merged = {state.value: 0 for state in State if state.is_open}
                for state_name, count in counts.items():
                    key = label(str(state_name))
                    merged[key] = merged.get(key, 0) + int(count)
                for state, total in sorted(merged.items()):
                    cases.add_metric([state], total)
                yield cases
        if self.queue_stats is not None:
            queues = self._read("queue", self.queue_stats, up)
            if queues is not None:
                for name, stats in sorted(queues.items()):
                    queue = label(name)
                    depth.add_metric([queue], stats.depth)
                    age.add_metric([queue], stats.oldest_age_seconds or 0.0)
                    scheduled.add_metric([queue], stats.scheduled)
                    failed.add_metric([queue], stats.failed)
                yield from (depth, age, scheduled, failed)
        yield up

    @staticmethod
    def _read(source: str, read: Callable[[], Any], up: GaugeMetricFamily) -> Any:
        try:
            value = read()
        except Exception:
            log.warning("metrics source %s failed", source, exc_info=True)
            up.add_metric([source], 0)
            return None
        up.add_metric([source], 1)
        return value

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, ...]:
        return (
            GaugeMetricFamily(
                f"{NAMESPACE}_scrape_source_up",
                "1 if the Redis-backed source answered this scrape, else 0.",
                labels=["source"],
            ),
            GaugeMetricFamily(
                f"{NAMESPACE}_open_cases", "Open cases by state (global, read from Redis).", labels=["state"]
            ),
            GaugeMetricFamily(
                f"{NAMESPACE}_queue_depth", "Jobs waiting in the queue (global).", labels=["queue"]
            ),
            GaugeMetricFamily(
                f"{NAMESPACE}_queue_oldest_job_age_seconds",
                "Age of the job at the head of the queue, 0 when empty (global).",
                labels=["queue"],
            ),
            GaugeMetricFamily(
                f"{NAMESPACE}_queue_scheduled_jobs", "Jobs scheduled for later (global).", labels=["queue"]
            ),
            GaugeMetricFamily(
                f"{NAMESPACE}_queue_failed_jobs", "Jobs in the failed registry (global).", labels=["queue"]
            ),
        )


class Metrics:
    """Parley's metrics, in a registry of their own.

    Args:
        cases_by_state: Returns open-case counts by state name (see :func:`open_cases_by_state`).
        queue_stats: Returns :class:`QueueStats` by queue name (see :func:`rq_queue_stats`).
        process_metrics: Also expose the standard ``process_*`` and ``python_info`` metrics.
    """

    def __init__(
        self,
        *,
        cases_by_state: CasesByState | None = None,
        queue_stats: QueueStatsSource | None = None,
        process_metrics: bool = True,
    ) -> None:
        self.registry = CollectorRegistry()
        self._api_calls = Counter(
            "api_calls",
            "Calls to external APIs by service, method and outcome.",
            ["service", "method", "outcome"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self._rate_limit_wait = Histogram(
            "rate_limit_wait_seconds",
            "Waits imposed by rate limits (ours or the service's), in seconds.",
            ["service"],
            namespace=NAMESPACE,
            buckets=WAIT_BUCKETS,
            registry=self.registry,
        )
        self._time_to_slack = Histogram(
            "time_to_slack_seconds",
            "From the post's creation to its parent message in Slack.",
            namespace=NAMESPACE,
            buckets=TO_SLACK_BUCKETS,
            registry=self.registry,
        )
        self._time_to_reply = Histogram(
            "time_to_reply_seconds",
            "From the post's creation to our reply being posted on its network.",
            namespace=NAMESPACE,
            buckets=TO_REPLY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(RedisStateCollector(cases_by_state=cases_by_state, queue_stats=queue_stats))
        if process_metrics:
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)

    def api_call(self, service: str, method: str, outcome: str) -> None:
        """One call to ``service`` (slack, x, reddit, openai): ``outcome`` e.g. ok, rate_limited, error."""
        self._api_calls.labels(label(service), label(method), label(outcome)).inc()

    def rate_limit_wait(self, service: str, seconds: float) -> None:
        """A wait imposed by a rate limit (a governor answer or a service's 429), in seconds."""
        self._rate_limit_wait.labels(label(service)).observe(max(0.0, seconds))

    def time_to_slack(self, seconds: float) -> None:
        """Post created -> its parent message posted in Slack."""
        self._time_to_slack.observe(max(0.0, seconds))

    def time_to_reply(self, seconds: float) -> None:
        """Post created -> our reply posted on the network."""
        self._time_to_reply.observe(max(0.0, seconds))

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)


def wsgi_metrics(metrics: Metrics) -> WSGIApp:
    """A WSGI app answering ``GET``/``HEAD`` with the metrics; route ``/metrics`` to it."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")])
            return [b"method not allowed"]
        payload = metrics.exposition()
        start_response(
            "200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(payload)))]
        )
        return [] if method == "HEAD" else [payload]

    return app


# --- ready-made sources (they read Redis; pass them in as callables) ---


def open_cases_by_state(client: redis.Redis, *, chunk: int = 500) -> dict[str, int]:
    """Counts of open cases by state: the ids in the open-cases zset, each case's JSON ``state``."""
    counts: dict[str, int] = {}
    ids = [as_text(i) for i in client.zrange(keys.OPEN_CASES, 0, -1)]
    for start in range(0, len(ids), chunk):
        for raw in client.mget([keys.case(i) for i in ids[start : start + chunk]]):
            if raw is None:
                continue
            try:
                state = str(json.loads(raw)["state"])
            except (ValueError, KeyError, TypeError):
                state = "unreadable"
            counts[state] = counts.get(state, 0) + 1
    return counts


def rq_queue_stats(queue: Any, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> QueueStats:
    """:class:`QueueStats` of an rq ``Queue`` (duck-typed, so this module does not import rq)."""
    depth = int(queue.count)
    age: float | None = None
    head = queue.get_job_ids(0, 1)
    if head:
        job = queue.fetch_job(head[0])
        enqueued = getattr(job, "enqueued_at", None)
        if enqueued is not None:
            if enqueued.tzinfo is None:
                enqueued = enqueued.replace(tzinfo=UTC)
            age = max(0.0, (now() - enqueued).total_seconds())
    return QueueStats(
        depth=depth,
        oldest_age_seconds=age,
        scheduled=int(queue.scheduled_job_registry.count),
        failed=int(queue.failed_job_registry.count),
    )


PORT_TRIES = 32  # processes on one host take the next free port after the configured one
T = TypeVar("T")


def bind_first_free(first_port: int, bind: Callable[[int], T]) -> tuple[T, int]:
    """`bind(port)` on `first_port`, or the next free one when several processes share a host (each
    is then its own Prometheus target); returns what `bind` returned and the port taken."""
    for port in range(first_port, first_port + PORT_TRIES):
        try:
            return bind(port), port
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"ports {first_port}–{first_port + PORT_TRIES - 1} are all in use")


def serve_metrics(registry: CollectorRegistry, first_port: int, *, host: str = "127.0.0.1") -> int:
    """Serve `/metrics` of this process (a worker) on `first_port` or the next free one; returns the port taken."""

    return bind_first_free(first_port, lambda port: start_http_server(port, addr=host, registry=registry))[1]
