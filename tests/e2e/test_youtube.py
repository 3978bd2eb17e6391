"""YouTube through the whole loop: comments on the brand channel's videos forwarded once, replies
posted once in the comment's thread, and the day's quota (slower polls, a publish moved to the
next day), through the real google-api-python-client and the YouTube emulator."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis

from bot.domain import State
from bot.domain.quota import next_reset
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Message
from emulators.youtube import YouTubeEmulator
from tests.e2e.conftest import Clock, checks, forwarded, modal_for, thread_texts

QUOTA = 1_000


@pytest.fixture
def youtube(clock: Clock) -> Iterator[YouTubeEmulator]:
    with YouTubeEmulator(clock=lambda: clock().timestamp(), daily_quota=QUOTA) as emulator:
        yield emulator


def youtube_env(yt: YouTubeEmulator) -> dict[str, str]:
    return {
        "YOUTUBE_CLIENT_ID": yt.client_id,
        "YOUTUBE_CLIENT_SECRET": yt.client_secret,
        "YOUTUBE_REFRESH_TOKEN": yt.refresh_token,
        "YOUTUBE_CHANNEL_ID": yt.channel_id,
        "YOUTUBE_API_URL": yt.url,
        "YOUTUBE_TOKEN_URL": yt.url + "/token",
        "YOUTUBE_DAILY_QUOTA": str(QUOTA),
    }


@pytest.fixture
def sandbox(redis_client: redis.Redis, clock: Clock, youtube: YouTubeEmulator) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env=youtube_env(youtube)) as sb:
        sb.poll("youtube")  # the first poll learns where the channel is
        yield sb


def comment_and_deliver(
    sb: Sandbox, yt: YouTubeEmulator, text: str = "How do I export my playlists?"
) -> Message:
    video = yt.add_video("Parley in 5 minutes")
    yt.add_comment(video, text, author="@ann")
    assert sb.poll("youtube").new == 1
    sb.drain()
    return forwarded(sb)[-1]


def card(sb: Sandbox, parent: Message) -> Message:
    cards = [m for m in sb.slack.thread(CHANNEL, parent.ts) if m.buttons()]
    assert cards, f"no draft card in the thread of {parent.ts}"
    return cards[0]


def stats(sb: Sandbox) -> str:
    before = len(sb.slack.responses)
    sb.slack.slash_command(sb.app_url, "stats today", user="U_MARIA")
    sb.slack.wait_for(lambda: len(sb.slack.responses) > before)
    return str(sb.slack.responses[-1].payload)


def test_a_comment_is_forwarded_once_approved_once_and_answered_in_its_thread(
    sandbox: Sandbox, youtube: YouTubeEmulator
) -> None:
    parent = comment_and_deliver(sandbox, youtube)
    text = parent.all_text()
    assert "Parley in 5 minutes" in text and "How do I export my playlists?" in text
    [case] = sandbox.parley.store.open_cases()
    comment = case.post.id
    assert case.post.url.startswith("https://www.youtube.com/watch?v=") and case.post.url.endswith(
        f"&lc={comment}"
    )
    assert f"&amp;lc={comment}" in str(parent.blocks)  # the link to the comment
    assert sandbox.poll("youtube").new == 0
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1

    clicks = [
        sandbox.slack.click_request(card(sandbox, parent), "Approve", user=u)
        for u in ("U_MARIA", "U_LUCA", "U_ANNA")
    ]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda r: r.send(sandbox.app_url), clicks))
    sandbox.drain()
    [reply] = youtube.posted
    assert reply.parent_id == comment
    assert "Posted by" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert youtube.quota_used >= 50


def test_a_reply_to_a_reply_is_answered_under_the_top_level_comment(
    sandbox: Sandbox, youtube: YouTubeEmulator, clock: Clock
) -> None:
    video = youtube.add_video("Release notes")
    top = youtube.add_comment(video, "Love it", author="@bob")
    sandbox.poll("youtube")
    clock.advance(seconds=5)
    youtube.add_comment(video, "@bob does the export work for you?", author="@cat", parent=top)
    assert sandbox.poll("youtube").new == 1
    sandbox.drain()
    parent = forwarded(sandbox)[-1]
    assert "does the export work" in parent.all_text()
    sandbox.slack.click(sandbox.app_url, card(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    assert [c.parent_id for c in youtube.posted] == [top]


def test_the_card_and_the_edit_window_show_youtubes_limit(sandbox: Sandbox, youtube: YouTubeEmulator) -> None:
    parent = comment_and_deliver(sandbox, youtube)
    assert "/10,000" in card(sandbox, parent).all_text()
    sandbox.slack.click(sandbox.app_url, card(sandbox, parent), "Edit", user="U_MARIA")
    hint = "YouTube allows up to 10,000 characters."
    sandbox.slack.wait_for(lambda: hint in str(modal_for(sandbox, "U_MARIA").data))


def test_quota_running_low_slows_polling_and_stats_say_so(
    sandbox: Sandbox, youtube: YouTubeEmulator, clock: Clock
) -> None:
    sandbox.parley.insights.quotas["youtube"].spend(850)  # 85 % of the day's 1,000 units
    youtube.use_quota(850)
    sandbox.poll("youtube")  # the first poll above 80 % runs
    threads = len(youtube.requests_to("/commentThreads"))
    video = youtube.add_video("v")
    youtube.add_comment(video, "anyone there?", author="@dan")
    assert sandbox.poll("youtube").new == 0  # too soon: the quota would not last until midnight
    assert len(youtube.requests_to("/commentThreads")) == threads
    answer = stats(sandbox)
    assert "86 %" in answer or "85 %" in answer
    assert "polling slowed to every" in answer

    clock.advance(hours=1)  # at most ~17 minutes between polls with 50 spare units until midnight
    assert sandbox.poll("youtube").new == 1


def test_quota_used_up_moves_the_reply_to_the_next_day(
    sandbox: Sandbox, youtube: YouTubeEmulator, clock: Clock
) -> None:
    parent = comment_and_deliver(sandbox, youtube)
    youtube.use_quota(QUOTA - youtube.quota_used - 10)  # the rest of the project spent the day's quota
    sandbox.slack.click(sandbox.app_url, card(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()

    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.APPROVED and case.failure is not None
    assert case.failure.retry_at == next_reset(case.history[-1].at)
    assert any("quota" in t and "midnight Pacific" in t for t in thread_texts(sandbox, parent))
    assert youtube.posted == []
    assert "used up" in stats(sandbox)

    clock.set(case.failure.retry_at + timedelta(minutes=1))  # Google gives the quota back
    sandbox.parley.publisher.publish(case.id)  # what the scheduled job does at retry_at
    sandbox.drain()
    assert len(youtube.posted) == 1


def test_an_expired_refresh_token_is_explained_in_the_thread_and_by_the_doctor(
    sandbox: Sandbox, youtube: YouTubeEmulator, redis_url: str
) -> None:
    parent = comment_and_deliver(sandbox, youtube)
    youtube.revoke()
    youtube.expire_tokens()
    sandbox.slack.click(sandbox.app_url, card(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.FAILED and youtube.posted == []
    assert any("expired or was revoked" in t for t in thread_texts(sandbox, parent))

    found = checks(sandbox, redis_url)
    assert not found["youtube"].ok and "YOUTUBE_REFRESH_TOKEN" in found["youtube"].detail


def test_the_doctor_names_the_channel(sandbox: Sandbox, redis_url: str) -> None:
    found = checks(sandbox, redis_url)
    assert found["youtube"].ok and "Parley Brand" in found["youtube"].detail


def test_a_channel_declared_in_the_configuration_file_is_routed_to_its_slack_channel(
    redis_client: redis.Redis, clock: Clock, youtube: YouTubeEmulator
) -> None:
    def config(sb: Sandbox) -> str:
        return f"""
[[accounts]]
name = "brand-videos"
network = "youtube"
client_id = "{youtube.client_id}"
client_secret = "env:YOUTUBE_CLIENT_SECRET"
refresh_token = "env:YOUTUBE_REFRESH_TOKEN"
channel_id = "{youtube.channel_id}"
api_url = "{youtube.url}"
oauth_url = "{youtube.url}/token"

[[routes]]
channel = "C_VIDEO"
accounts = ["brand-videos"]
"""

    with Sandbox(redis_client, clock=clock, env=youtube_env(youtube), config=config) as sb:
        sb.poll("brand-videos")
        youtube.add_comment(youtube.add_video("Tutorial"), "Which plan includes exports?", author="@eve")
        assert sb.poll("brand-videos").new == 1
        sb.drain()
        [parent] = sb.slack.messages("C_VIDEO")
        assert "Which plan includes exports?" in parent.all_text() and sb.slack.messages(CHANNEL) == []
        assert "brand-videos" in stats(sb)
