"""`RedditEmulator`: the Reddit API routes, on top of the store, its access rules and its rendering."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from emulators.http import RecordedRequest, Response
from emulators.reddit.access import RedditAccess
from emulators.reddit.messages import RedditMessages
from emulators.reddit.things import (
    DEFAULT_RATE_LIMIT,
    DELETED_COMMENT,
    MAX_COMMENT_LENGTH,
    NO_TEXT,
    THREAD_LOCKED,
    TOO_LONG,
    TOO_OLD,
    RedditComment,
    RedditSubmission,
    api_errors,
    reddit_error,
)

__all__ = ["RedditEmulator"]

_LISTING_TYPES = {
    "unread": None,
    "inbox": None,
    "mentions": ("username_mention",),
    "comments": ("comment_reply",),
    "selfreply": ("post_reply",),
    "messages": ("unknown",),  # private messages
}


class RedditEmulator(RedditMessages, RedditAccess):
    """A local Reddit API for one brand account.

    Args:
        username, password: the brand account (script-app login).
        client_id, client_secret: the OAuth app; checked with HTTP basic auth at the token endpoint.
        refresh_token: accepted for ``grant_type=refresh_token``.
        rate_limit: (requests, window seconds) per client id; Reddit allows 100 a minute.
        rate_limits: False to never answer 429 (the headers are still sent).
        clock: epoch seconds; drives created_utc and the rate-limit window.
    """

    def __init__(
        self,
        *,
        username: str = "parleybrand",
        password: str = "brand-password",
        client_id: str = "parley-client-id",
        client_secret: str = "parley-client-secret",
        refresh_token: str = "parley-refresh-token",
        rate_limit: tuple[int, int] = DEFAULT_RATE_LIMIT,
        rate_limits: bool = True,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(username=username, clock=clock, host=host, port=port)
        self.password = password
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.rate_limit = rate_limit
        self.rate_limits = rate_limits
        self.add_route("POST", r"/api/v1/access_token/?", self._access_token)
        for method, pattern, handler in (
            ("GET", r"/api/v1/me/?", self._me),
            (
                "GET",
                r"/message/(?P<where>unread|inbox|mentions|comments|selfreply|messages)/?",
                self._inbox_listing,
            ),
            ("POST", r"/api/read_message/?", self._read_message),
            ("POST", r"/api/unread_message/?", self._unread_message),
            ("GET", r"/r/(?P<subreddit>[^/]+)/comments/?", self._subreddit_comments),
            ("GET", r"/r/(?P<subreddit>[^/]+)/new/?", self._subreddit_new),
            ("GET", r"/user/(?P<user>[^/]+)/comments/?", self._user_comments),
            ("GET", r"/api/info/?", self._info),
            ("POST", r"/api/comment/?", self._comment),
            ("POST", r"/api/compose/?", self._compose),
            ("GET", r"/message/sent/?", self._sent),
        ):
            self.add_route(method, pattern, self._api(handler))

    # -- what the brand posted through the routes below (defined here: tests patch it on this class)

    @property
    def replies(self) -> list[RedditComment]:
        """Comments the brand account created (not deleted), oldest first; each has its `parent_id`."""
        with self._state:
            return [c for c in self._comments.values() if self._is_brand(c.author) and not c.deleted]

    # -- routes (called with self._state held) -----------------------------------------------------

    def _me(self, request: RecordedRequest) -> Response:
        return Response(
            200,
            {
                "name": self.username,
                "id": self._user_id(self.username),
                "created_utc": 1_420_070_400.0,
                "link_karma": 1,
                "comment_karma": 1,
                "has_verified_email": True,
                "is_suspended": False,
                "has_mail": any(i.new for i in self._inbox.values()),
                "inbox_count": sum(1 for i in self._inbox.values() if i.new),
            },
        )

    def _inbox_listing(self, request: RecordedRequest) -> Response:
        where = request.path_params["where"]
        types = _LISTING_TYPES[where]
        items = [
            i
            for i in self._sorted_inbox()
            if (where != "unread" or i.new) and (types is None or i.type in types)
        ]
        escape = request.query.get("raw_json") != "1"
        response = self._listing(request, items, lambda i: i.name, lambda i: self._render_inbox(i, escape))
        if where == "unread" and request.query.get("mark", "").lower() == "true":
            for item in items:
                item.new = False
        return response

    def _read_message(self, request: RecordedRequest) -> Response:
        return self._mark(request, new=False)

    def _unread_message(self, request: RecordedRequest) -> Response:
        return self._mark(request, new=True)

    def _mark(self, request: RecordedRequest, *, new: bool) -> Response:
        for name in request.form().get("id", "").split(","):
            item = self._inbox.get(name.strip())
            if item is not None:
                item.new = new
        return Response(200, {})

    def _subreddit_comments(self, request: RecordedRequest) -> Response:
        wanted = self._subreddit_names(request.path_params["subreddit"])
        return self._things(
            request, _newest_first(self._comments.values(), lambda c: c.subreddit.lower() in wanted)
        )

    def _subreddit_new(self, request: RecordedRequest) -> Response:
        wanted = self._subreddit_names(request.path_params["subreddit"])
        return self._things(
            request, _newest_first(self._submissions.values(), lambda s: s.subreddit.lower() in wanted)
        )

    def _user_comments(self, request: RecordedRequest) -> Response:
        user = request.path_params["user"].lower()
        return self._things(
            request, _newest_first(self._comments.values(), lambda c: c.author.lower() == user)
        )

    def _info(self, request: RecordedRequest) -> Response:
        found: list[RedditComment | RedditSubmission] = []
        for name in request.query.get("id", "").split(","):
            thing = self._thing(name.strip())
            if thing is not None:
                found.append(thing)
        escape = request.query.get("raw_json") != "1"
        return Response(
            200, self._listing_body(found, before=None, after=None, render=self._renderer(escape))
        )

    def _comment(self, request: RecordedRequest) -> Response:
        form = request.form()
        if form.get("thing_id", "").startswith("t4_"):
            return self._reply_to_message(request)
        target = self._thing(form.get("thing_id", ""))
        if target is None:
            return Response(403, reddit_error(403))
        text = form.get("text", "")
        if not text.strip():
            return api_errors(NO_TEXT)
        if len(text) > MAX_COMMENT_LENGTH:
            return api_errors(TOO_LONG)
        if self._ratelimits:
            return api_errors(("RATELIMIT", self._ratelimits.pop(0), "ratelimit"))
        submission = target if isinstance(target, RedditSubmission) else target.submission
        if isinstance(target, RedditComment) and target.deleted:
            return api_errors(DELETED_COMMENT)
        if submission.archived:
            return api_errors(TOO_OLD)
        if target.locked or submission.locked:
            return api_errors(THREAD_LOCKED)
        comment = self._store_comment(target, text, self.username, created_utc=None)
        escape = request.query.get("raw_json") != "1"
        thing = {"kind": "t1", "data": self._render_comment(comment, escape)}
        return Response(200, {"json": {"errors": [], "data": {"things": [thing]}}})


_Thing = TypeVar("_Thing", RedditComment, RedditSubmission)


def _newest_first(things: Iterable[_Thing], keep: Callable[[_Thing], bool]) -> list[_Thing]:
    """The things `keep` accepts and that are not deleted, newest (highest id) first."""
    return [t for t in sorted(things, key=lambda t: int(t.id, 36), reverse=True) if not t.deleted and keep(t)]
