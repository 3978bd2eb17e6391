"""A local Reddit API: the endpoints praw 8 / prawcore 4 call for an inbox, subreddit listings and replies.

Served (serve `reddit_url` and `oauth_url` from the same emulator: ``praw.Reddit(reddit_url=emulator.url,
oauth_url=emulator.url, ...)``)::

    POST /api/v1/access_token     basic auth client_id:client_secret; grant_type=password | refresh_token
    GET  /api/v1/me               the brand account
    GET  /message/unread/         unread inbox items, newest first (`mark=true` marks them read)
    GET  /message/inbox/          every inbox item; /message/mentions, /message/comments, /message/selfreply
    POST /api/read_message/       id=t1_a,t4_b: mark read;  POST /api/unread_message/: mark unread
    GET  /r/{sub}/comments/       newest comments of a subreddit or an `a+b` multi
    GET  /r/{sub}/new/            newest submissions
    GET  /user/{name}/comments/   a user's comments, newest first
    GET  /api/info/               id=t1_a,t3_b: those things, in the order asked
    POST /api/comment/            api_type=json, thing_id=t1_…|t3_…, text=…: reply as the brand

Faithful: bearer token required on the API (401 with ``www-authenticate: … error="invalid_token"``, which
prawcore needs to pick its exception); a wrong client id/secret is a 401 and a wrong password or refresh
token a 200 ``{"error": "invalid_grant"}``, as Reddit answers; Listing objects (`after`, `before`,
`dist`, `children`; `limit` 25 by default, at most 100; `after`/`before` paging by fullname); base36
ids and t1/t2/t3/t4/t5 fullnames; inbox items with `was_comment`, `type`, `subject`, `context`
(``…/?context=3``), `link_title`, `parent_id`, `new`; a username mention (``u/brand`` or ``/u/brand``,
at most 3 users mentioned) or a reply to one of the brand's comments or posts lands in the inbox as
unread; comment errors inside a 200 ``{"json": {"errors": [[CODE, message, field]]}}``: RATELIMIT,
THREAD_LOCKED, TOO_OLD (archived), DELETED_COMMENT, NO_TEXT, TOO_LONG (over 10,000 characters);
a deleted submission can still be replied to (as on Reddit), a deleted comment cannot; an unknown
`thing_id` is a 403; text is HTML-escaped (``&amp;``) unless the request has ``raw_json=1`` (prawcore
always sends it); ``x-ratelimit-used`` / ``x-ratelimit-remaining`` (a float, as Reddit sends it) /
``x-ratelimit-reset`` (seconds until the window ends, not an epoch) on every answer, 100 requests a
minute per OAuth client id, and a 429 ``{"message": "Too Many Requests", "error": 429}`` when exhausted.

Simplified: one brand account (every token acts as it); every subreddit exists and is public;
tokens never expire; `scope` is always ``*``; only comments (not submissions) create inbox items;
`sort`, `t`, `count`, `show` and `sr_detail` are ignored (listings are always newest first);
`body_html` is the escaped body in a paragraph, not rendered Markdown; the rate-limit window starts
with a client's first API request (not on a wall-clock boundary); the token endpoint and injected
failures are not counted; replies to private messages are not supported.

Injected failures (`fail_next`) with no body get Reddit's ``{"message": …, "error": status}`` body and
the client's rate-limit headers (``x-ratelimit-remaining: 0`` on a 429); pass `headers` to override.
"""

from __future__ import annotations

import base64
import html
import math
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

from emulators.http import Emulator, Handler, RecordedRequest, Response

MAX_COMMENT_LENGTH = 10_000
MAX_LISTING_LIMIT = 100
DEFAULT_LISTING_LIMIT = 25
MAX_MENTIONS_NOTIFIED = 3
DEFAULT_RATE_LIMIT = (100, 60)  # requests, window seconds: "100 queries per minute per OAuth client id"

RATELIMIT_MESSAGE = "Looks like you've been doing that a lot. Take a break for {amount} before trying again."
THREAD_LOCKED = ("THREAD_LOCKED", "Comments are locked.", "parent")
TOO_OLD = ("TOO_OLD", "that's a piece of history now; it's too late to reply to it", "parent")
DELETED_COMMENT = ("DELETED_COMMENT", "that comment has been deleted", "parent")
NO_TEXT = ("NO_TEXT", "we need something here", "text")
TOO_LONG = ("TOO_LONG", f"this is too long (max: {MAX_COMMENT_LENGTH})", "text")

