"""How much memory `parley run` takes: its web and worker (with the clock) processes, idle and during a burst.

The benchmark starts the emulators of Slack, X and Reddit in this process and `parley run` (the
real CLI: `python -m bot.app.cli run`, which starts `web`, and `worker` with the clock in a thread, as child processes)
with the environment a user would set to point Parley at them (`Sandbox.environment()`), plus
REDIS_URL (the scratch database, see below), PARLEY_POLL_INTERVAL=1 and a free PORT. Slack
pacing is off (PARLEY_SLACK_RATE=1000 per channel, PARLEY_SLACK_WORKSPACE_PER_MINUTE=100000), so
the burst drains as fast as the worker goes: the peak while the whole queue is waiting.

Resident memory (VmRSS in /proc/<pid>/status) of each child is sampled every 0.1 s:

- **idle**: after start-up, once `GET /healthz` answers and a first mention went through (clock
  poll, worker delivery): the median over a quiet `--idle` seconds;
- **burst**: `--mentions` mentions (in batches of at most 500: X serves only the newest 800
  mentions, so the bench waits for a batch to be read before adding the next), until every
  parent and card is in Slack: the peak of the sum of the three, each one's peak, and each one's
  high-water mark as the kernel counts it (VmHWM).

Then SIGTERM to `parley run`, which stops its children; the time they took is reported. Bounded:
the whole run gives up after `--timeout` seconds (default 85). Only 127.0.0.1 traffic.

    python -m bench.memory [--mentions 1000] [--idle 3] [--json] [--flush]
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis

from bench.common import bench_parser, checks_pass, run_bench
from bench.ingest import (
    UNPACED,
    add_mentions,
    checks_line,
    forwarding_checks,
    machine,
    machine_line,
)
from bot.adapters import keys
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import SlackEmulator

CHILDREN = ("web", "worker")  # the worker runs the clock in a thread (bot.app.supervisor)
PER_BATCH = 500  # mentions added before waiting for the clock's poll to read them (X serves 800)
SAMPLE_EVERY = 0.1  # seconds
ROOT = Path(__file__).resolve().parent.parent
OWN_VARIABLES = ("SLACK_", "PARLEY_", "X_", "REDDIT_", "OPENAI_", "REDIS_URL", "PORT")


class Timeout(Exception):
    pass


# -- /proc -----------------------------------------------------------------------------------------


def status_kb(pid: int, field_name: str) -> int:
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM); 0 when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def children_of(pid: int) -> dict[str, int]:
    """The `python -m bot.app.cli <name>` children of `pid`, by name."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        words = [a.decode(errors="replace") for a in argv if a]
        if (
            parent == pid
            and "bot.app.cli" in words[:-1]
            and words[words.index("bot.app.cli") + 1] in CHILDREN
        ):
            found[words[words.index("bot.app.cli") + 1]] = int(entry.name)
    return found


