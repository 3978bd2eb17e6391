"""Time from a signed Meta webhook to the draft card in Slack, p50 and p95.

Each round adds a Facebook comment (or an Instagram comment, a Messenger message, alternating)
to the Graph emulator, POSTs Meta's signed webhook for it to Parley's `/webhooks/meta` (the real
waitress server of `parley web`), then lets a worker run (rq's SimpleWorker in this process,
started as soon as the webhook was answered, as an idle `parley worker` would pick the job up)
and stops the clock when the card's `chat.postMessage` reached the Slack emulator (its recorded
arrival time). Printed: the webhook's own answer time and webhook-to-card, p50 / p95 / max, and
the checks (every event forwarded once, with one card). The offline drafter writes the drafts.

    python -m bench.meta_webhook [--mentions 40] [--json] [--flush]
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

import redis

from bench.common import bench_parser, percentile, run_bench
from bench.ingest import UNPACED, case_of
from bot.domain import now
from demo.meta import CUSTOMER, IG_CUSTOMER, meta_sandbox
from demo.sandbox import CHANNEL, Sandbox
from emulators.meta import MetaEmulator, Person


@dataclass
class Report:
    events: int
    ack_ms: dict[str, float]
    to_card_ms: dict[str, float]
    checks: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(percentile(ordered, 0.5), 1),
        "p95": round(percentile(ordered, 0.95), 1),
        "max": round(ordered[-1], 1),
    }


def _event(meta: MetaEmulator, i: int) -> dict[str, Any]:
    if i % 3 == 1:
        media = meta.add_post(f"Reel {i}", platform="instagram")
        return meta.webhooks.instagram_comment(
            meta.add_comment(media, f"Is #{i} in stock?", author=IG_CUSTOMER)
        )
    if i % 3 == 2:
        # A person of their own each time: the same person's next message would join their conversation.
        person = Person(f"2400000000{i + 10:07d}", f"Customer {i}")
        return meta.webhooks.message(meta.add_message(f"Where is order {i}?", author=person))
    post = meta.add_post(f"Post {i}")
    return meta.webhooks.page_comment(meta.add_comment(post, f"Do you deliver to zone {i}?", author=CUSTOMER))


def _card_arrived(sb: Sandbox, since: float) -> float | None:
    """When the first card posted after `since` reached Slack (epoch seconds)."""
    for request in sb.slack.requests_to(r"/api/chat\.postMessage$"):
        if request.timestamp >= since and "thread_ts" in request.params():
            return request.timestamp
    return None


def _one(sb: Sandbox, meta: MetaEmulator, i: int) -> tuple[float, float]:
    payload = _event(meta, i)
    started = time.time()
    delivery = meta.webhooks.deliver(payload)
    answered = time.time()
    assert delivery.status == 200, delivery
    sb.drain()
    arrived = _card_arrived(sb, started)
    assert arrived is not None, f"no card for event {i}"
    return (answered - started) * 1000, (arrived - started) * 1000


def measure(client: redis.Redis, events: int) -> Report:
    acks: list[float] = []
    cards: list[float] = []
    with meta_sandbox(client, now, **UNPACED) as (sb, meta):
        _one(sb, meta, -3)  # warm-up: connections, imports
        for i in range(events):
            ack, card = _one(sb, meta, i)
            acks.append(ack)
            cards.append(card)
        parents = [case_of(m, "parent") for m in sb.slack.messages(CHANNEL)]
        expected = events + 1
        checks = {
            "forwarded": {"expected": expected, "seen": len({p for p in parents if p})},
            "duplicates": {"expected": 0, "seen": len(parents) - len(set(parents))},
        }
    return Report(events, _summary(acks), _summary(cards), checks)


def table(report: Report) -> str:
    ack, card = report.ack_ms, report.to_card_ms
    lines = [
        f"Meta webhook -> Slack card, {report.events} events (Page comments, IG comments, Messenger messages)",
        f"  webhook answered   p50 {ack['p50']:7.1f} ms   p95 {ack['p95']:7.1f} ms   max {ack['max']:7.1f} ms",
        f"  card in Slack      p50 {card['p50']:7.1f} ms   p95 {card['p95']:7.1f} ms   max {card['max']:7.1f} ms",
    ]
    lines += [f"  check {name}: {c['seen']}/{c['expected']}" for name, c in report.checks.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("bench.meta_webhook", __doc__, mentions=40, mentions_help="webhook events to time")
    args = parser.parse_args(argv)

    def run(client: redis.Redis, url: str, label: str, progress: Any) -> Report:
        progress(f"timing {args.mentions} signed webhooks")
        return measure(client, args.mentions)

    return run_bench(args, run, table)


if __name__ == "__main__":
    sys.exit(main())
