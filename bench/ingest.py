"""How fast Parley turns X mentions into Slack messages when nothing rate-limits it.

Each mention becomes a case in Redis, then a Slack parent message and a draft card in its thread
(the offline drafter: no OpenAI). The run adds `--mentions` mentions to the X emulator, then times
one `poll` (which reads them with tweepy, stores the cases and queues their delivery jobs) and a
`drain` (rq's SimpleWorker, in this process, runs every delivery job), in a `Sandbox`: the real app,
the real SDKs, a real Redis, the emulators with their rate limits off (X emulator `rate_limits`
off, no Slack `rate_limit`) and Parley's send governor far above the pace reached
(PARLEY_SLACK_RATE=1000 per channel, PARLEY_SLACK_WORKSPACE_PER_MINUTE=100000).

Next to it, the FLOOR: the same raw SDK calls without Parley's logic, against the same emulators.
tweepy's `get_users_mentions` reads the same mentions, page by page (the same fields); each post
is written to Redis (one MULTI: SET of the tweet's JSON + ZADD to an index), then two
`chat_postMessage` calls of slack_sdk send the very payloads Parley sent (recorded from the Slack
emulator: same text, blocks and metadata), the card in the parent's thread, and one SET records
the two timestamps. Parley / floor is the cost of Parley's logic: drafting, Block Kit, the case
transactions, rq's job bookkeeping, the send governor, permalinks.

X serves only the newest 800 mentions, so one poll reads at most 800: `--mentions` is capped there.
Only 127.0.0.1 traffic. A warm-up mention goes through first (connections, imports, the poll
cursor: a first poll without one reads a single page).

    python -m bench.ingest [--mentions 500] [--json] [--flush]
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from typing import Any

import redis
import requests
import tweepy
from slack_sdk import WebClient

from bench.common import bench_parser, checks_pass, run_bench
from bot.domain import Network, case_id_for
from connectors.x import TWEET_FIELDS, USER_FIELDS
from demo.sandbox import CHANNEL, Sandbox
from emulators.http import RecordedRequest
from emulators.slack import Message, SlackEmulator
from emulators.x import REACHABLE_MENTIONS, XEmulator

FLOOR_CHANNEL = "C_FLOOR"
FLOOR_PREFIX = "bench:floor"
PAGE_SIZE = 100  # the connector's page size (X's maximum)
UNPACED = {"PARLEY_SLACK_RATE": "1000", "PARLEY_SLACK_WORKSPACE_PER_MINUTE": "100000"}
TEXTS = (
    "@parleybrand order #{i} has not arrived yet, can you help?",
    "@parleybrand I was charged twice for order {i}, this is really frustrating",
    "@parleybrand how do I change the delivery address of order #{i}?",
    "@parleybrand thanks, the replacement for #{i} arrived today and works great!",
    "@parleybrand the app crashes every time I open my order history ({i})",
)


# -- helpers shared with bench.burst and bench.memory ---------------------------------------------


def add_mentions(x: XEmulator, count: int, *, start: int = 0) -> list[str]:
    """`count` mentions by distinct authors, a mix of questions, complaints and praise; their case ids."""
    return [
        case_id_for(
            Network.X,
            x.add_mention(
                TEXTS[i % len(TEXTS)].format(i=i), author_handle=f"cust{i}", author_name=f"Cust {i}"
            ),
        )
        for i in range(start, start + count)
    ]


def case_of(message: Message, part: str) -> str | None:
    """The case id in the message metadata Parley attaches to a case's `part` ("parent" or "card")."""
    payload = (message.metadata or {}).get("event_payload") or {}
    return str(payload["case_id"]) if payload.get("part") == part and "case_id" in payload else None


def forwarding_checks(
    slack: SlackEmulator, channel: str, expected: Collection[str]
) -> dict[str, dict[str, int]]:
    """Whether each expected case has exactly one parent message in `channel` and one card in its thread.

    `forwarded`: expected cases with a parent; `cards`: expected cases whose thread holds exactly one
    card; `duplicates`: parents or cards beyond one per case (expected 0).
    """
    wanted = set(expected)
    parents: Counter[str] = Counter()
    cards_per_case: dict[str, int] = {}
    for message in slack.messages(channel):
        case_id = case_of(message, "parent")
        if case_id not in wanted:
            continue
        parents[case_id] += 1
        cards = sum(1 for reply in slack.thread(channel, message.ts) if case_of(reply, "card") == case_id)
        cards_per_case[case_id] = cards_per_case.get(case_id, 0) + cards
    duplicates = sum(n - 1 for n in parents.values()) + sum(max(0, n - 1) for n in cards_per_case.values())
    return {
        "forwarded": {"expected": len(wanted), "seen": len(parents)},
        "cards": {"expected": len(wanted), "seen": sum(1 for n in cards_per_case.values() if n == 1)},
        "duplicates": {"expected": 0, "seen": duplicates},
    }