SUBJECTS = {
    "username_mention": "username mention",
    "comment_reply": "comment reply",
    "post_reply": "post reply",
}
_LISTING_TYPES = {
    "unread": None,
    "inbox": None,
    "mentions": ("username_mention",),
    "comments": ("comment_reply",),
    "selfreply": ("post_reply",),
}
_T = TypeVar("_T")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_USER_MENTION = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})(?![\w-])", re.IGNORECASE)


def base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if number == 0:
            return out


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:50].rstrip("_") or "_"


@dataclass
class RedditSubmission:
    id: str
    subreddit: str
    title: str
    selftext: str
    author: str
    created_utc: float
    locked: bool = False
    archived: bool = False
    deleted: bool = False
    score: int = 1

    @property
    def name(self) -> str:
        return f"t3_{self.id}"

    @property
    def permalink(self) -> str:
        return f"/r/{self.subreddit}/comments/{self.id}/{_slug(self.title)}/"


@dataclass
class RedditComment:
    id: str
    submission: RedditSubmission
    parent_id: str
    body: str
    author: str
    created_utc: float
    locked: bool = False
    deleted: bool = False
    score: int = 1

    @property
    def name(self) -> str:
        return f"t1_{self.id}"

    @property
    def subreddit(self) -> str:
        return self.submission.subreddit

    @property
    def link_id(self) -> str:
        return self.submission.name

    @property
    def permalink(self) -> str:
        return f"{self.submission.permalink}{self.id}/"


@dataclass
class RedditMessage:
    """A private message to the brand (kind t4)."""

    id: str
    author: str
    subject: str
    body: str
    created_utc: float

    @property
    def name(self) -> str:
        return f"t4_{self.id}"


@dataclass
class InboxItem:
    """One entry of the brand's inbox: a comment (mention or reply) or a private message."""

    name: str  # t1_… or t4_…
    type: str  # username_mention, comment_reply, post_reply, or "unknown" for private messages
    created_utc: float
    new: bool = True
    sequence: int = 0  # arrival order, for ties on created_utc


@dataclass
class _Token:
    client_id: str
    username: str


@dataclass
class _Window:
    started: float
    used: int = 0


