"""The Facebook Page and Instagram connectors: one Graph client each, the same Page token.

A connector has one `network`, so a Page and its Instagram account are two connectors (two
accounts in the settings) sharing the META_* variables; both answer messages through the Page's
``/{page-id}/messages`` (the Messenger Platform serves Instagram Direct too).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain import Network, Post, Reply, now
from bot.domain.windows import Phase, reply_window
from connectors.base import Batch, Forbidden, Unverifiable
from connectors.meta import mapping, polling
from connectors.meta.client import GRAPH_URL, GraphClient
from connectors.meta.webhook import Lookup

FIRST_LOOK_BACK = timedelta(hours=24)  # what the first poll (no cursor yet) brings in
WINDOW_CLOSED = (
    "The messaging window is closed: Meta lets a Page answer a message within 24 hours (7 days with the "
    'human agent tag), so this one can no longer be answered there. Reject it with "window closed".'
)


class MetaConnector(ABC):
    """What the Page and the Instagram connectors share: the client, messages, replies by kind.

    Args:
        access_token: the Page access token (long-lived), for the Page and its Instagram account.
        app_secret: the Meta app's secret, for `appsecret_proof`.
        page_id: the Facebook Page's id.
        ig_user_id: the Instagram professional account linked to the Page (Instagram only).
        name: how the card names the brand account ("Answering as …"); the id when empty.
        base_url: the versioned Graph API URL; an emulator's in tests.
        human_agent: the app has Meta's Human Agent feature: messages may be answered up to 7 days.
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    network = Network.FACEBOOK

    def __init__(
        self,
        *,
        access_token: str,
        app_secret: str,
        page_id: str,
        ig_user_id: str = "",
        name: str = "",
        base_url: str = GRAPH_URL,
        human_agent: bool = True,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not page_id:
            raise ValueError("a Meta connector needs the Page id (META_PAGE_ID)")
        self.graph = GraphClient(
            access_token=access_token, app_secret=app_secret, base_url=base_url, timeout=timeout, clock=clock
        )
        self.page_id = page_id
        self.ig_user_id = ig_user_id
        self._name = name
        self.human_agent = human_agent
        self._clock = clock

    @property
    def me(self) -> str:
        """The id our own posts and messages carry: the Page's, or the Instagram account's."""
        return self.page_id

    @property
    def account(self) -> str:
        return self._name or self.me

    # --- reading ---

    def fetch(self, cursor: str | None) -> Batch:
        """Posts since `cursor` (epoch seconds of the newest seen; the last 24 hours at first), oldest first."""
        since = (
            datetime.fromtimestamp(int(cursor), self._clock().tzinfo)
            if cursor and cursor.isdigit()
            else self._clock() - FIRST_LOOK_BACK
        )
        found: dict[str, Post] = {}
        for post in self._read(since):
            if post.created_at >= since:
                found.setdefault(post.id, replace(post, account=self.account))
        posts = sorted(found.values(), key=lambda p: (p.created_at, p.id))
        newest = int(max((p.created_at for p in posts), default=since).timestamp())
        return Batch(posts=posts, cursor=str(max(newest, int(cursor) if cursor and cursor.isdigit() else 0)))

    @abstractmethod
    def _read(self, since: datetime) -> Iterable[Post]:
        """The comments (and mentions) since `since`: each network reads its own places."""

    def _messages(self, since: datetime) -> Iterable[Post]:
        return polling.messages(
            self.graph, self.network, page_id=self.page_id, me=self.me, since=since, clock=self._clock
        )

    def acknowledge(self, batch: Batch) -> None:  # noqa: B027 - a real no-op, not a missing override
        """Nothing to mark: the cursor (a time) is all Parley keeps."""

    @abstractmethod
    def lookup(self, mention: Lookup) -> Post | None:
        """A mention the webhook announced without its text, read through Graph."""

    # --- answering ---

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        if post.private:
            return self._message(post, text)
        body = self.graph.post(f"{post.id}/comments", "posting the reply", {"message": text})
        return self._reply(str(body["id"]), mapping.facebook_url(str(body["id"])))

    def find_reply(self, post: Post, text: str) -> Reply | None:
        if post.private:
            return self._find_message(post, text)
        body = self.graph.get(
            f"{post.id}/comments",
            "checking for an earlier reply",
            fields="id,message,from,created_time",
            limit=100,
        )
        return self._find(body.get("data") or [], text, "message", "created_time", mapping.facebook_url)

    def set_hidden(self, post: Post, hidden: bool) -> None:
        """Hide a public comment from everyone but its author and their friends (or show it again)."""
        self._check_hideable(post)
        self.graph.post(
            post.id, "hiding the comment" if hidden else "unhiding the comment", {"is_hidden": hidden}
        )

    def _check_hideable(self, post: Post) -> None:
        if post.private or mapping.is_mention(post):
            raise Forbidden(f"Only comments on the brand's own {self.network.label} posts can be hidden.")

    def _message(self, post: Post, text: str) -> Reply:
        window = reply_window(post, self._clock(), human_agent=self.human_agent)
        if window is not None and window.phase is Phase.CLOSED:
            raise Forbidden(WINDOW_CLOSED)
        payload: dict[str, Any] = {"recipient": {"id": post.author.id}, "message": {"text": text}}
        if window is not None and window.phase is Phase.HUMAN_AGENT:
            payload |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        else:
            payload["messaging_type"] = "RESPONSE"
        body = self.graph.post(f"{self.page_id}/messages", "sending the message", payload)
        reply = self._reply(str(body["message_id"]), post.url)
        return replace(reply, conversation_id=post.conversation_id)

    def _find_message(self, post: Post, text: str) -> Reply | None:
        found = polling.conversation_with(
            self.graph, self.network, page_id=self.page_id, person=post.author.id
        )
        mine = [
            m
            for m in found
            if str((m.get("from") or {}).get("id") or "") in (self.me, self.page_id)
            and (mapping.parse_time(m.get("created_time")) or post.created_at) >= post.created_at
        ]
        return self._find(mine, text, "message", "created_time", lambda _id: post.url)

    def _find(
        self, items: Iterable[Any], text: str, text_key: str, time_key: str, url: Callable[[str], str]
    ) -> Reply | None:
        wanted = mapping.clean(text)
        for item in items:
            if not isinstance(item, dict):
                continue
            ours = str((item.get("from") or {}).get("id") or "") in (self.me, self.page_id)
            if ours and mapping.clean(str(item.get(text_key) or "")) == wanted:
                posted = mapping.parse_time(item.get(time_key)) or self._clock()
                return Reply(id=str(item["id"]), url=url(str(item["id"])), posted_at=posted)
        return None

    def _reply(self, reply_id: str, url: str) -> Reply:
        return Reply(id=reply_id, url=url, posted_at=self._clock())

    # --- the doctor ---

    @abstractmethod
    def verify(self) -> str:
        """Reach Graph as `parley doctor` does: the token, then each read the poll needs (a missing
        permission is named). Returns what was found; raises a ConnectorError."""

    def _verify_messages(self) -> None:
        platform = "instagram" if self.network is Network.INSTAGRAM else "messenger"
        self.graph.get(
            f"{self.page_id}/conversations",
            f"reading {self.network.label} messages (pages_messaging"
            + (", instagram_manage_messages)" if platform == "instagram" else ")"),
            platform=platform,
            limit=1,
        )

    def close(self) -> None:
        self.graph.close()

    def __enter__(self) -> MetaConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FacebookConnector(MetaConnector):
    """A Facebook Page: comments on its posts, posts and comments that mention it, Messenger."""

    network = Network.FACEBOOK

    def _read(self, since: datetime) -> Iterable[Post]:
        yield from polling.page_comments(self.graph, self.page_id, self._clock)
        yield from polling.page_mentions(self.graph, self.page_id, self._clock)
        yield from self._messages(since)

    def lookup(self, mention: Lookup) -> Post | None:
        object_id = mention.comment_id or mention.media_id
        item = self.graph.get(object_id, "reading the mention", fields=polling.MESSAGE_FIELDS)
        return replace(
            mapping.facebook_mention(item, page_id=self.page_id, clock=self._clock), account=self.account
        )

    def verify(self) -> str:
        page = self.graph.get(self.page_id, "reading the Page (pages_read_engagement)", fields="id,name")
        self.graph.get(f"{self.page_id}/feed", "reading the Page's posts (pages_read_engagement)", limit=1)
        self._verify_messages()
        return f"Page {page.get('name', '?')} ({page.get('id', self.page_id)}), usage {self.graph.usage.percent:.0f}%"


class InstagramConnector(MetaConnector):
    """The Instagram professional account linked to the Page: comments, @mentions, Instagram Direct."""

    network = Network.INSTAGRAM

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if not self.ig_user_id:
            raise ValueError("an Instagram connector needs the Instagram account id (META_IG_USER_ID)")

    @property
    def me(self) -> str:
        return self.ig_user_id

    def _read(self, since: datetime) -> Iterable[Post]:
        yield from polling.media_comments(self.graph, self.ig_user_id, self._clock)
        yield from self._messages(since)

    def lookup(self, mention: Lookup) -> Post | None:
        edge = "mentioned_comment.comment_id" if mention.comment_id else "mentioned_media.media_id"
        wanted = mention.comment_id or mention.media_id
        fields = "id,text,caption,timestamp,username,permalink,media{id,permalink,caption}"
        body = self.graph.get(self.ig_user_id, "reading the mention", fields=f"{edge}({wanted}){{{fields}}}")
        found = body.get("mentioned_comment" if mention.comment_id else "mentioned_media")
        if not isinstance(found, dict):
            return None
        post = mapping.instagram_mention(
            found,
            ig_user_id=self.ig_user_id,
            media_id=mention.media_id,
            comment_id=mention.comment_id,
            clock=self._clock,
        )
        return replace(post, account=self.account)

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        if post.private:
            return self._message(post, text)
        if mapping.is_mention(post):
            payload = {"media_id": post.in_reply_to or post.conversation_id, "message": text}
            comment = post.id.removeprefix(mapping.MENTION)
            if comment != payload["media_id"]:
                payload["comment_id"] = comment
            body = self.graph.post(f"{self.ig_user_id}/mentions", "replying to the mention", payload)
        else:
            body = self.graph.post(f"{post.id}/replies", "posting the reply", {"message": text})
        return self._reply(str(body["id"]), post.url)

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply to a comment or a message. A reply to an @mention on someone else's media cannot
        be read back through Graph: a person is asked to look (see docs/connectors.md)."""
        if post.private:
            return self._find_message(post, text)
        if mapping.is_mention(post):
            raise Unverifiable(
                "Instagram does not let Parley check whether the interrupted attempt posted this reply "
                "to the mention. Look at the post on Instagram: if the reply is not there, click Retry."
            )
        body = self.graph.get(
            f"{post.id}/replies", "checking for an earlier reply", fields="id,text,from,username,timestamp"
        )
        return self._find(body.get("data") or [], text, "text", "timestamp", lambda _id: post.url)

    def set_hidden(self, post: Post, hidden: bool) -> None:
        self._check_hideable(post)
        self.graph.post(post.id, "hiding the comment" if hidden else "unhiding the comment", {"hide": hidden})

    def verify(self) -> str:
        user = self.graph.get(
            self.ig_user_id, "reading the Instagram account (instagram_basic)", fields="id,username"
        )
        self.graph.get(f"{self.ig_user_id}/media", "reading Instagram media (instagram_basic)", limit=1)
        self._verify_messages()
        return f"Instagram @{user.get('username', '?')} ({user.get('id', self.ig_user_id)})"
