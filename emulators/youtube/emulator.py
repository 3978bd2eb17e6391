"""`YouTubeEmulator`: the YouTube Data API v3 routes Parley uses, on top of Google's OAuth and quota."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Sequence
from typing import Any

from emulators.http import RecordedRequest, Response, route
from emulators.youtube.access import GoogleAccess
from emulators.youtube.resources import MAX_COMMENT_LENGTH, Comment, Video, google_error, new_id

__all__ = ["YouTubeEmulator"]

SHOWN_REPLIES = 5  # replies a commentThread carries; the rest only through comments.list
_API = r"/youtube/v3/"


def _page(
    items: Sequence[Any], request: RecordedRequest, *, default: int = 20
) -> tuple[list[Any], str | None]:
    """One page of `items` for `maxResults` (1-100) and the opaque `pageToken`, and the next token."""
    size = min(100, max(1, int(request.query.get("maxResults") or default)))
    token = request.query.get("pageToken") or ""
    start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    end = start + size
    following = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None
    return list(items[start:end]), following


def _listing(kind: str, items: list[dict[str, Any]], following: str | None, total: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": f"youtube#{kind}ListResponse",
        "etag": new_id(27),
        "pageInfo": {"totalResults": total, "resultsPerPage": len(items)},
        "items": items,
    }
    if following:
        body["nextPageToken"] = following
    return body


class YouTubeEmulator(GoogleAccess):
    """A local YouTube Data API v3 for one brand channel, and Google's token endpoint (``POST /token``).

    Args:
        channel_id, channel_title: the brand's channel (what ``channels.list(mine=True)`` returns).
        client_id, client_secret, refresh_token: the OAuth client and the brand's refresh token.
        daily_quota: units a Pacific day; 403 ``quotaExceeded`` once a call would go past it.
        clock: epoch seconds; drives `publishedAt`, token expiry and the quota day.
    """

    def __init__(
        self,
        *,
        channel_id: str = "UCparleybrand000000000000",
        channel_title: str = "Parley Brand",
        client_id: str = "parley-youtube.apps.googleusercontent.com",
        client_secret: str = "parley-youtube-secret",
        refresh_token: str = "1//parley-youtube-refresh",
        daily_quota: int = 10_000,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            daily_quota=daily_quota,
            clock=clock,
            host=host,
            port=port,
        )
        self.channel_id = channel_id
        self.channel_title = channel_title
        self._videos: dict[str, Video] = {}
        self._threads: list[Comment] = []  # top-level comments, oldest first
        self._comments: dict[str, Comment] = {}

    # -- test helpers ------------------------------------------------------------------------------

    def add_video(self, title: str) -> str:
        video = Video(new_id(11), title, self.channel_id, self.clock())
        with self._access:
            self._videos[video.id] = video
        return video.id

    def add_comment(
        self,
        video_id: str,
        text: str,
        *,
        author: str = "Viewer",
        author_channel_id: str = "",
        parent: str | None = None,
        at: float | None = None,
    ) -> str:
        """A comment by `author` on the video (or a reply to the top-level comment `parent`); its id."""
        with self._access:
            top = self._comments[parent] if parent else None
            comment = Comment(
                id=f"{parent}.{new_id(22)}" if parent else f"Ugz{new_id(20)}4AaABAg",
                video_id=video_id,
                channel_id=self._videos[video_id].channel_id,
                author_channel_id=author_channel_id or f"UC{new_id(22)}",
                author_name=author,
                text=text,
                published=self.clock() if at is None else at,
                parent_id=parent,
            )
            self._comments[comment.id] = comment
            if top is None:
                self._threads.append(comment)
            else:
                top.replies.append(comment)
        return comment.id

    def close_replies(self, comment_id: str) -> None:
        """The thread no longer takes replies (``canReply`` false; comments.insert is refused)."""
        with self._access:
            self._comments[comment_id].can_reply = False

    def replies(self, parent: str) -> list[Comment]:
        """The replies of one thread, oldest first."""
        with self._access:
            return list(self._comments[parent].replies)

    @property
    def posted(self) -> list[Comment]:
        """Every reply the brand channel posted, oldest first."""
        with self._access:
            mine = [c for t in self._threads for c in t.replies if c.author_channel_id == self.channel_id]
        return sorted(mine, key=lambda c: c.published)

    # -- errors --------------------------------------------------------------------------------------

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        reasons = {
            400: "badRequest",
            401: "authError",
            403: "forbidden",
            404: "notFound",
            429: "rateLimitExceeded",
        }
        reason = reasons.get(status, "backendError")
        return Response(status, google_error(status, reason, f"Injected {reason}", domain="global"))

    def not_found(self, request: RecordedRequest) -> Response:
        return Response(404, google_error(404, "notFound", "Not Found", domain="global"))

    # -- routes --------------------------------------------------------------------------------------

    @route("GET", _API + r"commentThreads")
    def comment_threads(self, request: RecordedRequest) -> Response:
        if (refused := self.refused(request, "commentThreads")) is not None:
            return refused
        parts = set((request.query.get("part") or "").split(","))
        channel = request.query.get("allThreadsRelatedToChannelId")
        video = request.query.get("videoId")
        if not parts - {""} or not (channel or video):
            return Response(400, google_error(400, "missingRequiredParameter", "No filter selected."))
        text_format = request.query.get("textFormat", "html")
        with self._access:
            threads = [
                t for t in self._threads if (channel and t.channel_id == channel) or t.video_id == video
            ]
            threads.sort(key=lambda t: t.published, reverse=True)  # order=time: newest first
            page, following = _page(threads, request)
            items = [t.render_thread(parts, text_format, SHOWN_REPLIES) for t in page]
        return Response(200, _listing("commentThread", items, following, len(threads)))

    @route("GET", _API + r"comments")
    def list_comments(self, request: RecordedRequest) -> Response:
        if (refused := self.refused(request, "comments")) is not None:
            return refused
        text_format = request.query.get("textFormat", "html")
        with self._access:
            if parent := request.query.get("parentId"):
                found = self._comments.get(parent)
                comments = list(found.replies) if found else []
            else:
                ids = (request.query.get("id") or "").split(",")
                comments = [self._comments[i] for i in ids if i in self._comments]
            page, following = _page(comments, request)
            items = [c.render(text_format) for c in page]
        return Response(200, _listing("comment", items, following, len(comments)))

    @route("POST", _API + r"comments")
    def insert_comment(self, request: RecordedRequest) -> Response:
        if (refused := self.refused(request, "comments")) is not None:
            return refused
        snippet = (request.json() or {}).get("snippet") or {}
        parent_id, text = snippet.get("parentId"), str(snippet.get("textOriginal") or "")
        problem = self._insert_problem(parent_id, text)
        if problem is not None:
            return problem
        parent = str(parent_id)
        reply = self.add_comment(
            self._comments[parent].video_id,
            text,
            author=self.channel_title,
            author_channel_id=self.channel_id,
            parent=parent,
        )
        with self._access:
            return Response(200, self._comments[reply].render("plainText"))

    def _insert_problem(self, parent_id: Any, text: str) -> Response | None:
        def bad(status: int, reason: str, message: str) -> Response:
            return Response(status, google_error(status, reason, message, domain="youtube.comment"))

        if not parent_id:
            return bad(400, "parentIdMissing", "The comment must be linked to a parent comment.")
        if not text.strip():
            return bad(400, "commentTextRequired", "The comment resource must specify snippet.textOriginal.")
        if len(text) > MAX_COMMENT_LENGTH:
            return bad(
                400, "commentTextTooLong", "The snippet.textOriginal property contains too many characters."
            )
        with self._access:
            parent = self._comments.get(str(parent_id))
            if parent is None:
                return bad(404, "parentCommentNotFound", "The parent comment could not be found.")
            if parent.parent_id is not None or not parent.can_reply:
                return bad(400, "operationNotSupported", "The API user cannot reply to this comment.")
        return None

    @route("GET", _API + r"videos")
    def videos(self, request: RecordedRequest) -> Response:
        if (refused := self.refused(request, "videos")) is not None:
            return refused
        ids = [i for i in (request.query.get("id") or "").split(",") if i]
        if len(ids) > 50:
            return Response(400, google_error(400, "badRequest", "Too many ids.", domain="youtube.video"))
        with self._access:
            found = [self._videos[i] for i in ids if i in self._videos]
        items = [
            {
                "kind": "youtube#video",
                "etag": new_id(27),
                "id": v.id,
                "snippet": {"title": v.title, "channelId": v.channel_id, "channelTitle": self.channel_title},
            }
            for v in found
        ]
        return Response(200, _listing("video", items, None, len(items)))

    @route("GET", _API + r"channels")
    def channels(self, request: RecordedRequest) -> Response:
        if (refused := self.refused(request, "channels")) is not None:
            return refused
        mine = request.query.get("mine") == "true" or request.query.get("id") == self.channel_id
        items = (
            [
                {
                    "kind": "youtube#channel",
                    "etag": new_id(27),
                    "id": self.channel_id,
                    "snippet": {"title": self.channel_title, "customUrl": "@parleybrand"},
                }
            ]
            if mine
            else []
        )
        return Response(200, _listing("channel", items, None, len(items)))
