"""The one protocol every network connector implements, and the one error tree they raise.

A connector is any object with the methods of :class:`Connector` (no base class to inherit):
``network`` and ``account`` say whose posts it reads, ``fetch(cursor)`` returns a :class:`Batch`
of newer posts, oldest first, ``acknowledge(batch)`` runs once they are stored, ``reply`` posts
once and never retries by itself, and ``find_reply`` looks for a reply an interrupted attempt may
have posted. `connectors.CONNECTORS` names the connector of each network.

Errors::

    ConnectorError            anything a connector could not do; `kind` names it for the user
    ├── RateLimited           429 or the network's own limit; `retry_at` says when to try again
    ├── Unavailable           5xx, timeouts, connection errors: try again soon
    └── Refused               the network said no and will say no again
        ├── Duplicate         the same text was already posted
        ├── Forbidden         not allowed (locked thread, reply restrictions, suspended account)
        ├── Gone              the post was deleted
        ├── Unauthorized      bad or expired credentials
        └── Unverifiable      `find_reply` cannot tell whether an interrupted attempt posted

Some networks can do more; a connector that can says so by having the methods of a capability
protocol below (checked with `isinstance`): `PrivateReplies` (answer a public post by private
message), `Moderation` (hide a public comment), `Streaming` (the network pushes new posts).

Posts carry what conversations need: `conversation_id` (the thread, or the private conversation, on
the network), `in_reply_to` (the post, or our reply, a post answers) and `private`.

`RateLimited` and `Unavailable` are `retryable`; a `Refused` stays final until a person edits or
approves again. Connectors translate their SDK's exceptions into these, so services never import
an SDK; the message is shown to the team in Slack as is. Only a connector's constructor raises
anything else (`ValueError` for settings it cannot work with).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.domain import Network, Post, Reply


class ConnectorError(Exception):
    kind = "unknown"
    retryable = False

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_at = retry_at


class RateLimited(ConnectorError):
    kind = "rate_limited"
    retryable = True


class Unavailable(ConnectorError):
    kind = "network"
    retryable = True


class Refused(ConnectorError):
    kind = "refused"


class Duplicate(Refused):
    kind = "duplicate"


class Forbidden(Refused):
    kind = "forbidden"


class Gone(Refused):
    kind = "not_found"


class Unauthorized(Refused):
    kind = "unauthorized"


class Unverifiable(Refused):
    """The network offers no way to read our reply back: rather than risk a second reply, a person
    looks and decides (their Retry sends without checking again: bot.domain.approve)."""

    kind = "unverifiable"


@dataclass(frozen=True)
class Batch:
    """New posts since `cursor`, oldest first, and the cursor to store once they are safe."""

    posts: Sequence[Post]
    cursor: str | None


class Connector(Protocol):
    @property
    def network(self) -> Network: ...

    @property
    def account(self) -> str:
        """The brand account this connector reads and answers as (X user id, Reddit username)."""
        ...

    def fetch(self, cursor: str | None) -> Batch:
        """Posts newer than `cursor`; the first call (cursor None) returns the recent ones."""
        ...

    def acknowledge(self, batch: Batch) -> None:
        """Called once every post of `batch` is safely stored (e.g. mark Reddit inbox items read)."""
        ...

    def reply(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """Publish `text` as a reply to `post`. Raises a ConnectorError subclass on failure.

        `idempotency_key` is the same for every attempt at this reply: a network that supports it
        (Mastodon's `Idempotency-Key`) must pass it on; the others ignore it.
        """
        ...

    def find_reply(self, post: Post, text: str) -> Reply | None:
        """Our reply to `post` with this text if it is already on the network (after a crash), else None."""
        ...

    def verify(self) -> str:
        """Reach the network as the brand account, as `parley doctor` does: what was found (e.g.
        "X account @acme, may post"), or a ConnectorError saying plainly what is wrong."""
        ...


@runtime_checkable
class PrivateReplies(Protocol):
    """A connector that can answer a public post with a private message (X DM, Reddit PM, Messenger)."""

    def can_reply_privately(self, post: Post) -> bool:
        """Whether the network lets us message this author now (X: only when they accept DMs)."""
        ...

    def reply_privately(self, post: Post, text: str, *, idempotency_key: str | None = None) -> Reply:
        """Send `text` to the author of `post` as a private message; once, never retried by itself."""
        ...

    def find_private_reply(self, post: Post, text: str) -> Reply | None:
        """Our private message with this text to the author of `post`, if it was already sent."""
        ...


@runtime_checkable
class Moderation(Protocol):
    """A connector that can hide a public comment (spam, abuse) and show it again."""

    def set_hidden(self, post: Post, hidden: bool) -> None: ...


@runtime_checkable
class Streaming(Protocol):
    """A connector whose network pushes new posts as they are written (Bluesky's Jetstream, Mastodon's
    streaming API). Polling `fetch` stays the source of truth: a stream only brings posts sooner."""

    def listen(
        self, *, on_open: Callable[[], None], on_post: Callable[[Post], object], stopped: Callable[[], bool]
    ) -> None:
        """Connect; call `on_open` once connected, then `on_post` with each post addressed to the brand.

        Returns once `stopped()` is true (checked at least every second); raises `Unavailable` when the
        connection cannot be made or drops, `Unauthorized` when the credentials are refused.
        """
        ...
