"""A local Bluesky PDS + AppView: the XRPC methods Parley's connector calls through the `atproto` SDK.

Followed: the atproto lexicons (com.atproto.server.createSession / refreshSession / getSession,
com.atproto.identity.resolveHandle, com.atproto.repo.createRecord, app.bsky.notification.
listNotifications, app.bsky.feed.getPosts / getPostThread, app.bsky.actor.getProfile), XRPC's error
body ``{"error", "message"}``, Bluesky's rate-limit headers (``ratelimit-limit``, ``-remaining``,
``-reset`` epoch seconds, ``-policy``) and its post rules (at most 300 graphemes; facets index the
UTF-8 bytes of the text). Sessions are JWTs whose ``exp`` the SDK reads to refresh in time.
Simplified: one server plays the PDS and the AppView; records are stored as JSON, not CBOR.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from emulators.bluesky.jetstream import JetstreamServer
from emulators.bluesky.store import POST, Account, Network, StoredPost, graphemes, iso, mention_facets
from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.http.window import SlidingWindow

MAX_GRAPHEMES = 300
RATE_LIMIT = 3000  # per 5 minutes, Bluesky's default for an account's API calls
WINDOW = 300

JSON = dict[str, Any]


def _b64(data: JSON) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _error(status: int, error: str, message: str) -> Response:
    return Response(status, {"error": error, "message": message})


class BlueskyEmulator(Emulator):
    """Bluesky for tests: `add_post` writes as someone else (and streams it on `jetstream`)."""

    def __init__(
        self,
        *,
        brand_handle: str = "parleybrand.bsky.social",
        app_password: str = "abcd-efgh-ijkl-mnop",
        access_ttl: float = 7200.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.network = Network(clock=clock)
        self.brand = self.network.add_account(brand_handle, "Parley Brand", app_password)
        self.app_password = app_password
        self.access_ttl = access_ttl
        self.jetstream = JetstreamServer()
        self._access: dict[str, tuple[str, float]] = {}  # token -> (did, expires at)
        self._refresh: dict[str, str] = {}  # token -> did
        self._window = SlidingWindow(RATE_LIMIT, WINDOW, self.clock)
        self.lose_answers = 0  # the next N records are written, but answered 502 (a proxy lost the answer)

    def start(self) -> str:
        self.jetstream.start()
        return super().start()

    def stop(self) -> None:
        self.jetstream.stop()
        super().stop()

    @property
    def jetstream_url(self) -> str:
        return self.jetstream.url

    # --- driving the network from a test ---

    def add_post(
        self,
        text: str,
        *,
        author_handle: str = "ann.bsky.social",
        author_name: str = "Ann Lee",
        reply_to: str | None = None,
        lang: str = "en",
    ) -> StoredPost:
        """A post by `author_handle`; ``@handle`` of known accounts become mention facets."""
        author = self.network.add_account(author_handle, author_name)
        known = {a.handle: a.did for a in self.network.accounts.values() if f"@{a.handle}" in text}
        record: JSON = {"text": text, "createdAt": iso(self.clock()), "langs": [lang]}
        if facets := mention_facets(text, known):
            record["facets"] = facets
        if reply_to is not None:
            parent = self.network.posts[reply_to]
            root = (parent.record.get("reply") or {}).get("root") or {"uri": parent.uri, "cid": parent.cid}
            record["reply"] = {"root": root, "parent": {"uri": parent.uri, "cid": parent.cid}}
        return self._create(author, record)

    def brand_post(self, text: str) -> StoredPost:
        return self._create(self.brand, {"text": text, "createdAt": iso(self.clock())})

    def replies_by_brand(self) -> list[StoredPost]:
        with self.network.lock:
            return [
                p
                for p in self.network.posts.values()
                if p.author.did == self.brand.did and "reply" in p.record
            ]

    def expire_sessions(self) -> None:
        """Every access and refresh token stops working (as after a password change)."""
        self._access.clear()
        self._refresh.clear()

    def _create(self, author: Account, record: JSON) -> StoredPost:
        stored = self.network.create(author, record)
        self.jetstream.publish(
            {
                "did": author.did,
                "time_us": stored.time_us,
                "kind": "commit",
                "commit": {
                    "rev": stored.rkey,
                    "operation": "create",
                    "collection": POST,
                    "rkey": stored.rkey,
                    "record": stored.record,
                    "cid": stored.cid,
                },
            }
        )
        return stored

    # --- plumbing ---

    def handle(self, request: RecordedRequest) -> Response:
        response = super().handle(request)
        remaining, reset = self._window.hit()
        response.headers = {
            "ratelimit-limit": str(RATE_LIMIT),
            "ratelimit-remaining": str(remaining),
            "ratelimit-reset": str(int(reset)),
            "ratelimit-policy": f"{RATE_LIMIT};w={WINDOW}",
            **response.headers,
        }
        return response

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        names = {400: "InvalidRequest", 401: "AuthenticationRequired", 429: "RateLimitExceeded"}
        response = _error(status, names.get(status, "InternalServerError"), "injected failure")
        if status == 429:
            response.headers = {"ratelimit-remaining": "0", "ratelimit-reset": str(int(self.clock()) + 60)}
        return response

    def _tokens(self, did: str) -> JSON:
        now = int(self.clock())
        access = ".".join(
            [
                _b64({"typ": "at+jwt", "alg": "ES256K"}),
                _b64(
                    {
                        "scope": "com.atproto.appPass",
                        "sub": did,
                        "iat": now,
                        "exp": now + int(self.access_ttl),
                    }
                ),
                secrets.token_urlsafe(16),
            ]
        )
        refresh = ".".join(
            [
                _b64({"typ": "refresh+jwt", "alg": "ES256K"}),
                _b64({"scope": "com.atproto.refresh", "sub": did, "iat": now, "exp": now + 90 * 86400}),
                secrets.token_urlsafe(16),
            ]
        )
        self._access[access] = (did, now + self.access_ttl)
        self._refresh[refresh] = did
        account = self.network.accounts[did]
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": account.handle,
            "did": did,
            "active": True,
        }

    def _viewer(self, request: RecordedRequest) -> Account | Response:
        token = request.bearer() or ""
        if not token:
            return _error(401, "AuthenticationRequired", "Authentication Required")
        if token not in self._access:
            return _error(400, "ExpiredToken", "Token has expired")
        did, expires = self._access[token]
        if expires <= self.clock():
            return _error(400, "ExpiredToken", "Token has expired")
        return self.network.accounts[did]

    # --- com.atproto.server / identity ---

    @route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(self, request: RecordedRequest) -> Response:
        body = request.json() or {}
        account = self.network.account(str(body.get("identifier", "")))
        if account is None or not account.password or body.get("password") != account.password:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        return Response(200, self._tokens(account.did))

    @route("POST", r"/xrpc/com\.atproto\.server\.refreshSession")
    def refresh_session(self, request: RecordedRequest) -> Response:
        did = self._refresh.pop(request.bearer() or "", None)
        if did is None:
            return _error(400, "ExpiredToken", "Token has expired")
        return Response(200, self._tokens(did))

    @route("GET", r"/xrpc/com\.atproto\.server\.getSession")
    def get_session(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        return Response(200, {"handle": viewer.handle, "did": viewer.did, "active": True})

    @route("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle")
    def resolve_handle(self, request: RecordedRequest) -> Response:
        account = self.network.account(request.query.get("handle", ""))
        if account is None:
            return _error(400, "InvalidRequest", "Unable to resolve handle")
        return Response(200, {"did": account.did})

    # --- app.bsky reads ---

    @route("GET", r"/xrpc/app\.bsky\.actor\.getProfile")
    def get_profile(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        account = self.network.account(request.query.get("actor", ""))
        if account is None:
            return _error(400, "InvalidRequest", "Profile not found")
        return Response(
            200, {**account.basic(), "followersCount": account.followers, "followsCount": 0, "postsCount": 0}
        )

    @route("GET", r"/xrpc/app\.bsky\.notification\.listNotifications")
    def list_notifications(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        limit = min(100, max(1, int(request.query.get("limit", "50"))))
        reasons = set(request.query_lists.get("reasons", []))
        items = [n for n in self.network.notifications_of(viewer) if not reasons or n["reason"] in reasons]
        cursor = request.query.get("cursor")
        if cursor:
            items = [n for n in items if n["indexedAt"] < cursor]
        page = items[:limit]
        body: JSON = {"notifications": page}
        if len(items) > limit:
            body["cursor"] = page[-1]["indexedAt"]
        return Response(200, body)

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPosts")
    def get_posts(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        uris = request.query_lists.get("uris", [])
        found = [self.network.posts[u] for u in uris if u in self.network.posts]
        return Response(200, {"posts": [p.view(len(self.network.replies_to(p.uri))) for p in found]})

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPostThread")
    def get_post_thread(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        uri = request.query.get("uri", "")
        post = self.network.posts.get(uri)
        if post is None:
            return _error(400, "NotFound", f"Post not found: {uri}")
        replies = self.network.replies_to(uri)
        thread = {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": post.view(len(replies)),
            "replies": [
                {"$type": "app.bsky.feed.defs#threadViewPost", "post": r.view(), "replies": []}
                for r in replies
            ],
        }
        return Response(200, {"thread": thread})

    # --- com.atproto.repo writes ---

    @route("POST", r"/xrpc/com\.atproto\.repo\.createRecord")
    def create_record(self, request: RecordedRequest) -> Response:
        viewer = self._viewer(request)
        if isinstance(viewer, Response):
            return viewer
        body = request.json() or {}
        if body.get("repo") not in (viewer.did, viewer.handle):
            return _error(401, "AuthenticationRequired", "Can not write to another repo")
        if body.get("collection") != POST:
            return _error(400, "InvalidRequest", f"Unsupported collection: {body.get('collection')}")
        record = dict(body.get("record") or {})
        problem = _post_problem(record)
        if problem:
            return _error(400, "InvalidRequest", f"Invalid app.bsky.feed.post record: {problem}")
        record.pop("$type", None)
        stored = self._create(viewer, record)
        if self.lose_answers > 0:
            self.lose_answers -= 1
            return _error(502, "InternalServerError", "Bad Gateway")
        return Response(200, {"uri": stored.uri, "cid": stored.cid, "validationStatus": "valid"})


def _post_problem(record: JSON) -> str | None:
    text = record.get("text")
    if not isinstance(text, str) or not record.get("createdAt"):
        return "Record must have the properties text and createdAt"
    if graphemes(text) > MAX_GRAPHEMES:
        return f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes"
    size = len(text.encode())
    for facet in record.get("facets") or []:
        index = facet.get("index") or {}
        start, end = index.get("byteStart", -1), index.get("byteEnd", -1)
        if not (0 <= start < end <= size):
            return "Record/facets/index must be within the text's UTF-8 bytes"
    reply = record.get("reply")
    if reply is not None and not all(
        (reply.get(k) or {}).get("uri") and (reply.get(k) or {}).get("cid") for k in ("root", "parent")
    ):
        return "Record/reply must have root and parent strong refs (uri, cid)"
    return None
