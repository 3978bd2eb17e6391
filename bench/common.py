"""Load generation and latency figures shared by the benchmarks.

A run is closed-loop: `clients` threads, each with its own keep-alive `http.client` connection, take
the next pre-built request from one shared list, send it, wait for the whole response, and record
the time from sending to the last byte of the answer. `LoadClient` runs those threads in a separate
(spawned) process, so that the load generator does not compete with the server for the GIL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import redis

from bench.scratch import DEFAULT_REDIS, scratch_redis


@dataclass(frozen=True)
class PreparedRequest:
    """One HTTP POST, built (and signed) before the clock starts. Picklable."""

    kind: str
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Sample:
    """What one request measured: `seconds` from sending to the whole response; status 0 = no answer."""

    kind: str
    status: int
    seconds: float


@dataclass(frozen=True)
class LoadRun:
    samples: list[Sample]
    wall_seconds: float


@dataclass(frozen=True)
class Figures:
    """Latency percentiles (milliseconds) and throughput (requests/s of the whole run's wall time)."""

    count: int
    ok: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    rps: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending, non-empty sequence (`fraction` in 0..1)."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def figures(samples: Sequence[Sample], wall_seconds: float) -> Figures:
    ordered = sorted(s.seconds * 1000 for s in samples)
    return Figures(
        count=len(samples),
        ok=sum(1 for s in samples if s.status == 200),
        p50_ms=percentile(ordered, 0.50),
        p90_ms=percentile(ordered, 0.90),
        p99_ms=percentile(ordered, 0.99),
        max_ms=ordered[-1],
        rps=len(samples) / wall_seconds if wall_seconds > 0 else 0.0,
    )


def summarize(run: LoadRun, kinds: Sequence[str]) -> dict[str, Figures]:
    """Figures per kind (in `kinds` order, kinds without samples left out), then `all`."""
    result: dict[str, Figures] = {}
    for kind in kinds:
        mine = [s for s in run.samples if s.kind == kind]
        if mine:
            result[kind] = figures(mine, run.wall_seconds)
    if run.samples:
        result["all"] = figures(run.samples, run.wall_seconds)
    return result


def _send(connection: http.client.HTTPConnection, request: PreparedRequest) -> Sample:
    started = time.perf_counter()
    try:
        connection.request("POST", request.path, body=request.body, headers=request.headers)
        with connection.getresponse() as response:
            response.read()
            status = response.status
    except (OSError, http.client.HTTPException):
        connection.close()  # reconnects on the next request
        status = 0
    return Sample(request.kind, status, time.perf_counter() - started)


def run_load(
    base_url: str, requests: Sequence[PreparedRequest], *, clients: int, timeout: float = 10.0
) -> LoadRun:
    """Send every request with `clients` concurrent keep-alive connections; closed loop, in order."""
    address = urlsplit(base_url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    lock = threading.Lock()
    position = iter(range(len(requests)))
    samples: list[Sample] = []
    start = threading.Barrier(clients + 1)

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        mine: list[Sample] = []
        try:
            connection.connect()  # connect before the clock starts
            start.wait()
            while True:
                with lock:
                    index = next(position, None)
                if index is None:
                    break
                mine.append(_send(connection, requests[index]))
        finally:
            connection.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=client, name=f"bench-client-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return LoadRun(samples, time.perf_counter() - began)


class LoadClient:
    """Runs `run_load` in one spawned worker process, reused for every run. Use as a context manager."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Self:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def run(self, base_url: str, requests: Sequence[PreparedRequest], *, clients: int) -> LoadRun:
        assert self._pool is not None, "use LoadClient as a context manager"
        return self._pool.submit(run_load, base_url, list(requests), clients=clients).result()


# -- the command line shared by the Redis-backed benchmarks (ingest, burst, memory) -----------------

R = TypeVar("R", bound="BenchReport")


class BenchReport(Protocol):
    """What `run_bench` needs of a benchmark's report."""

    checks: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, Any]: ...


def checks_pass(checks: dict[str, dict[str, int]]) -> bool:
    return all(check["seen"] == check["expected"] for check in checks.values())


def bench_parser(
    module: str, doc: str | None, *, mentions: int, mentions_help: str
) -> argparse.ArgumentParser:
    """`--mentions`, `--json` and `--flush`, which every Redis-backed benchmark takes."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=(doc or "").split("\n")[0])
    parser.add_argument("--mentions", type=int, default=mentions, help=mentions_help)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--flush", action="store_true", help="flush the Redis database even if it is not empty"
    )
    return parser


def run_bench(
    args: argparse.Namespace,
    measure: Callable[[redis.Redis, str, str, Callable[[str], None]], R],
    table: Callable[[R], str],
) -> int:
    """Measure against the scratch Redis (`REDIS_URL`, else the local default), print the table or
    JSON (`args` from `bench_parser`), and exit 1 when a check failed. `measure` gets the client,
    its URL, a label and `progress`."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    with scratch_redis(url, flush=args.flush) as (client, label):
        progress(f"redis: {label}")
        report = measure(client, url, label, progress)
    progress(f"done in {time.perf_counter() - started:.1f} s")
    print(json.dumps(report.as_dict(), indent=2) if args.json else table(report))
    return 0 if checks_pass(report.checks) else 1
