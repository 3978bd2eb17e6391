"""The X connector: tweepy's API v2 `Client` on a rebased session, reading mentions or a search."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import tweepy

from bot.domain import Network, Post, Reply, now
from connectors.base import Batch, ConnectorError, Forbidden, Unauthorized
from connectors.common import parse_time
from connectors.x.errors import DM_PERMISSION_MESSAGE, stale_since_id_floor, translated
from connectors.x.mapping import (
    MAX_PAGE_SIZE,
    SEARCH_EXPANSIONS,
    TWEET_FIELDS,
    USER_FIELDS,
    Pages,
    addressed_to,
    checked_search,
    clean,
    replies_to,
    status_url,
    to_post,
)
from connectors.x.messages import DirectMessages, XCursor, answered, dm_to_post, keep_dms_out_of_logs
from connectors.x.session import X_API, RebasedSession

log = logging.getLogger(__name__)

REACHABLE_MENTIONS = 800  # X serves only the latest 800 mentions

LISTEN_ONLY_MESSAGE = (
    "X only lets the API reply to posts that @mention the brand account; this post was found by a "
    "keyword search, so answer it from the X app if needed."
)


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
        direct_messages: read the DMs sent to the brand (as private posts, answered by DM) and
            allow answering a public post by DM. None (the default): yes when the user keys are
            set (a search account answers by DM but leaves reading them to the mentions account),
            until X says the app lacks the DM permission (then mentions only, logged once);
            True: a missing permission is an error; False: never.
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
        direct_messages: bool | None = None,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self._search = checked_search(search, page_size)
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
        self._client.session = RebasedSession(base_url, timeout)
        self._user_id = user_id
        self._username = username
        self._page_size = page_size
        self._max_pages = -(-REACHABLE_MENTIONS // page_size)
        self._clock = clock
        self._dm_setting = direct_messages
        self._dms_refused = False  # X said the app lacks the DM permission (auto mode)
        self._dms = DirectMessages(self._client, clock)
        keep_dms_out_of_logs()

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
        return self._user_id if self._user_id is not None else self._look_up_me()[0]

    @property
    def username(self) -> str:
        return self._username if self._username is not None else self._look_up_me()[1]

    @property
    def reads_direct_messages(self) -> bool:
        """Whether `fetch` reads DMs: a mentions account does unless they are turned off; a search
        account only when turned on (the brand's mentions account reads them already)."""
        wanted = self._dm_setting if self._dm_setting is not None else self._search is None
        return wanted and self._can_post and not self._dms_refused

    @property
    def _sends_dms(self) -> bool:
        return self._dm_setting is not False and self._can_post and not self._dms_refused

    def fetch(self, cursor: str | None) -> Batch:
        """Mentions (or search hits), and DMs to the brand, newer than `cursor`, oldest first.

        With no cursor only the newest page is read (no backfill of history); with one, pages
        are followed until X has nothing older than the cursor, at most 800 posts (all that X
        keeps of the mentions). A search cursor older than recent search's 7 days is replaced
        by the oldest id X still accepts. The cursor is a plain id while DMs are not read, else
        a small JSON object (`XCursor`); a plain id from before still works.
        """
        state = XCursor.parse(cursor)
        pages, newest, since = self._read_pages(state.mentions)
        if state.mentions and self._search is None and len(pages.tweets) >= REACHABLE_MENTIONS:
            # X serves only the newest 800 mentions and says nothing about the rest: a gap is likely.
            log.warning(
                "X mentions: %d new since the last poll, the most X serves; older ones may be missing. "
                "Poll more often (PARLEY_POLL_INTERVAL) during bursts.",
                len(pages.tweets),
            )
        posts = self._to_posts(pages)
        if newest is None and posts:
            newest = posts[-1].id
        messages, newest_dm = self._read_dms(state.dms or state.mentions)  # ids are time-ordered
        reached = XCursor(newest or since, newest_dm)
        return Batch(
            posts=sorted([*posts, *messages], key=lambda p: int(p.id)),
            cursor=reached.dump(with_dms=self.reads_direct_messages),
        )

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to do: X keeps no read state; the cursor (since_id) is all we need."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A reply to a mention, or a DM in the conversation of a private post."""
        if post.private:
            return self._dms.send(post.author.id, text, doing="sending the direct message")
        if post.listen_only:
            raise Forbidden(LISTEN_ONLY_MESSAGE)
        with translated("posting the reply", self._clock):
            body = self._client.create_tweet(text=text, in_reply_to_tweet_id=post.id, user_auth=True)
        return self._to_reply(str(body["data"]["id"]), None)

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply to `post` with the same text (ignoring whitespace, escaping and link wrapping)."""
        if post.private:
            return self.find_private_reply(post, text)
        wanted = clean(text)
        token: str | None = None
        for _ in range(3):
            with translated("checking for an earlier reply", self._clock):
                body = self._client.get_users_tweets(
                    self.user_id,
                    since_id=post.id,
                    pagination_token=token,
                    max_results=MAX_PAGE_SIZE,
                    tweet_fields=["referenced_tweets", "created_at"],
                    user_auth=self._read_as_user,
                )
            for tweet in body.get("data") or []:
                if post.id in replies_to(tweet) and clean(str(tweet.get("text", ""))) == wanted:
                    return self._to_reply(str(tweet["id"]), parse_time(tweet.get("created_at")))
            token = body.get("meta", {}).get("next_token")
            if not token:
                break
        return None

    # --- PrivateReplies: answering a post by DM ---

    def can_reply_privately(self, post: Post) -> bool:
        """Whether X lets the brand DM the author now (they accept DMs, or already wrote to us).

        False when DMs are off or not permitted; an error asking X counts as no (logged by id).
        """
        if not self._sends_dms or not post.author.id:
            return False
        try:
            return post.private or self._dms.accepts(post.author.id)
        except ConnectorError as error:
            log.warning("X: could not check whether the author of %s accepts DMs: %s", post.id, error.kind)
            return False

    def reply_privately(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        if self._dm_setting is False:
            raise Forbidden("Direct messages are turned off for this X account (X_DIRECT_MESSAGES=false).")
        who = f"@{post.author.handle}" if post.author.handle else "the author"
        return self._dms.send(post.author.id, text, doing=f"sending a direct message to {who}")

    def find_private_reply(self, post: Post, text: str) -> Reply | None:
        return self._dms.find(post.author.id, sender_id=self.user_id, after=post.id, text=text)

    def close(self) -> None:
        self._client.session.close()

    def __enter__(self) -> XConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def _read_pages(self, cursor: str | None) -> tuple[Pages, str | None, str | None]:
        """Every page newer than `cursor` (only the newest without one), X's newest id, and the since_id used."""
        pages = Pages()
        newest: str | None = None
        token: str | None = None
        since = cursor
        for page in range(self._max_pages if cursor else 1):
            body, since = self._read_page(since, token)
            meta = body.get("meta", {})
            if page == 0:
                newest = meta.get("newest_id")
            pages.add(body)
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
        return pages, newest, since

    def _read_page(self, since_id: str | None, token: str | None) -> tuple[dict[str, Any], str | None]:
        """One page of mentions or search hits, and the `since_id` it was read with."""
        if self._search is None:
            with translated("reading mentions", self._clock):
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
        with translated("searching X", self._clock):
            try:
                return self._search_page(since_id, token), since_id
            except tweepy.BadRequest as error:
                floor = stale_since_id_floor(error) if since_id and token is None else None
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

    def _to_posts(self, pages: Pages) -> list[Post]:
        """The fetched tweets as posts, oldest first; a search leaves out the brand's own posts."""
        if self._search is None:
            posts = [self._to_post(t, pages) for t in pages.tweets.values()]
        else:
            me = self._user_id if self._anonymous else self.user_id
            posts = [
                self._to_post(t, pages, listen_only=self._anonymous or not self._addressed_to_brand(t, pages))
                for t in pages.tweets.values()
                if me is None or str(t.get("author_id", "")) != me
            ]
        return sorted(posts, key=lambda p: int(p.id))

    def _read_dms(self, since: str | None) -> tuple[list[Post], str | None]:
        """DMs to the brand newer than `since` (the brand's own left out), and the DM cursor."""
        if not self.reads_direct_messages:
            return [], since
        try:
            events, users, newest = self._dms.newer(since)
        except Unauthorized as error:
            if self._dm_setting is not None or error.message != DM_PERMISSION_MESSAGE:
                raise
            self._dms_refused = True
            log.warning("X: direct messages are not read: the X app has no DM permission. %s", error.message)
            return [], since
        me = self.user_id
        follows = answered(events, me)
        posts = [
            dm_to_post(
                e, users, account=self.account, clock=self._clock, in_reply_to=follows.get(str(e["id"]))
            )
            for e in events
            if str(e.get("sender_id", "")) != me
        ]
        return posts, newest or since

    def _to_post(self, tweet: dict[str, Any], pages: Pages, *, listen_only: bool = False) -> Post:
        return to_post(tweet, pages.users, account=self.account, clock=self._clock, listen_only=listen_only)

    def _addressed_to_brand(self, tweet: dict[str, Any], pages: Pages) -> bool:
        return addressed_to(tweet, pages.referenced, username=self.username, user_id=self.user_id)

    # --- the brand account ---

    def verify(self) -> str:
        """Reach X as `parley doctor` does: ``GET /2/users/me`` with the user keys, and the app's
        permission from X's ``x-access-level`` header (posting needs "read-write"). A search account
        without user keys runs one search instead. Returns what was found; raises a ConnectorError."""
        if self._anonymous:
            with translated("searching X", self._clock):
                self._search_page(None, None)
            return f"search {self._search!r} answers (listen only: no user keys, nothing is posted)"
        with translated("looking up the brand account", self._clock):
            data = self._client.get_me(user_auth=True)["data"]
        level = self._client.session.access_level
        if self._dm_setting and level is not None and "directmessages" not in level:
            raise Unauthorized(DM_PERMISSION_MESSAGE)
        if level == "read":
            raise Forbidden(
                "The X app may only read (x-access-level: read), so replies would be refused: set its "
                "permissions to Read and write, then regenerate the access token and secret."
            )
        return f"@{data['username']}, app access {level or 'not stated'}"

    def _look_up_me(self) -> tuple[str, str]:
        """The brand's user id and handle from ``GET /2/users/me``; configured values are kept."""
        with translated("looking up the brand account", self._clock):
            data = self._client.get_me(user_auth=True)["data"]
        if self._user_id is None:
            self._user_id = str(data["id"])
        if self._username is None:
            self._username = str(data["username"])
        return self._user_id, self._username

    def _to_reply(self, tweet_id: str, posted_at: datetime | None) -> Reply:
        try:
            url = status_url(self.username, tweet_id)
        except ConnectorError:
            url = status_url("", tweet_id)
        return Reply(id=tweet_id, url=url, posted_at=posted_at or self._clock())
