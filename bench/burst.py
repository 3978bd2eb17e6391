"""A burst of mentions at Slack's pace: how long until every one is in Slack, and nothing twice.

Slack takes about one `chat.postMessage` per second per channel, so 1,000 mentions (a parent and a
draft card each: 2,000 messages) need about 2,000 s, 33 min, in one channel. Too slow to run, so
time is scaled: Parley's send governor and the Slack emulator get the same pace `--rate` times
Slack's (default 50 messages/s per channel, `PARLEY_SLACK_RATE=50`, `PARLEY_SLACK_BURST=3`, the
workspace budget scaled alike: `PARLEY_SLACK_WORKSPACE_PER_MINUTE=300*rate`), and the emulator
answers HTTP 429 (Retry-After) above `--slack-limit` `chat.postMessage` calls in any 1 s per
channel. Its default, rate + burst, is Slack's "one per second, short bursts allowed" as the
governor reads it; `--slack-limit 50` makes the window strict (see docs/performance.md).

The run, in a `Sandbox` (the real app, real SDKs, a real Redis, the emulators; X's own rate limits
on): one warm-up mention (sets the poll cursor), a pause so the buckets are full again, then the
mentions arrive and are polled (X serves only the newest 800 mentions and one poll reads at most
that many, so they arrive in `--per-poll` batches, 500 by default, polled back to back), then
rq's SimpleWorker drains the queue in this process, waiting for jobs the governor postponed.

Reported: time to drain against the rate-limit floor ((messages - burst) / rate), the Slack 429s,
the Slack calls by method, how many times the governor turned a job away (each is one more job
run), the rq job hashes and Redis memory this left, how long cases waited for their parent and
card, and whether every mention was forwarded exactly once (one parent per case, one card in its
thread). Multiply the seconds by the scale factor to read them at Slack's real pace.

    python -m bench.burst [--mentions 1000] [--rate 50] [--burst 3] [--slack-limit N] [--per-poll 500]
                          [--json] [--flush]
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from bench.common import bench_parser, checks_pass, percentile, run_bench
from bench.ingest import (
    add_mentions,
    api_methods,
    case_of,
    checks_line,
    forwarding_checks,
    machine,
    machine_line,
    paced,
)
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import SlackEmulator
from emulators.x import REACHABLE_MENTIONS

SLACK_RATE = 1.0  # Slack's chat.postMessage pace per channel, messages per second
SLACK_WORKSPACE_PER_MINUTE = 300.0  # Parley's default workspace budget at Slack's real pace
WINDOW = 1.0  # seconds: the emulator's rate-limit window


@dataclass(frozen=True)
class Waits:
    """Seconds from the end of the last poll until a case's message was in Slack."""

    parent_p50: float
    parent_max: float
    card_p50: float
    card_max: float


@dataclass
class Report:
    config: dict[str, Any]
    machine: dict[str, Any]
    poll_seconds: float
    drain_seconds: float
    messages: int  # case messages posted (parents + cards)
    slack_429s: int
    post_calls: int  # every chat.postMessage call during the run, 429s included
    other_messages: int  # messages in the channel that belong to no case (e.g. a burst notice)
    paced: int  # times the send governor turned a job away (the job ran again later)
    slack_calls: dict[str, int]  # Web API calls by method during the run
    rq_jobs: int  # rq job hashes in Redis after the drain (finished jobs are kept 10 min)
    redis_memory_mib: float  # growth of the Redis server's used_memory during the run
    waits: Waits
    checks: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        """How many times faster than Slack this run was paced."""
        return float(self.config["rate"]) / SLACK_RATE

    @property
    def floor_seconds(self) -> float:
        """The rate-limit floor: the first `burst` messages at once, then one every 1/rate s."""
        return max(0, self.messages - int(self.config["burst"])) / float(self.config["rate"])

    @property
    def ratio(self) -> float:
        return self.drain_seconds / self.floor_seconds if self.floor_seconds > 0 else 0.0

    @property
    def sent_per_second(self) -> float:
        return self.messages / self.drain_seconds if self.drain_seconds > 0 else 0.0

    @property
    def job_runs_per_case(self) -> float:
        """Delivery job runs per case: one that finishes, plus one per postponement."""
        cases = int(self.config["mentions"])
        return (cases + self.paced + self.slack_429s) / cases if cases else 0.0

    def at_slack_pace(self) -> dict[str, float]:
        """The floor and this run's drain time at Slack's real pace (seconds times the scale)."""
        floor = max(0, self.messages - int(self.config["burst"])) / SLACK_RATE
        return {"floor_seconds": floor, "drain_seconds": self.drain_seconds * self.scale}

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "machine": self.machine,
            "poll_seconds": self.poll_seconds,
            "drain_seconds": self.drain_seconds,
            "floor_seconds": self.floor_seconds,
            "ratio_drain_over_floor": self.ratio,
            "sent_per_second": self.sent_per_second,
            "messages": self.messages,
            "slack_429s": self.slack_429s,
            "post_calls": self.post_calls,
            "other_messages": self.other_messages,
            "paced": self.paced,
            "slack_calls": self.slack_calls,
            "rq_jobs": self.rq_jobs,
            "redis_memory_mib": self.redis_memory_mib,
            "job_runs_per_case": self.job_runs_per_case,
            "waits": asdict(self.waits),
            "scale": self.scale,
            "at_slack_pace": self.at_slack_pace(),
            "checks": self.checks,
        }


