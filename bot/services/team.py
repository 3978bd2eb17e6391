"""What `/parley` reads and changes outside a single case: the queue, polling pauses, saved replies
and the digest on demand. Handlers call these and never reach Redis themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.adapters import keys
from bot.adapters.permissions import Action, Permissions, Unsure
from bot.adapters.queue import Jobs
from bot.adapters.saved import SavedReplies
from bot.adapters.store import CaseStore
from bot.domain import Case, Network, Post
from bot.reporting.topics import search_cases
from bot.services.insights import Insights

MINE_LOOKUP = 1000  # open cases scanned for "mine": far more than a team has open at once


@dataclass(frozen=True)
class Verdict:
    """May this person change settings? `unsure`: a user group is not loaded yet (ask again with load)."""

    refusal: str | None = None
    unsure: bool = False


class Team:
    def __init__(
        self,
        *,
        store: CaseStore,
        jobs: Jobs,
        saved: SavedReplies,
        insights: Insights,
        permissions: Permissions,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.saved = saved
        self.insights = insights
        self.permissions = permissions
        self.clock = clock

    def may_configure(self, by: str, *, load: bool = False) -> Verdict:
        """Whether `by` may pause, resume, post the digest or change saved replies. `load=True`
        loads unknown user groups from Slack first: only after the acknowledgement."""
        if load:
            self.permissions.load_groups()
        try:
            return Verdict(self.permissions.refusal(by, Action.CONFIGURE))
        except Unsure:
            return Verdict(unsure=True)

    # --- reading ---

    def queue(self, limit: int) -> tuple[list[Case], int]:
        """The oldest open cases, at most `limit` (decoding is what costs time before the ack), and the total."""
        return self.store.open_cases(limit=limit), self.store.open_count()

    def mine(self, user: str) -> list[Case]:
        now = self.clock()
        return [c for c in self.store.open_cases(limit=MINE_LOOKUP) if c.claimed_by(now) == user]

    def search(self, query: str) -> list[Case]:
        return search_cases(self.insights.recent_cases(), query)

    def first_delivery(self, event_id: str) -> bool:
        """True the first time Slack delivers this event; its retries answer False for an hour."""
        return self.store.first_time(keys.slack_event(event_id), ttl=3600)

    # --- changing: callers check may_configure first ---

    def pause(self, network: Network) -> None:
        self.store.set_paused(network.value, True)

    def resume(self, network: Network) -> None:
        self.store.set_paused(network.value, False)

    def post_digest_now(self) -> None:
        self.jobs.digest(force=True)

    # --- saved replies ---

    def saved_replies(self) -> dict[str, str]:
        return self.saved.all()

    def save_reply(self, name: str, text: str) -> str | None:
        """Save (or replace) a reply; returns what is wrong with it, or None."""
        return self.saved.add(name, text)

    def remove_saved_reply(self, name: str) -> bool:
        return self.saved.remove(name)

    def saved_reply_for(self, name: str, post: Post) -> str | None:
        """The saved reply `name` with its placeholders filled for `post`; None if there is none."""
        text = self.saved.get(name)
        return None if text is None else self.saved.fill(text, post)
