"""The domain's values: a post addressed to the brand, its triage and draft, and the case that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from bot.domain import codec

Sentiment = Literal["positive", "neutral", "negative"]
Urgency = Literal["low", "normal", "high"]


class Network(StrEnum):
    X = "x"
    REDDIT = "reddit"
    FACEBOOK = "facebook"  # Facebook Pages: comments, mentions, Messenger
    INSTAGRAM = "instagram"  # comments, mentions, Instagram Direct
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"  # organization pages
    YOUTUBE = "youtube"  # comments on the channel's videos
    GOOGLE = "google"  # reviews of the brand's places (Google Business Profile)

    @property
    def label(self) -> str:
        return _LABELS[self.value]


_LABELS = {
    "x": "X",
    "reddit": "Reddit",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "google": "Google reviews",
}


class State(StrEnum):
    RECEIVED = "received"
    DRAFTED = "drafted"
    APPROVED = "approved"
    PUBLISHING = "publishing"
    POSTED = "posted"
    FAILED = "failed"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        return self not in (State.POSTED, State.REJECTED)


class TransitionError(Exception):
    """A state change that is not allowed now; the message is shown to the user as is."""


@dataclass(frozen=True)
class Author:
    id: str
    handle: str
    name: str
    followers: int | None = None


@dataclass(frozen=True)
class Post:
    """One incoming post addressed to the brand, as a connector delivered it."""

    network: Network
    id: str
    account: str  # the brand account that received it (and will answer)
    author: Author
    text: str
    url: str
    created_at: datetime
    lang: str | None = None
    conversation_id: str | None = None
    title: str | None = None  # Reddit thread title; None on X
    place: str | None = None  # Reddit subreddit; None on X
    # Seen by listening (e.g. an X keyword search), not addressed to the brand: the network
    # would refuse our reply, so the case is forwarded for information and cannot be approved.
    listen_only: bool = False
    # A private message (X DM, Reddit PM, Messenger...): never logged, quoted in digests or reused.
    private: bool = False
    in_reply_to: str | None = None  # the id of the post (or our reply) this one answers, if any
    rating: int | None = None  # stars of a review (1-5); None for everything but reviews
    # The most characters a reply may have here when the place sets its own (Messenger 2,000, a
    # Mastodon instance's limit); None: the network's usual limit (bot.domain.text.LIMITS).
    reply_limit: int | None = None


@dataclass(frozen=True)
class Triage:
    is_question: bool
    sentiment: Sentiment
    urgency: Urgency
    language: str
    summary: str = ""
    risk_flag: str = ""  # the drafter's own worry about this post (legal threat, safety...), if any
    kind: str = ""  # question, complaint, praise, spam, other; empty: derive it (bot.routing.kind_of)


@dataclass(frozen=True)
class Draft:
    text: str
    drafter: str  # "openai:<model>", "offline", or "edited"
    version: int = 1
    author: str | None = None  # Slack user id of the last editor; None when machine-written
    note: str = ""  # e.g. why the offline drafter was used
    tokens: int = 0  # LLM tokens spent on this draft (input + output)
    cost_usd: float = 0.0


@dataclass(frozen=True)
class Similar:
    """A past answer of the team to a similar question, shown on the card as a hint."""

    text: str
    url: str  # its Slack thread (or the posted reply)
    answered_at: datetime


@dataclass(frozen=True)
class SlackRefs:
    channel: str
    parent_ts: str | None = None
    card_ts: str | None = None
    permalink: str | None = None  # of the parent message, for links from /parley queue and the digest


@dataclass(frozen=True)
class Reply:
    id: str
    url: str
    posted_at: datetime
    # The private conversation a private answer opened or continued (X DM conversation, Reddit
    # message thread): the person's next message there joins the same case.
    conversation_id: str | None = None


@dataclass(frozen=True)
class Failure:
    kind: str  # "rate_limited", "duplicate", "forbidden", "not_found", "network", "unknown"
    message: str
    retryable: bool
    retry_at: datetime | None = None


@dataclass(frozen=True)
class Activity:
    at: datetime
    actor: str  # Slack user id, or "parley" for the bot itself
    action: str  # "forwarded", "drafted", "edited", "approved", "posted", "failed", "rejected", ...
    detail: str = ""


@dataclass(frozen=True)
class Turn:
    """An earlier message of the conversation, and how the team answered it (or did not)."""

    post: Post
    received_at: datetime
    draft: Draft | None = None  # the turn's last draft: the text posted when `reply` is set
    reply: Reply | None = None  # our answer on the network; None when the turn went unanswered
    answered_by: str | None = None
    privately: bool = False  # answered by private message ("Reply privately")
    card_ts: str | None = None  # the turn's draft card in the Slack thread
    message_ts: str | None = None  # the thread message that showed the turn's follow-up


@dataclass(frozen=True)
class Case:
    """A conversation with one person: its first message opened it (and names it: `id`), `post`
    is the newest message the current draft answers, `earlier` the turns before it."""

    id: str
    post: Post
    state: State
    received_at: datetime
    source: str = ""  # the configured account that fetched the post, and will answer it
    slack: SlackRefs | None = None  # None until delivery has routed the case to a channel
    triage: Triage | None = None
    draft: Draft | None = None
    approved_by: str | None = None
    reply: Reply | None = None
    failure: Failure | None = None
    rejection_reason: str | None = None
    publish_attempts: int = 0
    publishing_since: datetime | None = None
    history: tuple[Activity, ...] = field(default_factory=tuple)
    # Review workflow
    risk: tuple[str, ...] = ()  # why this reply needs two approvers; empty: one is enough
    approvals: tuple[str, ...] = ()  # who approved the current draft version so far
    send_at: datetime | None = None  # end of the undo window of an approved reply
    assignee: str | None = None
    claim_until: datetime | None = None
    editing_by: str | None = None
    editing_until: datetime | None = None
    versions: tuple[Draft, ...] = ()  # earlier drafts, oldest first
    reminded: tuple[int, ...] = ()  # response-time reminders already given (50, 80, 100 % of the target)
    similar: tuple[Similar, ...] = ()  # the team's past answers to similar questions
    # Conversation
    earlier: tuple[Turn, ...] = ()  # oldest first; empty for a case of one message
    waiting: tuple[Post, ...] = ()  # follow-ups that came while a reply was on its way: the next turn
    privately: bool = False  # the current draft goes to the author as a private message
    message_ts: str | None = None  # the thread message showing the current follow-up (turn > 0)

    @property
    def turn(self) -> int:
        """0 for the first message of the conversation, 1 for the first follow-up, ..."""
        return len(self.earlier)

    @property
    def messages(self) -> int:
        """How many messages the person has sent in this conversation so far."""
        return len(self.earlier) + 1 + len(self.waiting)

    @property
    def posts(self) -> tuple[Post, ...]:
        """Every message of the conversation, oldest first."""
        return (*(t.post for t in self.earlier), self.post, *self.waiting)

    @property
    def private(self) -> bool:
        """A private conversation (DM, PM, Messenger): its text stays out of logs, digests and drafts."""
        return self.post.private or any(t.post.private for t in self.earlier)

    @property
    def approvals_needed(self) -> int:
        return 2 if self.risk else 1

    def claimed_by(self, at: datetime) -> str | None:
        return self.assignee if self.claim_until and at < self.claim_until else None

    def edited_by(self, at: datetime) -> str | None:
        """Who has the edit window open now (the lock expires by itself if the window is abandoned)."""
        return self.editing_by if self.editing_until and at < self.editing_until else None

    @property
    def last_activity(self) -> datetime:
        """When the case last changed (what the team or Parley last did to it)."""
        return self.history[-1].at if self.history else self.received_at

    @property
    def closed_by(self) -> Activity | None:
        """The activity that closed the case (posted or rejected), if any."""
        for activity in reversed(self.history):
            if activity.action in ("posted", "sent_privately", "rejected"):
                return activity
        return None

    def last(self, action: str) -> Activity | None:
        return next((a for a in reversed(self.history) if a.action == action), None)


def case_id_for(network: Network, post_id: str) -> str:
    """Case ids are derived from the post, so the same post can never become two cases."""
    return f"{network.value}-{post_id}"


def open_case(post: Post, *, at: datetime, source: str = "", channel: str | None = None) -> Case:
    """A new case; `channel` is usually left to delivery, which routes with the triage in hand."""
    return Case(
        id=case_id_for(post.network, post.id),
        post=post,
        state=State.RECEIVED,
        received_at=at,
        source=source,
        slack=SlackRefs(channel=channel) if channel else None,
    )


def now() -> datetime:
    return datetime.now(UTC)


# --- JSON: explicit and typed (bot.codec), so stored cases survive refactors and never need pickle ---


def case_to_json(case: Case) -> dict[str, Any]:
    encoded: dict[str, Any] = codec.encode(case)
    return encoded


def case_from_json(data: dict[str, Any]) -> Case:
    return codec.decode(Case, data)