def check_options(*, mentions: int, rate: float, burst: int, per_poll: int) -> None:
    if mentions < 1:
        raise ValueError("--mentions must be at least 1")
    if not rate > 0:
        raise ValueError("--rate must be positive")
    if burst < 1:
        raise ValueError("--burst must be at least 1")
    if per_poll < 1:
        raise ValueError("--per-poll must be at least 1")


def _waits(slack: SlackEmulator, expected: set[str], since: float) -> Waits:
    parents: list[float] = []
    cards: list[float] = []
    for message in slack.messages(CHANNEL):
        if case_of(message, "parent") not in expected:
            continue
        parents.append(float(message.ts) - since)
        cards += [float(r.ts) - since for r in slack.thread(CHANNEL, message.ts) if case_of(r, "card")]
    parents.sort()
    cards.sort()
    if not parents or not cards:
        return Waits(0.0, 0.0, 0.0, 0.0)
    return Waits(percentile(parents, 0.5), parents[-1], percentile(cards, 0.5), cards[-1])


def rq_jobs(client: redis.Redis) -> int:
    """rq job hashes (`rq:job:<id>`) in the database."""
    return sum(1 for key in client.scan_iter(match="rq:job:*", count=1000) if key.count(b":") == 2)


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def _others(slack: SlackEmulator, since: float) -> int:
    return sum(
        1
        for message in slack.messages(CHANNEL)
        if float(message.ts) >= since and case_of(message, "parent") is None
    )


