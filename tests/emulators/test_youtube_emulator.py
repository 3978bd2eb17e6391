"""YouTubeEmulator through the real google-api-python-client and google-auth: OAuth, resources,
paging, refusals and the quota, as Google answers them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import google_auth_httplib2
import httplib2
import pytest
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from emulators.youtube import SHOWN_REPLIES, YouTubeEmulator


@pytest.fixture
def yt() -> Iterator[YouTubeEmulator]:
    with YouTubeEmulator() as emulator:
        yield emulator


def client(yt: YouTubeEmulator, client_secret: str | None = None) -> Any:
    credentials = Credentials(  # type: ignore[no-untyped-call]
        None,
        refresh_token=yt.refresh_token,
        client_id=yt.client_id,
        client_secret=client_secret or yt.client_secret,
        token_uri=yt.url + "/token",
    )
    http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=5))
    return build(
        "youtube", "v3", http=http, static_discovery=True, client_options={"api_endpoint": yt.url + "/"}
    )


def threads(api: Any, yt: YouTubeEmulator, **params: Any) -> dict[str, Any]:
    listed: dict[str, Any] = (
        api.commentThreads()
        .list(part="snippet,replies", allThreadsRelatedToChannelId=yt.channel_id, order="time", **params)
        .execute()
    )
    return listed


def error_of(raised: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(raised.value.content)["error"]
    return body


def test_threads_come_newest_first_with_their_comment_and_replies(yt: YouTubeEmulator) -> None:
    video = yt.add_video("Unboxing")
    first = yt.add_comment(video, "first <b>", author="@ann", at=1_000)
    yt.add_comment(video, "second", author="@bob", at=2_000)
    reply = yt.add_comment(video, "me too", author="@cat", parent=first, at=3_000)
    listed = threads(client(yt), yt, textFormat="plainText")
    assert listed["kind"] == "youtube#commentThreadListResponse"
    assert [t["snippet"]["topLevelComment"]["snippet"]["textDisplay"] for t in listed["items"]] == [
        "second",
        "first <b>",
    ]
    thread = listed["items"][1]
    assert thread["id"] == first and thread["snippet"]["totalReplyCount"] == 1
    assert thread["snippet"]["videoId"] == video and thread["snippet"]["channelId"] == yt.channel_id
    [shown] = thread["replies"]["comments"]
    assert shown["id"] == reply and reply.startswith(first + ".")
    assert shown["snippet"]["parentId"] == first and shown["snippet"]["publishedAt"] == "1970-01-01T00:50:00Z"
    assert shown["snippet"]["authorChannelId"]["value"].startswith("UC")


def test_html_is_the_default_text_format(yt: YouTubeEmulator) -> None:
    yt.add_comment(yt.add_video("v"), "a <b> & c")
    snippet = threads(client(yt), yt)["items"][0]["snippet"]["topLevelComment"]["snippet"]
    assert snippet["textDisplay"] == "a &lt;b&gt; &amp; c" and snippet["textOriginal"] == "a <b> & c"


def test_paging_and_the_replies_a_thread_does_not_carry(yt: YouTubeEmulator) -> None:
    video = yt.add_video("v")
    top = yt.add_comment(video, "top", at=1)
    for n in range(3):
        yt.add_comment(video, f"t{n}", at=10 + n)
    for n in range(SHOWN_REPLIES + 3):
        yt.add_comment(video, f"r{n}", parent=top, at=100 + n)
    api = client(yt)
    page = threads(api, yt, maxResults=3)
    assert len(page["items"]) == 3 and page["pageInfo"]["totalResults"] == 4
    rest = threads(api, yt, maxResults=3, pageToken=page["nextPageToken"])
    assert [t["id"] for t in rest["items"]] == [top] and "nextPageToken" not in rest
    assert len(rest["items"][0]["replies"]["comments"]) == SHOWN_REPLIES
    replies = api.comments().list(part="snippet", parentId=top, maxResults=100).execute()
    assert [c["snippet"]["textDisplay"] for c in replies["items"]] == [
        f"r{n}" for n in range(SHOWN_REPLIES + 3)
    ]


def test_a_reply_goes_under_the_top_level_comment_and_costs_50_units(yt: YouTubeEmulator) -> None:
    top = yt.add_comment(yt.add_video("v"), "question")
    api = client(yt)
    body = {"snippet": {"parentId": top, "textOriginal": "Thanks, here is how."}}
    created = api.comments().insert(part="snippet", body=body).execute()
    assert created["snippet"]["parentId"] == top
    assert created["snippet"]["authorChannelId"]["value"] == yt.channel_id
    assert [c.text for c in yt.posted] == ["Thanks, here is how."]
    assert yt.quota_used == 50


@pytest.mark.parametrize(
    ("text", "parent", "status", "reason"),
    [
        ("x" * 10_001, "top", 400, "commentTextTooLong"),
        ("  ", "top", 400, "commentTextRequired"),
        ("hi", "", 400, "parentIdMissing"),
        ("hi", "Ugznothere", 404, "parentCommentNotFound"),
        ("hi", "reply", 400, "operationNotSupported"),
    ],
)
def test_refused_replies(yt: YouTubeEmulator, text: str, parent: str, status: int, reason: str) -> None:
    video = yt.add_video("v")
    top = yt.add_comment(video, "question")
    ids = {"top": top, "reply": yt.add_comment(video, "answer", parent=top)}
    body = {"snippet": {"parentId": ids.get(parent, parent), "textOriginal": text}}
    with pytest.raises(HttpError) as raised:
        client(yt).comments().insert(part="snippet", body=body).execute()
    assert raised.value.resp.status == status
    assert error_of(raised)["errors"][0]["reason"] == reason
    assert yt.posted == []


def test_quota_exceeded_is_googles_403_and_costs_nothing(yt: YouTubeEmulator) -> None:
    top = yt.add_comment(yt.add_video("v"), "q")
    yt.use_quota(9_960)
    api = client(yt)
    with pytest.raises(HttpError) as raised:
        api.comments().insert(
            part="snippet", body={"snippet": {"parentId": top, "textOriginal": "a"}}
        ).execute()
    assert raised.value.resp.status == 403
    error = error_of(raised)
    assert error["errors"][0]["domain"] == "youtube.quota" and error["errors"][0]["reason"] == "quotaExceeded"
    assert "exceeded your" in error["message"]
    assert yt.quota_used == 9_960
    threads(api, yt)  # a list still fits
    assert yt.quota_used == 9_961


def test_the_quota_comes_back_at_midnight_pacific() -> None:
    now = [1_796_630_400.0 - 60]  # 2026-12-07 07:59 UTC: a minute before midnight in Los Angeles
    with YouTubeEmulator(daily_quota=1, clock=lambda: now[0]) as yt:
        api = client(yt)
        threads(api, yt)
        with pytest.raises(HttpError):
            threads(api, yt)
        now[0] += 120
        assert threads(api, yt)["items"] == []


def test_an_expired_access_token_is_renewed_by_the_client(yt: YouTubeEmulator) -> None:
    api = client(yt)
    threads(api, yt)
    yt.expire_tokens()
    threads(api, yt)
    statuses = [(r.path, r.response.status if r.response else None) for r in yt.requests]
    assert statuses == [
        ("/token", 200),
        ("/youtube/v3/commentThreads", 200),
        ("/youtube/v3/commentThreads", 401),
        ("/token", 200),
        ("/youtube/v3/commentThreads", 200),
    ]
    unauthorized = yt.requests[2].response
    assert unauthorized is not None and "invalid_token" in unauthorized.headers["WWW-Authenticate"]


def test_a_revoked_refresh_token_is_invalid_grant(yt: YouTubeEmulator) -> None:
    yt.revoke()
    with pytest.raises(RefreshError, match="invalid_grant: Token has been expired or revoked"):
        threads(client(yt), yt)


def test_a_wrong_client_secret_is_invalid_client(yt: YouTubeEmulator) -> None:
    with pytest.raises(RefreshError, match="invalid_client"):
        threads(client(yt, client_secret="rotated"), yt)


def test_videos_and_the_channel(yt: YouTubeEmulator) -> None:
    video = yt.add_video("How to export")
    api = client(yt)
    found = api.videos().list(part="snippet", id=f"{video},nothere").execute()
    assert [(v["id"], v["snippet"]["title"]) for v in found["items"]] == [(video, "How to export")]
    mine = api.channels().list(part="snippet", mine=True).execute()
    assert mine["items"][0]["id"] == yt.channel_id