def redis_commands(client: redis.Redis) -> int:
    """Commands the Redis server has run since it started (INFO commandstats; every database, every client)."""
    stats: dict[str, Any] = client.info("commandstats")
    return sum(int(entry["calls"]) for entry in stats.values() if isinstance(entry, dict))


def redis_version(client: redis.Redis) -> str:
    return str(client.info("server").get("redis_version", "?"))


def machine(client: redis.Redis) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "slack_sdk": version("slack-sdk"),
        "tweepy": version("tweepy"),
        "rq": version("rq"),
        "redis_server": redis_version(client),
    }


def machine_line(host: dict[str, Any]) -> str:
    return (
        f"machine: {host['cpus']} CPUs, {host['platform']}, Python {host['python']}, slack-sdk"
        f" {host['slack_sdk']}, tweepy {host['tweepy']}, rq {host['rq']}, Redis {host['redis_server']}"
    )


def api_methods(recorded: Sequence[RecordedRequest]) -> dict[str, int]:
    """Slack Web API calls by method, e.g. {"chat.postMessage": 1000}."""
    return dict(Counter(r.path.removeprefix("/api/") for r in recorded if r.path.startswith("/api/")))


def paced(sb: Sandbox) -> int:
    """chat.postMessage calls the send governor turned away so far (each one reschedules its job)."""
    value = sb.parley.metrics.registry.get_sample_value(
        "parley_api_calls_total", {"service": "slack", "method": "chat.postMessage", "outcome": "paced"}
    )
    return int(value or 0)


# -- the report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One timed run over `mentions` mentions; `phases`: seconds per step (they add up to `seconds`)."""

    mentions: int
    seconds: float
    cpu_seconds: float  # this process's CPU time (Parley or the floor, the emulators, the bench)
    phases: dict[str, float]
    slack_calls: dict[str, int]  # by Web API method
    x_requests: int
    redis_commands: int

    @property
    def mentions_per_second(self) -> float:
        return self.mentions / self.seconds if self.seconds > 0 else 0.0

    @property
    def ms_per_mention(self) -> float:
        return 1000 * self.seconds / self.mentions if self.mentions else 0.0

    def per_mention(self, count: int) -> float:
        return count / self.mentions if self.mentions else 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "mentions_per_second": self.mentions_per_second,
            "ms_per_mention": self.ms_per_mention,
        }


@dataclass
class Report:
    config: dict[str, Any]
    machine: dict[str, Any]
    parley: Run
    floor: Run
    paced: int  # Parley posts the send governor postponed (0 expected: no pacing here)
    checks: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Parley's time / the floor's time for the same mentions."""
        return self.parley.seconds / self.floor.seconds if self.floor.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "machine": self.machine,
            "parley": self.parley.as_dict(),
            "floor": self.floor.as_dict(),
            "ratio_parley_over_floor": self.ratio,
            "paced": self.paced,
            "checks": self.checks,
        }


# -- Parley -----------------------------------------------------------------------------------------


class _Window:
    """Counts what the emulators and Redis saw between `__init__` and `close` (and the times)."""

    def __init__(self, sb: Sandbox, client: redis.Redis) -> None:
        self.sb, self.client = sb, client
        self.slack_before, self.x_before = len(sb.slack.requests), len(sb.x.requests)
        self.redis_before = redis_commands(client)
        self.cpu = time.process_time()

    def close(self, mentions: int, phases: dict[str, float]) -> Run:
        cpu = time.process_time() - self.cpu
        slack = self.sb.slack.requests[self.slack_before :]
        x_requests = len(self.sb.x.requests) - self.x_before
        commands = redis_commands(self.client) - self.redis_before - 1  # minus this INFO
        return Run(mentions, sum(phases.values()), cpu, phases, api_methods(slack), x_requests, commands)


def run_parley(sb: Sandbox, client: redis.Redis, mentions: int) -> tuple[Run, list[str]]:
    """Add `mentions` mentions (untimed), then time one poll and the drain; the run and the case ids."""
    expected = add_mentions(sb.x, mentions, start=1)
    window = _Window(sb, client)
    started = time.perf_counter()
    polled = sb.poll()
    poll_done = time.perf_counter()
    sb.drain()
    finished = time.perf_counter()
    if polled.new != mentions:
        raise RuntimeError(f"the poll stored {polled.new} new cases, expected {mentions}")
    run = window.close(mentions, {"poll": poll_done - started, "drain": finished - poll_done})
    return run, expected


# -- the floor --------------------------------------------------------------------------------------


class _ToEmulator(requests.Session):
    """A requests session that sends tweepy's hard-coded https://api.twitter.com URLs to `base_url`."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if isinstance(url, str) and url.startswith("https://api.twitter.com"):
            url = self.base_url + url[len("https://api.twitter.com") :]
        return super().request(method, url, *args, **kwargs)


