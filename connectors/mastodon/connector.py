"""The Mastodon connector: Mastodon.py on the brand's server, mention notifications in, statuses out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import requests
from mastodon import Mastodon

from bot.domain import Network, Post, Reply, now
from connectors.base import Batch, ConnectorError, Gone, Unavailable
from connectors.mastodon.errors import rate_limited, translated
from connectors.mastodon.mapping import (
    DEFAULT_LIMIT,
    clean,
    html_to_text,
    narrowest,
    reply_handles,
    to_post,
    with_mentions,
)
from connectors.mastodon.stream import MentionListener, StopStream

PAGE_SIZE = 40  # Mastodon's largest notifications page
MAX_PAGES = 10
STREAM_READ_TIMEOUT = 60.0  # seconds without even a heartbeat (every 15 s) before the stream counts as dead


class MastodonConnector:
    """Reads the brand account's mentions on one Mastodon server and replies as the account.

    Args:
        api_base_url: the server, e.g. ``https://mastodon.social``; an emulator's URL in tests.
        access_token: a token of the brand account with ``read:notifications read:statuses write:statuses``.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        api_base_url: str,
        access_token: str,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not api_base_url or not access_token:
            raise ValueError("Mastodon needs the server's URL and an access token")
        self._base = api_base_url.rstrip("/")
        self._client = Mastodon(
            access_token=access_token,
            api_base_url=self._base,
            ratelimit_method="throw",  # never sleep in a worker: the caller reschedules
            request_timeout=timeout,
            version_check_mode="none",
            session=requests.Session(),
        )
        self._clock = clock
        self._me: Mapping[str, Any] | None = None
        self._limit: int | None = None
        self._lock = threading.Lock()

    def _call(self, doing: str, call: Callable[[Mastodon], Any]) -> Any:
        """`call`, unless the server said the rate-limit window is spent (X-RateLimit-*): then RateLimited."""
        client = self._client
        reset = client.ratelimit_reset
        if (
            client.ratelimit_remaining is not None
            and client.ratelimit_remaining <= 0
            and reset
            and reset > time.time()
        ):
            raise rate_limited(doing, reset)
        with translated(doing, lambda: client.ratelimit_reset):
            return call(client)

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.MASTODON

    @property
    def account(self) -> str:
        """The brand's handle on its server (``username``)."""
        return str(self._myself()["acct"])

    def verify(self) -> str:
        """Read the token's account (``GET /api/v1/accounts/verify_credentials``) and the server's limit."""
        with self._lock:
            self._me = None
        me = self._myself()
        return (
            f"@{me['acct']} on {self._base} (replies up to {self.limit} characters; {self._stream_health()})"
        )

    def _stream_health(self) -> str:
        """Whether the streaming server answers: polling works without it, only more slowly."""
        try:
            healthy = self._call("checking the stream", lambda c: c.stream_healthy())
        except ConnectorError as error:
            return f"stream not reachable ({error.kind}): polling only until it is"
        return "stream ok" if healthy else "stream not healthy: polling only until it is"

    @property
    def limit(self) -> int:
        """The server's character limit for a status (instance v2), 500 when it does not say."""
        if self._limit is None:
            info = self._call("reading the server's limits", lambda c: c.instance_v2())
            try:
                self._limit = int(info["configuration"]["statuses"]["max_characters"])
            except (KeyError, TypeError, ValueError):
                self._limit = DEFAULT_LIMIT
        return self._limit

    def fetch(self, cursor: str | None) -> Batch:
        """Mention notifications after `cursor` (a notification id), oldest first.

        Pages are read forward with ``min_id`` (``since_id`` would skip all but the newest 40 of a
        burst); with no cursor, only the newest page.
        """
        found: dict[str, Post] = {}
        newest = cursor
        for _ in range(MAX_PAGES if cursor else 1):
            page = self._call("reading notifications", self._page(newest))
            for item in page:
                if newest is None or int(item["id"]) > int(newest):
                    newest = str(item["id"])
                status = item.get("status")
                if item.get("type") == "mention" and status and str(status["id"]) not in found:
                    found[str(status["id"])] = self.to_post(status)
            if len(page) < PAGE_SIZE or cursor is None:
                break
        posts = sorted(found.values(), key=lambda p: int(p.id))
        # "0": an account with no mentions yet reads every one from the first next time.
        return Batch(posts=posts, cursor=newest or "0")

    @staticmethod
    def _page(after: str | None) -> Callable[[Mastodon], Any]:
        return lambda c: c.notifications(types=["mention"], min_id=after, limit=PAGE_SIZE)

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to do: the cursor (the newest notification id) is all Parley needs."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A status in reply to `post`, starting with its author's (and the others') ``@handles``,
        never more visible than the post (a direct mention is answered directly)."""
        status = self._call("reading the post", lambda c: c.status(post.id))
        body = with_mentions(text, reply_handles(status, self.account))
        visibility = narrowest(str(status.get("visibility", "direct")), "public")
        created = self._call(
            "posting the reply",
            lambda c: c.status_post(
                body,
                in_reply_to_id=post.id,
                visibility=visibility,
                idempotency_key=idempotency_key,
                language=post.lang if post.lang and len(post.lang) == 2 else None,
            ),
        )
        return Reply(
            id=str(created["id"]), url=str(created.get("url") or created.get("uri")), posted_at=self._clock()
        )

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our status answering `post` that ends with this text (the ``@handles`` may have been added)."""
        try:
            context = self._call("checking for an earlier reply", lambda c: c.status_context(post.id))
        except Gone:
            return None
        me, wanted = str(self._myself()["id"]), clean(text)
        for status in context.get("descendants") or []:
            if str(status["account"]["id"]) != me or str(status.get("in_reply_to_id")) != post.id:
                continue
            if clean(html_to_text(str(status.get("content", "")))).endswith(wanted):
                posted = status.get("created_at")
                return Reply(
                    id=str(status["id"]),
                    url=str(status.get("url") or status.get("uri")),
                    posted_at=posted.astimezone(UTC) if isinstance(posted, datetime) else self._clock(),
                )
        return None

    # --- real time ---

    def listen(
        self, *, on_open: Callable[[], None], on_post: Callable[[Post], object], stopped: Callable[[], bool]
    ) -> None:
        """Mentions from the user stream, as posts, until `stopped()` (checked at each heartbeat)."""
        listener = MentionListener(
            on_open=on_open, on_mention=lambda status: on_post(self.to_post(status)), stopped=stopped
        )
        try:
            with translated("streaming", lambda: self._client.ratelimit_reset):
                self._client.stream_user(listener, timeout=STREAM_READ_TIMEOUT)
        except StopStream:
            return
        raise Unavailable("The Mastodon stream ended.")

    # --- mapping ---

    def to_post(self, status: Mapping[str, Any]) -> Post:
        """A status (from a notification or the stream) as a post; a reply's thread is read for its root."""
        ancestors: list[Mapping[str, Any]] = []
        if status.get("in_reply_to_id") is not None and status.get("visibility") != "direct":
            try:
                ancestors = list(
                    self._call("reading the thread", lambda c: c.status_context(status["id"]))["ancestors"]
                )
            except Gone:
                ancestors = []
        me = self._myself()
        return to_post(
            status,
            account=str(me["acct"]),
            limit=self.limit,
            me=str(me["acct"]),
            ancestors=ancestors,
            seen_at=self._clock(),
        )

    def _myself(self) -> Mapping[str, Any]:
        with self._lock:
            if self._me is None:
                self._me = self._call(
                    "looking up the brand account", lambda c: c.account_verify_credentials()
                )
            return self._me
