"""Reddit connector: inbox mentions and replies plus watched subreddits in, comments out, through praw.

What `fetch` reads, each newest first and with bounded `limit`s (at most ``ceil(limit / 100)``
requests per listing, so a poll stays far below Reddit's 100 requests a minute per client id):

- the unread inbox (``GET /message/unread/``): username mentions, comment replies and post replies.
  They stay unread until `acknowledge` marks them read, so a crash before the batch is stored
  delivers them again. Private messages are not posts to answer: they are skipped and left unread.
- the newest comments and submissions of the configured subreddits (one ``a+b`` multi listing
  each), kept when they contain one of the keywords (all of them when there are no keywords).

Reddit ids are base36 counters that only grow, so the cursor is the newest comment and submission
id seen in the subreddits; the first fetch only records them (no backfill of history). praw's
streams are not used: their dedupe lives in memory and they sleep between polls.

praw is built so that it never waits or re-sends on its own, because a re-sent comment is a reply
posted twice: ``ratelimit_seconds=0`` makes a RATELIMIT answer raise at once (it becomes
:class:`RateLimited`), and :class:`_Requestor` keeps prawcore from retrying timeouts and 5xx
answers (they become :class:`Unavailable`; Parley's own back-off retries, after `find_reply`).
prawcore would also sleep until the rate-limit window resets once ``x-ratelimit-remaining`` hits 0;
the connector raises :class:`RateLimited` instead of calling Reddit while the window is spent.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import praw
import prawcore
import requests
from praw.exceptions import PRAWException, RedditAPIException

from bot.domain import Author, Network, Post, Reply, now
from connectors.base import (
    Batch,
    ConnectorError,
    Forbidden,
    Gone,
    RateLimited,
    Refused,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger(__name__)

REDDIT_URL = "https://www.reddit.com"
OAUTH_URL = "https://oauth.reddit.com"
SHORT_URL = "https://redd.it"
PAGE_SIZE = 100  # Reddit's largest listing page
MAX_COMMENT_LENGTH = 10_000
INBOX_TYPES = frozenset({"username_mention", "comment_reply", "post_reply"})
CURSOR_VERSION = 1

_WAIT = re.compile(r"(\d+)\s*(millisecond|second|minute|hour)s?", re.IGNORECASE)
_UNIT_SECONDS = {"millisecond": 0.001, "second": 1, "minute": 60, "hour": 3600}


class _NetworkError(Exception):
    """Reddit could not be reached or did not answer in time (raised instead of letting prawcore retry)."""


@dataclass
class _Budget:
    """The client's rate-limit window as Reddit last reported it in ``x-ratelimit-*`` headers."""

    clock: Callable[[], datetime]
    remaining: float | None = None
    reset_at: datetime | None = None

    def update(self, headers: Mapping[str, str]) -> None:
        remaining, reset = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            self.remaining = float(remaining)
            # prawcore waits at least one second once the window is spent; so do we.
            seconds = max(float(reset), 1.0 if self.remaining <= 0 else 0.0)
        except ValueError:
            return
        self.reset_at = self.clock() + timedelta(seconds=seconds)

    def spent_until(self) -> datetime | None:
        """When the window resets, if it is spent now; else None."""
        if self.remaining is None or self.remaining > 0 or self.reset_at is None:
            return None
        return self.reset_at if self.reset_at > self.clock() else None


class _Requestor(prawcore.Requestor):
    """prawcore's Requestor without prawcore's retries, remembering the rate-limit headers.

    prawcore's `Session` retries connection errors, timeouts and 5xx answers (sleeping up to 4 s):
    for ``POST /api/comment/`` that could post a reply twice. Here those end the call at once, as
    `_NetworkError` or prawcore's own `ServerError`, which prawcore does not retry.
    """

    def __init__(self, *, budget: _Budget, session: requests.Session, timeout: float, **kwargs: Any) -> None:
        super().__init__(session=session, timeout=timeout, **kwargs)
        self._session = session
        self._budget = budget
        self._timeout = timeout

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self._timeout  # praw passes its integer setting; ours may be a fraction
        try:
            response = self._session.request(*args, **kwargs)
        except requests.RequestException as error:
            raise _NetworkError(str(error)) from error
        self._budget.update(response.headers)
        if response.status_code in prawcore.Session.RETRY_STATUSES:
            raise prawcore.ServerError(response)
        return response


