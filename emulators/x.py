"""A local X API v2: the endpoints tweepy's `Client` calls for mentions and replies, on the real wire format.

Served (paths as on ``https://api.twitter.com``)::

    GET    /2/users/me                  the brand account (user context only)
    GET    /2/users/:id/mentions        newest first; since_id, until_id, max_results, pagination_token
    GET    /2/users/:id/tweets          a user's own timeline, same parameters
    GET    /2/tweets/:id                one tweet (200 with `errors` when it does not exist)
    POST   /2/tweets                    create a tweet or a reply (user context only)
    DELETE /2/tweets/:id                delete one of the brand's tweets (user context only)

Faithful: `Authorization` required (Bearer app token for reads, OAuth 1.0a for user-context
endpoints, 403 "Unsupported Authentication" for an app token there); X's problem-details error
bodies; `tweet.fields` / `user.fields` / `expansions` validated and honoured; `edit_history_tweet_ids`
always present; only the newest 800 mentions reachable; snowflake-like numeric-string ids;
duplicate text refused (403); replies only to posts that @mention or quote the brand, or that
the brand wrote (the Feb 2026 rule, 403); replies to deleted posts refused (403, as X does);
weighted length over 280 refused (400); `x-rate-limit-*` headers on every routed answer and a 429
when a per-endpoint window is exhausted.

Simplified: OAuth 1.0a signatures are not verified (only the presence of the consumer key and
token, and their values when configured); rate-limit windows are per endpoint, not per user or app;
tweet text is stored and returned exactly as sent (no `@handle` prefix, `&amp;` escaping or t.co
wrapping); pagination tokens are opaque but not signed; no `previous_token`.

Injected failures (`fail_next`) with no body get X's problem-details body; a 429 injected this way
carries `x-rate-limit-limit` and `x-rate-limit-remaining: 0` but no `x-rate-limit-reset` unless
you pass it in `headers`, to reproduce a reset-less 429.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from twitter_text import parse_tweet

from emulators.http import Emulator, RecordedRequest, Response

TWITTER_EPOCH_MS = 1288834974657
MAX_WEIGHTED_LENGTH = 280
REACHABLE_MENTIONS = 800
REACHABLE_TIMELINE = 3200

DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."
NOT_MENTIONED_DETAIL = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."
)
DELETED_DETAIL = "You attempted to reply to a Tweet that is deleted or not visible to you."
INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"

TWEET_FIELDS = frozenset(
    [
        "article",
        "attachments",
        "author_id",
        "card_uri",
        "community_id",
        "context_annotations",
        "conversation_id",
        "created_at",
        "display_text_range",
        "edit_controls",
        "edit_history_tweet_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "media_metadata",
        "non_public_metrics",
        "note_tweet",
        "organic_metrics",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "reply_settings",
        "scopes",
        "source",
        "text",
        "withheld",
    ]
)
USER_FIELDS = frozenset(
    [
        "affiliation",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "location",
        "most_recent_tweet_id",
        "name",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_type",
        "withheld",
    ]
)
EXPANSIONS = frozenset(
    [
        "article.cover_media",
        "article.media_entities",
        "attachments.media_keys",
        "attachments.media_source_tweet",
        "attachments.poll_ids",
        "author_id",
        "edit_history_tweet_ids",
        "entities.mentions.username",
        "geo.place_id",
        "in_reply_to_user_id",
        "entities.note.mentions.username",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
    ]
)

# endpoint name -> (requests per window, window seconds); X's documented per-user limits
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "me": (75, 900),
    "mentions": (300, 900),
    "timeline": (900, 900),
    "tweet": (900, 900),
    "create": (100, 900),
    "delete": (50, 900),
}


@dataclass
class XUser:
    id: str
    username: str
    name: str
    followers: int = 0
    created_at: datetime = field(default_factory=lambda: datetime(2015, 3, 1, tzinfo=UTC))


@dataclass
class XTweet:
    id: str
    text: str
    author_id: str
    created_at: datetime
    conversation_id: str
    lang: str = "en"
    in_reply_to_tweet_id: str | None = None
    in_reply_to_user_id: str | None = None
    quote_of: str | None = None
    deleted: bool = False


@dataclass
class _Window:
    limit: int
    seconds: int
    remaining: int = 0
    reset: int = 0


def _problem(status: int, detail: str, title: str | None = None, type_: str = "about:blank") -> Response:
    phrase = title or HTTPStatus(status).phrase
    return Response(status, {"title": phrase, "detail": detail, "type": type_, "status": status})


def _invalid(parameter: str, values: list[str], message: str) -> Response:
    return Response(
        400,
        {
            "errors": [{"parameters": {parameter: values}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": INVALID_REQUEST,
        },
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class XEmulator(Emulator):
    """A local X API v2 for one brand account.

    Args:
        user_id, username, name: the brand account.
        bearer_token, consumer_key, access_token: when given, requests must carry these values
            (401 otherwise); when None any value is accepted.
        rate_limits: False to never answer 429 (headers are still sent).
        limits: per-endpoint (limit, window seconds) overriding `DEFAULT_LIMITS`; endpoint names
            are "me", "mentions", "timeline", "tweet", "create", "delete".
        clock: epoch seconds; drives created_at, ids and rate-limit windows.
    """

    def __init__(
        self,
        *,
        user_id: str = "1500000000000000001",
        username: str = "parleybrand",
        name: str = "Parley Brand",
        bearer_token: str | None = None,
        consumer_key: str | None = None,
        access_token: str | None = None,
        rate_limits: bool = True,
        limits: dict[str, tuple[int, int]] | None = None,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.brand = XUser(id=user_id, username=username, name=name, followers=1200)
        self.bearer_token = bearer_token
        self.consumer_key = consumer_key
        self.access_token = access_token
        self.rate_limits = rate_limits
        self.clock = clock
        self._limits = {**DEFAULT_LIMITS, **(limits or {})}
        self._state = threading.RLock()
        self._users: dict[str, XUser] = {}
        self._tweets: dict[str, XTweet] = {}
        self._windows: dict[str, _Window] = {}
        self._last_id = 0
        self._last_user_id = 1_600_000_000_000_000_000
        self._clear()
        me = self._endpoint("me", self._get_me, user_context=True)
        self.add_route("GET", r"/2/users/me", me)
        self.add_route(
            "GET", r"/2/users/(?P<user_id>\d+)/mentions", self._endpoint("mentions", self._mentions)
        )
        self.add_route("GET", r"/2/users/(?P<user_id>\d+)/tweets", self._endpoint("timeline", self._timeline))
        self.add_route("GET", r"/2/tweets/(?P<tweet_id>[^/]+)", self._endpoint("tweet", self._get_tweet))
        self.add_route("POST", r"/2/tweets", self._endpoint("create", self._create, user_context=True))
        self.add_route(
            "DELETE",
            r"/2/tweets/(?P<tweet_id>[^/]+)",
            self._endpoint("delete", self._delete, user_context=True),
        )

    # -- test helpers ------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        name: str | None = None,
        user_id: str | None = None,
        followers: int | None = None,
    ) -> XUser:
        """The user with this handle, created if new (its name and followers updated if given)."""
        with self._state:
            existing = self._user_by_handle(username)
            if existing is not None:
                if name is not None:
                    existing.name = name
                if followers is not None:
                    existing.followers = followers
                return existing
            if user_id is None:
                self._last_user_id += 7919
                user_id = str(self._last_user_id)
            user = XUser(
                id=user_id,
                username=username,
                name=name or username,
                followers=100 if followers is None else followers,
            )
            self._users[user.id] = user
            return user

    def add_tweet(
        self,
        text: str,
        *,
        author_handle: str = "someone",
        author_name: str | None = None,
        author_id: str | None = None,
        created_at: datetime | None = None,
        lang: str = "en",
        followers: int | None = None,
        in_reply_to: str | None = None,
        quote_of: str | None = None,
    ) -> str:
        """Store a tweet by `author_handle` as is (a mention only if the text @mentions the brand)."""
        author = self.add_user(author_handle, name=author_name, user_id=author_id, followers=followers)
        with self._state:
            return self._store(
                author, text, created_at=created_at, lang=lang, in_reply_to=in_reply_to, quote_of=quote_of
            ).id

    def add_mention(
        self,
        text: str,
        *,
        author_handle: str = "someone",
        author_name: str | None = None,
        author_id: str | None = None,
        created_at: datetime | None = None,
        lang: str = "en",
        followers: int | None = None,
        in_reply_to: str | None = None,
    ) -> str:
        """Store a tweet that @mentions the brand (prefixing ``@brand`` when the text lacks it); its id."""
        if not self._mentions_handle(text, self.brand.username):
            text = f"@{self.brand.username} {text}"
        return self.add_tweet(
            text,
            author_handle=author_handle,
            author_name=author_name,
            author_id=author_id,
            created_at=created_at,
            lang=lang,
            followers=followers,
            in_reply_to=in_reply_to,
        )

    def delete_tweet(self, tweet_id: str) -> None:
        """Delete a tweet as its author would: it disappears from every endpoint."""
        with self._state:
            self._tweets[tweet_id].deleted = True

    def tweet(self, tweet_id: str) -> XTweet:
        with self._state:
            return self._tweets[tweet_id]

    @property
    def posted(self) -> list[XTweet]:
        """Tweets the brand account created through the API (not deleted), oldest first."""
        with self._state:
            return [t for t in self._tweets.values() if t.author_id == self.brand.id and not t.deleted]

    def set_limit(self, endpoint: str, limit: int, window_seconds: int = 900) -> None:
        """Change one endpoint's rate limit and start a fresh window."""
        with self._state:
            self._limits[endpoint] = (limit, window_seconds)
            self._windows.pop(endpoint, None)

    def exhaust(self, endpoint: str) -> None:
        """Use up `endpoint`'s current window: the next call gets a 429 until it resets."""
        with self._state:
            self._window(endpoint).remaining = 0

    def reset(self) -> None:
        """Forget requests, failures, tweets, users (except the brand) and rate-limit windows."""
        super().reset()
        self._clear()

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        detail = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        response = _problem(status, detail, title=detail)
        if status == 429:
            limit = self._limits.get(self._endpoint_name(request), (0, 0))[0]
            response.headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0"}
        return response

    # -- plumbing ----------------------------------------------------------------------------------

    def _clear(self) -> None:
        with self._state:
            self._users = {self.brand.id: self.brand}
            self._tweets = {}
            self._windows = {}
            self._last_id = 0

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _user_by_handle(self, username: str) -> XUser | None:
        lowered = username.lower()
        return next((u for u in self._users.values() if u.username.lower() == lowered), None)

    @staticmethod
    def _mentions_handle(text: str, username: str) -> bool:
        return re.search(rf"(?<![\w@])@{re.escape(username)}(?!\w)", text, re.IGNORECASE) is not None

    def _next_id(self, created_at: datetime) -> str:
        snowflake = (int(created_at.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22
        self._last_id = max(self._last_id + 1, snowflake)
        return str(self._last_id)

    def _store(
        self,
        author: XUser,
        text: str,
        *,
        created_at: datetime | None,
        lang: str,
        in_reply_to: str | None,
        quote_of: str | None = None,
    ) -> XTweet:
        created_at = (created_at or self._now()).astimezone(UTC)
        tweet_id = self._next_id(created_at)
        parent = self._tweets.get(in_reply_to) if in_reply_to else None
        tweet = XTweet(
            id=tweet_id,
            text=text,
            author_id=author.id,
            created_at=created_at,
            conversation_id=parent.conversation_id if parent else tweet_id,
            lang=lang,
            in_reply_to_tweet_id=in_reply_to,
            in_reply_to_user_id=parent.author_id if parent else None,
            quote_of=quote_of,
        )
        self._tweets[tweet_id] = tweet
        return tweet

    def _endpoint_name(self, request: RecordedRequest) -> str:
        path = request.path
        if path == "/2/users/me":
            return "me"
        if path.endswith("/mentions"):
            return "mentions"
        if path.startswith("/2/users/"):
            return "timeline"
        if request.method == "POST":
            return "create"
        return "delete" if request.method == "DELETE" else "tweet"

    def _window(self, endpoint: str) -> _Window:
        limit, seconds = self._limits[endpoint]
        window = self._windows.get(endpoint)
        now = int(self.clock())
        if window is None or now >= window.reset:
            window = _Window(limit=limit, seconds=seconds, remaining=limit, reset=now + seconds)
            self._windows[endpoint] = window
        return window

    def _endpoint(
        self, name: str, handler: Callable[[RecordedRequest], Response], *, user_context: bool = False
    ) -> Callable[[RecordedRequest], Response]:
        def serve(request: RecordedRequest) -> Response:
            refusal = self._check_auth(request, user_context=user_context)
            if refusal is not None:
                return refusal
            with self._state:
                window = self._window(name)
                limited = self.rate_limits and window.remaining <= 0
                if not limited and self.rate_limits:
                    window.remaining -= 1
                headers = {
                    "x-rate-limit-limit": str(window.limit),
                    "x-rate-limit-remaining": str(window.remaining),
                    "x-rate-limit-reset": str(window.reset),
                }
                response = _problem(429, "Too Many Requests") if limited else handler(request)
            response.headers = {**headers, **response.headers}
            return response

        return serve

    def _check_auth(self, request: RecordedRequest, *, user_context: bool) -> Response | None:
        unauthorized = _problem(401, "Unauthorized")
        header = (request.header("Authorization") or "").strip()
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "bearer" and credentials:
            if self.bearer_token is not None and credentials.strip() != self.bearer_token:
                return unauthorized
            if user_context:
                return _problem(
                    403,
                    "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                    "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
                    title="Unsupported Authentication",
                    type_="https://api.twitter.com/2/problems/unsupported-authentication",
                )
            return None
        if scheme == "OAuth":
            params = dict(re.findall(r'(\w+)="([^"]*)"', credentials))
            if not params.get("oauth_consumer_key") or not params.get("oauth_token"):
                return unauthorized
            if self.consumer_key is not None and params["oauth_consumer_key"] != self.consumer_key:
                return unauthorized
            if self.access_token is not None and params["oauth_token"] != self.access_token:
                return unauthorized
            return None
        return unauthorized

    # -- rendering ---------------------------------------------------------------------------------

    def _fields(self, request: RecordedRequest) -> tuple[set[str], set[str], set[str]] | Response:
        chosen: list[set[str]] = []
        for parameter, allowed in (
            ("tweet.fields", TWEET_FIELDS),
            ("user.fields", USER_FIELDS),
            ("expansions", EXPANSIONS),
        ):
            values = {v for v in request.query.get(parameter, "").split(",") if v}
            bad = sorted(values - allowed)
            if bad:
                return _invalid(
                    parameter,
                    bad,
                    f"The `{parameter}` query parameter value [{bad[0]}] is not one of "
                    f"[{','.join(sorted(allowed))}]",
                )
            chosen.append(values)
        return chosen[0], chosen[1], chosen[2]

    def _render_tweet(self, tweet: XTweet, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]}
        if "created_at" in fields:
            data["created_at"] = _iso(tweet.created_at)
        if "author_id" in fields:
            data["author_id"] = tweet.author_id
        if "conversation_id" in fields:
            data["conversation_id"] = tweet.conversation_id
        if "lang" in fields:
            data["lang"] = tweet.lang
        if "in_reply_to_user_id" in fields and tweet.in_reply_to_user_id:
            data["in_reply_to_user_id"] = tweet.in_reply_to_user_id
        if "referenced_tweets" in fields:
            refs = []
            if tweet.in_reply_to_tweet_id:
                refs.append({"type": "replied_to", "id": tweet.in_reply_to_tweet_id})
            if tweet.quote_of:
                refs.append({"type": "quoted", "id": tweet.quote_of})
            if refs:
                data["referenced_tweets"] = refs
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
        return data

    def _render_user(self, user: XUser, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        if "created_at" in fields:
            data["created_at"] = _iso(user.created_at)
        if "protected" in fields:
            data["protected"] = False
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "followers_count": user.followers,
                "following_count": 0,
                "tweet_count": sum(1 for t in self._tweets.values() if t.author_id == user.id),
                "listed_count": 0,
                "like_count": 0,
                "media_count": 0,
            }
        return data

    def _includes(
        self, tweets: Iterable[XTweet], user_fields: set[str], expansions: set[str]
    ) -> dict[str, Any]:
        user_ids: list[str] = []
        for tweet in tweets:
            wanted = []
            if "author_id" in expansions:
                wanted.append(tweet.author_id)
            if "in_reply_to_user_id" in expansions and tweet.in_reply_to_user_id:
                wanted.append(tweet.in_reply_to_user_id)
            user_ids.extend(uid for uid in wanted if uid not in user_ids and uid in self._users)
        if not user_ids:
            return {}
        return {"users": [self._render_user(self._users[uid], user_fields) for uid in user_ids]}

    def _page(self, request: RecordedRequest, candidates: list[XTweet]) -> Response:
        """One page of `candidates` (newest first) under the usual timeline parameters."""
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        tweet_fields, user_fields, expansions = fields
        query = request.query
        raw_max = query.get("max_results", "10")
        if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
            return _invalid(
                "max_results",
                [raw_max],
                f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100",
            )
        for parameter in ("since_id", "until_id"):
            value = query.get(parameter)
            if value is not None and not value.isdigit():
                return _invalid(
                    parameter, [value], f"The `{parameter}` query parameter value [{value}] is not valid"
                )
        since = int(query.get("since_id") or 0)
        until = int(query["until_id"]) if query.get("until_id") else None
        selected = [t for t in candidates if int(t.id) > since and (until is None or int(t.id) < until)]
        token = query.get("pagination_token")
        if token is not None:
            start = self._decode_token(token)
            if start is None:
                return _invalid(
                    "pagination_token",
                    [token],
                    f"The `pagination_token` query parameter value [{token}] is not valid",
                )
            selected = [t for t in selected if int(t.id) <= start]
        page, rest = selected[: int(raw_max)], selected[int(raw_max) :]
        if not page:
            return Response(200, {"meta": {"result_count": 0}})
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id, "oldest_id": page[-1].id}
        if rest:
            meta["next_token"] = self._encode_token(int(rest[0].id))
        body: dict[str, Any] = {"data": [self._render_tweet(t, tweet_fields) for t in page]}
        includes = self._includes(page, user_fields, expansions)
        if includes:
            body["includes"] = includes
        body["meta"] = meta
        return Response(200, body)

    @staticmethod
    def _encode_token(tweet_id: int) -> str:
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        while tweet_id:
            tweet_id, r = divmod(tweet_id, 36)
            out = digits[r] + out
        return "7140dibdnow9c7btw4" + out.rjust(14, "0")

    @staticmethod
    def _decode_token(token: str) -> int | None:
        if not token.startswith("7140dibdnow9c7btw4"):
            return None
        try:
            return int(token[18:], 36)
        except ValueError:
            return None

    def _not_found_user(self, user_id: str) -> Response:
        return Response(
            200,
            {
                "errors": [
                    {
                        "value": user_id,
                        "detail": f"Could not find user with id: [{user_id}].",
                        "title": "Not Found Error",
                        "resource_type": "user",
                        "parameter": "id",
                        "resource_id": user_id,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                ]
            },
        )

    # -- routes (called with self._state held) ---------------------------------------------------------

    def _get_me(self, request: RecordedRequest) -> Response:
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        return Response(200, {"data": self._render_user(self.brand, fields[1])})

    def _mentions(self, request: RecordedRequest) -> Response:
        user = self._users.get(request.path_params["user_id"])
        if user is None:
            return self._not_found_user(request.path_params["user_id"])
        mentions = [
            t
            for t in reversed(self._tweets.values())
            if not t.deleted and t.author_id != user.id and self._mentions_handle(t.text, user.username)
        ]
        return self._page(request, mentions[:REACHABLE_MENTIONS])

    def _timeline(self, request: RecordedRequest) -> Response:
        user = self._users.get(request.path_params["user_id"])
        if user is None:
            return self._not_found_user(request.path_params["user_id"])
        own = [t for t in reversed(self._tweets.values()) if not t.deleted and t.author_id == user.id]
        return self._page(request, own[:REACHABLE_TIMELINE])

    def _get_tweet(self, request: RecordedRequest) -> Response:
        tweet_id = request.path_params["tweet_id"]
        if not tweet_id.isdigit():
            return _invalid("id", [tweet_id], f"The `id` query parameter value [{tweet_id}] is not valid")
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        tweet = self._tweets.get(tweet_id)
        if tweet is None or tweet.deleted:
            return Response(
                200,
                {
                    "errors": [
                        {
                            "value": tweet_id,
                            "detail": f"Could not find tweet with id: [{tweet_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": tweet_id,
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                },
            )
        body: dict[str, Any] = {"data": self._render_tweet(tweet, fields[0])}
        includes = self._includes([tweet], fields[1], fields[2])
        if includes:
            body["includes"] = includes
        return Response(200, body)

    def _create(self, request: RecordedRequest) -> Response:
        try:
            payload = request.json()
        except ValueError:
            return _problem(
                400, "The request body is not valid JSON.", title="Invalid Request", type_=INVALID_REQUEST
            )
        if not isinstance(payload, dict):
            return _problem(
                400, "The request body must be a JSON object.", title="Invalid Request", type_=INVALID_REQUEST
            )
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            return _invalid("text", [str(text)], "The `text` field is required and cannot be empty.")
        if int(parse_tweet(text).weightedLength) > MAX_WEIGHTED_LENGTH:
            return _invalid("text", [text], "Your Tweet text is too long.")
        reply = payload.get("reply") or {}
        target_id = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        quote_id = payload.get("quote_tweet_id")
        for parameter, value in (("reply.in_reply_to_tweet_id", target_id), ("quote_tweet_id", quote_id)):
            if value is not None and not str(value).isdigit():
                return _invalid(parameter, [str(value)], f"The `{parameter}` value [{value}] is not valid")
        if target_id is not None:
            target = self._tweets.get(str(target_id))
            if target is None or target.deleted:
                return _problem(403, DELETED_DETAIL)
            if not self._may_reply_to(target):
                return _problem(403, NOT_MENTIONED_DETAIL)
        if any(
            t.author_id == self.brand.id and not t.deleted and t.text == text for t in self._tweets.values()
        ):
            return _problem(403, DUPLICATE_DETAIL)
        tweet = self._store(
            self.brand,
            text,
            created_at=None,
            lang="en",
            in_reply_to=str(target_id) if target_id is not None else None,
            quote_of=str(quote_id) if quote_id is not None else None,
        )
        return Response(
            201, {"data": {"id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]}}
        )

    def _may_reply_to(self, target: XTweet) -> bool:
        if target.author_id == self.brand.id or self._mentions_handle(target.text, self.brand.username):
            return True
        quoted = self._tweets.get(target.quote_of) if target.quote_of else None
        return quoted is not None and quoted.author_id == self.brand.id

    def _delete(self, request: RecordedRequest) -> Response:
        tweet = self._tweets.get(request.path_params["tweet_id"])
        if tweet is None or tweet.deleted:
            return Response(200, {"data": {"deleted": False}})
        if tweet.author_id != self.brand.id:
            return _problem(403, "You are not allowed to delete this Tweet.")
        tweet.deleted = True
        return Response(200, {"data": {"deleted": True}})
