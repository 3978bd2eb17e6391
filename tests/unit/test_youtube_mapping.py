"""YouTube's resources as domain values, and the cursor (connectors.youtube.mapping): pure."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from connectors.youtube.mapping import Cursor, to_post, video_of, watch_url


def comment(cid: str, at: str, **snippet: object) -> dict[str, object]:
    return {"id": cid, "snippet": {"publishedAt": at, "videoId": "vid00000001", **snippet}}


def test_links_open_the_comment_and_give_back_the_video() -> None:
    url = watch_url("vid00000001", "Ugz1.abc")
    assert url == "https://www.youtube.com/watch?v=vid00000001&lc=Ugz1.abc"
    assert video_of(url) == "vid00000001" and video_of("https://example.com/") == ""


def test_a_reply_belongs_to_its_top_level_comments_thread() -> None:
    post = to_post(
        comment(
            "Ugz1.abc", "2026-12-06T18:00:00Z", parentId="Ugz1", textOriginal="hi", authorDisplayName="@a"
        ),
        account="UCbrand",
        title="Video",
    )
    assert (post.conversation_id, post.in_reply_to, post.title) == ("Ugz1", "Ugz1", "Video")
    assert post.created_at == datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def test_the_cursor_round_trips_and_keeps_the_ids_of_its_second() -> None:
    start = Cursor(datetime(2026, 12, 6, 18, 0, tzinfo=UTC))
    read = [
        comment("a", "2026-12-06T18:00:05Z"),
        comment("b", "2026-12-06T18:00:05Z"),
        comment("c", "2026-12-06T17:00:00Z"),
    ]
    after = Cursor.parse(start.after(read, {"t": 7}).dump())
    assert after == Cursor(datetime(2026, 12, 6, 18, 0, 5, tzinfo=UTC), frozenset({"a", "b"}), {"t": 7})
    assert not after.is_new(read[0]) and after.is_new(comment("d", "2026-12-06T18:00:05Z"))
    assert Cursor.parse(after.after([], {}).dump()).ids == {"a", "b"}


@pytest.mark.parametrize("junk", ["not json", '{"v": 99}', '{"v": 1, "t": "yesterday"}', "[]"])
def test_a_cursor_parley_cannot_read_starts_over(junk: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert Cursor.parse(junk) == Cursor()
    assert "cannot read" in caplog.text
