"""Fault campaign: random workloads over real `parley worker` and `parley clock` processes and the
in-process web app, against the emulators, with random faults; then the promises are checked.

    python -m bench.faults --runs 20 --seed 7

Each run: mentions on X are polled (by the campaign and by poll jobs on the workers at once), then
approved by the right people, by the wrong ones, twice at once, with Slack retrying the click
(X-Slack-Retry-Num), or rejected, while faults strike: a worker SIGKILLed (a new one replaces it),
a Redis restart (append-only file; dead processes are restarted, as a supervisor would), Slack 429
and 500 bursts, X 5xx and slow answers. Once the processes are idle they are paused (SIGSTOP) and
time is moved forward in-process (the sweeper, retries and leases see hours pass) until the queue
drains; then bench.fault_checks.violations checks the run. Reproducible from the seed (the order in
which processes interleave is not, which is the point).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import redis
from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer

from bench.fault_checks import APPROVERS, violations
from bot.app import jobs
from bot.domain import now
from demo.sandbox import CHANNEL, Sandbox
from emulators.http import Emulator
from tests.faults.conftest import Process, Processes, RedisServer

ENV = {"PARLEY_APPROVERS": ",".join(APPROVERS), "PARLEY_POLL_INTERVAL": "3600"}
POST = r"/api/chat\.postMessage$"
TWEETS = r"^/2/tweets$"
FAULTS = ("kill_worker", "redis_restart", "slack_429", "slack_500", "x_5xx", "x_slow")
WEIGHTS = (3, 1, 3, 3, 3, 2)


class Clock:
    """Parley's time in this process: real time, moved forward when the campaign recovers."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return now() + self.offset


class Fleet:
    """The worker and clock processes; dead ones are replaced, as a process manager would."""

    def __init__(self, processes: Processes, env: dict[str, str], *, workers: int, clocks: int) -> None:
        self.processes, self.env = processes, env
        self.members: list[Process] = [processes.start("worker", env) for _ in range(workers)]
        self.members += [processes.start("clock", env) for _ in range(clocks)]

    def revive(self) -> None:
        for i, member in enumerate(self.members):
            if not member.alive:
                member.stop(timeout=1)
                self.members[i] = self.processes.start(member.command, self.env)

    def kill_a_worker(self, rng: random.Random) -> None:
        victim = rng.choice([m for m in self.members if m.command == "worker"])
        victim.kill()
        self.revive()

    def signal(self, signum: signal.Signals) -> None:
        for member in self.members:
            with contextlib.suppress(ProcessLookupError):
                member.popen.send_signal(signum)

    def pids(self) -> set[int]:
        return {m.pid for m in self.members if m.alive}


def inject(kind: str, sb: Sandbox, fleet: Fleet, server: RedisServer, rng: random.Random) -> None:
    if kind == "kill_worker":
        fleet.kill_a_worker(rng)
    elif kind == "redis_restart":
        server.kill()  # appendfsync always: nothing acknowledged is lost
        server.start()
        fleet.revive()
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


def decide(sb: Sandbox, rng: random.Random) -> None:
    """Click on every delivered card as a random team would (errors of a Redis outage are shrugged off)."""
    clicks: list[threading.Thread] = []
    for case in sb.parley.store.open_cases():
        if case.slack is None or case.slack.card_ts is None:
            continue
        try:
            card = sb.slack.message(CHANNEL, case.slack.card_ts)
        except KeyError:
            continue
        choice = rng.choice(["approve", "approve", "twice", "retried", "wrong", "reject", "nothing"])
        users = {"approve": ["U_MARIA"], "twice": ["U_MARIA", "U_LUCA"], "retried": ["U_LUCA"]}
        button = "Reject" if choice == "reject" else "Approve"
        for user in users.get(choice, ["U_EVE"] if choice == "wrong" else []):
            clicks.append(threading.Thread(target=_click, args=(sb, card, button, user, None)))
        if choice == "retried":  # Slack did not see our ack in time and sends the click again
            clicks.append(threading.Thread(target=_click, args=(sb, card, button, "U_LUCA", 1)))
        if choice == "reject":
            clicks.append(threading.Thread(target=_click, args=(sb, card, button, "U_MARIA", None)))
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(timeout=15)


def _click(sb: Sandbox, card: object, button: str, user: str, retry: int | None) -> None:
    with contextlib.suppress(Exception):  # a refused or failed click is part of the game
        sb.slack.click(sb.app_url, card, button, user=user, retry_num=retry)  # type: ignore[arg-type]