def measure(
    client: redis.Redis,
    *,
    mentions: int = 1000,
    rate: float = 50.0,
    burst: int = 3,
    slack_limit: int | None = None,
    per_poll: int = 500,
    patience: float = 5.0,
    redis_label: str = "",
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Run the benchmark against the (scratch) Redis behind `client`."""
    check_options(mentions=mentions, rate=rate, burst=burst, per_poll=per_poll)
    limit = slack_limit if slack_limit is not None else math.floor(rate * WINDOW) + burst
    env = {
        "PARLEY_SLACK_RATE": repr(float(rate)),
        "PARLEY_SLACK_BURST": str(burst),
        "PARLEY_SLACK_WORKSPACE_PER_MINUTE": repr(SLACK_WORKSPACE_PER_MINUTE * rate / SLACK_RATE),
    }
    with Sandbox(client, env=env) as sb:
        sb.slack.rate_limit("chat.postMessage", limit=limit, per_seconds=WINDOW, per_channel=True)
        warm = add_mentions(sb.x, 1)
        sb.poll()
        sb.drain(patience=patience)
        if not checks_pass(forwarding_checks(sb.slack, CHANNEL, warm)):
            raise RuntimeError("the warm-up mention did not reach Slack")
        time.sleep(WINDOW + burst / rate + 0.1)  # the emulator's window empty, the governor's buckets full
        requests_before, paced_before = len(sb.slack.requests), paced(sb)
        memory_before = used_memory(client)
        expected: list[str] = []
        poll_seconds = 0.0
        for start in range(0, mentions, per_poll):
            expected += add_mentions(sb.x, min(per_poll, mentions - start), start=1 + start)
            began = time.perf_counter()
            sb.poll()
            poll_seconds += time.perf_counter() - began
        polled_at = time.time()
        progress(f"{mentions} mentions polled in {poll_seconds:.2f} s; draining at {rate:g} messages/s")
        began = time.perf_counter()
        sb.drain(patience=patience)
        drain_seconds = time.perf_counter() - began
        progress(f"drained in {drain_seconds:.1f} s")
        memory_growth = (used_memory(client) - memory_before) / 2**20
        recorded = sb.slack.requests[requests_before:]
        posts = [r for r in recorded if r.path == "/api/chat.postMessage"]
        checks = forwarding_checks(sb.slack, CHANNEL, expected)
        rejected = sum(1 for r in posts if r.response is not None and r.response.status == 429)
        checks["slack_429s"] = {"expected": 0, "seen": rejected}
        config = {
            "mentions": mentions,
            "rate": rate,
            "burst": burst,
            "slack_limit": limit,
            "window_seconds": WINDOW,
            "workspace_per_minute": sb.parley.settings.slack_workspace_per_minute,
            "per_poll": per_poll,
            "polls": math.ceil(mentions / per_poll),
            "patience": patience,
            "redis": redis_label,
        }
        return Report(
            config=config,
            machine=machine(client),
            poll_seconds=poll_seconds,
            drain_seconds=drain_seconds,
            messages=2 * mentions,
            slack_429s=rejected,
            post_calls=len(posts),
            other_messages=_others(sb.slack, polled_at),
            paced=paced(sb) - paced_before,
            slack_calls=api_methods(recorded),
            rq_jobs=rq_jobs(client),
            redis_memory_mib=memory_growth,
            waits=_waits(sb.slack, set(expected), polled_at),
            checks=checks,
        )


# -- output -----------------------------------------------------------------------------------------


def _minutes(seconds: float) -> str:
    return f"{seconds:,.0f} s = {seconds / 60:.1f} min"


def table(report: Report) -> str:
    c, w = report.config, report.waits
    real = report.at_slack_pace()
    lines = [
        f"Parley burst: {c['mentions']} mentions ({report.messages} Slack messages) in {c['polls']} back-to-back"
        f" polls, one channel, paced at {c['rate']:g} messages/s (burst {c['burst']}), {report.scale:g}x Slack's pace",
        f"Slack emulator: 429 above {c['slack_limit']} chat.postMessage per channel in any {c['window_seconds']:g} s",
        machine_line(report.machine),
        f"redis: {c['redis']}",
        "",
        f"{'':<28} {'seconds':>9}",
        f"{'poll':<28} {report.poll_seconds:>9.2f}",
        f"{'drain':<28} {report.drain_seconds:>9.2f}",
        f"{'floor ((messages-burst)/rate)':<28} {report.floor_seconds:>9.2f}",
        f"{'drain / floor':<28} {report.ratio:>9.2f}",
        "",
        f"sent: {report.sent_per_second:.1f} messages/s; chat.postMessage calls {report.post_calls},"
        f" Slack 429s {report.slack_429s}; other messages in the channel {report.other_messages}",
        "Slack calls: " + ", ".join(f"{name} {n}" for name, n in sorted(report.slack_calls.items())),
        f"governor postponements: {report.paced} ({report.job_runs_per_case:.2f} delivery job runs per case);"
        f" rq job hashes kept {report.rq_jobs}; Redis memory +{report.redis_memory_mib:.1f} MiB",
        f"waits after the last poll: parent p50 {w.parent_p50:.1f} s, max {w.parent_max:.1f} s;"
        f" card p50 {w.card_p50:.1f} s, max {w.card_max:.1f} s",
        f"at Slack's pace (x{report.scale:g}): floor {_minutes(real['floor_seconds'])};"
        f" this drain {_minutes(real['drain_seconds'])}",
        checks_line(report.checks),
    ]
    return "\n".join(lines)


# -- command line -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(
        "bench.burst", __doc__, mentions=1000, mentions_help="mentions in the burst (default 1000)"
    )
    parser.add_argument(
        "--rate", type=float, default=50.0, help="messages/s per channel, Slack's 1/s scaled (default 50)"
    )
    parser.add_argument("--burst", type=int, default=3, help="PARLEY_SLACK_BURST (default 3)")
    parser.add_argument(
        "--slack-limit",
        type=int,
        default=None,
        help="the emulator's 429 threshold per channel per second (default: rate + burst)",
    )
    parser.add_argument(
        "--per-poll",
        type=int,
        default=500,
        help=f"mentions per poll (default 500; X serves only the newest {REACHABLE_MENTIONS})",
    )
    args = parser.parse_args(argv)
    try:
        check_options(mentions=args.mentions, rate=args.rate, burst=args.burst, per_poll=args.per_poll)
    except ValueError as error:
        parser.error(str(error))
    return run_bench(
        args,
        lambda client, url, label, progress: measure(
            client,
            mentions=args.mentions,
            rate=args.rate,
            burst=args.burst,
            slack_limit=args.slack_limit,
            per_poll=args.per_poll,
            redis_label=label,
            progress=progress,
        ),
        table,
    )


if __name__ == "__main__":
    sys.exit(main())
