"""How a day of YouTube spends the quota, and what one poll costs through the real client.

Part 1, the day (pure: `bot.domain.quota`, the rules Parley polls by). From midnight Pacific Time,
the clock ticks every `--interval` seconds; a tick polls when `may_poll` allows it, and a poll
costs 1 unit (plus 1 when new comments need a video title). Replies (50 units each) are approved
evenly through the team's working hours (`--replies` a day, 09:00-18:00); a reply the quota cannot
pay for waits for the next day. Printed: polls made and skipped, when polling slowed down, the
longest gap between two polls, replies posted and moved to the next day, units left at midnight.

Part 2, one poll for real: `YouTubeConnector.fetch` with google-api-python-client against the
YouTube emulator, with `--comments` new comments waiting (3 pages of 100 threads at most): its
wall time and the units it cost.

    python -m bench.youtube_quota [--quota 10000] [--interval 60] [--replies 150] [--comments 250] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.quota import PACIFIC, affordable, may_poll
from connectors.youtube import MemoryQuota, YouTubeConnector
from emulators.youtube import YouTubeEmulator

DAY_START = datetime(2026, 12, 7, 0, 0, tzinfo=PACIFIC)


@dataclass(frozen=True)
class Day:
    polls: int
    skipped: int
    slowed_at: str | None  # Pacific time of the first skipped poll
    longest_gap_min: float
    replies_posted: int
    replies_moved: int
    units_used: int
    units_left: int


@dataclass(frozen=True)
class Poll:
    comments: int
    delivered: int
    units: int
    ms: float


def simulate_day(*, quota: int, interval: int, replies: int) -> Day:
    used, polls, skipped = 0, 0, 0
    last: datetime | None = None
    longest = timedelta(0)
    slowed: str | None = None
    posted = moved = 0
    work = timedelta(hours=9)
    reply_times = [DAY_START + timedelta(hours=9) + work * (n + 0.5) / replies for n in range(replies)]
    at = DAY_START
    while at < DAY_START + timedelta(days=1):
        utc = at.astimezone(UTC)
        while reply_times and reply_times[0] <= at:
            reply_times.pop(0)
            if affordable(used, quota, 50):
                used, posted = used + 50, posted + 1
            else:
                moved += 1
        cost = 2 if polls % 10 == 0 else 1  # now and then new comments need a video title
        if may_poll(used=used, limit=quota, poll_cost=cost, at=utc, last_poll=last):
            if last is not None:
                longest = max(longest, utc - last)
            used, polls, last = used + cost, polls + 1, utc
        else:
            skipped += 1
            slowed = slowed or at.strftime("%H:%M")
        at += timedelta(seconds=interval)
    return Day(
        polls=polls,
        skipped=skipped,
        slowed_at=slowed,
        longest_gap_min=round(longest.total_seconds() / 60, 1),
        replies_posted=posted,
        replies_moved=moved,
        units_used=used,
        units_left=quota - used,
    )


def measure_poll(comments: int) -> Poll:
    with YouTubeEmulator(daily_quota=1_000_000) as yt:
        meter = MemoryQuota(1_000_000, lambda: datetime.now(UTC))
        connector = YouTubeConnector(
            client_id=yt.client_id,
            client_secret=yt.client_secret,
            refresh_token=yt.refresh_token,
            channel_id=yt.channel_id,
            api_url=yt.url,
            token_url=yt.url + "/token",
            quota=meter,
        )
        with connector:
            cursor = connector.fetch(None).cursor  # warm-up: token, imports, the cursor
            video = yt.add_video("Benchmark")
            later = time.time() + 1
            for n in range(comments):
                yt.add_comment(video, f"comment {n}", at=later + n)
            before = meter.used()
            started = time.perf_counter()
            batch = connector.fetch(cursor)
            elapsed = time.perf_counter() - started
        return Poll(comments, len(batch.posts), meter.used() - before, round(elapsed * 1000, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quota", type=int, default=10_000)
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--replies", type=int, default=150)
    parser.add_argument("--comments", type=int, default=250)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    day = simulate_day(quota=args.quota, interval=args.interval, replies=args.replies)
    poll = measure_poll(args.comments)
    if args.json:
        print(json.dumps({"day": asdict(day), "poll": asdict(poll)}))
        return 0
    print(
        f"A day at {args.quota:,} units, a poll every {args.interval} s, {args.replies} replies (09:00-18:00):"
    )
    print(f"  polls made {day.polls:,}, skipped {day.skipped:,}; slowed from {day.slowed_at or 'never'}")
    print(f"  longest gap between polls {day.longest_gap_min} min")
    print(f"  replies posted {day.replies_posted}, moved to the next day {day.replies_moved}")
    print(f"  units used {day.units_used:,}, left at midnight Pacific {day.units_left:,}")
    print(
        f"One poll with {poll.comments} new comments: {poll.delivered} delivered, {poll.units} units, {poll.ms} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
