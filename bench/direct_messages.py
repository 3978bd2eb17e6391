"""What reading DMs adds to a poll: X connector fetches with and without direct messages.

Against the X emulator (real tweepy, 127.0.0.1): `--mentions` new mentions and `--dms` new DMs to the
brand arrive between two polls; each poll is timed, and the
requests it made are counted. Then the same with ``direct_messages=False``.

    python -m bench.direct_messages [--mentions 200] [--dms 400] [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from connectors.x import XConnector
from emulators.x import XEmulator

BRAND_ID = "1500000000000000001"


def _round(x: XEmulator, connector: XConnector, mentions: int, dms: int) -> tuple[float, int, int]:
    x.add_mention("warm-up")  # the first poll only learns where X is
    x.add_direct_message("warm-up")
    cursor = connector.fetch(None).cursor
    for i in range(mentions):
        x.add_mention(f"question {i}", author_handle=f"m{i % 50}")
    for i in range(dms):
        x.add_direct_message(f"private {i}", author_handle=f"d{i % 50}")
    before = len(x.requests)
    started = time.perf_counter()
    batch = connector.fetch(cursor)
    elapsed = time.perf_counter() - started
    return elapsed, len(x.requests) - before, len(batch.posts)


def measure(mentions: int, dms: int, rounds: int, *, direct_messages: bool) -> dict[str, Any]:
    times, requests, posts = [], [], []
    with XEmulator(access_level="read-write-directmessages", rate_limits=False) as x:
        for _ in range(rounds):
            x.reset()
            with XConnector(
                bearer_token="app",
                consumer_key="ck",
                consumer_secret="cs",
                access_token=f"{BRAND_ID}-at",
                access_token_secret="ats",
                base_url=x.url,
                user_id=BRAND_ID,
                username="parleybrand",
                direct_messages=direct_messages,
            ) as connector:
                elapsed, made, found = _round(x, connector, mentions, dms)
            times.append(elapsed)
            requests.append(made)
            posts.append(found)
    return {
        "direct_messages": direct_messages,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "requests": requests[0],
        "posts": posts[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=200)
    parser.add_argument("--dms", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure(args.mentions, args.dms, args.rounds, direct_messages=on) for on in (True, False)]
    if args.json:
        print(json.dumps(results))
        return
    print(f"{args.mentions} new mentions and {args.dms} new DMs per poll, {args.rounds} rounds")
    for r in results:
        label = "with DMs   " if r["direct_messages"] else "without DMs"
        print(
            f"{label}: median {r['median_ms']} ms, max {r['max_ms']} ms, {r['requests']} requests, {r['posts']} posts"
        )


if __name__ == "__main__":
    main()
