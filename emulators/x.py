"""A local X API v2: the endpoints tweepy's `Client` calls for mentions, searches and replies, on the real wire format.

Served (paths as on ``https://api.twitter.com``)::

    GET    /2/users/me                  the brand account (user context only)
    GET    /2/users/:id/mentions        newest first; since_id, until_id, max_results, pagination_token
    GET    /2/users/:id/tweets          a user's own timeline, same parameters
    GET    /2/tweets/search/recent      the last 7 days matching `query`; since_id, until_id,
                                        max_results (10-100), next_token, sort_order
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

Recent search: only tweets whose `created_at` is within the last 7 days; a `since_id` older than
that is refused with X's 400 ("'since_id' must be a tweet id created after ... Please use a
'since_id' that is larger than N"); an empty query, a syntax error, an unknown operator, a query
with no positive standalone clause or one over 512 characters is a 400 with X's invalid-request
body. Query language subset (case-insensitive): bare words (AND), "quoted phrases", `OR` (AND
binds tighter), `( )` grouping, `-` negation of any clause or group, `@handle`, `#hashtag`,
`from:`, `to:`, `lang:` and `is:retweet|reply|quote` (the last two need a standalone clause, as
on X). Words match X-style on tokens: a keyword or phrase matches a run of whole words of the
text (so `parley` matches "Parley's" and "#parley" but not "parleys").

Simplified: OAuth 1.0a signatures are not verified (only the presence of the consumer key and
token, and their values when configured); rate-limit windows are per endpoint, not per user or app;
tweet text is stored and returned exactly as sent (no `@handle` prefix, `&amp;` escaping or t.co
wrapping); pagination tokens are opaque but not signed; no `previous_token`. Search: no
`start_time`/`end_time`, no relevancy ranking (`sort_order=relevancy` is accepted, answered by
recency), no stop words, no 30-second indexing delay; other operators (`has:`, `url:`, ...) are
refused as unknown.

Injected failures (`fail_next`) with no body get X's problem-details body; a 429 injected this way
carries `x-rate-limit-limit` and `x-rate-limit-remaining: 0` but no `x-rate-limit-reset` unless
you pass it in `headers`, to reproduce a reset-less 429.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from twitter_text import parse_tweet

from emulators.http import Emulator, RecordedRequest, Response

TWITTER_EPOCH_MS = 1288834974657
MAX_WEIGHTED_LENGTH = 280
REACHABLE_MENTIONS = 800
REACHABLE_TIMELINE = 3200
SEARCH_WINDOW = timedelta(days=7)  # recent search reaches this far back
MAX_QUERY_LENGTH = 512

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
    "search": (450, 900),  # recent search, per app (bearer token)
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
    retweet_of: str | None = None
    deleted: bool = False

    @property
    def references(self) -> list[tuple[str, str]]:
        """(type, tweet id) of the tweets this one replies to, quotes or retweets, as X names them."""
        refs = [
            ("replied_to", self.in_reply_to_tweet_id),
            ("quoted", self.quote_of),
            ("retweeted", self.retweet_of),
        ]
        return [(kind, tweet_id) for kind, tweet_id in refs if tweet_id]


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


def _snowflake_time(tweet_id: int) -> datetime:
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def _snowflake(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22


# --- the recent-search query language (the subset described in the module docstring) ---------------

OPERATOR_LIST_URL = (
    "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query#list"
)
_STANDALONE_OPERATORS = frozenset({"from", "to"})
_CONJUNCTION_OPERATORS = frozenset({"is", "lang"})  # X refuses these without a standalone clause
_IS_VALUES = frozenset({"retweet", "reply", "quote"})
_QUERY_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<open>\()|(?P<close>\))|(?P<minus>-)(?=[^\s)])|"(?P<phrase>[^"]*)"|"""
    r"""(?P<bad>["'\[\]{}])|(?P<word>[^\s()"]+)"""
)
_HANDLE = re.compile(r"@?(\w{1,15}|\d{1,20})")  # a handle or a numeric user id