def quiet(sb: Sandbox, fleet: Fleet, *, patience: float) -> None:
    """Wait until the queue is empty and no live worker is busy (or `patience` runs out)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.RedisError):
            live = fleet.pids()
            busy = [w for w in Worker.all(queue=sb.parley.queue) if w.pid in live and w.get_state() == "busy"]
            if sb.parley.queue.count == 0 and not busy:
                return
        time.sleep(0.1)


def recover(sb: Sandbox, clock: Clock) -> None:
    """With the processes paused, let hours pass in-process: sweeps, retries and leases all come due."""
    for emulator in (sb.slack, sb.x):
        Emulator.reset(emulator)  # the faults end (pending failures and delays), the data stays
    jobs.bind(sb.parley)
    worker = SimpleWorker([sb.parley.queue], connection=sb.redis, serializer=JSONSerializer)
    registry = sb.parley.queue.scheduled_job_registry
    for _ in range(10):
        clock.offset += timedelta(minutes=40)
        sb.parley.sweeper.sweep()
        for job_id in registry.get_jobs_to_schedule(int(clock().timestamp())):
            job = sb.parley.queue.fetch_job(job_id)
            if job is not None:
                sb.parley.queue.enqueue_job(job)
            registry.remove(job_id)
        if sb.parley.queue.count:
            worker.work(burst=True, logging_level="CRITICAL")
        elif not registry.get_job_ids():
            return


def reset(sb: Sandbox, clock: Clock) -> None:
    """A clean slate, keeping rq's worker registrations so idle workers can be told from busy ones."""
    clock.offset = timedelta()
    doomed = [k for k in sb.redis.scan_iter(count=1000) if not k.startswith(b"rq:worker")]
    for start in range(0, len(doomed), 500):
        sb.redis.delete(*doomed[start : start + 500])
    sb.slack.reset()
    sb.x.reset()


def one_run(sb: Sandbox, fleet: Fleet, server: RedisServer, clock: Clock, rng: random.Random) -> tuple[Counter[str], Counter[str]]:  # fmt: skip
    faults: Counter[str] = Counter()
    reset(sb, clock)
    for n in range(rng.randint(3, 6)):
        sb.x.add_mention(
            f"@parleybrand where is my order {rng.randint(1000, 9999)}-{n}?", author_handle=f"user{n}"
        )
    plan = [(rng.uniform(0, 2.5), rng.choices(FAULTS, WEIGHTS)[0]) for _ in range(rng.randint(1, 3))]
    strikes = [
        threading.Timer(at, inject, args=(kind, sb, fleet, server, random.Random(rng.random())))
        for at, kind in plan
    ]
    faults.update(kind for _, kind in plan)
    for strike in strikes:
        strike.start()
    for _ in range(2):
        sb.parley.jobs.poll("x")  # polled by two workers at once...
    with contextlib.suppress(Exception):
        sb.poll("x")  # ...and by this process
    quiet(sb, fleet, patience=4)
    with contextlib.suppress(Exception):
        decide(sb, rng)
    for strike in strikes:
        strike.join()
    fleet.revive()
    quiet(sb, fleet, patience=6)
    fleet.signal(signal.SIGSTOP)
    try:
        recover(sb, clock)
        found = violations(sb, CHANNEL)
    finally:
        fleet.signal(signal.SIGCONT)
    return faults, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clocks", type=int, default=2)
    args = parser.parse_args(argv)
    faults: Counter[str] = Counter()
    found: Counter[str] = Counter()
    bad_runs = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="parley-faults-") as tmp:
        server = RedisServer(Path(tmp) / "redis")
        server.start()
        client = redis.Redis.from_url(server.url)
        clock = Clock()
        processes = Processes(Path(tmp))
        try:
            with Sandbox(client, clock=clock, env=ENV) as sb:
                fleet = Fleet(
                    processes,
                    {**sb.environment(), "REDIS_URL": server.url},
                    workers=args.workers,
                    clocks=args.clocks,
                )
                for run in range(args.runs):
                    injected, broken = one_run(sb, fleet, server, clock, random.Random(f"{args.seed}:{run}"))
                    faults += injected
                    found += broken
                    bad_runs += bool(broken)
                    if broken:
                        print(f"run {run}: {dict(broken)}", file=sys.stderr)
        finally:
            processes.stop_all()
            server.stop()
    print(
        f"runs: {args.runs} (seed {args.seed}, {time.monotonic() - started:.0f} s), runs with a violation: {bad_runs}"
    )
    print("faults injected:", ", ".join(f"{k} {v}" for k, v in sorted(faults.items())) or "none")
    print("violations:", ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
