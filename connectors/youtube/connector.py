"""The YouTube connector: comments on the brand channel's videos in, replies in the same thread out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from bot.domain import Network, Post, Reply, now
from bot.domain.quota import may_poll
from connectors.base import Batch, Refused, Unauthorized
from connectors.google_oauth import TOKEN_URL
from connectors.youtube.client import INSERT_COST, LIST_COST, YOUTUBE_API, YouTubeApi
from connectors.youtube.mapping import (
    Cursor,
    author_channel,
    clean,
    published,
    snippet_of,
    text_of,
    to_post,
    to_reply,
    video_of,
)
from connectors.youtube.quota import MemoryQuota, QuotaMeter

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # the most commentThreads.list and comments.list return per page
TITLES_PER_CALL = 50  # ids one videos.list takes
MAX_REPLY_PAGES = 3


class YouTubeConnector:
    """Reads new comments and replies on the brand channel's videos and answers in their thread.

    Args:
        client_id, client_secret: the Google Cloud project's OAuth client (type "Desktop" or "Web").
        refresh_token: the brand channel's refresh token for the youtube.force-ssl scope.
        channel_id: the brand channel (``UC…``): its own comments are never delivered.
        api_url, token_url: where the Data API and Google's token endpoint are; an emulator's in tests.
        quota: the meter every call is charged to (Redis in Parley); None: counted in memory.
        daily_quota: units a day when `quota` is None (Google's default: 10,000).
        max_pages: most pages of 100 threads read per fetch.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        channel_id: str,
        api_url: str = YOUTUBE_API,
        token_url: str = TOKEN_URL,
        quota: QuotaMeter | None = None,
        daily_quota: int = 10_000,
        max_pages: int = 3,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not (client_id and client_secret and refresh_token and channel_id):
            raise ValueError(
                "YouTube needs the OAuth client id and secret, a refresh token and the channel id"
            )
        if max_pages < 1:
            raise ValueError("max_pages must be positive")
        self._channel = channel_id
        self._clock = clock
        self._max_pages = max_pages
        self._quota = quota if quota is not None else MemoryQuota(daily_quota, clock)
        self._api = YouTubeApi(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            api_url=api_url,
            token_url=token_url,
            timeout=timeout,
            quota=self._quota,
            clock=clock,
        )
        self._titles: dict[str, str] = {}

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.YOUTUBE

    @property
    def account(self) -> str:
        """The brand channel's id."""
        return self._channel

    def verify(self) -> str:
        """Renew the access token and read the channel it belongs to (1 unit): what `parley doctor` checks."""
        found = self._api.call(
            self._api.youtube.channels().list(part="snippet", mine=True), cost=LIST_COST, doing="signing in"
        )
        items = found.get("items") or []
        mine = str(items[0].get("id")) if items else ""
        if mine != self._channel:
            raise Unauthorized(
                f"The YouTube refresh token belongs to channel {mine or 'none'}, not YOUTUBE_CHANNEL_ID "
                f"{self._channel}: authorize Parley while signed in as the brand channel."
            )
        title = str(snippet_of(items[0]).get("title") or mine)
        return f"{title} ({mine})"

    def fetch(self, cursor: str | None) -> Batch:
        """Comments and replies newer than `cursor`, oldest first; the first run only remembers where
        YouTube is. Above 80 % of the day's quota, a poll runs only when the quota can afford it
        (bot.domain.quota.poll_gap); a skipped poll returns nothing and keeps the cursor."""
        at = self._clock()
        last = self._quota.last_poll()
        used = self._quota.used()
        if not may_poll(
            used=used,
            limit=self._quota.limit,
            poll_cost=last[1] if last else 1,
            at=at,
            last_poll=last[0] if last else None,
        ):
            log.info(
                "YouTube %s: poll skipped to save the day's quota (%d of %d used)",
                self._channel,
                used,
                self._quota.limit,
            )
            return Batch(posts=(), cursor=cursor)
        self._api.spent = 0
        try:
            return self._fetch(Cursor.parse(cursor))
        finally:
            self._quota.polled(at, max(1, self._api.spent))

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to mark on YouTube."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A reply in the post's thread: under its top-level comment (a reply to a reply goes there too)."""
        body = {"snippet": {"parentId": self._parent(post), "textOriginal": text}}
        created = self._api.call(
            self._api.youtube.comments().insert(part="snippet", body=body),
            cost=INSERT_COST,
            doing="posting the reply",
        )
        return to_reply(created, video_of(post.url))

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply in the post's thread with the same text (ignoring whitespace), if any."""
        wanted = clean(text)
        for comment in self._replies(self._parent(post), "checking for an earlier reply"):
            if (
                author_channel(comment) == self._channel
                and published(comment) >= post.created_at.replace(microsecond=0)
                and clean(text_of(comment)) == wanted
            ):
                return to_reply(comment, video_of(post.url))
        return None

    def close(self) -> None:
        self._api.close()

    def __enter__(self) -> YouTubeConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def _fetch(self, state: Cursor) -> Batch:
        threads = self._threads(state)
        comments: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        closed = {str(t["id"]) for t in threads if snippet_of(t).get("canReply") is False}
        for thread in threads:
            snippet = snippet_of(thread)
            comments.append(snippet["topLevelComment"])
            shown = list((thread.get("replies") or {}).get("comments") or [])
            total = int(snippet.get("totalReplyCount") or 0)
            if total > len(shown):
                counts[str(thread["id"])] = total
                if state.at is not None and state.replies.get(str(thread["id"])) != total:
                    shown = list(self._replies(str(thread["id"]), "reading replies"))
            comments += shown
        if state.at is None:  # first run: remember where YouTube is, deliver nothing
            first = Cursor(self._clock().replace(microsecond=0)).after(comments, counts)
            return Batch(posts=(), cursor=first.dump())
        new = [c for c in comments if state.is_new(c) and author_channel(c) != self._channel]
        self._learn_titles({str(snippet_of(c).get("videoId") or "") for c in new})
        posts = [
            to_post(
                c,
                account=self._channel,
                title=self._titles.get(str(snippet_of(c).get("videoId"))),
                listen_only=str(snippet_of(c).get("parentId") or c["id"]) in closed,
            )
            for c in new
        ]
        posts.sort(key=lambda p: (p.created_at, p.id))
        return Batch(posts=posts, cursor=state.after(comments, counts).dump())

    def _threads(self, state: Cursor) -> list[dict[str, Any]]:
        """The newest threads, page by page, until one is older than the cursor (at most `max_pages`)."""
        threads: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(self._max_pages):
            page = self._api.call(
                self._api.youtube.commentThreads().list(
                    part="snippet,replies",
                    allThreadsRelatedToChannelId=self._channel,
                    order="time",
                    maxResults=PAGE_SIZE,
                    textFormat="plainText",
                    pageToken=token,
                ),
                cost=LIST_COST,
                doing="reading comments",
            )
            items = list(page.get("items") or [])
            threads += items
            token = page.get("nextPageToken")
            oldest = published(snippet_of(items[-1])["topLevelComment"]) if items else None
            if not token or state.at is None or (oldest is not None and oldest < state.at):
                return threads
        log.warning(
            "YouTube %s: more than %d new threads; older ones were skipped",
            self._channel,
            self._max_pages * PAGE_SIZE,
        )
        return threads

    def _replies(self, parent: str, doing: str) -> Iterator[dict[str, Any]]:
        token: str | None = None
        for _ in range(MAX_REPLY_PAGES):
            page = self._api.call(
                self._api.youtube.comments().list(
                    part="snippet",
                    parentId=parent,
                    maxResults=PAGE_SIZE,
                    textFormat="plainText",
                    pageToken=token,
                ),
                cost=LIST_COST,
                doing=doing,
            )
            yield from page.get("items") or []
            token = page.get("nextPageToken")
            if not token:
                return

    def _learn_titles(self, videos: set[str]) -> None:
        unknown = sorted(v for v in videos if v and v not in self._titles)
        for start in range(0, len(unknown), TITLES_PER_CALL):
            ids = unknown[start : start + TITLES_PER_CALL]
            found = self._api.call(
                self._api.youtube.videos().list(part="snippet", id=",".join(ids), maxResults=TITLES_PER_CALL),
                cost=LIST_COST,
                doing="reading video titles",
            )
            for video in found.get("items") or []:
                self._titles[str(video["id"])] = str(snippet_of(video).get("title") or "")
        if len(self._titles) > 5000:  # a bounded memo: drop the oldest half
            self._titles = dict(list(self._titles.items())[2500:])

    def _parent(self, post: Post) -> str:
        """The top-level comment of the post's thread: replies always go under it."""
        parent = post.in_reply_to or post.conversation_id or post.id
        if not parent:
            raise Refused(f"{post.id} is not a YouTube comment, so Parley cannot reply to it.")
        return parent.partition(".")[0]