class QueryError(ValueError):
    """A query X would refuse; `position` is 1-based, as in X's messages."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.position = position


@dataclass(frozen=True)
class _Clause:
    kind: str  # "words" (keyword or phrase), "mention", "hashtag", "from", "to", "lang", "is"
    value: tuple[str, ...] | str
    position: int
    negated: bool = False


@dataclass(frozen=True)
class _Group:
    any_of: bool  # True: OR, False: AND
    parts: tuple[_Node, ...]
    position: int
    negated: bool = False


_Node = _Clause | _Group


def _words(text: str) -> tuple[str, ...]:
    """Text as X matches keywords: lower-cased runs of letters and digits."""
    return tuple(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class _Token:
    kind: str  # "open", "close", "minus", "phrase", "word"
    text: str
    position: int


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _QUERY_TOKEN.finditer(query):
        kind = match.lastgroup or ""
        position = match.start() + 1
        if kind == "space":
            continue
        if kind == "bad":
            raise QueryError(f"no viable alternative at character '{match.group()}'", position)
        text = match.group("phrase") if kind == "phrase" else match.group()
        tokens.append(_Token(kind, text, position))
    return tokens


class _QueryParser:
    """query := any ; any := all ("OR" all)* ; all := unary+ ; unary := "-"? (group | phrase | word)."""

    def __init__(self, query: str) -> None:
        self._tokens = _tokenize(query)
        self._end = len(query) + 1
        self._at = 0

    def parse(self) -> _Node:
        node = self._any()
        token = self._peek()
        if token is not None:  # only a stray ")" stops `_any` early
            raise QueryError(f"missing EOF at '{token.text}'", token.position)
        if not _anchored(node):
            loose = _loose_conjunction(node)
            if loose is not None:
                raise QueryError("is/has/lang cannot be used as a standalone operator", loose.position)
            raise QueryError("Rules must contain at least one positive, non-stopword clause", 1)
        return node

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    @staticmethod
    def _is_or(token: _Token | None) -> bool:
        return token is not None and token.kind == "word" and token.text == "OR"

    def _any(self) -> _Node:
        start = self._peek()
        parts = [self._all()]
        while self._is_or(self._peek()):
            self._take()
            parts.append(self._all())
        if len(parts) == 1:
            return parts[0]
        return _Group(any_of=True, parts=tuple(parts), position=start.position if start else 1)

    def _all(self) -> _Node:
        parts: list[_Node] = []
        while (token := self._peek()) is not None and token.kind != "close" and not self._is_or(token):
            parts.append(self._unary())
        if not parts:
            token = self._peek()
            text = token.text if token is not None else "<EOF>"
            raise QueryError(
                f"no viable alternative at input '{text}'", token.position if token else self._end
            )
        if len(parts) == 1:
            return parts[0]
        return _Group(any_of=False, parts=tuple(parts), position=parts[0].position)

    def _unary(self) -> _Node:
        negated = False
        if (token := self._peek()) is not None and token.kind == "minus":
            self._take()
            negated = True
        token = self._peek()
        if token is None or token.kind == "close" or self._is_or(token):
            text = token.text if token is not None else "<EOF>"
            raise QueryError(
                f"no viable alternative at input '{text}'", token.position if token else self._end
            )
        token = self._take()
        if token.kind == "open":
            node = self._any()
            closing = self._peek()
            if closing is None or closing.kind != "close":
                raise QueryError("Missing closing parenthesis", self._end)
            self._take()
        elif token.kind == "phrase":
            words = _words(token.text)
            if not words:
                raise QueryError(f"no viable alternative at input '\"{token.text}\"'", token.position)
            node = _Clause("words", words, token.position)
        else:
            node = self._word(token)
        if negated:
            return replace(node, negated=not node.negated)
        return node

    @staticmethod
    def _word(token: _Token) -> _Clause:
        text, position = token.text, token.position
        if text.casefold() == "and":
            raise QueryError(
                'Ambiguous use of and as a keyword. Use a space to logically join two clauses, or "and" '
                "to find occurrences of and in text",
                position,
            )
        if text[0] in "@#":
            name = text[1:]
            if not re.fullmatch(r"\w+", name):
                raise QueryError(f"no viable alternative at input '{text}'", position)
            return _Clause("mention" if text[0] == "@" else "hashtag", name.casefold(), position)
        operator, colon, value = text.partition(":")
        if colon and re.fullmatch(r"[A-Za-z_]+", operator):
            operator = operator.casefold()
            value = value.casefold()
            handle = _HANDLE.fullmatch(value)
            if operator in _STANDALONE_OPERATORS and handle is not None:
                return _Clause(operator, handle.group(1), position)
            if (operator == "lang" and re.fullmatch(r"[a-z]{2,3}(-[a-z]+)?", value)) or (
                operator == "is" and value in _IS_VALUES
            ):
                return _Clause(operator, value, position)
            name = f"{operator}:{value}" if operator in ("is", "has") else operator
            raise QueryError(
                f"Reference to invalid operator '{name}'. Operator is not available in current product "
                f"or product packaging. Please refer to complete available operator list at "
                f"{OPERATOR_LIST_URL}.",
                position,
            )
        words = _words(text)
        if not words:
            raise QueryError(f"no viable alternative at input '{text}'", position)
        return _Clause("words", words, position)


def _anchored(node: _Node) -> bool:
    """Whether every match of `node` needs a positive standalone clause (X's rule for is:/lang:)."""
    if node.negated:
        return False
    if isinstance(node, _Clause):
        return node.kind not in _CONJUNCTION_OPERATORS
    results = [_anchored(part) for part in node.parts]
    return all(results) if node.any_of else any(results)


def _loose_conjunction(node: _Node) -> _Clause | None:
    if node.negated:
        return None
    if isinstance(node, _Clause):
        return node if node.kind in _CONJUNCTION_OPERATORS else None
    return next((c for part in node.parts if (c := _loose_conjunction(part)) is not None), None)


def parse_query(query: str) -> _Node:
    """Parse a recent-search query; raises :class:`QueryError` with X's message when X would refuse it."""
    return _QueryParser(query).parse()


class XEmulator(Emulator):
    """A local X API v2 for one brand account.

    Args:
        user_id, username, name: the brand account.
        bearer_token, consumer_key, access_token: when given, requests must carry these values
            (401 otherwise); when None any value is accepted.
        rate_limits: False to never answer 429 (headers are still sent).
        limits: per-endpoint (limit, window seconds) overriding `DEFAULT_LIMITS`; endpoint names
            are "me", "mentions", "timeline", "tweet", "create", "delete", "search".
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
        self.add_route("GET", r"/2/tweets/search/recent", self._endpoint("search", self._search))
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

    def add_retweet(
        self, tweet_id: str, *, author_handle: str = "someone", created_at: datetime | None = None
    ) -> str:
        """Store a retweet of `tweet_id` by `author_handle` (text ``RT @author: text``, as X sends it)."""
        author = self.add_user(author_handle)
        with self._state:
            original = self._tweets[tweet_id]
            text = f"RT @{self._users[original.author_id].username}: {original.text}"
            return self._store(
                author, text, created_at=created_at, lang=original.lang, in_reply_to=None, retweet_of=tweet_id
            ).id

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
        retweet_of: str | None = None,
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
            retweet_of=retweet_of,
        )
        self._tweets[tweet_id] = tweet
        return tweet

    def _endpoint_name(self, request: RecordedRequest) -> str:
        path = request.path
        if path == "/2/users/me":
            return "me"
        if path == "/2/tweets/search/recent":
            return "search"
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
        if "referenced_tweets" in fields and tweet.references:
            data["referenced_tweets"] = [{"type": kind, "id": ref} for kind, ref in tweet.references]
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
        self, tweets: Iterable[XTweet], tweet_fields: set[str], user_fields: set[str], expansions: set[str]
    ) -> dict[str, Any]:
        tweets = list(tweets)
        referenced: list[XTweet] = []
        if expansions & {"referenced_tweets.id", "referenced_tweets.id.author_id"}:
            for tweet in tweets:
                for _, ref_id in tweet.references:
                    ref = self._tweets.get(ref_id)
                    if ref is not None and not ref.deleted and ref not in referenced:
                        referenced.append(ref)
        user_ids: list[str] = []
        for tweet in tweets:
            wanted = []
            if "author_id" in expansions:
                wanted.append(tweet.author_id)
            if "in_reply_to_user_id" in expansions and tweet.in_reply_to_user_id:
                wanted.append(tweet.in_reply_to_user_id)
            user_ids.extend(uid for uid in wanted if uid not in user_ids and uid in self._users)
        if "referenced_tweets.id.author_id" in expansions:
            user_ids.extend(
                ref.author_id
                for ref in referenced
                if ref.author_id not in user_ids and ref.author_id in self._users
            )
        includes: dict[str, Any] = {}
        if user_ids:
            includes["users"] = [self._render_user(self._users[uid], user_fields) for uid in user_ids]
        if "referenced_tweets.id" in expansions and referenced:
            includes["tweets"] = [self._render_tweet(ref, tweet_fields) for ref in referenced]
        return includes

    def _page(
        self,
        request: RecordedRequest,
        candidates: list[XTweet],
        *,
        min_results: int = 5,
        token_parameters: tuple[str, ...] = ("pagination_token",),
    ) -> Response:
        """One page of `candidates` (newest first) under the usual timeline parameters.

        Search differs only in its `max_results` floor (10) and in naming its token `next_token`
        (X also still accepts `pagination_token` there).
        """
        fields = self._fields(request)
        if isinstance(fields, Response):
            return fields
        tweet_fields, user_fields, expansions = fields
        query = request.query
        raw_max = query.get("max_results", "10")
        if not raw_max.isdigit() or not min_results <= int(raw_max) <= 100:
            return _invalid(
                "max_results",
                [raw_max],
                f"The `max_results` query parameter value [{raw_max}] is not between {min_results} and 100",
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
        for token_parameter in token_parameters:
            token = query.get(token_parameter)
            if token is None:
                continue
            start = self._decode_token(token)
            if start is None:
                return _invalid(
                    token_parameter,
                    [token],
                    f"The `{token_parameter}` query parameter value [{token}] is not valid",
                )
            selected = [t for t in selected if int(t.id) <= start]
        page, rest = selected[: int(raw_max)], selected[int(raw_max) :]
        if not page:
            return Response(200, {"meta": {"result_count": 0}})
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id, "oldest_id": page[-1].id}
        if rest:
            meta["next_token"] = self._encode_token(int(rest[0].id))
        body: dict[str, Any] = {"data": [self._render_tweet(t, tweet_fields) for t in page]}
        includes = self._includes(page, tweet_fields, user_fields, expansions)
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

    def _search(self, request: RecordedRequest) -> Response:
        query = request.query.get("query")
        if query is None or not query.strip():
            return _invalid(
                "query", [query] if query is not None else [], "The `query` query parameter can not be empty"
            )
        if len(query) > MAX_QUERY_LENGTH:
            return _invalid(
                "query",
                [query],
                f"There were errors processing your request: Query length exceeds {MAX_QUERY_LENGTH} characters "
                f"(at position {MAX_QUERY_LENGTH + 1})",
            )
        try:
            rule = parse_query(query)
        except QueryError as error:
            return _invalid("query", [query], f"There were errors processing your request: {error}")
        sort_order = request.query.get("sort_order")
        if sort_order is not None and sort_order not in ("recency", "relevancy"):
            return _invalid(
                "sort_order",
                [sort_order],
                f"The `sort_order` query parameter value [{sort_order}] is not one of [recency,relevancy]",
            )
        oldest = self._now() - SEARCH_WINDOW
        since_id = request.query.get("since_id")
        if since_id and since_id.isdigit() and _snowflake_time(int(since_id)) < oldest:
            # X names the next whole minute and an id a minute past it, so the suggestion stays valid.
            after = oldest.replace(second=0, microsecond=0) + timedelta(minutes=1)
            return _invalid(
                "since_id",
                [since_id],
                f"'since_id' must be a tweet id created after {after:%Y-%m-%dT%H:%MZ}. "
                f"Please use a 'since_id' that is larger than {_snowflake(after + timedelta(minutes=1))}",
            )
        hits = [
            t
            for t in reversed(self._tweets.values())
            if not t.deleted and t.created_at >= oldest and self._matches(rule, t)
        ]
        return self._page(request, hits, min_results=10, token_parameters=("next_token", "pagination_token"))

    def _matches(self, node: _Node, tweet: XTweet) -> bool:
        if isinstance(node, _Group):
            results = (self._matches(part, tweet) for part in node.parts)
            found = any(results) if node.any_of else all(results)
        else:
            found = self._clause_matches(node, tweet)
        return found != node.negated

    def _clause_matches(self, clause: _Clause, tweet: XTweet) -> bool:
        value = clause.value
        if clause.kind == "words":
            words, wanted = _words(tweet.text), tuple(value)
            return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))
        if clause.kind == "mention":
            return self._mentions_handle(tweet.text, str(value))
        if clause.kind == "hashtag":
            return (
                re.search(rf"(?<![\w#])#{re.escape(str(value))}(?!\w)", tweet.text, re.IGNORECASE) is not None
            )
        if clause.kind in ("from", "to"):
            user_id = tweet.author_id if clause.kind == "from" else tweet.in_reply_to_user_id
            user = self._users.get(user_id or "")
            return user is not None and value in (user.username.casefold(), user.id)
        if clause.kind == "lang":
            return tweet.lang.casefold() == value
        flags = {"retweet": tweet.retweet_of, "reply": tweet.in_reply_to_tweet_id, "quote": tweet.quote_of}
        return flags[str(value)] is not None

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
        includes = self._includes([tweet], fields[0], fields[1], fields[2])
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
