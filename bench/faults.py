"""Fault campaign: random workloads over real `parley worker` and `parley clock` processes and the
in-process web app, against the emulators, with random faults; then the promises are checked.

    python -m bench.faults --runs 500 --seed 2026

The processes and a private `redis-server` are started once and kept across runs; each run starts
from an empty database and emulators. A run: mentions on X are polled (by two poll jobs on the
workers and by this process at once), then approved by the right people, by the wrong ones, twice
at once, with Slack retrying the click (X-Slack-Retry-Num), approved then undone, or rejected,
while faults strike: a worker SIGKILLed (a replacement is started), a clean Redis restart (append-only
file), Slack 429 and 500 bursts, X 5xx answers, slow ones, and ones slower than the client's 10 s
timeout. Once the workers are idle the fleet is frozen (never while a worker holds a job) and time
is moved forward in-process (sweeps, retries, leases see hours pass) until nothing is left to do;
then bench.fault_checks.violations checks the run. The workload and the faults follow from the
seed; the order in which the processes interleave does not, which is the point.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import redis
from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.serializers import JSONSerializer

from bench.fault_checks import APPROVERS, tally, violations
from bench.fault_fleet import Fleet, release_blocked
from bench.fault_workload import decide, mention
from bot.app import jobs
from bot.domain import now
from demo.sandbox import CHANNEL, Sandbox
from demo.subprocesses import Processes, RedisServer
from emulators.http import Emulator

UNDO_SECONDS = 1  # short, so that an Undo can still come in time and the window does not slow a run
ENV = {
    "PARLEY_APPROVERS": ",".join(APPROVERS),
    "PARLEY_POLL_INTERVAL": "3600",
    "PARLEY_UNDO_SECONDS": str(UNDO_SECONDS),
}
POST = r"/api/chat\.postMessage$"
TWEETS = r"^/2/tweets$"
CLIENT_TIMEOUT = 10  # seconds: the X connector's HTTP timeout
FAULTS = ("kill_worker", "redis_restart", "slack_429", "slack_500", "x_5xx", "x_slow", "x_timeout")
WEIGHTS = (3, 1, 3, 3, 3, 2, 1)
SOON = 1.5  # seconds: scheduled jobs due this soon are left to the processes
PHASES = ("forward", "publish")
TRACE = bool(os.environ.get("FAULTS_TRACE"))  # print every step of every run
STEPS = 60  # at most: with the 0.1 s pauses, 6 s of real time for the send governor's waits
STEP = timedelta(minutes=40)  # longer than any retry, back-off, lease or sweeper delay


class Clock:
    """Parley's time in this process: real time, moved forward when the campaign recovers."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return now() + self.offset


@dataclass
class Campaign:
    sb: Sandbox
    fleet: Fleet
    server: RedisServer
    clock: Clock
    faults: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    workload: Counter[str] = field(default_factory=Counter)
    bad_runs: int = 0
    runs: int = 0


def inject(kind: str, c: Campaign, rng: random.Random) -> None:
    sb = c.sb
    if kind == "kill_worker":
        c.fleet.kill_a_worker(rng)
    elif kind == "redis_restart":
        c.server.shutdown()  # a clean SHUTDOWN writes the append-only file: nothing acknowledged is lost
        c.server.start()
        c.fleet.revive()
    elif kind == "slack_429":
        sb.slack.fail_next(
            POST, status=429, times=rng.randint(1, 3), headers={"Retry-After": "1"},
            body={"ok": False, "error": "ratelimited"},
        )  # fmt: skip
    elif kind == "slack_500":
        sb.slack.fail_next(r"/api/chat\.(postMessage|update)$", status=500, times=rng.randint(1, 4))
    elif kind == "x_5xx":
        sb.x.fail_next(TWEETS, status=rng.choice([500, 502, 503]), times=rng.randint(1, 2))
    elif kind == "x_slow":
        sb.x.fail_next(TWEETS, status=503, delay=rng.uniform(0.5, 2.0))
    elif kind == "x_timeout":
        sb.x.fail_next(TWEETS, status=503, delay=CLIENT_TIMEOUT + 0.5)


