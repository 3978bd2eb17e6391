"""One poll of a Google Business Profile account and of a LinkedIn page, through the real clients.

What a `parley clock` tick costs on these networks: the connector reads every location's reviews
(Google) or the page's ten newest posts' comments and its mentions (LinkedIn) from the local
emulators, and the figures are the wall time of one `fetch` (median of `--runs`), the HTTP requests
it made and the posts it returned. The emulators answer in microseconds, so the time is Parley's
own (HTTP client, JSON, mapping) plus loopback; on the real APIs add their latency per request.

    python -m bench.places_poll [--locations 20] [--reviews 30] [--posts 10] [--comments 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from connectors.google_business import GoogleBusinessConnector
from connectors.linkedin import LinkedInConnector
from emulators.google_business import GoogleBusinessEmulator
from emulators.linkedin import LinkedInEmulator


@dataclass(frozen=True)
class PollFigures:
    network: str
    posts: int
    requests: int
    median_ms: float


def google_poll(locations: int, reviews: int, runs: int) -> PollFigures:
    with GoogleBusinessEmulator() as google:
        places = [google.add_location(f"Shop {n}") for n in range(locations)]
        conn = GoogleBusinessConnector(
            client_id=google.client_id,
            client_secret=google.client_secret,
            refresh_token=google.refresh_token,
            account_id=google.account,
            api_url=google.url,
            information_url=google.url,
            token_url=google.token_url,
        )
        with conn:
            for place in places:
                google.add_review(place, 5, "first")
            cursor = conn.fetch(None).cursor  # measures every location
            for place in places:
                for n in range(reviews):
                    google.add_review(place, 1 + n % 5, f"review {n} of {place}")
            return _timed("google", lambda: len(conn.fetch(cursor).posts), lambda: len(google.requests), runs)


def linkedin_poll(posts: int, comments: int, runs: int) -> PollFigures:
    with LinkedInEmulator() as linkedin:
        conn = LinkedInConnector(
            access_token=linkedin.access_token, organization_id=linkedin.organization_id, api_url=linkedin.url
        )
        with conn:
            shares = [linkedin.add_post(f"Post {n}") for n in range(posts)]
            cursor = conn.fetch(None).cursor
            time.sleep(0.01)  # the cursor is in milliseconds: what follows is newer
            linkedin.mention("Thanks @Parley Demo")  # first: 1,000 comments a second run ahead of the clock
            for share in shares:
                for n in range(comments):
                    linkedin.add_comment(share, f"comment {n}")
            return _timed(
                "linkedin", lambda: len(conn.fetch(cursor).posts), lambda: len(linkedin.requests), runs
            )


def _timed(network: str, poll: Callable[[], int], sent: Callable[[], int], runs: int) -> PollFigures:
    times: list[float] = []
    found = 0
    before = sent()
    for _ in range(runs):
        started = time.perf_counter()
        found = poll()
        times.append(time.perf_counter() - started)
    per_poll = (sent() - before) // runs
    return PollFigures(network, found, per_poll, statistics.median(times) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=20)
    parser.add_argument("--reviews", type=int, default=30)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = [
        google_poll(args.locations, args.reviews, args.runs),
        linkedin_poll(args.posts, args.comments, args.runs),
    ]
    print(f"{'network':<10}{'posts':>8}{'requests':>10}{'median ms':>11}")
    for row in rows:
        print(f"{row.network:<10}{row.posts:>8}{row.requests:>10}{row.median_ms:>11.1f}")


if __name__ == "__main__":
    main()
