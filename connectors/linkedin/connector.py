"""The LinkedIn connector: comments on the page's posts and mentions of the page in, comments as the page out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain import Network, Post, Reply, now
from connectors.base import Batch, Refused
from connectors.common import same_text
from connectors.linkedin.client import API_URL, VERSION, LinkedInClient, encoded
from connectors.linkedin.errors import translated
from connectors.linkedin.mapping import (
    Cursor,
    comment_object,
    comment_to_post,
    comment_urn,
    mention_to_post,
    ms,
    to_reply,
)

RECENT_POSTS = 10  # the page's newest posts whose comments are read each poll
COMMENT_PAGE = 100
COMMENT_PAGES = 2  # per post and poll
MENTION_PAGE = 50
REPLY_THREADS = 20  # comments whose replies are read each poll: the most recent with replies


class LinkedInConnector:
    """Reads a LinkedIn company page's comments and mentions and comments back as the page.

    Args:
        access_token: an OAuth 2.0 token of a page administrator with the Community Management
            permissions (r/w_organization_social_feed, rw_organization_admin).
        organization_id: the page's numeric id (``urn:li:organization:{id}``; the URN is accepted).
        api_url: where LinkedIn lives; an emulator's URL in tests.
        version: the ``LinkedIn-Version`` month (YYYYMM).
        timeout: seconds for each HTTP request.
        clock: returns the current aware UTC time.
    """

    def __init__(
        self,
        *,
        access_token: str,
        organization_id: str,
        api_url: str = API_URL,
        version: str = VERSION,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if not access_token:
            raise ValueError("LinkedIn needs an access token")
        org = organization_id.removeprefix("urn:li:organization:")
        if not org.isdigit():
            raise ValueError("LinkedIn's organization id is numeric (urn:li:organization:ID)")
        if not (len(version) == 6 and version.isdigit()):
            raise ValueError("LinkedIn-Version is a month written YYYYMM, e.g. 202611")
        self._org = f"urn:li:organization:{org}"
        self._org_id = org
        self._client = LinkedInClient(
            access_token=access_token, api_url=api_url, version=version, timeout=timeout
        )
        self._clock = clock
        self._name: str | None = None

    # --- Connector protocol ---

    @property
    def network(self) -> Network:
        return Network.LINKEDIN

    @property
    def account(self) -> str:
        """The page's name, looked up once (``GET /rest/organizations/{id}``)."""
        if self._name is None:
            with translated("looking up the company page", self._clock):
                data = self._client.get(f"organizations/{self._org_id}")
            self._name = str(data.get("localizedName") or self._org)
        return self._name

    @property
    def organization(self) -> str:
        return self._org

    def verify(self) -> str:
        """Read the page and its newest post, as `parley doctor` does: the token and its permissions."""
        self._name = None
        name = self.account
        with translated("reading the page's posts", self._clock):
            self._posts(1)
        return f"{name} ({self._org})"

    def fetch(self, cursor: str | None) -> Batch:
        """Comments on the page's newest posts (and replies under them) and posts mentioning the page,
        newer than `cursor`.

        The first poll only records the time (no backfill). The page's own comments are left out.
        """
        state = Cursor.parse(cursor)
        if state is None:
            at = ms(self._clock())
            return Batch(posts=[], cursor=Cursor(at, at - 1).dump())
        found: dict[str, Post] = {}
        seen: list[tuple[int, str]] = []
        for post, comment in self._new_comments(state):
            seen.append((int((comment.get("created") or {}).get("time") or 0), comment_urn(comment)))
            mapped = comment_to_post(comment, post=post, account=self.account, clock=self._clock)
            found[mapped.id] = mapped
        mentions, newest_mention = self._mentions(state.mentions)
        for mention in mentions:
            found.setdefault(mention.id, mention)
        posts = sorted(found.values(), key=lambda p: (p.created_at, p.id))
        return Batch(posts=posts, cursor=state.after(seen, newest_mention).dump())

    def _new_comments(self, since: Cursor) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(post, comment) for every comment by someone else newer than the cursor on the page's newest
        posts, and under the newest commented-on comments (LinkedIn nests one level)."""
        found: list[tuple[dict[str, Any], dict[str, Any]]] = []
        threads: list[tuple[int, dict[str, Any], str]] = []
        for post in self._posts(RECENT_POSTS):
            for comment in self._comments(str(post.get("id", ""))):
                created = int((comment.get("created") or {}).get("time") or 0)
                if (comment.get("commentsSummary") or {}).get("totalFirstLevelComments"):
                    threads.append((created, post, comment_urn(comment)))
                if since.is_new(created, comment_urn(comment)) and str(comment.get("actor")) != self._org:
                    found.append((post, comment))
        for _, post, parent in sorted(threads, key=lambda t: t[0], reverse=True)[:REPLY_THREADS]:
            for reply in self._comments(parent, pages=1):
                created = int((reply.get("created") or {}).get("time") or 0)
                if since.is_new(created, comment_urn(reply)) and str(reply.get("actor")) != self._org:
                    found.append((post, {**reply, "parentComment": reply.get("parentComment") or parent}))
        return found

    def acknowledge(self, batch: Batch) -> None:
        """Nothing to mark on LinkedIn: the cursor is all."""

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """A comment as the page: nested under the comment `post` is, or on the post that mentioned us."""
        target, parent, body = self._comment_body(post, text)
        with translated("posting the comment", self._clock):
            created, headers = self._client.post(f"socialActions/{encoded(target)}/comments", body)
        urn = comment_urn(created) or _urn_from_id(headers.get("x-restli-id", ""), parent or target)
        return to_reply(created, urn, body["object"], self._clock)

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """The page's comment with this text under `post`, if an earlier attempt posted it."""
        target, _, body = self._comment_body(post, text)
        for comment in self._comments(target, doing="checking for an earlier reply"):
            message = str((comment.get("message") or {}).get("text", ""))
            if str(comment.get("actor")) == self._org and same_text(message, text):
                return to_reply(comment, comment_urn(comment), body["object"], self._clock)
        return None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> LinkedInConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---

    def _posts(self, count: int) -> list[dict[str, Any]]:
        query = f"q=author&author={encoded(self._org)}&count={count}&sortBy=LAST_MODIFIED"
        with translated("reading the page's posts", self._clock):
            return list(self._client.get("posts", query).get("elements") or [])

    def _comments(
        self, target: str, *, doing: str = "reading comments", pages: int = COMMENT_PAGES
    ) -> list[dict[str, Any]]:
        comments: list[dict[str, Any]] = []
        for page in range(pages):
            with translated(doing, self._clock):
                body = self._client.get(
                    f"socialActions/{encoded(target)}/comments",
                    f"start={page * COMMENT_PAGE}&count={COMMENT_PAGE}",
                )
            elements = list(body.get("elements") or [])
            comments += elements
            total = (body.get("paging") or {}).get("total")
            if len(elements) < COMMENT_PAGE or (isinstance(total, int) and len(comments) >= total):
                break
        return comments

    def _mentions(self, since: int) -> tuple[list[Post], int]:
        """Posts that mentioned the page after `since` (organization notifications, SHARE_MENTION)."""
        end = ms(self._clock())
        query = (
            f"q=criteria&organizationalEntity={encoded(self._org)}&actions=List(SHARE_MENTION)"
            f"&timeRange=(start:{since + 1},end:{end})&count={MENTION_PAGE}"
        )
        with translated("reading the page's mentions", self._clock):
            notifications = list(
                self._client.get("organizationalEntityNotifications", query).get("elements") or []
            )
        posts: list[Post] = []
        newest = since
        for notification in notifications:
            newest = max(newest, int(notification.get("lastModifiedAt") or 0))
            source = str(notification.get("sourcePost") or "")
            if notification.get("action") != "SHARE_MENTION" or not source:
                continue
            with translated("reading a post that mentions the page", self._clock):
                mentioning = self._client.get(f"posts/{encoded(source)}")
            if str(mentioning.get("author")) != self._org:
                posts.append(mention_to_post(mentioning, account=self.account, clock=self._clock))
        return posts, newest

    def _comment_body(self, post: Post, text: str) -> tuple[str, str | None, dict[str, Any]]:
        """Where to POST, the parent comment (None on a post) and the body of our comment."""
        body: dict[str, Any] = {"actor": self._org, "message": {"text": text}}
        if post.id.startswith("urn:li:comment:"):
            # LinkedIn nests one level: an answer to a reply goes under the comment it replies to.
            parent = post.in_reply_to if post.in_reply_to else post.id
            parent_object = comment_object(parent)
            if parent_object is None:
                raise Refused(f"{post.id} is not a LinkedIn comment Parley can answer.")
            return parent, parent, {**body, "object": parent_object, "parentComment": parent}
        if post.id.startswith(("urn:li:share:", "urn:li:ugcPost:", "urn:li:activity:")):
            return post.id, None, {**body, "object": post.id}
        raise Refused(f"{post.id} is not a LinkedIn post or comment, so Parley cannot reply to it.")


def _urn_from_id(restli_id: str, parent: str) -> str:
    """The new comment's URN when LinkedIn only returned its id (``x-restli-id``)."""
    target = comment_object(parent) or parent
    return f"urn:li:comment:({target},{restli_id})" if restli_id else ""
