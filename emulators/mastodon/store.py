"""The emulated Mastodon server's data: accounts, statuses, notifications, rendered as the REST API does."""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]
_MENTION = re.compile(r"(?<![\w@])@(\w+)(?:@([\w.-]+\w))?")
_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
URL_LENGTH = 23


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def length(text: str) -> int:
    """Mastodon's count: a URL is 23 characters, ``@user@domain`` counts as ``@user``."""
    text = _URL.sub("x" * URL_LENGTH, text)
    return len(_MENTION.sub(lambda m: "@" + m.group(1), text))


@dataclass
class Account:
    id: str
    username: str
    display_name: str
    domain: str
    local: bool = True
    followers: int = 0

    @property
    def acct(self) -> str:
        return self.username if self.local else f"{self.username}@{self.domain}"

    @property
    def url(self) -> str:
        return f"https://{self.domain}/@{self.username}"

    def render(self) -> JSON:
        return {
            "id": self.id,
            "username": self.username,
            "acct": self.acct,
            "display_name": self.display_name,
            "url": self.url,
            "locked": False,
            "bot": False,
            "created_at": "2024-01-01T00:00:00.000Z",
            "note": "",
            "avatar": f"https://{self.domain}/avatars/{self.id}.png",
            "followers_count": self.followers,
            "following_count": 0,
            "statuses_count": 0,
            "emojis": [],
            "fields": [],
        }


@dataclass
class Status:
    id: str
    account: Account
    text: str
    visibility: str
    created_at: float
    mentions: list[Account]
    in_reply_to: Status | None = None
    language: str | None = "en"

    def render(self, local_domain: str) -> JSON:
        return {
            "id": self.id,
            "uri": f"https://{self.account.domain}/users/{self.account.username}/statuses/{self.id}",
            "url": f"https://{self.account.domain}/@{self.account.username}/{self.id}",
            "created_at": iso(self.created_at),
            "account": self.account.render(),
            "content": _html(self.text, self.mentions),
            "visibility": self.visibility,
            "sensitive": False,
            "spoiler_text": "",
            "in_reply_to_id": self.in_reply_to.id if self.in_reply_to else None,
            "in_reply_to_account_id": self.in_reply_to.account.id if self.in_reply_to else None,
            "mentions": [
                {"id": a.id, "username": a.username, "acct": a.acct, "url": a.url} for a in self.mentions
            ],
            "language": self.language,
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "media_attachments": [],
            "tags": [],
            "emojis": [],
            "reblog": None,
        }


def _html(text: str, mentions: list[Account]) -> str:
    """Mastodon's HTML for a status: paragraphs, ``<br />``, mentions as h-card links."""
    by_name = {a.username.lower(): a for a in mentions}

    def mention(match: re.Match[str]) -> str:
        account = by_name.get(match.group(1).lower())
        if account is None:
            return html.escape(match.group(0))
        return (
            f'<span class="h-card" translate="no"><a href="{account.url}" class="u-url mention">'
            f"@<span>{html.escape(account.username)}</span></a></span>"
        )

    paragraphs = []
    for block in text.split("\n\n"):
        lines = []
        for line in block.split("\n"):
            parts, last = [], 0
            for match in _MENTION.finditer(line):
                parts.append(html.escape(line[last : match.start()]))
                parts.append(mention(match))
                last = match.end()
            parts.append(html.escape(line[last:]))
            lines.append("".join(parts))
        paragraphs.append("<p>" + "<br />".join(lines) + "</p>")
    return "".join(paragraphs)


@dataclass
class Server:
    domain: str = "mastodon.example"
    clock: Callable[[], float] = time.time
    accounts: dict[str, Account] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)
    notifications: list[JSON] = field(
        default_factory=list
    )  # oldest first; each {"id", "type", "account", "status"}
    lock: threading.RLock = field(default_factory=threading.RLock)
    _next: int = 110_000_000_000_000_000

    def next_id(self) -> str:
        with self.lock:
            self._next += 1
            return str(self._next)

    def account(self, acct: str) -> Account | None:
        wanted = acct.removeprefix("@").lower()
        with self.lock:
            for account in self.accounts.values():
                if wanted in (account.acct.lower(), f"{account.username}@{account.domain}".lower()):
                    return account
        return None

    def add_account(self, acct: str, display_name: str) -> Account:
        existing = self.account(acct)
        if existing is not None:
            return existing
        username, _, domain = acct.removeprefix("@").partition("@")
        account = Account(self.next_id(), username, display_name, domain or self.domain, local=not domain)
        with self.lock:
            self.accounts[account.id] = account
        return account

    def mentioned_in(self, text: str) -> list[Account]:
        found: dict[str, Account] = {}
        for match in _MENTION.finditer(text):
            acct = match.group(1) + (f"@{match.group(2)}" if match.group(2) else "")
            account = self.account(acct)
            if account is not None:
                found[account.id] = account
        return list(found.values())

    def post(
        self, author: Account, text: str, *, visibility: str, in_reply_to: Status | None, language: str | None
    ) -> Status:
        with self.lock:
            status = Status(
                self.next_id(),
                author,
                text,
                visibility,
                self.clock(),
                self.mentioned_in(text),
                in_reply_to,
                language,
            )
            self.statuses[status.id] = status
            return status

    def context(self, status: Status) -> tuple[list[Status], list[Status]]:
        ancestors: list[Status] = []
        parent = status.in_reply_to
        while parent is not None:
            ancestors.insert(0, parent)
            parent = parent.in_reply_to
        descendants: list[Status] = []
        frontier = [status]
        with self.lock:
            while frontier:
                current = frontier.pop(0)
                children = [s for s in self.statuses.values() if s.in_reply_to is current]
                descendants += children
                frontier += children
        return ancestors, descendants
