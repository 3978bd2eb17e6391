"""Time from a post written on the network to its draft card in Slack: streamed networks next to polled ones.

Bluesky (Jetstream) and Mastodon (the user stream) are read by `parley stream`; X is read only by
the poller. Both run as in production, in threads of this process over a `FediverseSandbox` (the
real app, the real SDKs, a real Redis, the emulators): a clock thread polls every account every
`--interval` seconds (PARLEY_POLL_INTERVAL; the streamed accounts are polled too, as Parley does),
the streams are open, and the worker (in the main thread) runs the queued delivery jobs at once. Posts are written
one at a time, at random moments (uniform within a poll interval), alternating networks; each
sample is the time from the write to the `chat.postMessage` of its draft card (the Slack
emulator's `ts`). Offline drafter (no OpenAI), Slack's pace lifted (PARLEY_SLACK_RATE=1000).

    python -m bench.stream_latency [--posts 20] [--interval 5] [--json] [--flush]
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from bench.common import percentile, run_bench
from bot.domain import Network
from demo.fediverse import FediverseSandbox
from demo.sandbox import CHANNEL

NETWORKS = (Network.BLUESKY, Network.MASTODON, Network.X)
HOW = {Network.BLUESKY: "stream (Jetstream)", Network.MASTODON: "stream (user SSE)", Network.X: "poll"}


@dataclass
class Report:
    interval: int
    posts: int
    seconds: dict[str, list[float]] = field(default_factory=dict)
    checks: dict[str, dict[str, int]] = field(default_factory=dict)

    def figures(self) -> dict[str, dict[str, float]]:
        found = {}
        for network, samples in self.seconds.items():
            ordered = sorted(samples)
            found[network] = {
                "count": len(ordered),
                "p50_s": round(percentile(ordered, 0.5), 3),
                "p95_s": round(percentile(ordered, 0.95), 3),
                "max_s": round(ordered[-1], 3),
            }
        return found

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "figures": self.figures()}


def _write(sb: FediverseSandbox, network: Network, tag: str) -> None:
    text = f"question {tag}: where is my order?"
    if network is Network.BLUESKY:
        sb.bluesky.add_post(f"@{sb.bluesky.brand.handle} {text}", author_handle="ann.bsky.social")
    elif network is Network.MASTODON:
        sb.mastodon.add_status(f"@parleybrand {text}")
    else:
        sb.x.add_mention(f"@parleybrand {text}", author_handle="ann")


def _card_at(sb: FediverseSandbox, tag: str) -> float | None:
    """When the draft card of the post tagged `tag` reached Slack (its ts), if it has."""
    for parent in sb.slack.messages(CHANNEL):
        if f"question {tag}:" in parent.all_text():
            thread = sb.slack.thread(CHANNEL, parent.ts)
            return float(thread[0].ts) if thread else None
    return None


def _deliver_until(sb: FediverseSandbox, tag: str, *, deadline: float) -> None:
    """The worker (rq's signal handlers need the main thread): run due jobs until the card is there."""
    while _card_at(sb, tag) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no card for {tag}")
        sb.drain()
        time.sleep(0.005)


def _loop(stop: threading.Event, every: float, work: Callable[[], object]) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            work()
            stop.wait(every)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def measure(
    client: redis.Redis, *, posts: int, interval: int, progress: Callable[[str], None] = lambda s: None
) -> Report:
    report = Report(interval=interval, posts=posts)
    env = {"PARLEY_POLL_INTERVAL": str(interval), "PARLEY_SLACK_RATE": "1000"}
    with FediverseSandbox(client, env=env) as sb, sb.streaming():
        for source in ("x", "bluesky", "mastodon"):
            sb.poll(source)  # the cursors: as after a first poll
        stop = threading.Event()
        started = time.monotonic()

        def tick() -> None:  # the clock: every account polled on the interval's boundaries
            for source in ("x", "bluesky", "mastodon"):
                sb.poll(source)

        threads = [_loop(stop, interval, tick)]
        try:
            for i in range(posts):
                network = NETWORKS[i % len(NETWORKS)]
                time.sleep(random.uniform(0, interval))  # a moment uniform within the poll cycle
                tag = f"{network.value}-{i}"
                written = time.time()
                _write(sb, network, tag)
                _deliver_until(sb, tag, deadline=time.monotonic() + interval * 3 + 10)
                report.seconds.setdefault(network.value, []).append((_card_at(sb, tag) or written) - written)
                progress(f"{tag}: {report.seconds[network.value][-1]:.3f} s")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=interval + 5)
        progress(f"{posts} posts in {time.monotonic() - started:.0f} s")
        report.checks["forwarded once"] = {"expected": posts, "seen": len(sb.slack.messages(CHANNEL))}
    return report


def table(report: Report) -> str:
    lines = [
        f"Post written -> draft card in Slack, poll interval {report.interval} s ({report.posts} posts)",
        f"{'network':<10} {'read by':<20} {'count':>5} {'p50 s':>8} {'p95 s':>8} {'max s':>8}",
    ]
    for network, f in report.figures().items():
        how = HOW[Network(network)]
        lines.append(
            f"{network:<10} {how:<20} {f['count']:>5} {f['p50_s']:>8.3f} {f['p95_s']:>8.3f} {f['max_s']:>8.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.stream_latency", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--posts", type=int, default=30, help="posts written (alternating networks)")
    parser.add_argument("--interval", type=int, default=10, help="PARLEY_POLL_INTERVAL in seconds")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--flush", action="store_true", help="flush the Redis database even if it is not empty"
    )
    args = parser.parse_args(argv)
    return run_bench(
        args,
        lambda client, url, label, progress: measure(
            client, posts=args.posts, interval=args.interval, progress=progress
        ),
        table,
    )


if __name__ == "__main__":
    sys.exit(main())