@dataclass(frozen=True)
class RedditBatch(Batch):
    """A batch that remembers which of its posts are unread inbox items, for `acknowledge`."""

    unread: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Cursor:
    """Newest subreddit comment and submission ids seen; "" once looked at an empty listing."""

    comments: str | None = None
    submissions: str | None = None

    @classmethod
    def parse(cls, cursor: str | None) -> _Cursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
        except ValueError:
            log.warning("Reddit: ignoring a cursor that is not JSON: %r", cursor)
            return cls()
        if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
            log.warning("Reddit: ignoring a cursor of an unknown version: %r", cursor)
            return cls()
        comments, submissions = data.get("t1"), data.get("t3")
        return cls(
            comments if isinstance(comments, str) else None,
            submissions if isinstance(submissions, str) else None,
        )

    def dump(self) -> str:
        return json.dumps({"v": CURSOR_VERSION, "t1": self.comments, "t3": self.submissions})


def _id_number(fullname: str) -> int:
    """The base36 counter of a fullname (``t1_l000001`` or ``l000001``); 0 for "" or junk."""
    try:
        return int(fullname.rpartition("_")[2] or "0", 36)
    except ValueError:
        return 0


def _clean(text: str) -> str:
    """Text as we compare it: unescaped, whitespace collapsed."""
    return " ".join(html.unescape(text).split())


def _data(thing: Any) -> dict[str, Any]:
    """The attributes praw set from Reddit's JSON; reading them never triggers a lazy fetch."""
    return dict(vars(thing))


def _name(value: Any) -> str:
    """A Redditor/Subreddit object (or plain string) as its name; "" for None (deleted)."""
    return "" if value is None else str(value)


def _wait(message: str) -> tuple[float, str] | None:
    """The wait a RATELIMIT message asks for: (seconds, "9 minutes"); None if it names none."""
    match = _WAIT.search(message)
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2).lower()
    return amount * _UNIT_SECONDS[unit], f"{amount} {unit}" + ("" if amount == 1 else "s")


