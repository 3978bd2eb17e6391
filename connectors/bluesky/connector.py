"""The Bluesky connector: atproto's `Client` on the brand's PDS, notifications in, reply records out."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from atproto_client import Client, models
from atproto_client.models.utils import get_model_as_dict

from bot.domain import Author, Network, Post, Reply, now
from connectors.base import Batch, ConnectorError, Gone
from connectors.bluesky.budget import Budget, BudgetedRequest
from connectors.bluesky.errors import is_expired_session, translated
from connectors.bluesky.jetstream import jetstream_reachable, listen_to_jetstream
from connectors.bluesky.mapping import REASONS, author_of, clean, did_of, reply_refs, to_post, web_url
from connectors.common import parse_time

log = logging.getLogger(__name__)

BSKY_SOCIAL = "https://bsky.social"
JETSTREAM = "wss://jetstream2.us-east.bsky.network"
PAGE_SIZE = 50
MAX_PAGES = 10  # 500 notifications since the last poll at most
GET_POSTS_MAX = 25  # uris per app.bsky.feed.getPosts


class SessionStore(Protocol):
    """Where the session is kept between processes (Redis in Parley): an exported atproto session."""

    def get(self) -> str | None: ...

    def set(self, value: str) -> None: ...


class BlueskyConnector:
    """Reads the brand account's mentions and replies on Bluesky, and replies as the account.

    Args:
        handle: the brand's handle (``brand.bsky.social``) or DID.
        app_password: an app password of the account (Settings → App passwords).
        pds_url: the account's PDS (``https://bsky.social`` for most accounts); an emulator's URL in tests.
        jetstream_url: the Jetstream instance to stream posts from (``wss://…``); empty: no stream.
        sessions: where the session is shared with other processes; None: this connector's own.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        handle: str,
        app_password: str,
        pds_url: str = BSKY_SOCIAL,
        jetstream_url: str = JETSTREAM,
        sessions: SessionStore | None = None,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not handle or not app_password:
            raise ValueError("Bluesky needs the handle and an app password")
        self._handle = handle.removeprefix("@")
        self._password = app_password
        self._pds_url = pds_url.rstrip("/")
        self._jetstream_url = jetstream_url.rstrip("/")
        self._timeout = timeout
        self._clock = clock
        self._client: Client | None = None
        self._did: str | None = None
        self._lock = threading.RLock()  # the stream thread and the poller share the session
        self._profiles: dict[str, Author] = {}
        self._budget = Budget()  # the account's rate-limit window, shared by every call
        self._sessions = sessions
        self._stored_refused = False  # the shared session was refused: sign in with the password

    # --- the session ---

    def _signed_in(self) -> Client:
        """The client, signed in once and reused (from `sessions` when another process signed in):
        the SDK refreshes the session before it expires, and each new one is shared."""
        with self._lock:
            if self._client is None:
                client = self._new_client()
                stored = None if self._sessions is None or self._stored_refused else self._sessions.get()
                with translated("signing in"):
                    session = client._import_session_string(stored) if stored else None
                    if session is not None and self._handle.lower() not in (
                        session.handle.lower(),
                        session.did,
                    ):
                        session, client = None, self._new_client()  # another account's (handle changed)
                    if session is None:
                        session = client._get_and_set_session(self._handle, self._password)
                        self._share(client)
                if self._sessions is not None:
                    client.on_session_change(lambda event, new: self._share(client))
                self._did, self._handle = session.did, session.handle
                self._client = client
            return self._client

    def _new_client(self) -> Client:
        return Client(base_url=self._pds_url, request=BudgetedRequest(self._budget, timeout=self._timeout))

    def _share(self, client: Client) -> None:
        if self._sessions is not None:
            self._sessions.set(client.export_session_string())
            self._stored_refused = False

    def _call(self, doing: str, call: Callable[[Client], Any]) -> Any:
        """`call` on the signed-in client; a session Bluesky no longer accepts signs in again, once."""
        client = self._signed_in()
        try:
            with translated(doing):
                return call(client)
        except Exception as error:
            cause = error.__cause__
            if not is_expired_session(cause if isinstance(cause, Exception) else error):
                raise
        log.info("Bluesky session of %s expired: signing in again", self._handle)
        with self._lock:
            self._client = None
            self._stored_refused = True
        client = self._signed_in()
        with translated(doing):
            return call(client)

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.BLUESKY

    @property
    def account(self) -> str:
        """The brand's handle."""
        return self._handle

    @property
    def did(self) -> str:
        self._signed_in()
        assert self._did is not None
        return self._did

    def verify(self) -> str:
        """Sign in with the app password (never a stored session) and read the session back
        (``com.atproto.server.getSession``), then try Jetstream: what `parley doctor` checks."""
        with self._lock:
            self._client = None
            self._stored_refused = True
        session = self._call("checking the session", lambda c: c.com.atproto.server.get_session())
        return f"@{session.handle} ({session.did}) on {self._pds_url}; {self._stream_health()}"

    def _stream_health(self) -> str:
        """Whether Jetstream accepts a connection: polling works without it, only more slowly."""
        if not self._jetstream_url:
            return "no stream"
        try:
            jetstream_reachable(self._jetstream_url, timeout=min(self._timeout, 5.0))
        except ConnectorError as error:
            return f"stream not reachable ({error.kind}): polling only until it is"
        return "stream ok"

    def fetch(self, cursor: str | None) -> Batch:
        """Mentions and replies notified after `cursor` (the newest `indexedAt` seen), oldest first.

        Bluesky pages notifications newest first; pages are read until one reaches the cursor (with
        no cursor, only the newest page: no backfill of history).
        """
        found: dict[str, Post] = {}
        newest: str | None = None
        page_cursor: str | None = None
        for _ in range(MAX_PAGES if cursor else 1):
            params = models.AppBskyNotificationListNotifications.Params(
                limit=PAGE_SIZE, cursor=page_cursor, reasons=list(REASONS)
            )
            page = self._call("reading notifications", _notifications(params))
            reached = False
            for item in page.notifications:
                newest = max(newest or item.indexed_at, item.indexed_at)
                if cursor and item.indexed_at <= cursor:
                    reached = True
                    continue
                if item.reason in REASONS and item.uri not in found and did_of(item.uri) != self.did:
                    found[item.uri] = self._notification_post(item)
            page_cursor = page.cursor
            if reached or not page_cursor or not page.notifications:
                break
        posts = sorted(self._with_titles(list(found.values())), key=lambda p: (p.created_at, p.id))
        # "0" sorts before any time: an account with no notifications yet reads them all next time.
        return Batch(posts=posts, cursor=max(newest or "", cursor or "") or "0")

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to do: the cursor (indexedAt) is all Parley needs."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A reply record: `reply.parent` the post, `reply.root` its thread's root (strong refs read
        just before), mentions and links as facets (byte offsets of the UTF-8 text)."""
        parent = self._post_view(post.id)
        root_uri, _parent = reply_refs(get_model_as_dict(parent.record))
        root = parent if root_uri is None or root_uri == parent.uri else self._root_ref(parent)
        reply_to = models.AppBskyFeedPost.ReplyRef(
            root=models.ComAtprotoRepoStrongRef.Main(uri=root.uri, cid=root.cid),
            parent=models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid),
        )

        def send(client: Client) -> Any:
            facets = client.detect_facets(text)
            return client.send_post(
                text, profile_identify=self.did, reply_to=reply_to, facets=facets or None, langs=_langs(post)
            )

        created = self._call("posting the reply", send)
        return Reply(id=created.uri, url=web_url(self._handle, created.uri), posted_at=self._clock())

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply with this text among the post's direct replies (``app.bsky.feed.getPostThread``)."""
        params = models.AppBskyFeedGetPostThread.Params(uri=post.id, depth=1, parent_height=0)
        try:
            thread = self._call(
                "checking for an earlier reply", lambda c: c.app.bsky.feed.get_post_thread(params)
            )
        except Gone:
            return None
        wanted = clean(text)
        for item in getattr(thread.thread, "replies", None) or []:
            view = getattr(item, "post", None)
            if view is None or view.author.did != self.did:
                continue
            record = get_model_as_dict(view.record)
            if clean(str(record.get("text", ""))) == wanted:
                posted = parse_time(record.get("createdAt")) or self._clock()
                return Reply(id=view.uri, url=web_url(self._handle, view.uri), posted_at=posted)
        return None

    # --- real time ---

    def listen(
        self, *, on_open: Callable[[], None], on_post: Callable[[Post], object], stopped: Callable[[], bool]
    ) -> None:
        """Jetstream's posts that mention or answer the brand, as posts (see `jetstream`)."""
        if not self._jetstream_url:
            raise ValueError("no Jetstream URL configured")
        listen_to_jetstream(
            self._jetstream_url,
            did=self.did,
            to_post=self._streamed_post,
            on_open=on_open,
            on_post=on_post,
            stopped=stopped,
            timeout=self._timeout,
        )

    def _streamed_post(self, did: str, rkey_uri: str, record: dict[str, Any]) -> Post:
        post = to_post(
            uri=rkey_uri, author=self._author(did), record=record, account=self._handle, seen_at=self._clock()
        )
        return self._with_titles([post])[0]

    # --- reading ---

    def _notification_post(self, item: Any) -> Post:
        author = Author(
            id=item.author.did,
            handle=item.author.handle,
            name=item.author.display_name or item.author.handle,
        )
        self._profiles[author.id] = author
        return to_post(
            uri=item.uri,
            author=author,
            record=get_model_as_dict(item.record),
            account=self._handle,
            seen_at=parse_time(item.indexed_at) or self._clock(),
        )

    def _with_titles(self, posts: list[Post]) -> list[Post]:
        """Each reply with the text of the post it answers as its title (``getPosts``, 25 at a time)."""
        parents = sorted({p.in_reply_to for p in posts if p.in_reply_to})
        texts: dict[str, str] = {}
        for start in range(0, len(parents), GET_POSTS_MAX):
            params = models.AppBskyFeedGetPosts.Params(uris=parents[start : start + GET_POSTS_MAX])
            try:
                views = self._call("reading the posts answered", _get_posts(params)).posts
            except ConnectorError as error:  # the card can do without; the post itself is what matters
                log.info("Bluesky: no titles for %d replies (%s)", len(parents), error.kind)
                return posts
            for view in views:
                texts[view.uri] = str(get_model_as_dict(view.record).get("text", ""))
        return [replace(p, title=texts[p.in_reply_to]) if p.in_reply_to in texts else p for p in posts]

    def _author(self, did: str) -> Author:
        """A streamed post's author (``app.bsky.actor.getProfile``, remembered)."""
        if did not in self._profiles:
            params = models.AppBskyActorGetProfile.Params(actor=did)
            profile = self._call("looking up the author", lambda c: c.app.bsky.actor.get_profile(params))
            author = author_of(get_model_as_dict(profile))
            self._profiles[did] = Author(id=author.id, handle=author.handle, name=author.name)
        return self._profiles[did]

    def _post_view(self, uri: str) -> Any:
        params = models.AppBskyFeedGetPosts.Params(uris=[uri])
        views = self._call("reading the post", lambda c: c.app.bsky.feed.get_posts(params)).posts
        if not views:
            raise Gone("The post was deleted on Bluesky, so it can't be answered.")
        return views[0]

    def _root_ref(self, parent: Any) -> Any:
        """The root of the parent's thread as a post view (its CID as Bluesky holds it now)."""
        root_uri, _ = reply_refs(get_model_as_dict(parent.record))
        assert root_uri is not None
        try:
            return self._post_view(root_uri)
        except Gone:
            # A deleted root: the parent's own strong ref to it still threads the reply.
            return _StrongRef(get_model_as_dict(parent.record)["reply"]["root"])


def _get_posts(params: Any) -> Callable[[Client], Any]:
    return lambda c: c.app.bsky.feed.get_posts(params)


def _notifications(params: Any) -> Callable[[Client], Any]:
    return lambda c: c.app.bsky.notification.list_notifications(params)


class _StrongRef:
    def __init__(self, ref: dict[str, Any]) -> None:
        self.uri, self.cid = str(ref["uri"]), str(ref["cid"])


def _langs(post: Post) -> list[str] | None:
    return [post.lang] if post.lang and len(post.lang) <= 3 else None
