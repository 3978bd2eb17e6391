"""X (Twitter) connector: mentions (or a keyword search) in, replies out, through tweepy's API v2 `Client`.

With ``search``, the connector listens to X's recent search instead of the brand's mentions.
Since Feb 2026 X lets the API reply only to posts whose author @mentioned the brand (or quoted
it), so a search hit that does neither comes back ``listen_only``: forwarded for information,
and :meth:`XConnector.reply` refuses it without calling X. A search account configured with
only the app's bearer token cannot post at all and cannot look itself up (``/2/users/me`` needs
user context): every hit is then listen-only and the brand is known only from ``user_id`` /
``username`` if given.

tweepy hard-codes ``https://api.twitter.com``; :class:`_RebasedSession` rewrites that prefix
so the same code talks to a local emulator. OAuth 1.0a signing happens inside
``Session.request`` after our rewrite, so the signature covers the URL actually sent.

``wait_on_rate_limit`` stays False: with it, a 429 without a usable ``x-rate-limit-reset``
makes tweepy retry immediately and recursively. A 429 becomes :class:`RateLimited` and the
caller reschedules.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
import tweepy

from bot.domain import Author, Network, Post, Reply, now
from connectors.base import (
    Batch,
    ConnectorError,
    Duplicate,
    Forbidden,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger(__name__)

X_API = "https://api.twitter.com"
MAX_PAGE_SIZE = 100
REACHABLE_MENTIONS = 800  # X serves only the latest 800 mentions
MIN_SEARCH_PAGE_SIZE = 10  # recent search's max_results floor

TWEET_FIELDS = ["created_at", "conversation_id", "author_id", "referenced_tweets", "lang"]
USER_FIELDS = ["name", "username", "public_metrics"]
SEARCH_EXPANSIONS = [
    "author_id",
    "referenced_tweets.id",
]  # quoted tweets, to see whether the brand wrote them

LISTEN_ONLY_MESSAGE = (
    "X only lets the API reply to posts that @mention the brand account; this post was found by a "
    "keyword search, so answer it from the X app if needed."
)
_STALE_SINCE_ID = re.compile(r"'since_id' must be .*larger than (\d+)")


_IDS = re.compile(r"/\d+")


class _OutOfBudget(Exception):
    """X's last answer for this endpoint said no calls remain before `reset` (epoch seconds)."""

    def __init__(self, reset: int) -> None:
        super().__init__(reset)
        self.reset = reset


