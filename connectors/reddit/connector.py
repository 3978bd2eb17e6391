"""The Reddit connector: praw on a requestor that never retries, reading the inbox and watched subreddits."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import praw
import prawcore
import requests

from bot.domain import Network, Post, Reply, now
from connectors.base import Batch, Refused, Unauthorized, Unavailable
from connectors.reddit.errors import translated
from connectors.reddit.mapping import (
    REDDIT_URL,
    Cursor,
    RedditBatch,
    clean,
    data_of,
    id_number,
    name_of,
    to_post,
    to_reply,
)
from connectors.reddit.messages import PrivateMessages, keep_messages_out_of_logs, message
from connectors.reddit.requestor import Budget, Requestor

log = logging.getLogger(__name__)

OAUTH_URL = "https://oauth.reddit.com"
SHORT_URL = "https://redd.it"
PAGE_SIZE = 100  # Reddit's largest listing page
INBOX_TYPES = frozenset({"username_mention", "comment_reply", "post_reply"})


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
        private_messages: deliver private messages to the brand as private posts (answered in
            their thread) and let public posts be answered by private message; False leaves them
            unread in the inbox, as before.
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
        private_messages: bool = True,
    ) -> None:
        if not password and not refresh_token:
            raise ValueError("Reddit needs a password (script app) or a refresh token")
        if password and not username:
            raise ValueError("Reddit password login needs the username")
        if inbox_limit < 1 or listing_limit < 1:
            raise ValueError("inbox_limit and listing_limit must be positive")
        self._username = username.removeprefix("u/")
        self._signs_in_with = "password" if password else "refresh token"
        self._subreddits = tuple(
            dict.fromkeys(s.strip().removeprefix("/").removeprefix("r/") for s in subreddits if s.strip())
        )
        self._keywords = tuple(k.casefold() for k in keywords if k.strip())
        self._clock = clock
        self._private_messages = private_messages
        self._inbox_limit = inbox_limit
        self._listing_limit = listing_limit
        self._budget = Budget(clock)
        self._session = requests.Session()
        credentials: dict[str, str] = (
            {"username": self._username, "password": password}
            if password
            else {"refresh_token": refresh_token}
        )
        self._reddit = praw.Reddit(
            requestor_class=Requestor,
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
        self._messages = PrivateMessages(self._reddit, self._each, self._translate, clock)
        keep_messages_out_of_logs()

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
            self._username = name_of(me)
        return self._username

    def verify(self) -> str:
        """Sign in and read the brand account (``GET /api/v1/me``) even when the username is known:
        what `parley doctor` checks. Returns the username; raises a ConnectorError."""
        try:
            with self._translate("signing in"):
                me = self._reddit.user.me()
        except Unauthorized as error:
            if isinstance(error.__cause__, prawcore.OAuthException):  # Reddit's "invalid_grant"
                whose = f" for u/{self._username}" if self._username else ""
                raise Unauthorized(f"Reddit refused the {self._signs_in_with}{whose}.") from error.__cause__
            raise
        return name_of(me)

    def fetch(self, cursor: str | None) -> RedditBatch:
        """Unread inbox items, then subreddit items newer than `cursor`; oldest first."""
        found: dict[str, Post] = {}
        unread: list[str] = []
        for item in self._unread():
            post = self._to_post(item)
            found[post.id] = post
            unread.append(post.id)
        state = Cursor.parse(cursor)
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
            state = Cursor(newest_comment, newest_submission)
        # Reddit's created_utc has whole seconds: in a tie a post comes before comments, then by id.
        posts = sorted(
            found.values(), key=lambda p: (p.created_at, not p.id.startswith("t3_"), id_number(p.id))
        )
        return RedditBatch(posts=posts, cursor=state.dump(), unread=tuple(unread))

    def acknowledge(self, batch: Batch) -> None:
        """Mark the batch's inbox items read (only once they are safely stored)."""
        if isinstance(batch, RedditBatch):
            names = list(batch.unread)
        else:  # a plain Batch: marking a comment that is not in the inbox read is harmless
            names = [p.id for p in batch.posts if p.id.startswith(("t1_", "t4_"))]
        if names:
            items = [
                message(self._reddit, n)
                if n.startswith("t4_")
                else self._reddit.comment(n.removeprefix("t1_"))
                for n in names
            ]
            with self._translate("marking inbox items read"):
                self._reddit.inbox.mark_read(items)

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
        return to_reply(data_of(comment), self._clock())

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our comment under `post` (our answer in its thread, for a private message) with the same
        text (ignoring whitespace and escaping), if any."""
        if post.private:
            return self._messages.find_answer(post, text)
        wanted = clean(text)
        since = post.created_at.timestamp()
        ours = self._reddit.redditor(self.account).comments.new(limit=PAGE_SIZE)
        for comment in self._each(ours, "checking for an earlier reply"):
            data = data_of(comment)
            created = float(data.get("created_utc") or 0)
            if created < since:
                break  # newest first: everything further down is older than the post
            if data.get("parent_id") == post.id and clean(str(data.get("body", ""))) == wanted:
                return to_reply(data, datetime.fromtimestamp(created, UTC))
        return None

    # --- PrivateReplies: answering a public post by private message ---

    def can_reply_privately(self, post: Post) -> bool:
        """Reddit lets anyone be messaged unless they restrict it, which only sending tells."""
        handle = post.author.handle
        return self._private_messages and handle not in ("", "[deleted]") and not self._is_us(handle)

    def reply_privately(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A private message to the author ("About your comment in r/…"); a private post is answered in its thread."""
        if post.private:
            return self.reply(post, text)
        if not self.can_reply_privately(post):
            raise Refused("Parley cannot send a private message to this author on Reddit.")
        self._messages.compose(post, text)
        return self.find_private_reply(post, text) or self._messages.sent_box_reply(post)

    def find_private_reply(self, post: Post, text: str) -> Reply | None:
        if post.private:
            return self.find_reply(post, text)
        return self._messages.find_to_author(post, text)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> RedditConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def _unread(self) -> list[Any]:
        """Unread mentions, replies and private messages from others, newest first."""
        items = []
        for item in self._each(self._reddit.inbox.unread(limit=self._inbox_limit), "reading the inbox"):
            data = data_of(item)
            if data.get("was_comment") and data.get("type") not in INBOX_TYPES:
                continue
            if not data.get("was_comment") and not self._is_private_message(data):
                continue
            if self._is_us(name_of(data.get("author"))):
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
            return [], name_of(data_of(newest).get("name")) if newest is not None else ""
        floor = id_number(seen)
        items: list[Any] = []
        newest_name = seen
        reached = False
        for item in self._each(listing(limit=self._listing_limit), doing):
            name = name_of(data_of(item).get("name"))
            if id_number(name) <= floor:
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

    def _is_private_message(self, data: dict[str, Any]) -> bool:
        """A person's private message (not modmail, not a message from Reddit itself)."""
        name = str(data.get("name", ""))
        return (
            self._private_messages
            and name.startswith("t4_")
            and not data.get("subreddit")
            and bool(data.get("author"))
            and data.get("distinguished") != "admin"
        )

    def _is_us(self, name: str) -> bool:
        return bool(name) and name.lower() == self.account.lower()

    def _translate(self, doing: str) -> AbstractContextManager[None]:
        return translated(doing, self._budget, self._clock)

    def _to_post(self, thing: Any) -> Post:
        return to_post(thing, account=self.account, clock=self._clock)

    def _target(self, post: Post) -> Any:
        kind, _, thing_id = post.id.partition("_")
        if kind == "t1" and thing_id:
            return self._reddit.comment(thing_id)
        if kind == "t3" and thing_id:
            return self._reddit.submission(thing_id)
        if kind == "t4" and thing_id:
            return message(self._reddit, post.id)
        raise Refused(f"{post.id} is not a Reddit comment, post or message, so Parley cannot reply to it.")