@dataclass(frozen=True)
class Payloads:
    """The chat.postMessage arguments Parley sent for one case (without channel and thread_ts)."""

    parent: dict[str, Any]
    card: dict[str, Any]


def recorded_payloads(slack: SlackEmulator, case_ids: Collection[str]) -> dict[str, Payloads]:
    """What Parley posted for each case, as keyword arguments for `WebClient.chat_postMessage`."""
    wanted = set(case_ids)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for call in slack.calls("chat.postMessage"):
        payload = (call.params.get("metadata") or {}).get("event_payload") or {}
        case_id, part = payload.get("case_id"), payload.get("part")
        if call.status == 200 and case_id in wanted and part in ("parent", "card"):
            kwargs = {k: v for k, v in call.params.items() if k not in ("channel", "thread_ts", "token")}
            found.setdefault(str(case_id), {})[str(part)] = kwargs
    missing = wanted - {case_id for case_id, parts in found.items() if len(parts) == 2}
    if missing:
        raise RuntimeError(
            f"{len(missing)} cases have no recorded parent and card, e.g. {sorted(missing)[:3]}"
        )
    return {case_id: Payloads(parts["parent"], parts["card"]) for case_id, parts in found.items()}


def run_floor(
    sb: Sandbox, client: redis.Redis, *, since_id: str, payloads: dict[str, Payloads], mentions: int
) -> Run:
    """The raw SDK calls and Redis writes for the same mentions, in a channel of their own."""
    x = tweepy.Client(bearer_token="floor-bearer", return_type=dict, wait_on_rate_limit=False)
    x.session.close()
    x.session = _ToEmulator(sb.x.url)
    web = WebClient(token=sb.slack.bot_token, base_url=sb.slack.url + "/api/")
    user_id = sb.x.brand.id

    def read_page(token: str | None) -> dict[str, Any]:
        page: dict[str, Any] = x.get_users_mentions(
            user_id,
            since_id=since_id,
            pagination_token=token,
            max_results=PAGE_SIZE,
            expansions=["author_id"],
            tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
        )
        return page

    try:
        # Warm-up: the X session's connection, the Slack client, the Redis connection.
        read_page(None)
        web.chat_postMessage(channel=FLOOR_CHANNEL, text="floor warm-up")
        client.ping()
        window = _Window(sb, client)
        started = time.perf_counter()
        tweets: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = read_page(token)
            tweets += page.get("data") or []
            token = page.get("meta", {}).get("next_token")
            if not token:
                break
        tweets.sort(key=lambda t: int(t["id"]))
        for tweet in tweets:
            with client.pipeline() as pipe:  # MULTI/EXEC, as a case is stored
                pipe.set(f"{FLOOR_PREFIX}:post:{tweet['id']}", json.dumps(tweet))
                pipe.zadd(f"{FLOOR_PREFIX}:posts", {str(tweet["id"]): int(tweet["id"])})
                pipe.execute()
        read_done = time.perf_counter()
        for tweet in tweets:
            sent = payloads[case_id_for(Network.X, str(tweet["id"]))]
            parent = web.chat_postMessage(channel=FLOOR_CHANNEL, **sent.parent)
            card = web.chat_postMessage(channel=FLOOR_CHANNEL, thread_ts=parent["ts"], **sent.card)
            client.set(f"{FLOOR_PREFIX}:slack:{tweet['id']}", f"{parent['ts']} {card['ts']}")
        finished = time.perf_counter()
    finally:
        x.session.close()
    if len(tweets) != mentions:
        raise RuntimeError(f"the floor read {len(tweets)} mentions, expected {mentions}")
    return window.close(mentions, {"read": read_done - started, "post": finished - read_done})


