"""Meta's webhook delivery: the documented payloads, signed as Meta signs them, POSTed to Parley.

Payloads follow the Graph API webhooks reference (Page ``feed`` with ``item: comment``,
``mention``; Instagram ``comments``, ``mentions``) and the Messenger Platform's ``messages``
(Messenger and Instagram Direct): ``{"object": "page" | "instagram", "entry": [...]}``, one entry
per Page or IG account, ``changes`` for feed-like fields, ``messaging`` for messages. The body is
JSON with non-ASCII escaped as Meta sends it; ``X-Hub-Signature-256`` is ``sha256=`` and the hex
HMAC-SHA256 of those exact bytes keyed with the app secret (``X-Hub-Signature``: the same in SHA-1).
Meta retries a delivery that did not get a 200; `redeliver` sends the same bytes again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from emulators.meta.store import Comment, Item, Message, graph_time

if TYPE_CHECKING:
    from emulators.meta.emulator import MetaEmulator


@dataclass(frozen=True)
class Delivery:
    body: bytes
    status: int
    answer: str


def signed_headers(body: bytes, app_secret: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "facebookexternalua",
        "X-Hub-Signature": "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest(),
        "X-Hub-Signature-256": "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest(),
    }


class Webhooks:
    """Builds and delivers webhook notifications for what happened in the emulated Graph."""

    def __init__(self, graph: MetaEmulator) -> None:
        self.graph = graph
        self.target = ""  # Parley's callback URL (…/webhooks/meta)
        self.verify_token = ""
        self.sent: list[Delivery] = []

    # --- payloads ---

    def _envelope(self, obj: str, entry_id: str, **content: Any) -> dict[str, Any]:
        return {"object": obj, "entry": [{"id": entry_id, "time": int(self.graph.clock()), **content}]}

    def page_comment(self, comment: Comment) -> dict[str, Any]:
        post = self.graph.store.items[comment.item_id]
        value = {
            "from": {"id": comment.author.id, "name": comment.author.name},
            "post": {
                "status_type": "mobile_status_update",
                "is_published": True,
                "updated_time": graph_time(comment.created),
                "permalink_url": post.permalink,
                "promotion_status": "inactive",
                "id": post.id,
            },
            "message": comment.text,
            "post_id": post.id,
            "comment_id": comment.id,
            "created_time": int(comment.created),
            "item": "comment",
            "parent_id": comment.parent_id or post.id,
            "verb": "add",
        }
        return self._envelope("page", self.graph.page_id, changes=[{"field": "feed", "value": value}])

    def page_mention(self, item: Item, comment: Comment | None = None) -> dict[str, Any]:
        author = comment.author if comment else item.author
        value: dict[str, Any] = {
            "post_id": item.id,
            "sender_name": author.name if author else "",
            "item": "comment" if comment else "post",
            "sender_id": author.id if author else "",
            "verb": "add",
        }
        if comment is not None:
            value["comment_id"] = comment.id
        return self._envelope("page", self.graph.page_id, changes=[{"field": "mention", "value": value}])

    def instagram_comment(self, comment: Comment) -> dict[str, Any]:
        value: dict[str, Any] = {
            "from": {"id": comment.author.id, "username": comment.author.username or comment.author.name},
            "media": {"id": comment.item_id, "media_product_type": "FEED"},
            "id": comment.id,
            "text": comment.text,
        }
        if comment.parent_id:
            value["parent_id"] = comment.parent_id
        return self._envelope(
            "instagram", self.graph.ig_user_id, changes=[{"field": "comments", "value": value}]
        )

    def instagram_mention(self, item: Item, comment: Comment | None = None) -> dict[str, Any]:
        value = {"media_id": item.id, **({"comment_id": comment.id} if comment else {})}
        return self._envelope(
            "instagram", self.graph.ig_user_id, changes=[{"field": "mentions", "value": value}]
        )

    def message(self, message: Message) -> dict[str, Any]:
        conversation = self.graph.store.conversations[message.conversation_id]
        instagram = conversation.platform == "instagram"
        me = self.graph.ig_user_id if instagram else self.graph.page_id
        event = {
            "sender": {"id": message.sender.id},
            "recipient": {"id": me},
            "timestamp": int(message.created * 1000),
            "message": {"mid": message.id, "text": message.text},
        }
        return self._envelope("instagram" if instagram else "page", me, messaging=[event])

    # --- delivery ---

    def encode(self, payload: dict[str, Any]) -> bytes:
        return json.dumps(payload, separators=(",", ":")).encode()

    def deliver(
        self, payload: dict[str, Any], *, secret: str | None = None, signed: bool = True, timeout: float = 10
    ) -> Delivery:
        """POST `payload` to the target, signed with the app secret (or `secret`); records the delivery."""
        return self.send(self.encode(payload), secret=secret, signed=signed, timeout=timeout)

    def send(
        self, body: bytes, *, secret: str | None = None, signed: bool = True, timeout: float = 10
    ) -> Delivery:
        headers = signed_headers(body, secret or self.graph.app_secret)
        if not signed:
            headers = {k: v for k, v in headers.items() if not k.startswith("X-Hub")}
        response = requests.post(self.target, data=body, headers=headers, timeout=timeout)
        delivery = Delivery(body, response.status_code, response.text)
        self.sent.append(delivery)
        return delivery

    def redeliver(self, delivery: Delivery) -> Delivery:
        """What Meta does when it believes a delivery failed: the same bytes, signed the same."""
        return self.send(delivery.body)

    def verify(self, *, token: str | None = None, challenge: str = "1158201444") -> requests.Response:
        """The subscription check Meta makes when the callback URL is saved in the App Dashboard."""
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": token or self.verify_token,
            "hub.challenge": challenge,
        }
        return requests.get(self.target, params=params, timeout=10)
