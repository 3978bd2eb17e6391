"""How long a private message can still be answered where it was sent (Meta's messaging windows).

Messenger and Instagram Direct take a Page's reply within 24 hours of the person's last message
(a standard reply); after that, only a message tagged ``HUMAN_AGENT`` (a person answering, where
Meta granted the app the Human Agent feature), up to 7 days; after that, not at all. Public
comments and every other network have no window: `reply_window` says None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.model import Network, Post

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
WINDOWED = frozenset({Network.FACEBOOK, Network.INSTAGRAM})


class Phase(StrEnum):
    STANDARD = "standard"  # within 24 h: an ordinary reply
    HUMAN_AGENT = "human_agent"  # within 7 days: only with the HUMAN_AGENT tag
    CLOSED = "closed"  # can no longer be answered there


@dataclass(frozen=True)
class Window:
    phase: Phase
    closes_at: datetime | None  # the end of the current phase; None once closed

    def left(self, at: datetime) -> timedelta:
        return max(timedelta(0), self.closes_at - at) if self.closes_at else timedelta(0)


def reply_window(post: Post, at: datetime, *, human_agent: bool = True) -> Window | None:
    """Where `post` stands in its network's messaging window at `at`; None when it has none."""
    if not post.private or post.network not in WINDOWED:
        return None
    standard_end = post.created_at + STANDARD_WINDOW
    if at < standard_end:
        return Window(Phase.STANDARD, standard_end)
    tagged_end = post.created_at + HUMAN_AGENT_WINDOW
    if human_agent and at < tagged_end:
        return Window(Phase.HUMAN_AGENT, tagged_end)
    return Window(Phase.CLOSED, None)