# -- the benchmark ----------------------------------------------------------------------------------


def check_options(*, mentions: int) -> None:
    if not 1 <= mentions <= REACHABLE_MENTIONS:
        raise ValueError(
            f"--mentions must be between 1 and {REACHABLE_MENTIONS}: X serves only the newest"
            f" {REACHABLE_MENTIONS} mentions, so one poll cannot read more"
        )


def measure(
    client: redis.Redis,
    *,
    mentions: int = 500,
    redis_label: str = "",
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Run the benchmark against the (scratch) Redis behind `client`."""
    check_options(mentions=mentions)
    with Sandbox(client, env=dict(UNPACED)) as sb:
        sb.x.rate_limits = False
        warm = add_mentions(sb.x, 1)  # the cursor, connections, imports
        sb.poll()
        sb.drain()
        if not checks_pass(forwarding_checks(sb.slack, CHANNEL, warm)):
            raise RuntimeError("the warm-up mention did not reach Slack")
        since_id = warm[0].removeprefix("x-")
        paced_before = paced(sb)
        parley, expected = run_parley(sb, client, mentions)
        progress(f"parley: {mentions} mentions in {parley.seconds:.2f} s")
        checks = forwarding_checks(sb.slack, CHANNEL, expected)
        payloads = recorded_payloads(sb.slack, expected)
        floor = run_floor(sb, client, since_id=since_id, payloads=payloads, mentions=mentions)
        progress(f"floor: {mentions} mentions in {floor.seconds:.2f} s")
        config = {
            "mentions": mentions,
            "drafter": type(sb.parley.drafter).__name__,
            "slack_rate_per_channel": sb.parley.settings.slack_rate,
            "slack_workspace_per_minute": sb.parley.settings.slack_workspace_per_minute,
            "redis": redis_label,
        }
        return Report(config, machine(client), parley, floor, paced(sb) - paced_before, checks)


# -- output -----------------------------------------------------------------------------------------


def _calls(run: Run) -> str:
    total = sum(run.slack_calls.values())
    detail = ", ".join(f"{name} {run.per_mention(n):.1f}" for name, n in sorted(run.slack_calls.items()))
    return f"{run.per_mention(total):.1f} ({detail})"


def _phases(run: Run) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in run.phases.items())


def checks_line(checks: dict[str, dict[str, int]]) -> str:
    return "checks: " + ", ".join(f"{name} {c['seen']}/{c['expected']}" for name, c in checks.items())


def table(report: Report) -> str:
    config = report.config
    lines = [
        f"Parley ingest: {config['mentions']} X mentions -> Slack parent + draft card each, no rate limits"
        f" ({config['drafter']})",
        machine_line(report.machine),
        f"redis: {config['redis']}",
        "",
        f"{'run':<7} {'seconds':>8} {'mentions/s':>11} {'ms/mention':>11} {'cpu s':>6} {'x req':>6}"
        f" {'redis cmds/mention':>19}  slack calls/mention",
    ]
    for name, run in (("parley", report.parley), ("floor", report.floor)):
        lines.append(
            f"{name:<7} {run.seconds:>8.2f} {run.mentions_per_second:>11.1f} {run.ms_per_mention:>11.2f}"
            f" {run.cpu_seconds:>6.2f} {run.x_requests:>6} {run.per_mention(run.redis_commands):>19.1f}  {_calls(run)}"
        )
    lines += [
        "",
        f"parley / floor: {report.ratio:.2f}",
        f"phases: parley {_phases(report.parley)}; floor {_phases(report.floor)}",
        f"paced by the send governor: {report.paced}",
        checks_line(report.checks),
    ]
    return "\n".join(lines)


# -- command line -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(
        "bench.ingest", __doc__, mentions=500, mentions_help="mentions to ingest (default 500, max 800)"
    )
    args = parser.parse_args(argv)
    try:
        check_options(mentions=args.mentions)
    except ValueError as error:
        parser.error(str(error))
    return run_bench(
        args,
        lambda client, url, label, progress: measure(
            client, mentions=args.mentions, redis_label=label, progress=progress
        ),
        table,
    )


if __name__ == "__main__":
    sys.exit(main())
