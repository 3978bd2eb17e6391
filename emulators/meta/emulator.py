"""`MetaEmulator`: the Graph API routes Parley's client calls, on the real wire format."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

from emulators.http import Emulator, RecordedRequest, Response, route
from emulators.meta import graph
from emulators.meta.store import Comment, Conversation, GraphStore, Message, graph_time
from emulators.meta.webhooks import Webhooks
from emulators.meta.world import World

VERSION = "v21.0"
_NODE = r"/v\d+\.\d+/(?P<node>[^/]+)"
STANDARD_WINDOW = 24 * 3600
HUMAN_AGENT_WINDOW = 7 * 24 * 3600
LIMITS = {"facebook": 8_000, "instagram": 2_200, "messenger": 2_000, "instagram_direct": 1_000}


class MetaEmulator(World, Emulator):
    """A Page, its Instagram account and their people, behind Graph's endpoints; `webhooks` delivers."""

    def __init__(
        self,
        *,
        app_secret: str = "meta-app-secret",
        access_token: str = "EAAG-page-token",
        page_id: str = "1000000001",
        page_name: str = "Parley Demo",
        ig_user_id: str = "17841400000000001",
        ig_username: str = "parleydemo",
        clock: Callable[[], float] = time.time,
        port: int = 0,
    ) -> None:
        super().__init__(port=port)
        self.app_secret = app_secret
        self.access_token = access_token
        self.clock = clock
        self.store = GraphStore(
            page_id=page_id, page_name=page_name, ig_user_id=ig_user_id, ig_username=ig_username
        )
        self.webhooks = Webhooks(self)
        self.token_expired = False
        self.missing: set[str] = set()  # permissions the token lacks (e.g. "pages_messaging")
        self.human_agent = True  # the app has Meta's Human Agent feature
        self.usage_percent = 3
        self._rate_limited_for = 0  # minutes, on the next call only

    @property
    def graph_url(self) -> str:
        return f"{self.url}/{VERSION}"

    # --- test controls ---

    def expire_token(self) -> None:
        self.token_expired = True

    def revoke(self, permission: str) -> None:
        self.missing.add(permission)

    def rate_limit_next(self, minutes: int) -> None:
        """The next call is refused with code 32 and `estimated_time_to_regain_access` = `minutes`."""
        self._rate_limited_for = minutes

    def replies(self, platform: str | None = None) -> list[Comment]:
        """Comments and replies the Page or IG account wrote, oldest first."""
        mine = (self.page_id, self.ig_user_id)
        with self.store.lock:
            found = [c for c in self.store.comments.values() if c.author.id in mine]
        return sorted((c for c in found if platform in (None, c.platform)), key=lambda c: c.created)

    def sent_messages(self, platform: str | None = None) -> list[Message]:
        mine = (self.page_id, self.ig_user_id)
        with self.store.lock:
            return [
                m
                for c in self.store.conversations.values()
                if platform in (None, c.platform)
                for m in c.messages
                if m.sender.id in mine
            ]

    # --- access ---

    def _refused(self, request: RecordedRequest) -> Response | None:
        bearer = (request.header("Authorization") or "").removeprefix("Bearer ").removeprefix("OAuth ")
        token = request.query.get("access_token") or bearer.strip() or None
        proof = request.query.get("appsecret_proof")
        if not token:
            return graph.error(
                400, "An active access token must be used to query information about the current user.", 2500
            )
        if self.token_expired or token != self.access_token:
            return graph.error(
                401,
                "Error validating access token: Session has expired on Sunday, 06-Dec-26 10:00:00 PST.",
                190,
                subcode=463,
            )
        expected = hmac.new(self.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
        if not proof or not hmac.compare_digest(proof, expected):
            return graph.error(
                400, "Invalid appsecret_proof provided in the API argument", 100, kind="GraphMethodException"
            )
        if self._rate_limited_for:
            minutes, self._rate_limited_for = self._rate_limited_for, 0
            headers = graph.usage_headers(100, business_id=self.page_id, regain_minutes=minutes)
            return graph.error(400, "(#32) Page request limit reached", 32, headers=headers)
        return None

    def _needs(self, *permissions: str) -> Response | None:
        lacking = [p for p in permissions if p in self.missing]
        if lacking:
            return graph.error(
                403,
                f"(#200) Requires {lacking[0]} permission to manage the object",
                200,
                kind="OAuthException",
            )
        return None

    def refuse(self, request: RecordedRequest) -> Response | None:
        return self._refused(request) if request.path.startswith("/v") else None

    def handle(self, request: RecordedRequest) -> Response:
        response = super().handle(request)
        response.headers = {
            **graph.usage_headers(self.usage_percent, business_id=self.page_id),
            **response.headers,
        }
        request.response = response
        return response

    # --- reading ---

    @route("GET", _NODE)
    def get_node(self, request: RecordedRequest) -> Response:
        node, fields = request.path_params["node"], request.query.get("fields", "")
        store = self.store
        with store.lock:
            if node == self.page_id:
                return Response(200, graph.select({"id": node, "name": store.page.name}, fields))
            if node == self.ig_user_id:
                asked = graph.mentioned(fields)
                if asked is not None:
                    return self._mentioned(*asked)
                return Response(200, graph.select({"id": node, "username": store.ig.username}, fields))
            if node in store.items:
                return Response(200, graph.select(graph.item_json(store.items[node]), fields))
            if node in store.comments:
                comment = store.comments[node]
                return Response(
                    200, graph.select(graph.comment_json(comment, store.items.get(comment.item_id)), fields)
                )
        return graph.error(
            400,
            f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due to "
            "missing permissions, or does not support this operation.",
            100,
            kind="GraphMethodException",
            subcode=33,
        )

    def _mentioned(self, kind: str, wanted: str) -> Response:
        refused = self._needs("instagram_manage_comments")
        if refused:
            return refused
        if kind == "comment" and wanted in self.store.comments:
            comment = self.store.comments[wanted]
            found = graph.comment_json(comment, self.store.items.get(comment.item_id))
            return Response(200, {"mentioned_comment": found, "id": self.ig_user_id})
        if kind == "media" and wanted in self.store.items:
            return Response(
                200, {"mentioned_media": graph.item_json(self.store.items[wanted]), "id": self.ig_user_id}
            )
        return graph.error(400, "Invalid parameter", 100, subcode=33)

    @route("GET", _NODE + r"/(?P<edge>feed|tagged|media|comments|replies|conversations|messages)")
    def get_edge(self, request: RecordedRequest) -> Response:
        node, edge, q = request.path_params["node"], request.path_params["edge"], request.query
        refused = self._needs(*_READ_PERMISSIONS.get(edge, ()))
        if refused:
            return refused
        with self.store.lock:
            if edge in ("feed", "media"):
                items = sorted(
                    (i for i in self.store.items.values() if i.owner == node and i.author is None),
                    key=lambda i: i.created,
                    reverse=True,
                )
                found = [graph.item_json(i) for i in items]
            elif edge == "tagged":
                items = sorted(
                    (i for i in self.store.items.values() if node in i.tagged),
                    key=lambda i: i.created,
                    reverse=True,
                )
                found = [graph.item_json(i) for i in items]
            elif edge in ("comments", "replies"):
                found = [graph.comment_json(c, None) for c in self.store.comments_under(node)]
            elif edge == "conversations":
                found = self._conversations(node, q.get("platform", "messenger"), q.get("user_id"))
            else:
                conversation = self.store.conversations.get(node)
                messages = (
                    sorted(conversation.messages, key=lambda m: m.created, reverse=True)
                    if conversation
                    else []
                )
                found = (
                    [graph.message_json(m, conversation.platform) for m in messages] if conversation else []
                )
        return Response(200, graph.page([graph.select(f, q.get("fields")) for f in found], q.get("limit")))

    def _conversations(self, node: str, platform: str, user_id: str | None) -> list[dict[str, Any]]:
        if node != self.page_id:
            return []
        found = [
            c
            for c in self.store.conversations.values()
            if c.platform == platform and user_id in (None, c.person.id)
        ]
        found.sort(key=lambda c: c.updated, reverse=True)
        return [{"id": c.id, "updated_time": graph_time(c.updated)} for c in found]

    # --- writing ---

    @route("POST", _NODE + r"/(?P<edge>comments|replies|mentions|messages)")
    def post_edge(self, request: RecordedRequest) -> Response:
        node, edge = request.path_params["node"], request.path_params["edge"]
        params = request.params()
        if edge == "messages":
            return self._send(node, params)
        text = str(params.get("message") or "")
        platform = "facebook" if edge == "comments" else "instagram"
        refused = self._needs(
            "pages_manage_engagement" if platform == "facebook" else "instagram_manage_comments"
        )
        if refused:
            return refused
        if not text.strip():
            return graph.error(400, "(#100) The parameter message is required", 100)
        if len(text) > LIMITS[platform]:
            return graph.error(400, f"(#100) message must be at most {LIMITS[platform]} characters", 100)
        with self.store.lock:
            if edge == "mentions":
                node = str(params.get("comment_id") or params.get("media_id") or "")
            target = self.store.comments.get(node) or self.store.items.get(node)
            if target is None:
                return graph.error(400, "(#100) Unsupported post request.", 100, subcode=33)
            me = self.store.page if platform == "facebook" else self.store.ig
            item_id = target.item_id if isinstance(target, Comment) else target.id
            parent = target.id if isinstance(target, Comment) else None
            if isinstance(target, Comment) and target.parent_id and platform == "facebook":
                parent = target.parent_id  # Facebook keeps one level of replies
            reply = Comment(self._id(platform, item_id), item_id, me, text, self.clock(), platform, parent)
            self.store.comments[reply.id] = reply
        return Response(200, {"id": reply.id})

    def _send(self, node: str, params: dict[str, Any]) -> Response:
        recipient = str((params.get("recipient") or {}).get("id") or "")
        text = str((params.get("message") or {}).get("text") or "")
        with self.store.lock:
            conversation = next(
                (c for c in self.store.conversations.values() if c.person.id == recipient), None
            )
            if node != self.page_id or conversation is None:
                return graph.error(400, "(#100) No matching user found", 100, subcode=2018001)
            refused = self._needs(
                "pages_messaging",
                *(["instagram_manage_messages"] if conversation.platform == "instagram" else []),
            )
            if refused:
                return refused
            limit = LIMITS["instagram_direct" if conversation.platform == "instagram" else "messenger"]
            if len(text) > limit:
                return graph.error(
                    400, f"(#100) Length of param message[text] must be less than or equal to {limit}", 100
                )
            problem = self._outside_window(conversation, params)
            if problem:
                return problem
            me = self.store.ig if conversation.platform == "instagram" else self.store.page
            sent = Message(
                f"m_{self.store.next_id()}", conversation.id, me, text, self.clock(), tag=params.get("tag")
            )
            conversation.messages.append(sent)
        return Response(200, {"recipient_id": recipient, "message_id": sent.id})

    def _outside_window(self, conversation: Conversation, params: dict[str, Any]) -> Response | None:
        last = conversation.last_from(conversation.person.id) or 0
        age = self.clock() - last
        tagged = params.get("messaging_type") == "MESSAGE_TAG" and params.get("tag") == "HUMAN_AGENT"
        if tagged and not self.human_agent:
            return graph.error(
                400, "(#10) Application does not have the capability to make this API call.", 10
            )
        if age <= STANDARD_WINDOW or (tagged and age <= HUMAN_AGENT_WINDOW):
            return None
        return graph.error(400, "(#10) This message is sent outside of allowed window.", 10, subcode=2018278)

    @route("POST", _NODE)
    def post_node(self, request: RecordedRequest) -> Response:
        node, params = request.path_params["node"], request.params()
        with self.store.lock:
            comment = self.store.comments.get(node)
            if comment is None:
                return graph.error(400, "(#100) Unsupported post request.", 100, subcode=33)
            key = "hide" if comment.platform == "instagram" else "is_hidden"
            if key not in params:
                return graph.error(400, f"(#100) The parameter {key} is required", 100)
            refused = self._needs(
                "pages_manage_engagement" if comment.platform == "facebook" else "instagram_manage_comments"
            )
            if refused:
                return refused
            if self.store.owner_of(comment.item_id) not in (self.page_id, self.ig_user_id):
                return graph.error(403, "(#200) Permissions error", 200)
            comment.hidden = str(params[key]).lower() in ("true", "1")
        return Response(200, {"success": True})

    def reset(self) -> None:
        super().reset()
        self.token_expired = False
        self.missing.clear()
        self._rate_limited_for = 0


_READ_PERMISSIONS = {
    "feed": ("pages_read_engagement",),
    "tagged": ("pages_read_engagement",),
    "media": ("instagram_basic",),
    "comments": ("pages_read_engagement",),
    "replies": ("instagram_manage_comments",),
    "conversations": ("pages_messaging",),
    "messages": ("pages_messaging",),
}
