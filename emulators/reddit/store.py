"""`RedditStore`: what the emulated Reddit holds (submissions, comments, messages, the brand's inbox)
and the helpers tests use to arrange it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from emulators.http import Emulator
from emulators.reddit.things import (
    MAX_MENTIONS_NOTIFIED,
    RATELIMIT_MESSAGE,
    SUBJECTS,
    USER_MENTION,
    InboxItem,
    RedditComment,
    RedditMessage,
    RedditSubmission,
    base36,
)

__all__ = ["RedditStore"]


class RedditStore(Emulator):
    """Reddit's content for one brand account; `_state` guards it (routes run with it held)."""

    def __init__(self, *, username: str, clock: Callable[[], float], host: str, port: int) -> None:
        super().__init__(host=host, port=port)
        self.username = username
        self.clock = clock
        self._state = threading.RLock()
        self._clear()

    # -- test helpers ------------------------------------------------------------------------------

    def add_submission(
        self,
        subreddit: str,
        title: str,
        body: str = "",
        author: str = "someone",
        *,
        created_utc: float | None = None,
    ) -> str:
        """Store a self post in `subreddit`; its fullname (t3_…)."""
        with self._state:
            submission = RedditSubmission(
                id=self._next_id("t3"),
                subreddit=self._subreddit(subreddit),
                title=title,
                selftext=body,
                author=author,
                created_utc=self._now() if created_utc is None else created_utc,
            )
            self._user_id(author)
            self._submissions[submission.id] = submission
            return submission.name

    def add_comment(
        self,
        subreddit: str,
        body: str,
        author: str = "someone",
        *,
        parent: str,
        mention: bool = False,
        created_utc: float | None = None,
    ) -> str:
        """Store a comment under `parent` (a submission or comment fullname); its fullname (t1_…).

        `mention=True` prefixes ``u/brand`` when the body does not mention the brand already. A comment
        that mentions the brand, or answers one of its comments or posts, lands in the inbox as unread.
        """
        with self._state:
            target = self._thing(parent)
            if target is None:
                raise KeyError(f"no submission or comment {parent}")
            submission = target if isinstance(target, RedditSubmission) else target.submission
            if submission.subreddit.lower() != subreddit.removeprefix("r/").lower():
                raise ValueError(f"{parent} is in r/{submission.subreddit}, not r/{subreddit}")
            if mention and not self._mentions_brand(body):
                body = f"u/{self.username} {body}"
            return self._store_comment(target, body, author, created_utc=created_utc).name

    def add_inbox_item(self, thing: str, *, type: str = "username_mention", new: bool = True) -> None:
        """Put an existing comment in the brand's inbox (e.g. a mention Reddit would not detect)."""
        with self._state:
            comment = self._thing(thing)
            if not isinstance(comment, RedditComment):
                raise KeyError(f"no comment {thing}")
            if type not in SUBJECTS:
                raise ValueError(f"type must be one of {sorted(SUBJECTS)}")
            self._add_to_inbox(InboxItem(comment.name, type, comment.created_utc, new=new))

    def add_private_message(
        self, author: str, subject: str, body: str, *, reply_to: str | None = None
    ) -> str:
        """A private message to the brand, or (`reply_to` a t4 fullname) an answer in that thread; it
        lands in the inbox as unread. Its fullname (t4_…)."""
        with self._state:
            parent = self._messages[reply_to.removeprefix("t4_")] if reply_to else None
            self._user_id(author)
            return self._store_message(author, self.username, subject, body, parent=parent).name

    def refuse_messages(self, username: str) -> None:
        """`username` accepts private messages only from people they wrote to (Reddit's "whitelist")."""
        with self._state:
            self._user_id(username)
            self._refusing.add(username.lower())

    def message(self, fullname: str) -> RedditMessage:
        with self._state:
            return self._messages[fullname.removeprefix("t4_")]

    @property
    def sent_messages(self) -> list[RedditMessage]:
        """Private messages the brand sent, oldest first."""
        with self._state:
            return [m for m in self._messages.values() if self._is_brand(m.author)]

    def ratelimit_next(
        self, *, minutes: int | None = None, seconds: int | None = None, times: int = 1
    ) -> None:
        """Answer the next `times` comment attempts with RATELIMIT ("take a break for 9 minutes" by default)."""
        if minutes is not None and seconds is not None:
            raise ValueError("give minutes or seconds, not both")
        if seconds is not None:
            amount = f"{seconds} second" + ("" if seconds == 1 else "s")
        else:
            minutes = 9 if minutes is None else minutes
            amount = f"{minutes} minute" + ("" if minutes == 1 else "s")
        with self._state:
            self._ratelimits.extend([RATELIMIT_MESSAGE.format(amount=amount)] * times)

    def lock(self, thing: str) -> None:
        """Lock a submission (no new comments anywhere in it) or a comment (no replies to it)."""
        with self._state:
            self._require(thing).locked = True

    def archive(self, thing: str) -> None:
        """Archive the submission (of a comment): nothing in it can be answered any more (TOO_OLD)."""
        with self._state:
            target = self._require(thing)
            (target if isinstance(target, RedditSubmission) else target.submission).archived = True

    def delete(self, thing: str) -> None:
        """Delete a submission or comment as its author would: shown as ``[deleted]``, gone from listings."""
        with self._state:
            self._require(thing).deleted = True

    def comment(self, fullname: str) -> RedditComment:
        with self._state:
            return self._comments[fullname.removeprefix("t1_")]

    def submission(self, fullname: str) -> RedditSubmission:
        with self._state:
            return self._submissions[fullname.removeprefix("t3_")]

    def unread(self) -> list[str]:
        """Fullnames of the unread inbox items, oldest first."""
        with self._state:
            return [i.name for i in self._sorted_inbox() if i.new][::-1]

    def reset(self) -> None:
        """Forget requests, failures, tokens, content and rate-limit windows."""
        super().reset()
        self._clear()

    # -- plumbing ----------------------------------------------------------------------------------

    def _clear(self) -> None:
        with self._state:
            self._submissions: dict[str, RedditSubmission] = {}
            self._comments: dict[str, RedditComment] = {}
            self._messages: dict[str, RedditMessage] = {}
            self._refusing: set[str] = set()  # users who accept messages only from people they wrote to
            self._inbox: dict[str, InboxItem] = {}
            self._subreddits: dict[str, str] = {}  # lower-case name -> display name
            self._user_ids: dict[str, str] = {self.username.lower(): "1a2b3c4d"}
            self._ratelimits: list[str] = []  # RATELIMIT messages for the next comment attempts
            self._counters = {"t1": int("l000000", 36), "t3": int("1c00000", 36), "t4": int("2k0000", 36)}

    def _now(self) -> float:
        return round(self.clock(), 3)

    def _next_id(self, kind: str) -> str:
        self._counters[kind] += 1
        return base36(self._counters[kind])

    def _user_id(self, name: str) -> str:
        key = name.lower()
        if key not in self._user_ids:
            self._user_ids[key] = base36(int("5x0000", 36) + 7919 * len(self._user_ids))
        return self._user_ids[key]

    def _subreddit(self, name: str) -> str:
        name = name.removeprefix("/").removeprefix("r/")
        return self._subreddits.setdefault(name.lower(), name)

    @staticmethod
    def _subreddit_names(path_value: str) -> set[str]:
        return {n.lower() for n in path_value.split("+") if n}

    def _is_brand(self, name: str) -> bool:
        return name.lower() == self.username.lower()

    def _mentions_brand(self, body: str) -> bool:
        return any(self._is_brand(m) for m in USER_MENTION.findall(body))

    def _thing(self, fullname: str) -> RedditComment | RedditSubmission | None:
        kind, _, thing_id = fullname.partition("_")
        if kind == "t1":
            return self._comments.get(thing_id)
        if kind == "t3":
            return self._submissions.get(thing_id)
        return None

    def _require(self, fullname: str) -> RedditComment | RedditSubmission:
        thing = self._thing(fullname)
        if thing is None:
            raise KeyError(f"no submission or comment {fullname}")
        return thing

    def _count_comments(self, submission: RedditSubmission) -> int:
        return sum(1 for c in self._comments.values() if c.submission is submission)

    def _sorted_inbox(self) -> list[InboxItem]:
        """Inbox items newest first."""
        return sorted(self._inbox.values(), key=lambda i: (i.created_utc, i.sequence), reverse=True)

    def _add_to_inbox(self, item: InboxItem) -> None:
        item.sequence = len(self._inbox) + 1
        self._inbox[item.name] = item

    def _store_message(
        self, author: str, dest: str, subject: str, body: str, *, parent: RedditMessage | None
    ) -> RedditMessage:
        """A message from `author` to `dest`; one to the brand lands in its inbox as unread."""
        first = None if parent is None else (parent.first_message or parent.id)
        message = RedditMessage(
            self._next_id("t4"),
            author,
            subject if parent is None else f"re: {self._messages[first or ''].subject}",
            body,
            self._now(),
            dest=dest,
            parent_id=None if parent is None else parent.name,
            first_message=first,
        )
        self._messages[message.id] = message
        if self._is_brand(dest):
            self._add_to_inbox(InboxItem(message.name, "unknown", message.created_utc))
        return message

    def _store_comment(
        self,
        parent: RedditComment | RedditSubmission,
        body: str,
        author: str,
        *,
        created_utc: float | None,
    ) -> RedditComment:
        submission = parent if isinstance(parent, RedditSubmission) else parent.submission
        comment = RedditComment(
            id=self._next_id("t1"),
            submission=submission,
            parent_id=parent.name,
            body=body,
            author=author,
            created_utc=self._now() if created_utc is None else created_utc,
        )
        self._user_id(author)
        self._comments[comment.id] = comment
        if not self._is_brand(author):
            kind = self._inbox_type(parent, body)
            if kind is not None:
                self._add_to_inbox(InboxItem(comment.name, kind, comment.created_utc))
        return comment

    def _inbox_type(self, parent: RedditComment | RedditSubmission, body: str) -> str | None:
        if self._is_brand(parent.author) and not parent.deleted:
            return "post_reply" if isinstance(parent, RedditSubmission) else "comment_reply"
        mentioned = {m.lower() for m in USER_MENTION.findall(body)}
        if self.username.lower() in mentioned and len(mentioned) <= MAX_MENTIONS_NOTIFIED:
            return "username_mention"
        return None
