"""A local Mastodon server: the REST methods Parley's connector calls through Mastodon.py, and streaming.

Followed: docs.joinmastodon.org (methods/accounts verify_credentials, methods/instance v1 and v2,
methods/notifications with ``types[]``, ``min_id``, ``since_id``, ``max_id``, ``limit`` (≤ 80)
and the ``Link`` header, methods/statuses (POST form or JSON, ``Idempotency-Key`` header, 422
"Validation failed: Text character limit of N exceeded"), ``GET /statuses/:id/context``), the
``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (ISO 8601) headers (300 calls per 5 minutes),
and ``{"error": ...}`` bodies. Direct statuses are seen only by the people they mention.
The streaming server (`streaming`) is a server of its own, announced as ``urls.streaming_api``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.http.window import SlidingWindow
from emulators.mastodon.store import JSON, Account, Server, Status, iso, length
from emulators.mastodon.streaming import StreamingServer

RATE_LIMIT = 300
WINDOW = 300


def _error(status: int, message: str) -> Response:
    return Response(status, {"error": message})


class MastodonEmulator(Emulator):
    """Mastodon for tests: `add_status` posts as someone else (and streams the brand's notification)."""

    def __init__(
        self,
        *,
        brand: str = "parleybrand",
        access_token: str = "mastodon-sandbox-token",
        max_characters: int | None = 500,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.server = Server(clock=clock)
        self.brand = self.server.add_account(brand, "Parley Brand")
        self.access_token = access_token
        self.max_characters = max_characters  # None: the instance does not say (clients assume 500)
        self.streaming = StreamingServer(self._owner)
        self._idempotent: dict[str, str] = {}
        self.lose_answers = 0  # the next N posts are made, but answered 502 (a proxy lost the answer)
        self._window = SlidingWindow(RATE_LIMIT, WINDOW, self.clock)

    def start(self) -> str:
        self.streaming.start()
        return super().start()

    def stop(self) -> None:
        self.streaming.stop()
        super().stop()

    def _owner(self, token: str) -> str | None:
        return self.brand.id if token == self.access_token else None

    # --- driving from a test ---

    def add_status(
        self,
        text: str,
        *,
        author: str = "ann@social.example",
        author_name: str = "Ann Lee",
        visibility: str = "public",
        in_reply_to: str | None = None,
        language: str | None = "en",
    ) -> Status:
        """A status by `author` (an acct); a mention of the brand notifies it (and its streams)."""
        account = self.server.add_account(author, author_name)
        parent = self.server.statuses[in_reply_to] if in_reply_to else None
        return self._post(account, text, visibility=visibility, in_reply_to=parent, language=language)

    def replies_by_brand(self) -> list[Status]:
        with self.server.lock:
            return [s for s in self.server.statuses.values() if s.account is self.brand and s.in_reply_to]

    def _post(
        self, author: Account, text: str, *, visibility: str, in_reply_to: Status | None, language: str | None
    ) -> Status:
        status = self.server.post(
            author, text, visibility=visibility, in_reply_to=in_reply_to, language=language
        )
        if author is not self.brand and self.brand in status.mentions:
            notification = {
                "id": self.server.next_id(),
                "type": "mention",
                "created_at": iso(self.clock()),
                "status": status,
            }
            with self.server.lock:
                self.server.notifications.append(notification)
            self.streaming.push(self.brand.id, "notification", self._notification(notification))
        return status

    def _notification(self, item: JSON) -> JSON:
        status: Status = item["status"]
        return {
            "id": item["id"],
            "type": item["type"],
            "created_at": item["created_at"],
            "account": status.account.render(),
            "status": status.render(self.server.domain),
        }

    # --- plumbing ---

    def handle(self, request: RecordedRequest) -> Response:
        response = super().handle(request)
        remaining, reset = self._window.hit()
        response.headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": iso(reset),
            **response.headers,
        }
        return response

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        if status == 429:
            return Response(
                429,
                {"error": "Too many requests"},
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": iso(self.clock() + 60)},
            )
        return _error(status, "injected failure")

    def _authorized(self, request: RecordedRequest) -> Response | None:
        token = request.bearer() or ""
        return None if token == self.access_token else _error(401, "The access token is invalid")

    def _visible(self, status: Status) -> bool:
        return status.visibility != "direct" or status.account is self.brand or self.brand in status.mentions

    # --- routes ---

    @route("GET", r"/api/v1/accounts/verify_credentials/?")
    def verify_credentials(self, request: RecordedRequest) -> Response:
        return self._authorized(request) or Response(200, self.brand.render())

    @route("GET", r"/api/v1/instance/?")
    def instance_v1(self, request: RecordedRequest) -> Response:
        limit = (
            {"configuration": {"statuses": {"max_characters": self.max_characters}}}
            if self.max_characters
            else {}
        )
        return Response(
            200,
            {
                "uri": self.server.domain,
                "title": "Mastodon (emulated)",
                "version": "4.3.0",
                "urls": {"streaming_api": self.streaming.url.replace("http://", "ws://")},
                **limit,
            },
        )

    @route("GET", r"/api/v2/instance/?")
    def instance_v2(self, request: RecordedRequest) -> Response:
        statuses: JSON = {"max_media_attachments": 4, "characters_reserved_per_url": 23}
        if self.max_characters:
            statuses["max_characters"] = self.max_characters
        feeds = {"local": "public", "remote": "public"}
        return Response(
            200,
            {
                "domain": self.server.domain,
                "title": "Mastodon (emulated)",
                "version": "4.3.0",
                "source_url": "https://github.com/mastodon/mastodon",
                "description": "",
                "languages": ["en"],
                "configuration": {
                    "urls": {"streaming": self.streaming.url.replace("http://", "ws://")},
                    "statuses": statuses,
                    "timelines_access": {
                        "live_feeds": feeds,
                        "hashtag_feeds": feeds,
                        "trending_link_feeds": feeds,
                    },
                },
                "registrations": {"enabled": False, "approval_required": False},
                "contact": {"email": "admin@mastodon.example"},
                "rules": [],
            },
        )

    @route("GET", r"/api/v1/notifications/?")
    def notifications(self, request: RecordedRequest) -> Response:
        if problem := self._authorized(request):
            return problem
        types = set(request.query_lists.get("types[]", []) + request.query_lists.get("types", []))
        limit = min(80, max(1, int(request.query.get("limit", "40"))))
        with self.server.lock:
            items = [n for n in self.server.notifications if not types or n["type"] in types]
        since = int(request.query.get("since_id") or request.query.get("min_id") or 0)
        before = int(request.query.get("max_id") or 0)
        items = [n for n in items if int(n["id"]) > since and (not before or int(n["id"]) < before)]
        # min_id: the page right after it (oldest of the newer ones); otherwise the newest page
        page = items[:limit] if request.query.get("min_id") else items[-limit:]
        return Response(200, [self._notification(n) for n in reversed(page)])

    @route("GET", r"/api/v1/statuses/(?P<id>\d+)/?")
    def get_status(self, request: RecordedRequest) -> Response:
        if problem := self._authorized(request):
            return problem
        status = self.server.statuses.get(request.path_params["id"])
        if status is None or not self._visible(status):
            return _error(404, "Record not found")
        return Response(200, status.render(self.server.domain))

    @route("GET", r"/api/v1/statuses/(?P<id>\d+)/context/?")
    def context(self, request: RecordedRequest) -> Response:
        if problem := self._authorized(request):
            return problem
        status = self.server.statuses.get(request.path_params["id"])
        if status is None or not self._visible(status):
            return _error(404, "Record not found")
        ancestors, descendants = self.server.context(status)
        return Response(200, {"ancestors": self._render(ancestors), "descendants": self._render(descendants)})

    def _render(self, statuses: list[Status]) -> list[JSON]:
        return [s.render(self.server.domain) for s in statuses if self._visible(s)]

    @route("POST", r"/api/v1/statuses/?")
    def post_status(self, request: RecordedRequest) -> Response:
        if problem := self._authorized(request):
            return problem
        key = request.header("Idempotency-Key")
        if key and key in self._idempotent:
            return Response(200, self.server.statuses[self._idempotent[key]].render(self.server.domain))
        params: dict[str, Any] = request.params()
        text = str(params.get("status", ""))
        limit = self.max_characters or 500
        if not text.strip():
            return _error(422, "Validation failed: Text can't be blank")
        if length(text) > limit:
            return _error(422, f"Validation failed: Text character limit of {limit} exceeded")
        parent = None
        if params.get("in_reply_to_id"):
            parent = self.server.statuses.get(str(params["in_reply_to_id"]))
            if parent is None or not self._visible(parent):
                return _error(404, "Record not found")
        visibility = str(params.get("visibility") or "public")
        status = self._post(
            self.brand, text, visibility=visibility, in_reply_to=parent, language=params.get("language")
        )
        if key:
            self._idempotent[key] = status.id
        if self.lose_answers > 0:
            self.lose_answers -= 1
            return _error(502, "Bad Gateway")
        return Response(200, status.render(self.server.domain))