class InProcessWorker(SimpleWorker):
    """rq's SimpleWorker without its command channel: nobody sends it commands, and stopping that
    channel's thread can hang for a minute after a Redis restart."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


def quiet(c: Campaign, *, patience: float) -> None:
    """Wait until the fleet has nothing left to do soon: nothing queued, no live worker busy, and no
    job scheduled within SOON seconds (the undo window, a Slack 429's pause); or `patience` runs out.
    Later retries are for the recovery."""
    queue = c.sb.parley.queue
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.RedisError):
            soon = queue.scheduled_job_registry.get_jobs_to_schedule(int(time.time() + SOON))
            if not soon and queue.count == 0 and not c.fleet.busy(queue):
                return
        time.sleep(0.05)


def recover(c: Campaign) -> None:
    """With the fleet frozen, let hours pass in-process until two steps in a row find nothing to do:
    sweeps, retries, leases and undo windows all come due, and the faults are over."""
    sb = c.sb
    for emulator in (sb.slack, sb.x):
        Emulator.reset(emulator)  # pending failures and delays end; the data stays
    jobs.bind(sb.parley)
    worker = InProcessWorker([sb.parley.queue], connection=sb.redis, serializer=JSONSerializer)
    registry = sb.parley.queue.scheduled_job_registry
    idle = 0
    for _ in range(STEPS):
        c.clock.offset += STEP
        release_blocked(sb.redis)
        requeued = sb.parley.sweeper.sweep()
        for job_id in registry.get_jobs_to_schedule(int(c.clock().timestamp())):
            job = sb.parley.queue.fetch_job(job_id)
            if job is not None:
                sb.parley.queue.enqueue_job(job)
            registry.remove(job_id)
        if TRACE:
            print(
                f"   step {c.clock()}: requeued {requeued} scheduled {registry.get_job_ids()} queued {sb.parley.queue.job_ids}",
                file=sys.stderr,
            )
        if sb.parley.queue.count:
            worker.work(burst=True, logging_level="CRITICAL")
            idle = 0
        elif requeued or registry.get_job_ids():
            idle = 0
            # The Slack send governor keeps real time (a 429's Retry-After is real seconds), so
            # jobs it postpones need real time to pass, not only the recovery's clock.
            time.sleep(0.1)
        else:
            idle += 1
            if idle >= 2:
                return


def reset(c: Campaign) -> None:
    """A clean slate, keeping rq's worker registrations so idle workers can be told from busy ones."""
    c.clock.offset = timedelta()
    doomed = [k for k in c.sb.redis.scan_iter(count=1000) if not k.startswith(b"rq:worker")]
    for start in range(0, len(doomed), 500):
        c.sb.redis.delete(*doomed[start : start + 500])
    c.sb.slack.reset()
    c.sb.x.reset()


def delivered(sb: Sandbox) -> bool:
    cases = sb.parley.store.open_cases()
    return bool(cases) and all(c.slack is not None and c.slack.card_ts for c in cases)


def one_run(c: Campaign, rng: random.Random) -> Counter[str]:
    """One workload under faults; returns the violations found."""
    sb = c.sb
    reset(c)
    c.fleet.resume()
    mention(sb, rng)
    # Each fault strikes within a moment of the start of one phase of the flow, so that it lands
    # mid-flow: while cases are polled and forwarded, or while replies are approved and posted.
    plan = [
        (rng.choice(PHASES), rng.uniform(0, 0.8), rng.choices(FAULTS, WEIGHTS)[0])
        for _ in range(rng.randint(1, 3))
    ]
    c.faults.update(kind for _, _, kind in plan)
    strikes: list[threading.Timer] = []
    strikes += _strike(c, plan, "forward", rng)
    for _ in range(2):
        with contextlib.suppress(redis.RedisError):
            sb.parley.jobs.poll("x")  # polled by two workers at once...
    with contextlib.suppress(Exception):
        sb.poll("x")  # ...and by this process
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not _safely(lambda: delivered(sb)):
        time.sleep(0.05)
    strikes += _strike(c, plan, "publish", rng)
    with contextlib.suppress(Exception):
        decide(sb, rng)
    for strike in strikes:
        strike.join()
    c.fleet.revive()
    quiet(c, patience=CLIENT_TIMEOUT + 2)
    if not c.fleet.pause(sb.parley.queue):
        c.faults["pause_gave_up"] += 1  # not a fault: the harness froze a busy fleet (see bench.fault_fleet)
    if c.fleet.strays():
        c.faults["stray_processes"] += c.fleet.strays()  # the harness lost track of a process
    recover(c)
    c.workload += tally(sb)
    return violations(sb, CHANNEL)


def _strike(
    c: Campaign, plan: list[tuple[str, float, str]], phase: str, rng: random.Random
) -> list[threading.Timer]:
    strikes = [
        threading.Timer(at, inject, args=(kind, c, random.Random(rng.random())))
        for when, at, kind in plan
        if when == phase
    ]
    for strike in strikes:
        strike.start()
    return strikes


def _safely(predicate: object) -> bool:
    try:
        return bool(predicate())  # type: ignore[operator]
    except (redis.RedisError, OSError):
        return False


def campaign(args: argparse.Namespace, tmp: Path) -> Campaign:
    server = RedisServer(tmp / "redis", fsync="everysec", port=args.redis_port)
    server.start()
    processes = Processes(tmp)
    clock = Clock()
    try:
        with Sandbox(redis.Redis.from_url(server.url), clock=clock, env=ENV) as sb:
            env = {**sb.environment(), "REDIS_URL": server.url}
            fleet = Fleet(processes, env, sb.parley.queue, workers=args.workers, clocks=args.clocks)
            c = Campaign(sb, fleet, server, clock)
            started = time.monotonic()
            try:
                for run in range(args.first, args.first + args.runs):
                    _one(c, args, run, started)
            except (KeyboardInterrupt, StopRequested):  # Ctrl-C (rq's handler raises StopRequested)
                print(f"stopped after {c.runs} runs", file=sys.stderr)
            fleet.resume()
            return c
    finally:
        processes.stop_all()
        server.stop()


def _one(c: Campaign, args: argparse.Namespace, run: int, started: float) -> None:
    broken = one_run(c, random.Random(f"{args.seed}:{run}"))
    c.runs += 1
    c.found += broken
    c.bad_runs += bool(broken)
    if broken:
        print(f"run {run}: {dict(broken)}", file=sys.stderr)
    if args.progress and c.runs % args.progress == 0:
        print(f"{c.runs} runs, {time.monotonic() - started:.0f} s, violations {dict(c.found)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="number of the first run (to split a campaign)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clocks", type=int, default=2)
    parser.add_argument("--redis-port", type=int, default=None, help="default: a free port")
    parser.add_argument("--progress", type=int, default=0, help="print a line every N runs")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="parley-faults-") as tmp:
        c = campaign(args, Path(tmp))
    print(
        f"runs: {c.runs} (seed {args.seed}, {time.monotonic() - started:.0f} s), runs with a violation: {c.bad_runs}"
    )
    print("faults injected:", ", ".join(f"{k} {v}" for k, v in sorted(c.faults.items())) or "none")
    print("cases:", ", ".join(f"{k} {v}" for k, v in sorted(c.workload.items())))
    print("violations:", ", ".join(f"{k} {v}" for k, v in sorted(c.found.items())) or "none")
    return 1 if c.found else 0


if __name__ == "__main__":
    sys.exit(main())