def alive(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Sampler:
    """Samples the VmRSS (kB) of each child every `SAMPLE_EVERY` s in a thread, into `samples`."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.samples: list[dict[str, int]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = {name: status_kb(pid, "VmRSS") for name, pid in self.pids.items()}
            with self._lock:
                self.samples.append(sample)
            self._stop.wait(SAMPLE_EVERY)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def mark(self) -> int:
        with self._lock:
            return len(self.samples)

    def since(self, mark: int) -> list[dict[str, int]]:
        with self._lock:
            return list(self.samples[mark:])


# -- the report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Memory:
    """Resident memory in MiB: each child, and their sum."""

    web: float
    worker: float
    total: float

    @classmethod
    def of(cls, kb: dict[str, float], total_kb: float) -> Memory:
        return cls(kb["web"] / 1024, kb["worker"] / 1024, total_kb / 1024)


@dataclass
class Report:
    config: dict[str, Any]
    machine: dict[str, Any]
    idle: Memory  # medians over the idle window
    peak: Memory  # each child's sampled peak during the burst; total: the peak of the sum
    high_water: Memory  # VmHWM at the end of the burst (each child's peak since it started)
    supervisor_mib: float  # `parley run` itself
    seconds: dict[str, float]  # start_up, idle, burst, stop
    exit_codes: dict[str, int | None]  # `run`: parley run's, after SIGTERM
    checks: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "machine": self.machine,
            "idle_mib": asdict(self.idle),
            "burst_peak_mib": asdict(self.peak),
            "high_water_mib": asdict(self.high_water),
            "supervisor_mib": self.supervisor_mib,
            "seconds": self.seconds,
            "exit_codes": self.exit_codes,
            "checks": self.checks,
        }


def idle_memory(samples: Sequence[dict[str, int]]) -> Memory:
    medians = {name: float(statistics.median(s[name] for s in samples)) for name in CHILDREN}
    return Memory.of(medians, float(statistics.median(sum(s.values()) for s in samples)))


def peak_memory(samples: Sequence[dict[str, int]]) -> Memory:
    peaks = {name: float(max(s[name] for s in samples)) for name in CHILDREN}
    return Memory.of(peaks, float(max(sum(s.values()) for s in samples)))


# -- running parley ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_redis_url(client: redis.Redis, url: str) -> str:
    """The URL for Parley's processes: the embedded server's socket when the bench started one."""
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix://{kwargs['path']}?db={kwargs.get('db') or 0}"
    return url


def parley_environment(sb: Sandbox, *, redis_url: str, port: int, data_dir: str) -> dict[str, str]:
    """This process's environment without Parley's own variables, plus the sandbox's."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
    return (
        base
        | sb.environment()
        | {
            "REDIS_URL": redis_url,
            "PORT": str(port),
            "PARLEY_DATA_DIR": data_dir,
            "PARLEY_POLL_INTERVAL": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )


def wait_until(predicate: Callable[[], bool], *, deadline: float, what: str, every: float = 0.1) -> None:
    while not predicate():
        if time.monotonic() > deadline:
            raise Timeout(f"gave up waiting for {what}")
        time.sleep(every)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def case_posts(slack: SlackEmulator) -> int:
    """Successful chat.postMessage calls so far (cheap: no message copies)."""
    return sum(
        1
        for r in slack.requests
        if r.path == "/api/chat.postMessage" and r.response is not None and r.response.status == 200
    )


def stop(process: subprocess.Popen[bytes], *, grace: float = 20.0) -> float:
    """SIGTERM, then SIGKILL for the process's whole group after `grace` s; the seconds it took."""
    began = time.monotonic()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    return time.monotonic() - began


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`command` in a session (process group) of its own, stopped on the way out if still running."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            stop(process)


def cases_at_least(client: redis.Redis, count: int) -> Callable[[], bool]:
    """Whether Parley has stored `count` cases (every case ever polled is in one sorted set)."""
    return lambda: int(client.zcard(keys.ALL_CASES)) >= count


def measure(
    client: redis.Redis,
    *,
    redis_url: str,
    mentions: int = 1000,
    idle: float = 3.0,
    timeout: float = 85.0,
    redis_label: str = "",
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Run `parley run` against the emulators and the (scratch) Redis at `redis_url` (behind `client`)."""
    if mentions < 1 or idle <= 0:
        raise ValueError("mentions must be at least 1 and idle positive")
    deadline = time.monotonic() + timeout
    sb = Sandbox(client, env=dict(UNPACED))  # only its emulators and environment: Parley runs outside
    emulators = (sb.slack, sb.x, sb.reddit)
    with (
        tempfile.TemporaryDirectory(prefix="parley-bench-memory-") as data_dir,
        contextlib.ExitStack() as stack,
    ):
        for emulator in emulators:
            emulator.start()
            stack.callback(emulator.stop)
        port = free_port()
        env = parley_environment(sb, redis_url=redis_url, port=port, data_dir=data_dir)
        warm = add_mentions(sb.x, 1)  # the first poll reads it: the cursor, and the worker's first job
        log = Path(data_dir) / "parley.log"
        started = time.monotonic()
        process = stack.enter_context(running([sys.executable, "-m", "bot.app.cli", "run"], env, log))
        try:
            pids: dict[str, int] = {}

            def all_children() -> bool:
                pids.update(children_of(process.pid))
                if process.poll() is not None:
                    raise RuntimeError(
                        f"parley run exited with {process.returncode}: {log.read_text()[-2000:]}"
                    )
                return len(pids) == len(CHILDREN)

            wait_until(all_children, deadline=deadline, what="web and worker to start")
            sampler = Sampler(pids)
            sampler.start()
            stack.callback(sampler.stop)
            wait_until(lambda: healthy(port), deadline=deadline, what="GET /healthz")
            wait_until(
                lambda: case_posts(sb.slack) >= 2, deadline=deadline, what="the first mention to reach Slack"
            )
            start_up = time.monotonic() - started
            progress(f"parley run is up in {start_up:.1f} s (pids {pids}); idle for {idle:g} s")
            time.sleep(1.0)  # let the first job's aftermath settle
            mark = sampler.mark()
            time.sleep(idle)
            idle_samples = sampler.since(mark)

            burst_started = time.monotonic()
            mark = sampler.mark()
            expected: list[str] = []
            for start in range(0, mentions, PER_BATCH):
                expected += add_mentions(sb.x, min(PER_BATCH, mentions - start), start=1 + start)
                # A poll stores every case it read before the next poll: wait for the whole batch.
                wait_until(
                    cases_at_least(client, len(warm) + len(expected)),
                    deadline=deadline,
                    what="the clock's poll to read the mentions",
                )
            wait_until(
                lambda: case_posts(sb.slack) >= 2 * (len(warm) + len(expected)),
                deadline=deadline,
                what=f"{len(expected)} mentions to reach Slack",
                every=0.25,
            )
            wait_until(
                lambda: checks_pass(forwarding_checks(sb.slack, CHANNEL, expected)),
                deadline=deadline,
                what="every parent and card",
                every=0.5,
            )
            burst = time.monotonic() - burst_started
            burst_samples = sampler.since(mark)
            high_water = {name: float(status_kb(pid, "VmHWM")) for name, pid in pids.items()}
            supervisor = status_kb(process.pid, "VmRSS") / 1024
            progress(f"{mentions} mentions forwarded in {burst:.1f} s; stopping parley run")
        finally:
            stopped_in = stop(process)
        leftovers = [name for name, pid in pids.items() if alive(pid)]
        checks = forwarding_checks(sb.slack, CHANNEL, expected)
        checks["stopped"] = {
            "expected": len(CHILDREN) + 1,
            "seen": len(CHILDREN) - len(leftovers) + (process.returncode == 0),
        }
    config = {
        "mentions": mentions,
        "idle_seconds": idle,
        "poll_interval": 1,
        "slack_rate_per_channel": UNPACED["PARLEY_SLACK_RATE"],
        "redis": redis_label,
    }
    return Report(
        config=config,
        machine=machine(client),
        idle=idle_memory(idle_samples),
        peak=peak_memory(burst_samples),
        high_water=Memory.of(high_water, sum(high_water.values())),
        supervisor_mib=supervisor,
        seconds={"start_up": start_up, "idle": idle, "burst": burst, "stop": stopped_in},
        exit_codes={"run": process.returncode},
        checks=checks,
    )


# -- output -----------------------------------------------------------------------------------------


def table(report: Report) -> str:
    c, s = report.config, report.seconds
    lines = [
        f"Parley memory: `parley run` (web + worker with the clock), idle, then {c['mentions']} mentions"
        f" (PARLEY_POLL_INTERVAL=1, no Slack pacing)",
        machine_line(report.machine),
        f"redis: {c['redis']}",
        "",
        f"{'RSS MiB':<30} {'web':>7} {'worker+clock':>13} {'sum':>7}",
    ]
    for name, m in (
        ("idle (median)", report.idle),
        ("burst peak (sampled)", report.peak),
        ("high-water mark (VmHWM)", report.high_water),
    ):
        lines.append(f"{name:<30} {m.web:>7.1f} {m.worker:>13.1f} {m.total:>7.1f}")
    lines += [
        "",
        f"`parley run` itself: {report.supervisor_mib:.1f} MiB",
        f"seconds: start-up {s['start_up']:.1f}, idle {s['idle']:.1f}, burst {s['burst']:.1f},"
        f" stop after SIGTERM {s['stop']:.1f} (exit code {report.exit_codes['run']})",
        checks_line(report.checks),
    ]
    return "\n".join(lines)


# -- command line -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(
        "bench.memory", __doc__, mentions=1000, mentions_help="mentions in the burst (default 1000)"
    )
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idle sampling (default 3)")
    parser.add_argument("--timeout", type=float, default=85.0, help="give up after this many s (default 85)")
    args = parser.parse_args(argv)
    if args.mentions < 1 or args.idle <= 0:
        parser.error("--mentions must be at least 1 and --idle positive")
    return run_bench(
        args,
        lambda client, url, label, progress: measure(
            client,
            redis_url=child_redis_url(client, url),
            mentions=args.mentions,
            idle=args.idle,
            timeout=args.timeout,
            redis_label=label,
            progress=progress,
        ),
        table,
    )


if __name__ == "__main__":
    sys.exit(main())
