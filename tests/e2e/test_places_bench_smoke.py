"""bench.places_poll with tiny numbers: every new review and comment is found, the requests are bounded."""

from __future__ import annotations

from bench.places_poll import google_poll, linkedin_poll


def test_a_google_poll_reads_each_location_once_and_finds_every_new_review() -> None:
    figures = google_poll(locations=3, reviews=4, runs=1)
    assert (figures.posts, figures.requests) == (12, 3)


def test_a_linkedin_poll_finds_every_comment_and_the_mention() -> None:
    figures = linkedin_poll(posts=2, comments=3, runs=1)
    assert figures.posts == 2 * 3 + 1
    # the page's name (once), its posts, the comments of each, notifications, the mentioning post
    assert figures.requests == 1 + 1 + 2 + 1 + 1