class _RebasedSession(requests.Session):
    """A `requests.Session` that sends tweepy's hard-coded X URLs to `base_url`, with a timeout, and
    keeps each endpoint's budget from X's `x-rate-limit-*` headers: an endpoint whose window is spent
    is not called again before its reset (X would only answer 429)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.budgets: dict[str, tuple[int, int]] = {}  # "POST /2/tweets" -> (remaining, reset epoch)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if isinstance(url, str) and url.startswith(X_API):
            url = self.base_url + url[len(X_API) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        endpoint = f"{method!s} {_IDS.sub('/:id', urlsplit(str(url)).path)}"
        remaining, reset = self.budgets.get(endpoint, (1, 0))
        if remaining <= 0 and reset > time.time():
            raise _OutOfBudget(reset)
        response = super().request(method, url, *args, **kwargs)
        left, until = (
            response.headers.get("x-rate-limit-remaining"),
            response.headers.get("x-rate-limit-reset"),
        )
        if left is not None and left.strip().isdigit() and until is not None and until.strip().isdigit():
            self.budgets[endpoint] = (int(left), int(until))
        if until is not None and not until.strip().isdigit():
            # tweepy does int() on it unguarded; an unusable reset is the same as none.
            del response.headers["x-rate-limit-reset"]
        return response


def _detail(error: tweepy.HTTPException) -> str:
    messages = [str(m) for m in error.api_messages if m]
    return " ".join(messages)


def _clean(text: str) -> str:
    """Text as we compare it: X returns `&amp;`-escaped text, wraps links and may prefix @handles."""
    text = html.unescape(text)
    text = re.sub(r"https?://\S+", "<link>", text)
    text = re.sub(r"^(?:@\w+\s+)+", "", text.strip())
    return " ".join(text.split())


def _stale_since_id_floor(error: tweepy.BadRequest) -> str | None:
    """The id X suggests instead of a `since_id` older than recent search's 7 days, if that was the error."""
    for message in error.api_messages:
        match = _STALE_SINCE_ID.search(str(message))
        if match:
            return match.group(1)
    return None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class XConnector:
    """Reads the brand account's mentions, or a keyword search, and replies as the brand account.

    Args:
        bearer_token: app-only token, used for reads.
        consumer_key, consumer_secret, access_token, access_token_secret: OAuth 1.0a user
            context of the brand account, used to post (and to look the account up).
        base_url: where the X API lives; an emulator's URL in tests.
        user_id: the brand account's numeric id; looked up with ``GET /2/users/me`` when None.
        username: the brand account's handle (for reply URLs); looked up when None.
        page_size: posts per request (5-100; 10-100 with `search`).
        search: an X recent-search query (e.g. ``parley OR "parley bot" -is:retweet``) to read
            instead of the mentions. Hits are `listen_only` unless they @mention or quote the
            brand; the brand's own posts are left out. Without user credentials every hit is
            listen-only.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        bearer_token: str,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_token_secret: str,
        base_url: str = X_API,
        user_id: str | None = None,
        username: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        search: str | None = None,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not 5 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError("page_size must be between 5 and 100")
        if search is not None:
            search = search.strip()
            if not search:
                raise ValueError("search must be a non-empty X search query")
            if page_size < MIN_SEARCH_PAGE_SIZE:
                raise ValueError("page_size must be between 10 and 100 with a search")
        # Reads use the app's bearer token when there is one, else the account's user context.
        self._read_as_user = not bearer_token
        self._can_post = all((consumer_key, consumer_secret, access_token, access_token_secret))
        self._client = tweepy.Client(
            bearer_token=bearer_token or None,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            access_token=access_token,
            access_token_secret=access_token_secret,
            return_type=dict,
            wait_on_rate_limit=False,
        )
        self._client.session.close()
        self._client.session = _RebasedSession(base_url, timeout)
        self._user_id = user_id
        self._username = username
        self._page_size = page_size
        self._search = search
        self._max_pages = -(-REACHABLE_MENTIONS // page_size)
        self._clock = clock

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.X

    @property
    def account(self) -> str:
        """The brand's handle: what the card shows as "Answering as @…".

        Empty for a search account without user credentials and no configured `username`.
        """
        if self._anonymous:
            return self._username or ""
        return self.username

    @property
    def _anonymous(self) -> bool:
        """A search with only the app token: the brand can't be looked up, and nothing can be posted."""
        return self._search is not None and not self._can_post

    @property
    def search(self) -> str | None:
        """The keyword search this connector listens to; None when it reads the mentions."""
        return self._search

    @property
    def user_id(self) -> str:
        if self._user_id is None:
            self._look_up_me()
        assert self._user_id is not None
        return self._user_id

    @property
    def username(self) -> str:
        if self._username is None:
            self._look_up_me()
        assert self._username is not None
        return self._username

    def fetch(self, cursor: str | None) -> Batch:
        """Mentions (or search hits) newer than `cursor`, oldest first.

        With no cursor only the newest page is read (no backfill of history); with one, pages
        are followed until X has nothing older than the cursor, at most 800 posts (all that X
        keeps of the mentions). A search cursor older than recent search's 7 days is replaced
        by the oldest id X still accepts.
        """
        me = self._user_id if self._anonymous else self.user_id
        tweets: dict[str, dict[str, Any]] = {}
        users: dict[str, dict[str, Any]] = {}
        referenced: dict[str, dict[str, Any]] = {}
        newest: str | None = None
        token: str | None = None
        since = cursor
        for page in range(self._max_pages if cursor else 1):
            body, since = self._read_page(since, token)
            meta = body.get("meta", {})
            if page == 0:
                newest = meta.get("newest_id")
            includes = body.get("includes", {})
            for user in includes.get("users", []):
                users[str(user["id"])] = user
            for tweet in includes.get("tweets", []):
                referenced[str(tweet["id"])] = tweet
            for tweet in body.get("data") or []:
                tweets.setdefault(str(tweet["id"]), tweet)
            token = meta.get("next_token")
            if not token:
                break
        else:
            if cursor and token:
                log.warning(
                    "X %s: stopped after %d pages; older posts were skipped",
                    "search" if self._search else "mentions",
                    self._max_pages,
                )
        if cursor and self._search is None and len(tweets) >= REACHABLE_MENTIONS:
            # X serves only the newest 800 mentions and says nothing about the rest: a gap is likely.
            log.warning(
                "X mentions: %d new since the last poll, the most X serves; older ones may be missing. "
                "Poll more often (PARLEY_POLL_INTERVAL) during bursts.",
                len(tweets),
            )
        if self._search is None:
            posts = [self._to_post(t, users) for t in tweets.values()]
        else:
            posts = [
                self._to_post(
                    t, users, listen_only=self._anonymous or not self._addressed_to_brand(t, referenced)
                )
                for t in tweets.values()
                if me is None or str(t.get("author_id", "")) != me
            ]
        posts.sort(key=lambda p: int(p.id))
        if newest is None and posts:
            newest = posts[-1].id
        return Batch(posts=posts, cursor=newest or since)

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to do: X keeps no read state; the cursor (since_id) is all we need."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        if post.listen_only:
            raise Forbidden(LISTEN_ONLY_MESSAGE)
        with self._translate("posting the reply"):
            body = self._client.create_tweet(text=text, in_reply_to_tweet_id=post.id, user_auth=True)
        return self._to_reply(str(body["data"]["id"]), None)

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply to `post` with the same text (ignoring whitespace, escaping and link wrapping)."""
        wanted = _clean(text)
        token: str | None = None
        for _ in range(3):
            with self._translate("checking for an earlier reply"):
                body = self._client.get_users_tweets(
                    self.user_id,
                    since_id=post.id,
                    pagination_token=token,
                    max_results=MAX_PAGE_SIZE,
                    tweet_fields=["referenced_tweets", "created_at"],
                    user_auth=self._read_as_user,
                )
            for tweet in body.get("data") or []:
                replied_to = {
                    str(ref.get("id"))
                    for ref in tweet.get("referenced_tweets") or []
                    if ref.get("type") == "replied_to"
                }
                if post.id in replied_to and _clean(str(tweet.get("text", ""))) == wanted:
                    return self._to_reply(str(tweet["id"]), _parse_time(tweet.get("created_at")))
            token = body.get("meta", {}).get("next_token")
            if not token:
                break
        return None

    def close(self) -> None:
        self._client.session.close()

    def __enter__(self) -> XConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- helpers ---

    def _read_page(self, since_id: str | None, token: str | None) -> tuple[dict[str, Any], str | None]:
        """One page of mentions or search hits, and the `since_id` it was read with."""
        if self._search is None:
            with self._translate("reading mentions"):
                mentions: dict[str, Any] = self._client.get_users_mentions(
                    self.user_id,
                    since_id=since_id,
                    pagination_token=token,
                    max_results=self._page_size,
                    expansions=["author_id"],
                    tweet_fields=TWEET_FIELDS,
                    user_fields=USER_FIELDS,
                    user_auth=self._read_as_user,
                )
            return mentions, since_id
        with self._translate("searching X"):
            try:
                return self._search_page(since_id, token), since_id
            except tweepy.BadRequest as error:
                floor = _stale_since_id_floor(error) if since_id and token is None else None
                if floor is None:
                    raise
            log.warning("X search: cursor %s is older than 7 days; reading from %s", since_id, floor)
            return self._search_page(floor, None), floor

    def _search_page(self, since_id: str | None, token: str | None) -> dict[str, Any]:
        assert self._search is not None
        body: dict[str, Any] = self._client.search_recent_tweets(
            self._search,
            since_id=since_id,
            next_token=token,
            max_results=self._page_size,
            expansions=SEARCH_EXPANSIONS,
            tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
            user_auth=self._read_as_user,
        )
        return body

    def _addressed_to_brand(self, tweet: dict[str, Any], referenced: dict[str, dict[str, Any]]) -> bool:
        """Whether X would let us reply: the author @mentioned the brand or quoted one of its posts.

        A retweet never counts: its text (and any mention in it) belongs to someone else.
        """
        refs = tweet.get("referenced_tweets") or []
        if any(ref.get("type") == "retweeted" for ref in refs):
            return False
        mention = rf"(?<![\w@])@{re.escape(self.username)}(?!\w)"
        if re.search(mention, str(tweet.get("text", "")), re.IGNORECASE):
            return True
        return any(
            ref.get("type") == "quoted"
            and str(referenced.get(str(ref.get("id")), {}).get("author_id", "")) == self.user_id
            for ref in refs
        )

    def _look_up_me(self) -> None:
        with self._translate("looking up the brand account"):
            body = self._client.get_me(user_auth=True)
        data = body["data"]
        if self._user_id is None:
            self._user_id = str(data["id"])
        if self._username is None:
            self._username = str(data["username"])

    def _to_post(
        self, tweet: dict[str, Any], users: dict[str, dict[str, Any]], *, listen_only: bool = False
    ) -> Post:
        tweet_id = str(tweet["id"])
        author_id = str(tweet.get("author_id", ""))
        user = users.get(author_id, {})
        handle = str(user.get("username", ""))
        followers = user.get("public_metrics", {}).get("followers_count")
        url = f"https://x.com/{handle}/status/{tweet_id}" if handle else f"https://x.com/i/status/{tweet_id}"
        conversation = tweet.get("conversation_id")
        return Post(
            network=Network.X,
            id=tweet_id,
            account=self.account,
            author=Author(
                id=author_id,
                handle=handle,
                name=str(user.get("name", handle)),
                followers=int(followers) if followers is not None else None,
            ),
            text=html.unescape(str(tweet.get("text", ""))),
            url=url,
            created_at=_parse_time(tweet.get("created_at")) or self._clock(),
            lang=tweet.get("lang"),
            conversation_id=str(conversation) if conversation is not None else None,
            listen_only=listen_only,
        )

    def _to_reply(self, tweet_id: str, posted_at: datetime | None) -> Reply:
        try:
            url = f"https://x.com/{self.username}/status/{tweet_id}"
        except ConnectorError:
            url = f"https://x.com/i/status/{tweet_id}"
        return Reply(id=tweet_id, url=url, posted_at=posted_at or self._clock())

    def _retry_at(self, reset_time: Any) -> datetime | None:
        if not isinstance(reset_time, int):
            return None
        at = datetime.fromtimestamp(reset_time, UTC)
        current = self._clock()
        if at <= current or at > current + timedelta(days=1):
            return None
        return at

    @contextmanager
    def _translate(self, doing: str) -> Iterator[None]:
        """Turn tweepy and requests exceptions into `connectors.base` errors with readable messages."""
        try:
            yield
        except _OutOfBudget as e:
            spent_until = datetime.fromtimestamp(e.reset, UTC)
            raise RateLimited(
                f"X's rate limit for this account is used up until {spent_until:%H:%M} UTC; Parley "
                "waits for it instead of asking X again.",
                retry_at=spent_until,
            ) from e
        except tweepy.TooManyRequests as e:
            retry_at = self._retry_at(getattr(e, "reset_time", None))
            when = f"after {retry_at:%H:%M} UTC" if retry_at else "in a few minutes"
            raise RateLimited(
                f"X's rate limit was reached while {doing}. Parley will try again {when}.",
                retry_at=retry_at,
            ) from e
        except tweepy.TwitterServerError as e:
            raise Unavailable(
                f"X had a problem on its side while {doing} (error {e.response.status_code}). "
                "Parley will try again shortly."
            ) from e
        except tweepy.Unauthorized as e:
            raise Unauthorized(
                "X did not accept Parley's credentials. An admin needs to check the X API keys and tokens."
            ) from e
        except tweepy.Forbidden as e:
            raise self._forbidden(e, doing) from e
        except tweepy.NotFound as e:
            raise Gone("The post could not be found on X; it was probably deleted.") from e
        except tweepy.BadRequest as e:
            detail = _detail(e) or "the request was invalid"
            raise Refused(f"X refused this while {doing}: {detail}") from e
        except tweepy.HTTPException as e:
            status = e.response.status_code
            if status >= 500:
                raise Unavailable(
                    f"X answered with error {status} while {doing}. Parley will try again."
                ) from e
            raise Refused(f"X refused this while {doing} (error {status}). {_detail(e)}".strip()) from e
        except requests.RequestException as e:
            raise Unavailable(f"Could not reach X while {doing}. Parley will try again shortly.") from e

    @staticmethod
    def _forbidden(error: tweepy.Forbidden, doing: str) -> ConnectorError:
        detail = _detail(error)
        lowered = detail.lower()
        if "duplicate" in lowered:
            return Duplicate(
                "X refused this reply because the brand account already posted exactly the same text. "
                "Change the wording and approve it again."
            )
        if "deleted or not visible" in lowered:
            return Gone("The post was deleted on X (or is no longer visible), so it can't be answered.")
        if "not been mentioned" in lowered or ("not allowed" in lowered and "reply" in lowered):
            return Forbidden(
                "X only lets the API reply to posts that @mention the brand account (or quote it), "
                "and this post doesn't. Reply from the X app instead."
            )
        if "unsupported authentication" in lowered or "authenticating with" in lowered:
            return Unauthorized(
                f"X needs the brand account's user credentials for {doing}. "
                "An admin needs to check the X access token and secret."
            )
        return Forbidden(f"X did not allow {doing}: {detail or 'no reason given'}")
