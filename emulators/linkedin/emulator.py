"""`LinkedInEmulator`: the Community Management endpoints Parley calls, versioned REST in Rest.li 2.0."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.linkedin.store import MAX_COMMENT_CHARS, LiComment, LiPost, Notification, Store

OLDEST_VERSION = "202512"  # versions before this month are sunset (426), as LinkedIn does after a year
_TIME_RANGE = re.compile(r"\(start:(?P<start>\d+),end:(?P<end>\d+)\)")
_LIST = re.compile(r"List\((?P<items>[^)]*)\)")
_COMMENT_URN = re.compile(r"urn:li:comment:\((?P<object>urn:li:[A-Za-z]+:[^,]+),(?P<id>[^)]+)\)")
_ERRORS = {
    400: ("BAD_REQUEST", 400),
    401: ("EXPIRED_ACCESS_TOKEN", 65602),
    403: ("ACCESS_DENIED", 100),
    404: ("NOT_FOUND", 404),
    426: ("NONEXISTENT_VERSION", 426),
    429: ("TOO_MANY_REQUESTS", 101),
    500: ("INTERNAL_SERVER_ERROR", 500),
}


def li_error(status: int, message: str, code: str | None = None) -> Response:
    """LinkedIn's error body: ``{"status", "serviceErrorCode", "code", "message"}``."""
    default_code, service = _ERRORS.get(status, ("ERROR", status))
    return Response(
        status,
        {"status": status, "serviceErrorCode": service, "code": code or default_code, "message": message},
    )


