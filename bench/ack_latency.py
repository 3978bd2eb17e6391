"""How fast Parley acknowledges button clicks and slash commands under concurrent load.

Slack gives an app 3 s to answer (acknowledge) an interactive request. Parley's listeners ack
first and leave the slow work to rq jobs; this benchmark measures the ack: the time from sending a
signed request to receiving the HTTP response, per request, with `--clients` concurrent keep-alive
connections. Four kinds of request, interleaved:

- `approve`: the first Approve click on a case (ack, then one Redis transaction that queues jobs);
- `approve_again`: a colleague's Approve click on a case approved earlier in the run (ack, then
  an ephemeral "already approved" through the response_url);
- `edit`: an Edit click (ack, then `views.open` on the Slack emulator);
- `queue`: `/parley queue`, answered in the ack itself from Redis.

The same pre-signed requests go first to a baseline (a bare Bolt `App` whose listeners only call
`ack()`, served by waitress like `parley web`), then to Parley in a `Sandbox`. The load generator
runs in a separate process. Only 127.0.0.1 traffic. The rq worker does not run during the
measurement: jobs wait in Redis, as they would for a separate `parley worker` process.

    python -m bench.ack_latency [--clients 20] [--requests 800] [--cases 300] [--json] [--flush]
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import redis
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bench.common import Figures, LoadClient, PreparedRequest, summarize
from bench.scratch import DEFAULT_REDIS, scratch_redis
from blocks import ids
from bot.adapters.metrics import WSGIApp
from bot.adapters.slack import make_web_client
from bot.app.web import serve_http
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Message, SignedRequest, SlackEmulator

KINDS = ("approve", "approve_again", "edit", "queue")
APPS = ("baseline", "parley")
POLL_BATCH = 50  # mentions added between two polls (a first poll takes one page of the X API)
SETTLE_SECONDS = 10.0  # how long to wait for the work listeners do after their ack


def web_threads() -> int:
    """The waitress thread count of `parley web` (the default of `bot.web.serve_http`)."""
    return int(inspect.signature(serve_http).parameters["threads"].default)


@dataclass
class Report:
    config: dict[str, Any]
    machine: dict[str, Any]
    results: dict[str, dict[str, Figures]]  # app -> kind -> figures (kinds, then "all")
    checks: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> {"expected", "seen"}

    def ratios(self) -> dict[str, dict[str, float]]:
        """Parley / baseline, per kind, for p50 and p99."""
        parley, baseline = self.results["parley"], self.results["baseline"]
        return {
            kind: {
                "p50": parley[kind].p50_ms / baseline[kind].p50_ms,
                "p99": parley[kind].p99_ms / baseline[kind].p99_ms,
            }
            for kind in parley
            if kind in baseline
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "machine": self.machine,
            "results": {
                app: {kind: figures.as_dict() for kind, figures in by_kind.items()}
                for app, by_kind in self.results.items()
            },
            "ratio_parley_over_baseline": self.ratios(),
            "checks": self.checks,
        }


# -- the two apps ----------------------------------------------------------------------------------


def baseline_app(slack: SlackEmulator) -> App:
    """The same Bolt `App` as Parley's, with listeners that only acknowledge."""
    app = App(
        signing_secret=slack.signing_secret,
        client=make_web_client(slack.bot_token, slack.url + "/api/"),
        token_verification_enabled=False,
    )

    def just_ack(ack: Ack) -> None:
        ack()

    for action_id in (ids.ACTION_APPROVE, ids.ACTION_EDIT, ids.ACTION_REJECT):
        app.action(action_id)(just_ack)
    app.command("/parley")(just_ack)
    return app


