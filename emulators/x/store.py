"""`XStore`: the accounts and tweets the emulated X holds, and the helpers tests use to arrange them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from emulators.http import Emulator
from emulators.x.model import XTweet, XUser, mentions_handle, snowflake

__all__ = ["XStore"]


class XStore(Emulator):
    """Users and tweets of one brand account's world; `_state` guards them (routes run with it held)."""

    def __init__(
        self, *, user_id: str, username: str, name: str, clock: Callable[[], float], host: str, port: int
    ) -> None:
        super().__init__(host=host, port=port)
        self.brand = XUser(id=user_id, username=username, name=name, followers=1200)
        self.clock = clock
        self._state = threading.RLock()
        self._last_user_id = 1_600_000_000_000_000_000
        self._clear()

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
        if not mentions_handle(text, self.brand.username):
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

    def reset(self) -> None:
        """Forget requests, failures, tweets, users (except the brand) and rate-limit windows."""
        super().reset()
        self._clear()

    # -- plumbing ----------------------------------------------------------------------------------

    def _clear(self) -> None:
        with self._state:
            self._users: dict[str, XUser] = {self.brand.id: self.brand}
            self._tweets: dict[str, XTweet] = {}
            self._last_id = 0

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _user_by_handle(self, username: str) -> XUser | None:
        lowered = username.lower()
        return next((u for u in self._users.values() if u.username.lower() == lowered), None)

    def _next_id(self, created_at: datetime) -> str:
        self._last_id = max(self._last_id + 1, snowflake(created_at))
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