class LinkedInEmulator(Emulator):
    """One company page, its posts and comments, members who comment and mention it."""

    def __init__(self, *, clock: Callable[[], float] = time.time, organization_id: str = "2414183") -> None:
        super().__init__()
        self.clock = clock
        self.organization_id = organization_id
        self.organization = f"urn:li:organization:{organization_id}"
        self.page_name = "Parley Demo"
        self.access_token = "AQV-sandbox-linkedin-token"
        self.admin = "urn:li:person:pageAdmin1"
        self.store = Store()
        self.token_expired = False
        self.can_write = True

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self.store = Store()
            self.token_expired = False
            self.can_write = True

    # --- test helpers ---

    def add_post(self, commentary: str, *, author: str | None = None) -> str:
        """A post by the page (or, with `author`, by a member); returns its URN."""
        with self._lock:
            urn = f"urn:li:share:{self.store.next_id()}"
            self.store.posts[urn] = LiPost(urn, author or self.organization, commentary, self._now())
            return urn

    def add_comment(
        self, post: str, text: str, *, actor: str = "urn:li:person:ann123", parent: str | None = None
    ) -> str:
        with self._lock:
            return self._comment(post, text, actor, parent).urn

    def mention(self, commentary: str, *, author: str = "urn:li:person:bob456") -> str:
        """A member's post that mentions the page, and the page's SHARE_MENTION notification."""
        urn = self.add_post(commentary, author=author)
        with self._lock:
            self.store.notifications.append(Notification("SHARE_MENTION", urn, self._now()))
        return urn

    def comments_by_page(self) -> list[LiComment]:
        with self._lock:
            return [c for c in self.store.comments.values() if c.actor == self.organization]

    def expire_token(self) -> None:
        self.token_expired = True

    def _now(self) -> int:
        at = int(self.clock() * 1000)
        last = max((c.created for c in self.store.comments.values()), default=0)
        last = max(
            [last, *(p.created for p in self.store.posts.values()), *(n.at for n in self.store.notifications)]
        )
        return max(at, last + 1)

    def _comment(self, post: str, text: str, actor: str, parent: str | None) -> LiComment:
        comment_id = self.store.next_id()
        activity = post if not parent else (_COMMENT_URN.fullmatch(parent) or _missing()).group("object")
        urn = f"urn:li:comment:({activity},{comment_id})"
        agent = self.admin if actor == self.organization else None
        comment = LiComment(urn, comment_id, post, actor, text, self._now(), parent, agent)
        self.store.comments[urn] = comment
        return comment

    # --- checks every call passes through ---

    def refuse(self, request: RecordedRequest) -> Response | None:
        return self._refused(request, write=request.method == "POST")  # every route needs the token

    def _refused(self, request: RecordedRequest, *, write: bool = False) -> Response | None:
        if request.header("Authorization") != f"Bearer {self.access_token}":
            return li_error(401, "Invalid access token", "INVALID_ACCESS_TOKEN")
        if self.token_expired:
            return li_error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN")
        version = request.header("LinkedIn-Version") or ""
        if not re.fullmatch(r"\d{6}", version):
            return li_error(
                400,
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                "VERSION_MISSING",
            )
        if version < OLDEST_VERSION:
            return li_error(426, f"Requested version {version} is not active")
        if request.header("X-Restli-Protocol-Version") != "2.0.0":
            return li_error(
                400, "Rest.li protocol 2.0.0 is required for this resource (X-Restli-Protocol-Version)."
            )
        if write and not self.can_write:
            return li_error(403, "Not enough permissions to access: partnerApiSocialActions.CREATE.20261101")
        return None

    # --- routes ---

    @route("GET", r"/rest/organizations/(?P<id>\d+)")
    def organization_lookup(self, request: RecordedRequest) -> Response:
        if request.path_params["id"] != self.organization_id:
            return li_error(403, "Not enough permissions to access: organizations.GET")
        return Response(
            200,
            {"id": int(self.organization_id), "localizedName": self.page_name, "vanityName": "parleydemo"},
        )

    @route("GET", r"/rest/posts")
    def posts_by_author(self, request: RecordedRequest) -> Response:
        if request.query.get("q") != "author" or not request.query.get("author"):
            return li_error(400, "Missing or invalid finder: q=author&author=...")
        author = request.query["author"]
        start, count = int(request.query.get("start") or 0), min(int(request.query.get("count") or 10), 100)
        with self._lock:
            found = sorted(
                (p for p in self.store.posts.values() if p.author == author),
                key=lambda p: p.created,
                reverse=True,
            )
            page = [p.render() for p in found[start : start + count]]
        return Response(200, {"elements": page, "paging": {"start": start, "count": count, "links": []}})

    @route("GET", r"/rest/posts/(?P<urn>[^/]+)")
    def get_post(self, request: RecordedRequest) -> Response:
        with self._lock:
            post = self.store.posts.get(unquote(request.path_params["urn"]))
            return Response(200, post.render()) if post else li_error(404, "Not found")

    @route("GET", r"/rest/socialActions/(?P<target>[^/]+)/comments")
    def list_comments(self, request: RecordedRequest) -> Response:
        target = unquote(request.path_params["target"])
        start, count = int(request.query.get("start") or 0), min(int(request.query.get("count") or 10), 100)
        with self._lock:
            if target not in self.store.posts and target not in self.store.comments:
                return li_error(404, f"Not found: {target}")
            found = self.store.under(target)
            page = [c.render(len(self.store.under(c.urn))) for c in found[start : start + count]]
        paging = {"start": start, "count": count, "total": len(found), "links": []}
        return Response(200, {"elements": page, "paging": paging})

    @route("POST", r"/rest/socialActions/(?P<target>[^/]+)/comments")
    def create_comment(self, request: RecordedRequest) -> Response:
        target = unquote(request.path_params["target"])
        body = request.json()
        invalid = self._invalid_comment(target, body)
        if invalid:
            return invalid
        with self._lock:
            comment = self._comment(
                body["object"], body["message"]["text"], body["actor"], body.get("parentComment")
            )
        return Response(201, comment.render(), {"x-restli-id": comment.id, "x-linkedin-id": comment.id})

    def _invalid_comment(self, target: str, body: Any) -> Response | None:
        if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
            return li_error(422, "message is required", "UNPROCESSABLE_ENTITY")
        text = body["message"].get("text")
        if not isinstance(text, str) or not text.strip():
            return li_error(422, "/message/text is required", "UNPROCESSABLE_ENTITY")
        if len(text) > MAX_COMMENT_CHARS:
            return li_error(
                422, f"/message/text is longer than {MAX_COMMENT_CHARS} characters", "UNPROCESSABLE_ENTITY"
            )
        if body.get("actor") not in (self.organization, self.admin):
            return li_error(403, "Member is not allowed to act as the given actor", "ACCESS_DENIED")
        with self._lock:
            if target.startswith("urn:li:comment:"):
                parent = self.store.comments.get(target)
                if parent is None:
                    return li_error(404, f"Not found: {target}")
                if body.get("parentComment") != target or body.get("object") != parent.object:
                    return li_error(400, "parentComment and object must name the comment and its post")
                if parent.parent is not None:
                    return li_error(400, "Comments can only be nested one level")
            elif target not in self.store.posts:
                return li_error(404, f"Not found: {target}")
            elif body.get("object") != target:
                return li_error(400, "object must be the post the comment is on")
        return None

    @route("GET", r"/rest/organizationalEntityNotifications")
    def notifications(self, request: RecordedRequest) -> Response:
        query = request.query
        if query.get("q") != "criteria" or query.get("organizationalEntity") != self.organization:
            return li_error(
                400, "q=criteria and the organizationalEntity the member administers are required"
            )
        actions = _LIST.fullmatch(query.get("actions", "List()"))
        window = _TIME_RANGE.fullmatch(query.get("timeRange", ""))
        if actions is None or window is None:
            return li_error(400, "Invalid Rest.li 2.0 value for actions or timeRange")
        wanted = set(actions.group("items").split(","))
        start, end = int(window.group("start")), int(window.group("end"))
        with self._lock:
            found = [
                n.render(self.organization)
                for n in self.store.notifications
                if n.action in wanted and start <= n.at <= end
            ]
        return Response(200, {"elements": found, "paging": {"start": 0, "count": len(found), "links": []}})

    def failure_response(self, request: RecordedRequest, status: int, body: object) -> Response:
        messages = {
            429: "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
        }
        return li_error(status, messages.get(status, "Injected failure"))


def _missing() -> re.Match[str]:
    raise ValueError("not a comment URN")