@contextmanager
def serving(wsgi: WSGIApp, *, threads: int) -> Iterator[str]:
    """Serve `wsgi` on a free 127.0.0.1 port exactly as `bot.sandbox.Sandbox` serves Parley; its URL."""
    import waitress.server

    server: Any = waitress.server.create_server(  # Any: types-waitress lacks `effective_port`
        wsgi, host="127.0.0.1", port=0, threads=threads, ident="baseline"
    )
    thread = threading.Thread(target=server.run, name="baseline-web", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


# -- the workload ----------------------------------------------------------------------------------


def create_cases(sb: Sandbox, count: int) -> list[Message]:
    """`count` mentions forwarded to Slack; the draft card (with its buttons) of each, oldest first."""
    for start in range(0, count, POLL_BATCH):
        for i in range(start, min(count, start + POLL_BATCH)):
            sb.x.add_mention(
                f"@parleybrand order #{i} has not arrived, can you help?", author_handle=f"cust{i}"
            )
        sb.poll()
    sb.drain()
    cards = []
    for parent in sb.slack.messages(CHANNEL):
        with_buttons = [m for m in sb.slack.thread(CHANNEL, parent.ts) if m.buttons()]
        if with_buttons:
            cards.append(with_buttons[0])
    if len(cards) != count:
        raise RuntimeError(f"expected {count} draft cards in Slack, found {len(cards)}")
    return cards


def check_options(*, clients: int, requests: int, cases: int) -> None:
    """Raise ValueError unless every `approve` can click a case of its own and one case is left to edit."""
    if clients < 1:
        raise ValueError("--clients must be at least 1")
    if requests < len(KINDS):
        raise ValueError(f"--requests must be at least {len(KINDS)} (one of each kind)")
    needed = split(requests, len(KINDS))[0] + 2  # + one case to edit, + one for the warm-up
    if cases < needed:
        raise ValueError(f"--cases must be at least {needed} for {requests} requests (requests / 4 + 2)")


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` near-equal shares, larger ones first."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


@dataclass(frozen=True)
class Workload:
    warmup: list[SignedRequest]
    timed: list[PreparedRequest]

    def count(self, kind: str) -> int:
        return sum(1 for r in self.timed if r.kind == kind)


def build_workload(
    slack: SlackEmulator, cards: Sequence[Message], *, requests: int, clients: int
) -> Workload:
    """Sign every request up front. Each `approve` click goes to a different case, Edit clicks go to the
    other cases (several clicks each if needed), the last case is for the warm-up; see `check_options`.

    An `approve_again` click is scheduled a few rounds after the first click on the same case, so that
    the case is (almost always) approved by then; the checks count the notices it produced.
    """
    n_approve, n_again, n_edit, n_queue = split(requests, len(KINDS))
    warm_card, rest = cards[-1], list(cards[:-1])
    to_approve, to_edit = rest[:n_approve], rest[n_approve:]
    users = ("U_MARIA", "U_LUCA", "U_ANNA")

    def prepared(kind: str, signed: SignedRequest) -> PreparedRequest:
        return PreparedRequest(kind, signed.path, signed.body, dict(signed.headers))

    approve = [
        prepared("approve", slack.click_request(to_approve[i], "Approve", user="U_MARIA"))
        for i in range(n_approve)
    ]
    again = [
        prepared("approve_again", slack.click_request(to_approve[i], "Approve", user="U_LUCA"))
        for i in range(n_again)
    ]
    edit = [
        prepared("edit", slack.click_request(to_edit[i % len(to_edit)], "Edit", user=users[i % len(users)]))
        for i in range(n_edit)
    ]
    queue = [
        prepared("queue", slack.slash_command_request("queue", user=users[i % len(users)]))
        for i in range(n_queue)
    ]
    lag = max(1, clients)  # rounds between a first click and its repeat
    rounds = max(n_approve, n_edit, n_queue)
    timed: list[PreparedRequest] = []
    for i in range(rounds):
        for series in (approve, edit, queue):
            if i < len(series):
                timed.append(series[i])
        if 0 <= i - lag < len(again):
            timed.append(again[i - lag])
    timed += again[max(0, rounds - lag) :]
    warmup = [
        slack.slash_command_request("queue"),
        slack.click_request(to_edit[0], "Edit"),
        slack.click_request(warm_card, "Approve"),
    ]
    return Workload(warmup, timed)


def warm_up(app_url: str, requests: Iterable[SignedRequest]) -> None:
    for request in requests:
        answer = request.send(app_url)
        if answer.status != 200:
            raise RuntimeError(
                f"warm-up request to {app_url} answered HTTP {answer.status}: {answer.body[:200]}"
            )


def _settle(seen: Callable[[], int], expected: int, *, timeout: float = SETTLE_SECONDS) -> int:
    """Wait (bounded) until `seen()` reaches `expected`; its last value."""
    deadline = time.monotonic() + timeout
    value = seen()
    while value < expected and time.monotonic() < deadline:
        time.sleep(0.05)
        value = seen()
    return value


def _modals_opened(slack: SlackEmulator) -> int:
    """Successful `views.open` calls so far."""
    answers = [r.response for r in slack.requests_to(r"^/api/views\.open$")]
    return sum(1 for a in answers if a is not None and isinstance(a.body, dict) and a.body.get("ok"))


def _notices(slack: SlackEmulator) -> int:
    """Ephemerals saying "already approved", sent through a response_url so far."""
    return sum(
        1
        for use in slack.responses
        if use.action == "ephemeral"
        and use.error is None
        and "already approved" in str(use.payload.get("text"))
    )


# -- the benchmark ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "slack_bolt": version("slack-bolt"),
        "waitress": version("waitress"),
        "web_threads": web_threads(),
    }


def measure(
    client: redis.Redis,
    *,
    clients: int = 20,
    requests: int = 800,
    cases: int = 300,
    redis_label: str = "",
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Run the benchmark against the (scratch) Redis behind `client`; figures per app and kind."""
    check_options(clients=clients, requests=requests, cases=cases)
    threads = web_threads()
    results: dict[str, dict[str, Figures]] = {}
    with Sandbox(client) as sb, LoadClient() as load:
        # Requests are signed before the clock starts, so their trigger ids are older than they would
        # be in Slack (3 s); let them live long enough for the Edit clicks' views.open to succeed.
        sb.slack.trigger_ttl = 300.0
        started = time.perf_counter()
        cards = create_cases(sb, cases)
        progress(f"{cases} cases forwarded to Slack in {time.perf_counter() - started:.1f} s")
        work = build_workload(sb.slack, cards, requests=requests, clients=clients)
        with serving(SlackRequestHandler(baseline_app(sb.slack)), threads=threads) as baseline_url:
            warm_up(baseline_url, work.warmup)
            run = load.run(baseline_url, work.timed, clients=clients)
            results["baseline"] = summarize(run, KINDS)
            progress(f"baseline: {len(run.samples)} requests in {run.wall_seconds:.1f} s")
        warm_up(sb.app_url, work.warmup)
        modals, notices = _modals_opened(sb.slack), _notices(sb.slack)
        run = load.run(sb.app_url, work.timed, clients=clients)
        results["parley"] = summarize(run, KINDS)
        progress(f"parley: {len(run.samples)} requests in {run.wall_seconds:.1f} s")
        expected_modals, expected_notices = work.count("edit"), work.count("approve_again")
        checks = {
            "modals_opened": {
                "expected": expected_modals,
                "seen": _settle(lambda: _modals_opened(sb.slack) - modals, expected_modals),
            },
            "already_approved_notices": {
                "expected": expected_notices,
                "seen": _settle(lambda: _notices(sb.slack) - notices, expected_notices),
            },
        }
    config = {
        "clients": clients,
        "requests_per_app": len(work.timed),
        "requests_per_kind": {kind: work.count(kind) for kind in KINDS},
        "cases": cases,
        "redis": redis_label,
    }
    return Report(config, machine(), results, checks)


# -- output ----------------------------------------------------------------------------------------


def table(report: Report) -> str:
    config, host = report.config, report.machine
    lines = [
        f"Parley ack latency: {config['clients']} clients, {config['requests_per_app']} requests per app"
        f" ({', '.join(f'{k} {n}' for k, n in config['requests_per_kind'].items())}), {config['cases']} cases",
        f"machine: {host['cpus']} CPUs, {host['platform']}, Python {host['python']},"
        f" slack-bolt {host['slack_bolt']}, waitress {host['waitress']} ({host['web_threads']} threads)",
        f"redis: {config['redis']}",
        "",
        f"{'app':<9} {'kind':<14} {'n':>5} {'ok':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8} {'req/s':>7}",
    ]
    for app in APPS:
        for kind, f in report.results[app].items():
            lines.append(
                f"{app:<9} {kind:<14} {f.count:>5} {f.ok:>5} {f.p50_ms:>8.1f} {f.p90_ms:>8.1f}"
                f" {f.p99_ms:>8.1f} {f.max_ms:>8.1f} {f.rps:>7.0f}"
            )
    lines += ["", f"{'parley / baseline':<24} {'p50':>6} {'p99':>6}"]
    for kind, ratio in report.ratios().items():
        lines.append(f"{kind:<24} {ratio['p50']:>6.2f} {ratio['p99']:>6.2f}")
    checks = ", ".join(f"{name} {c['seen']}/{c['expected']}" for name, c in report.checks.items())
    lines += ["", f"checks: {checks}"]
    return "\n".join(lines)


# -- command line ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ack_latency", description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent connections (default 20)")
    parser.add_argument("--requests", type=int, default=800, help="requests per app, all kinds (default 800)")
    parser.add_argument(
        "--cases", type=int, default=300, help="mentions forwarded before the run (default 300)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--flush", action="store_true", help="flush the Redis database even if it is not empty"
    )
    args = parser.parse_args(argv)
    try:
        check_options(clients=args.clients, requests=args.requests, cases=args.cases)
    except ValueError as error:
        parser.error(str(error))
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N": expected here
    started = time.perf_counter()
    with scratch_redis(url, flush=args.flush) as (client, label):
        progress(f"redis: {label}")
        report = measure(
            client,
            clients=args.clients,
            requests=args.requests,
            cases=args.cases,
            redis_label=label,
            progress=progress,
        )
    progress(f"done in {time.perf_counter() - started:.1f} s")
    print(json.dumps(report.as_dict(), indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