class RedditConnector:
    """Reads the brand account's Reddit inbox and watched subreddits, and replies as the account.

    Args:
        client_id, client_secret: the Reddit app ("script" type for username/password login).
        username, password: the brand account, for a script app. With a `refresh_token` instead,
            `username` may be left empty and is looked up with ``GET /api/v1/me``.
        refresh_token: an OAuth refresh token of the brand account (used when there is no password).
        user_agent: Reddit asks for a unique, descriptive one, e.g. ``"parley/0.1 (by u/brand)"``.
        subreddits: subreddit names to watch (``"r/"`` prefixes are ignored); empty: inbox only.
        keywords: when given, a subreddit comment or submission is kept only if it contains one of
            them (case-insensitive); inbox items are always kept.
        reddit_url, oauth_url, short_url: where Reddit lives; an emulator's URL in tests.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
        inbox_limit, listing_limit: most items read per fetch from the inbox and from each
            subreddit listing (100 per request).
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        username: str = "",
        password: str = "",
        refresh_token: str = "",
        user_agent: str = "parley/0.1",
        subreddits: tuple[str, ...] = (),
        keywords: tuple[str, ...] = (),
        reddit_url: str = REDDIT_URL,
        oauth_url: str = OAUTH_URL,
        short_url: str = SHORT_URL,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
        inbox_limit: int = PAGE_SIZE,
        listing_limit: int = 3 * PAGE_SIZE,
    ) -> None:
        if not password and not refresh_token:
            raise ValueError("Reddit needs a password (script app) or a refresh token")
        if password and not username:
            raise ValueError("Reddit password login needs the username")
        if inbox_limit < 1 or listing_limit < 1:
            raise ValueError("inbox_limit and listing_limit must be positive")
        self._username = username.removeprefix("u/")
        self._subreddits = tuple(
            dict.fromkeys(s.strip().removeprefix("/").removeprefix("r/") for s in subreddits if s.strip())
        )
        self._keywords = tuple(k.casefold() for k in keywords if k.strip())
        self._clock = clock
        self._inbox_limit = inbox_limit
        self._listing_limit = listing_limit
        self._budget = _Budget(clock)
        self._session = requests.Session()
        credentials: dict[str, str] = (
            {"username": self._username, "password": password}
            if password
            else {"refresh_token": refresh_token}
        )
        self._reddit = praw.Reddit(
            requestor_class=_Requestor,
            requestor_kwargs={"budget": self._budget, "session": self._session, "timeout": timeout},
            client_id=client_id,
            client_secret=client_secret,
            user_agent=user_agent,
            reddit_url=reddit_url.rstrip("/"),
            oauth_url=oauth_url.rstrip("/"),
            short_url=short_url.rstrip("/"),
            check_for_updates=False,
            check_for_async=False,
            ratelimit_seconds=0,
            timeout=max(1, math.ceil(timeout)),
            **credentials,
        )

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.REDDIT

    @property
    def account(self) -> str:
        """The brand's Reddit username (without ``u/``)."""
        if not self._username:
            with self._translate("looking up the brand account"):
                me = self._reddit.user.me()
            self._username = _name(me)
        return self._username

    def fetch(self, cursor: str | None) -> RedditBatch:
        """Unread inbox items, then subreddit items newer than `cursor`; oldest first."""
        found: dict[str, Post] = {}
        unread: list[str] = []
        for item in self._unread():
            post = self._to_post(item)
            found[post.id] = post
            unread.append(post.id)
        state = _Cursor.parse(cursor)
        if self._subreddits:
            multi = self._reddit.subreddit("+".join(self._subreddits))
            comments, newest_comment = self._newer(
                multi.comments, state.comments, "reading subreddit comments"
            )
            submissions, newest_submission = self._newer(
                multi.new, state.submissions, "reading subreddit posts"
            )
            for item in (*comments, *submissions):
                post = self._to_post(item)
                if post.id not in found and self._wanted(post):
                    found[post.id] = post
            state = _Cursor(newest_comment, newest_submission)
        # Reddit's created_utc has whole seconds: in a tie a post comes before comments, then by id.
        posts = sorted(
            found.values(), key=lambda p: (p.created_at, not p.id.startswith("t3_"), _id_number(p.id))
        )
        return RedditBatch(posts=posts, cursor=state.dump(), unread=tuple(unread))

    def acknowledge(self, batch: Batch) -> None:
        """Mark the batch's inbox items read (only once they are safely stored)."""
        if isinstance(batch, RedditBatch):
            names = list(batch.unread)
        else:  # a plain Batch: marking a comment that is not in the inbox read is harmless
            names = [p.id for p in batch.posts if p.id.startswith("t1_")]
        if names:
            with self._translate("marking inbox items read"):
                self._reddit.inbox.mark_read([self._reddit.comment(n.removeprefix("t1_")) for n in names])

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        target = self._target(post)
        with self._translate("posting the reply"):
            comment = target.reply(text)
        if comment is None:
            # Reddit created the comment but did not return it (e.g. quarantined subreddits).
            found = self.find_reply(post, text)
            if found is not None:
                return found
            raise Unavailable(
                "Reddit accepted the reply but did not return it, and it is not in the account's comments yet."
            )
        data = _data(comment)
        return Reply(
            id=str(data.get("name") or f"t1_{data['id']}"),
            url=REDDIT_URL + str(data.get("permalink", "")),
            posted_at=self._clock(),
        )

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our comment under `post` with the same text (ignoring whitespace and escaping), if any."""
        wanted = _clean(text)
        since = post.created_at.timestamp()
        ours = self._reddit.redditor(self.account).comments.new(limit=PAGE_SIZE)
        for comment in self._each(ours, "checking for an earlier reply"):
            data = _data(comment)
            created = float(data.get("created_utc") or 0)
            if created < since:
                break  # newest first: everything further down is older than the post
            if data.get("parent_id") == post.id and _clean(str(data.get("body", ""))) == wanted:
                return Reply(
                    id=str(data.get("name") or f"t1_{data['id']}"),
                    url=REDDIT_URL + str(data.get("permalink", "")),
                    posted_at=datetime.fromtimestamp(created, UTC),
                )
        return None

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> RedditConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def _unread(self) -> list[Any]:
        """Unread mentions and replies from others, newest first (private messages are skipped)."""
        items = []
        for item in self._each(self._reddit.inbox.unread(limit=self._inbox_limit), "reading the inbox"):
            data = _data(item)
            if not data.get("was_comment") or data.get("type") not in INBOX_TYPES:
                continue
            if self._is_us(_name(data.get("author"))):
                continue
            items.append(item)
        return items

    def _newer(
        self, listing: Callable[..., Iterator[Any]], seen: str | None, doing: str
    ) -> tuple[list[Any], str]:
        """Items of `listing` newer than the id `seen`, and the newest id now.

        With no `seen` (first run) only the newest item is read, to remember where we are.
        """
        if seen is None:
            newest = next(iter(self._each(listing(limit=1), doing)), None)
            return [], _name(_data(newest).get("name")) if newest is not None else ""
        floor = _id_number(seen)
        items: list[Any] = []
        newest_name = seen
        reached = False
        for item in self._each(listing(limit=self._listing_limit), doing):
            name = _name(_data(item).get("name"))
            if _id_number(name) <= floor:
                reached = True
                break
            if not items:
                newest_name = name
            items.append(item)
        if not reached and len(items) >= self._listing_limit:
            log.warning(
                "Reddit %s: more than %d new items; older ones were skipped", doing, self._listing_limit
            )
        return items, newest_name

    def _each(self, items: Iterable[Any], doing: str) -> Iterator[Any]:
        """Iterate a praw listing, translating errors of each page request it makes."""
        iterator = iter(items)
        while True:
            with self._translate(doing):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item

    def _wanted(self, post: Post) -> bool:
        if self._is_us(post.author.handle):
            return False
        if not self._keywords:
            return True
        haystack = (
            f"{post.title or ''}\n{post.text}".casefold()
            if post.id.startswith("t3_")
            else post.text.casefold()
        )
        return any(keyword in haystack for keyword in self._keywords)

    def _is_us(self, name: str) -> bool:
        return bool(name) and name.lower() == self.account.lower()

    def _to_post(self, thing: Any) -> Post:
        data = _data(thing)
        fullname = str(data.get("name") or thing.fullname)
        handle = _name(data.get("author")) or "[deleted]"
        is_submission = fullname.startswith("t3_")
        permalink = str(data.get("permalink") or str(data.get("context", "")).partition("?")[0])
        conversation: str | None
        if is_submission:
            text = str(data.get("selftext") or data.get("title") or "")
            title = str(data.get("title") or "") or None
            conversation = fullname
        else:
            text = str(data.get("body") or "")
            title = str(data.get("link_title") or "") or None
            conversation = str(data.get("link_id") or "") or self._link_from(permalink)
        created = data.get("created_utc")
        return Post(
            network=Network.REDDIT,
            id=fullname,
            account=self.account,
            author=Author(id=str(data.get("author_fullname") or handle), handle=handle, name=handle),
            text=text,
            url=REDDIT_URL + permalink,
            created_at=datetime.fromtimestamp(float(created), UTC) if created is not None else self._clock(),
            conversation_id=conversation,
            title=title,
            place=_name(data.get("subreddit")) or None,
        )

    @staticmethod
    def _link_from(permalink: str) -> str | None:
        """``t3_abc`` from ``/r/sub/comments/abc/slug/cid/``."""
        parts = permalink.strip("/").split("/")
        return f"t3_{parts[3]}" if len(parts) > 3 and parts[2] == "comments" else None

    def _target(self, post: Post) -> Any:
        kind, _, thing_id = post.id.partition("_")
        if kind == "t1" and thing_id:
            return self._reddit.comment(thing_id)
        if kind == "t3" and thing_id:
            return self._reddit.submission(thing_id)
        raise Refused(f"{post.id} is not a Reddit comment or post, so Parley cannot reply to it.")

    # --- errors ---

    @contextmanager
    def _translate(self, doing: str) -> Iterator[None]:
        """Turn praw, prawcore and transport errors into `connectors.base` errors with plain messages."""
        spent_until = self._budget.spent_until()
        if spent_until is not None:
            # prawcore would sleep until the window resets; tell the caller when to come back instead.
            raise RateLimited(
                f"Parley used up its Reddit API allowance (100 requests a minute) before {doing}.",
                retry_at=spent_until,
            )
        try:
            yield
        except RedditAPIException as e:
            raise self._api_error(e, doing) from e
        except prawcore.TooManyRequests as e:
            retry_at = self._budget.spent_until() or self._retry_after(e.response.headers.get("retry-after"))
            raise RateLimited(
                f"Reddit's API rate limit (100 requests a minute) was reached while {doing}.",
                retry_at=retry_at,
            ) from e
        except (prawcore.ServerError, _NetworkError, prawcore.RequestException) as e:
            raise self._unavailable(e, doing) from e
        except prawcore.OAuthException as e:
            raise Unauthorized(
                "Reddit rejected the brand account's login (username and password, or refresh token). "
                "An admin needs to check the Reddit settings."
            ) from e
        except prawcore.InsufficientScope as e:
            raise Unauthorized(
                f"Parley's Reddit authorization does not allow {doing}. "
                "An admin needs to authorize the app again with all the permissions it asks for."
            ) from e
        except prawcore.InvalidToken as e:
            raise Unauthorized(
                "Reddit no longer accepts Parley's access. An admin needs to check the Reddit settings."
            ) from e
        except prawcore.NotFound as e:
            raise Gone("The post could not be found on Reddit; it was probably deleted or removed.") from e
        except prawcore.Forbidden as e:
            raise Forbidden(
                f"Reddit did not allow {doing}. The account may be banned from the subreddit, "
                "or the post is private or was removed."
            ) from e
        except prawcore.ResponseException as e:
            status = e.response.status_code
            if status == 401:
                raise Unauthorized(
                    "Reddit did not accept Parley's app credentials (client id and secret). "
                    "An admin needs to check the Reddit settings."
                ) from e
            if status >= 500:
                raise Unavailable(f"Reddit answered with error {status} while {doing}.") from e
            raise Refused(f"Reddit refused this while {doing} (error {status}).") from e
        except (prawcore.PrawcoreException, PRAWException) as e:
            raise Refused(f"Reddit could not complete {doing}: {e}") from e

    def _api_error(self, error: RedditAPIException, doing: str) -> ConnectorError:
        codes = {item.error_type: item for item in error.items}
        if "RATELIMIT" in codes:
            wait = _wait(codes["RATELIMIT"].message or "")
            if wait is None:
                return RateLimited("Reddit asks this account to wait before commenting again.")
            seconds, amount = wait
            return RateLimited(
                f"Reddit asks this account to wait {amount} before commenting again.",
                retry_at=self._clock() + timedelta(seconds=max(seconds, 1)),
            )
        if "THREAD_LOCKED" in codes:
            return Forbidden("The Reddit thread is locked by its moderators, so the reply cannot be posted.")
        if "TOO_OLD" in codes:
            return Forbidden(
                "The Reddit thread is archived (too old for new comments), so the reply cannot be posted."
            )
        if "DELETED_COMMENT" in codes or "DELETED_LINK" in codes:
            return Gone("The Reddit comment was deleted, so it can no longer be answered.")
        if "USER_BLOCKED" in codes or "SOMETHING_IS_BROKEN" in codes:
            return Forbidden(
                "Reddit did not allow the reply: the author has blocked the brand account (or the reverse)."
            )
        if "TOO_LONG" in codes:
            return Refused(
                f"The reply is longer than Reddit's {MAX_COMMENT_LENGTH:,} characters; shorten it."
            )
        if "NO_TEXT" in codes:
            return Refused("Reddit refused an empty reply.")
        detail = "; ".join(item.message or item.error_type for item in error.items)
        return Refused(f"Reddit refused this while {doing}: {detail}")

    def _unavailable(self, error: Exception, doing: str) -> Unavailable:
        if isinstance(error, prawcore.ServerError):
            return Unavailable(
                f"Reddit had a problem on its side while {doing} (error {error.response.status_code})."
            )
        if isinstance(error.__cause__, requests.Timeout):
            return Unavailable(f"Reddit did not answer in time while {doing}.")
        return Unavailable(f"Could not reach Reddit while {doing}.")

    def _retry_after(self, value: str | None) -> datetime | None:
        try:
            seconds = float(value) if value is not None else None
        except ValueError:
            return None
        if seconds is None or not 0 < seconds <= 86400:
            return None
        return self._clock() + timedelta(seconds=seconds)