def reddit_error(status: int) -> dict[str, Any]:
    """Reddit's JSON body for an HTTP error: ``{"message": "Forbidden", "error": 403}``."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {"message": phrase, "error": status}


def _api_errors(*errors: tuple[str, str, str | None]) -> Response:
    return Response(200, {"json": {"errors": [list(e) for e in errors]}})


class RedditEmulator(Emulator):
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
        super().__init__(host=host, port=port)
        self.username = username
        self.password = password
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.rate_limit = rate_limit
        self.rate_limits = rate_limits
        self.clock = clock
        self._state = threading.RLock()
        self._tokens: dict[str, _Token] = {}
        self._windows: dict[str | None, _Window] = {}
        self._submissions: dict[str, RedditSubmission] = {}
        self._comments: dict[str, RedditComment] = {}
        self._messages: dict[str, RedditMessage] = {}
        self._inbox: dict[str, InboxItem] = {}
        self._subreddits: dict[str, str] = {}  # lower-case name -> display name
        self._user_ids: dict[str, str] = {}
        self._ratelimits: list[str] = []
        self._counters: dict[str, int] = {}
        self._clear()
        self.add_route("POST", r"/api/v1/access_token/?", self._access_token)
        for method, pattern, handler in (
            ("GET", r"/api/v1/me/?", self._me),
            ("GET", r"/message/(?P<where>unread|inbox|mentions|comments|selfreply)/?", self._inbox_listing),
            ("POST", r"/api/read_message/?", self._read_message),
            ("POST", r"/api/unread_message/?", self._unread_message),
            ("GET", r"/r/(?P<subreddit>[^/]+)/comments/?", self._subreddit_comments),
            ("GET", r"/r/(?P<subreddit>[^/]+)/new/?", self._subreddit_new),
            ("GET", r"/user/(?P<user>[^/]+)/comments/?", self._user_comments),
            ("GET", r"/api/info/?", self._info),
            ("POST", r"/api/comment/?", self._comment),
        ):
            self.add_route(method, pattern, self._api(handler))

    # -- test helpers ------------------------------------------------------------------------------

    def add_submission(
        self,
        subreddit: str,
        title: str,
        body: str = "",
        author: str = "someone",
        *,
        created_utc: float | None = None,
    ) -> str:
        """Store a self post in `subreddit`; its fullname (t3_…)."""
        with self._state:
            submission = RedditSubmission(
                id=self._next_id("t3"),
                subreddit=self._subreddit(subreddit),
                title=title,
                selftext=body,
                author=author,
                created_utc=self._now() if created_utc is None else created_utc,
            )
            self._user_id(author)
            self._submissions[submission.id] = submission
            return submission.name

    def add_comment(
        self,
        subreddit: str,
        body: str,
        author: str = "someone",
        *,
        parent: str,
        mention: bool = False,
        created_utc: float | None = None,
    ) -> str:
        """Store a comment under `parent` (a submission or comment fullname); its fullname (t1_…).

        `mention=True` prefixes ``u/brand`` when the body does not mention the brand already. A comment
        that mentions the brand, or answers one of its comments or posts, lands in the inbox as unread.
        """
        with self._state:
            target = self._thing(parent)
            if target is None:
                raise KeyError(f"no submission or comment {parent}")
            submission = target if isinstance(target, RedditSubmission) else target.submission
            if submission.subreddit.lower() != subreddit.removeprefix("r/").lower():
                raise ValueError(f"{parent} is in r/{submission.subreddit}, not r/{subreddit}")
            if mention and not self._mentions_brand(body):
                body = f"u/{self.username} {body}"
            return self._store_comment(target, body, author, created_utc=created_utc).name

    def add_inbox_item(self, thing: str, *, type: str = "username_mention", new: bool = True) -> None:
        """Put an existing comment in the brand's inbox (e.g. a mention Reddit would not detect)."""
        with self._state:
            comment = self._thing(thing)
            if not isinstance(comment, RedditComment):
                raise KeyError(f"no comment {thing}")
            if type not in SUBJECTS:
                raise ValueError(f"type must be one of {sorted(SUBJECTS)}")
            self._add_to_inbox(InboxItem(comment.name, type, comment.created_utc, new=new))

    def add_private_message(self, author: str, subject: str, body: str) -> str:
        """A private message to the brand; it lands in the inbox as unread. Its fullname (t4_…)."""
        with self._state:
            message = RedditMessage(self._next_id("t4"), author, subject, body, self._now())
            self._user_id(author)
            self._messages[message.id] = message
            self._add_to_inbox(InboxItem(message.name, "unknown", message.created_utc))
            return message.name

    def ratelimit_next(
        self, *, minutes: int | None = None, seconds: int | None = None, times: int = 1
    ) -> None:
        """Answer the next `times` comment attempts with RATELIMIT ("take a break for 9 minutes" by default)."""
        if minutes is not None and seconds is not None:
            raise ValueError("give minutes or seconds, not both")
        if seconds is not None:
            amount = f"{seconds} second" + ("" if seconds == 1 else "s")
        else:
            minutes = 9 if minutes is None else minutes
            amount = f"{minutes} minute" + ("" if minutes == 1 else "s")
        with self._state:
            self._ratelimits.extend([RATELIMIT_MESSAGE.format(amount=amount)] * times)

    def lock(self, thing: str) -> None:
        """Lock a submission (no new comments anywhere in it) or a comment (no replies to it)."""
        with self._state:
            self._require(thing).locked = True

    def archive(self, thing: str) -> None:
        """Archive the submission (of a comment): nothing in it can be answered any more (TOO_OLD)."""
        with self._state:
            target = self._require(thing)
            (target if isinstance(target, RedditSubmission) else target.submission).archived = True

    def delete(self, thing: str) -> None:
        """Delete a submission or comment as its author would: shown as ``[deleted]``, gone from listings."""
        with self._state:
            self._require(thing).deleted = True

    def comment(self, fullname: str) -> RedditComment:
        with self._state:
            return self._comments[fullname.removeprefix("t1_")]

    def submission(self, fullname: str) -> RedditSubmission:
        with self._state:
            return self._submissions[fullname.removeprefix("t3_")]

    @property
    def replies(self) -> list[RedditComment]:
        """Comments the brand account created (not deleted), oldest first; each has its `parent_id`."""
        with self._state:
            return [c for c in self._comments.values() if self._is_brand(c.author) and not c.deleted]

    def unread(self) -> list[str]:
        """Fullnames of the unread inbox items, oldest first."""
        with self._state:
            return [i.name for i in self._sorted_inbox() if i.new][::-1]

    def exhaust(self, client_id: str | None = None) -> None:
        """Use up the current rate-limit window of `client_id` (the configured app by default): 429s follow."""
        with self._state:
            window = self._window(client_id or self.client_id)
            window.used = max(window.used, self.rate_limit[0])

    def reset(self) -> None:
        """Forget requests, failures, tokens, content and rate-limit windows."""
        super().reset()
        self._clear()

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        with self._state:
            headers = self._rate_headers(self._client_of(request))
        if status == 429:
            headers["x-ratelimit-remaining"] = "0.0"
        return Response(status, reddit_error(status), headers)

    def not_found(self, request: RecordedRequest) -> Response:
        return Response(404, reddit_error(404))

    def handle(self, request: RecordedRequest) -> Response:
        """Dispatch as usual, then add the client's rate-limit headers to answers that lack them."""
        response = super().handle(request)
        if not any(name.lower() == "x-ratelimit-remaining" for name in response.headers):
            with self._state:
                response.headers = {**self._rate_headers(self._client_of(request)), **response.headers}
        if (request.header("Connection") or "").lower() == "close":
            # As real servers do (prawcore's token request asks for it): without this the client
            # would pool the connection the server is about to close.
            response.headers = {**response.headers, "Connection": "close"}
        return response

    # -- auth and rate limits ----------------------------------------------------------------------

    def _access_token(self, request: RecordedRequest) -> Response:
        scheme, _, encoded = (request.header("Authorization") or "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        if scheme.lower() != "basic" or client_id != self.client_id or secret != self.client_secret:
            return Response(401, reddit_error(401))
        form = request.form()
        grant = form.get("grant_type")
        body: dict[str, Any]
        if grant == "password":
            if (
                form.get("username", "").lower() != self.username.lower()
                or form.get("password") != self.password
            ):
                return Response(200, {"error": "invalid_grant"})
            body = {}
        elif grant == "refresh_token":
            if form.get("refresh_token") != self.refresh_token:
                return Response(200, {"error": "invalid_grant"})
            body = {"refresh_token": self.refresh_token}
        else:
            return Response(200, {"error": "unsupported_grant_type"})
        token = secrets.token_urlsafe(24)
        with self._state:
            self._tokens[token] = _Token(client_id=client_id, username=self.username)
        return Response(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*", **body}
        )

    def _api(self, handler: Handler) -> Handler:
        """Require a bearer token, count the request in its client's window, answer 429 when it is spent."""

        def serve(request: RecordedRequest) -> Response:
            with self._state:
                token = self._token_of(request)
                if token is None:
                    return Response(
                        401,
                        reddit_error(401),
                        {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
                    )
                window = self._window(token.client_id)
                window.used += 1
                if self.rate_limits and window.used > self.rate_limit[0]:
                    response = Response(429, reddit_error(429))
                else:
                    response = handler(request)
                response.headers = {**self._rate_headers(token.client_id), **response.headers}
                return response

        return serve

    def _token_of(self, request: RecordedRequest) -> _Token | None:
        scheme, _, token = (request.header("Authorization") or "").partition(" ")
        return self._tokens.get(token.strip()) if scheme.lower() == "bearer" else None

    def _client_of(self, request: RecordedRequest) -> str | None:
        token = self._token_of(request)
        if token is not None:
            return token.client_id
        scheme, _, encoded = (request.header("Authorization") or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                return base64.b64decode(encoded).decode().partition(":")[0]
            except ValueError:
                return None
        return None

    def _window(self, client: str | None) -> _Window:
        now = self.clock()
        window = self._windows.get(client)
        if window is None or now >= window.started + self.rate_limit[1]:
            window = self._windows[client] = _Window(started=now)
        return window

    def _rate_headers(self, client: str | None) -> dict[str, str]:
        window = self._window(client)
        limit, seconds = self.rate_limit
        reset = max(0, math.ceil(window.started + seconds - self.clock()))
        return {
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-remaining": f"{float(max(limit - window.used, 0)):.1f}",
            "x-ratelimit-reset": str(reset),
        }

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
        comments = [
            c
            for c in sorted(self._comments.values(), key=lambda c: int(c.id, 36), reverse=True)
            if not c.deleted and c.subreddit.lower() in wanted
        ]
        return self._things(request, comments)

    def _subreddit_new(self, request: RecordedRequest) -> Response:
        wanted = self._subreddit_names(request.path_params["subreddit"])
        submissions = [
            s
            for s in sorted(self._submissions.values(), key=lambda s: int(s.id, 36), reverse=True)
            if not s.deleted and s.subreddit.lower() in wanted
        ]
        return self._things(request, submissions)

    def _user_comments(self, request: RecordedRequest) -> Response:
        user = request.path_params["user"].lower()
        comments = [
            c
            for c in sorted(self._comments.values(), key=lambda c: int(c.id, 36), reverse=True)
            if not c.deleted and c.author.lower() == user
        ]
        return self._things(request, comments)

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
        target = self._thing(form.get("thing_id", ""))
        if target is None:
            return Response(403, reddit_error(403))
        text = form.get("text", "")
        if not text.strip():
            return _api_errors(NO_TEXT)
        if len(text) > MAX_COMMENT_LENGTH:
            return _api_errors(TOO_LONG)
        if self._ratelimits:
            return _api_errors(("RATELIMIT", self._ratelimits.pop(0), "ratelimit"))
        submission = target if isinstance(target, RedditSubmission) else target.submission
        if isinstance(target, RedditComment) and target.deleted:
            return _api_errors(DELETED_COMMENT)
        if submission.archived:
            return _api_errors(TOO_OLD)
        if target.locked or submission.locked:
            return _api_errors(THREAD_LOCKED)
        comment = self._store_comment(target, text, self.username, created_utc=None)
        escape = request.query.get("raw_json") != "1"
        thing = {"kind": "t1", "data": self._render_comment(comment, escape)}
        return Response(200, {"json": {"errors": [], "data": {"things": [thing]}}})

    # -- rendering ---------------------------------------------------------------------------------

    def _things(
        self, request: RecordedRequest, things: Sequence[RedditComment | RedditSubmission]
    ) -> Response:
        escape = request.query.get("raw_json") != "1"
        return self._listing(request, things, lambda t: t.name, self._renderer(escape))

    def _renderer(self, escape: bool) -> Callable[[RedditComment | RedditSubmission], dict[str, Any]]:
        def render(thing: RedditComment | RedditSubmission) -> dict[str, Any]:
            if isinstance(thing, RedditComment):
                return {"kind": "t1", "data": self._render_comment(thing, escape)}
            return {"kind": "t3", "data": self._render_submission(thing, escape)}

        return render

    def _listing(
        self,
        request: RecordedRequest,
        items: Sequence[_T],
        name_of: Callable[[_T], str],
        render: Callable[[_T], dict[str, Any]],
    ) -> Response:
        """One page of `items` (newest first) under Reddit's `limit`, `after` and `before` parameters."""
        raw_limit = request.query.get("limit", "")
        limit = int(raw_limit) if raw_limit.isdigit() and int(raw_limit) > 0 else DEFAULT_LISTING_LIMIT
        limit = min(limit, MAX_LISTING_LIMIT)
        names = [name_of(i) for i in items]
        after, before = request.query.get("after"), request.query.get("before")
        if after:
            start = names.index(after) + 1 if after in names else len(names)
            page = list(items[start : start + limit])
        elif before:
            end = names.index(before) if before in names else 0
            start = max(0, end - limit)
            page = list(items[start:end])
        else:
            start = 0
            page = list(items[:limit])
        older = start + len(page) < len(items)
        next_after = name_of(page[-1]) if page and older else None
        previous = name_of(page[0]) if page and start > 0 else None
        return Response(200, self._listing_body(page, before=previous, after=next_after, render=render))

    @staticmethod
    def _listing_body(
        page: Iterable[_T], *, before: str | None, after: str | None, render: Callable[[_T], dict[str, Any]]
    ) -> dict[str, Any]:
        children = [render(i) for i in page]
        return {
            "kind": "Listing",
            "data": {
                "after": after,
                "dist": len(children),
                "modhash": None,
                "geo_filter": "",
                "children": children,
                "before": before,
            },
        }

    def _author_fields(self, author: str, deleted: bool) -> dict[str, Any]:
        if deleted or author == "[deleted]":
            return {"author": "[deleted]"}
        return {"author": author, "author_fullname": f"t2_{self._user_id(author)}"}

    def _subreddit_fields(self, subreddit: str) -> dict[str, Any]:
        return {
            "subreddit": subreddit,
            "subreddit_id": f"t5_{base36(int.from_bytes(subreddit.lower().encode()[:6], 'big'))}",
            "subreddit_name_prefixed": f"r/{subreddit}",
            "subreddit_type": "public",
        }

    @staticmethod
    def _text(value: str, escape: bool) -> str:
        return html.escape(value, quote=False) if escape else value

    @staticmethod
    def _html(value: str) -> str:
        return f'<div class="md"><p>{html.escape(value, quote=False)}</p>\n</div>'

    def _render_comment(self, comment: RedditComment, escape: bool) -> dict[str, Any]:
        submission = comment.submission
        body = "[deleted]" if comment.deleted else comment.body
        return {
            "id": comment.id,
            "name": comment.name,
            "body": self._text(body, escape),
            "body_html": self._html(body),
            **self._author_fields(comment.author, comment.deleted),
            "created_utc": comment.created_utc,
            "created": comment.created_utc,
            "permalink": comment.permalink,
            "link_id": comment.link_id,
            "parent_id": comment.parent_id,
            **self._subreddit_fields(comment.subreddit),
            "link_title": self._text(submission.title, escape),
            "link_author": "[deleted]" if submission.deleted else submission.author,
            "link_permalink": f"https://www.reddit.com{submission.permalink}",
            "link_url": f"https://www.reddit.com{submission.permalink}",
            "num_comments": self._count_comments(submission),
            "locked": comment.locked or submission.locked,
            "archived": submission.archived,
            "score": comment.score,
            "ups": comment.score,
            "downs": 0,
            "edited": False,
            "distinguished": None,
            "stickied": False,
            "is_submitter": comment.author == submission.author,
            "score_hidden": False,
            "send_replies": True,
            "replies": "",
        }

    def _render_submission(self, submission: RedditSubmission, escape: bool) -> dict[str, Any]:
        text = "[deleted]" if submission.deleted else submission.selftext
        return {
            "id": submission.id,
            "name": submission.name,
            "title": self._text(submission.title, escape),
            "selftext": self._text(text, escape),
            "selftext_html": self._html(text) if text else None,
            **self._author_fields(submission.author, submission.deleted),
            "created_utc": submission.created_utc,
            "created": submission.created_utc,
            "permalink": submission.permalink,
            "url": f"https://www.reddit.com{submission.permalink}",
            "domain": f"self.{submission.subreddit}",
            "is_self": True,
            **self._subreddit_fields(submission.subreddit),
            "num_comments": self._count_comments(submission),
            "locked": submission.locked,
            "archived": submission.archived,
            "score": submission.score,
            "ups": submission.score,
            "downs": 0,
            "upvote_ratio": 1.0,
            "over_18": False,
            "spoiler": False,
            "stickied": False,
            "edited": False,
            "distinguished": None,
            "link_flair_text": None,
            "send_replies": True,
        }

    def _render_inbox(self, item: InboxItem, escape: bool) -> dict[str, Any]:
        common = {"new": item.new, "dest": self.username, "first_message": None, "first_message_name": None}
        thing = self._thing(item.name)
        if isinstance(thing, RedditComment):
            body = "[deleted]" if thing.deleted else thing.body
            data = {
                "id": thing.id,
                "name": thing.name,
                "body": self._text(body, escape),
                "body_html": self._html(body),
                **self._author_fields(thing.author, thing.deleted),
                "created_utc": thing.created_utc,
                "created": thing.created_utc,
                "context": f"{thing.permalink}?context=3",
                "link_title": self._text(thing.submission.title, escape),
                "parent_id": thing.parent_id,
                **self._subreddit_fields(thing.subreddit),
                "subject": SUBJECTS[item.type],
                "type": item.type,
                "was_comment": True,
                "likes": None,
                "score": thing.score,
                "num_comments": self._count_comments(thing.submission),
                "distinguished": None,
                "replies": "",
                **common,
            }
            return {"kind": "t1", "data": data}
        message = self._messages[item.name.removeprefix("t4_")]
        data = {
            "id": message.id,
            "name": message.name,
            "body": self._text(message.body, escape),
            "body_html": self._html(message.body),
            **self._author_fields(message.author, False),
            "created_utc": message.created_utc,
            "created": message.created_utc,
            "context": "",
            "parent_id": None,
            "subreddit": None,
            "subreddit_name_prefixed": None,
            "subject": self._text(message.subject, escape),
            "type": "unknown",
            "was_comment": False,
            "likes": None,
            "distinguished": None,
            "replies": "",
            **common,
        }
        return {"kind": "t4", "data": data}

    # -- plumbing ----------------------------------------------------------------------------------

    def _clear(self) -> None:
        with self._state:
            self._tokens = {}
            self._windows = {}
            self._submissions = {}
            self._comments = {}
            self._messages = {}
            self._inbox = {}
            self._subreddits = {}
            self._user_ids = {}
            self._ratelimits = []
            self._counters = {"t1": int("l000000", 36), "t3": int("1c00000", 36), "t4": int("2k0000", 36)}
            self._user_ids[self.username.lower()] = "1a2b3c4d"

    def _now(self) -> float:
        return round(self.clock(), 3)

    def _next_id(self, kind: str) -> str:
        self._counters[kind] += 1
        return base36(self._counters[kind])

    def _user_id(self, name: str) -> str:
        key = name.lower()
        if key not in self._user_ids:
            self._user_ids[key] = base36(int("5x0000", 36) + 7919 * len(self._user_ids))
        return self._user_ids[key]

    def _subreddit(self, name: str) -> str:
        name = name.removeprefix("/").removeprefix("r/")
        return self._subreddits.setdefault(name.lower(), name)

    @staticmethod
    def _subreddit_names(path_value: str) -> set[str]:
        return {n.lower() for n in path_value.split("+") if n}

    def _is_brand(self, name: str) -> bool:
        return name.lower() == self.username.lower()

    def _mentions_brand(self, body: str) -> bool:
        return any(self._is_brand(m) for m in _USER_MENTION.findall(body))

    def _thing(self, fullname: str) -> RedditComment | RedditSubmission | None:
        kind, _, thing_id = fullname.partition("_")
        if kind == "t1":
            return self._comments.get(thing_id)
        if kind == "t3":
            return self._submissions.get(thing_id)
        return None

    def _require(self, fullname: str) -> RedditComment | RedditSubmission:
        thing = self._thing(fullname)
        if thing is None:
            raise KeyError(f"no submission or comment {fullname}")
        return thing

    def _count_comments(self, submission: RedditSubmission) -> int:
        return sum(1 for c in self._comments.values() if c.submission is submission)

    def _sorted_inbox(self) -> list[InboxItem]:
        """Inbox items newest first."""
        return sorted(self._inbox.values(), key=lambda i: (i.created_utc, i.sequence), reverse=True)

    def _add_to_inbox(self, item: InboxItem) -> None:
        item.sequence = len(self._inbox) + 1
        self._inbox[item.name] = item

    def _store_comment(
        self,
        parent: RedditComment | RedditSubmission,
        body: str,
        author: str,
        *,
        created_utc: float | None,
    ) -> RedditComment:
        submission = parent if isinstance(parent, RedditSubmission) else parent.submission
        comment = RedditComment(
            id=self._next_id("t1"),
            submission=submission,
            parent_id=parent.name,
            body=body,
            author=author,
            created_utc=self._now() if created_utc is None else created_utc,
        )
        self._user_id(author)
        self._comments[comment.id] = comment
        if not self._is_brand(author):
            kind = self._inbox_type(parent, body)
            if kind is not None:
                self._add_to_inbox(InboxItem(comment.name, kind, comment.created_utc))
        return comment

    def _inbox_type(self, parent: RedditComment | RedditSubmission, body: str) -> str | None:
        if self._is_brand(parent.author) and not parent.deleted:
            return "post_reply" if isinstance(parent, RedditSubmission) else "comment_reply"
        mentioned = {m.lower() for m in _USER_MENTION.findall(body)}
        if self.username.lower() in mentioned and len(mentioned) <= MAX_MENTIONS_NOTIFIED:
            return "username_mention"
        return None
