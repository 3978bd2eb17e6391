"""Who may approve and who may edit. By default anyone in the channel; configured lists name Slack
users (U…) and user groups (S…). Group members come from Slack and are cached in Redis for a while,
so the check costs no API call on the acknowledgement path once warm."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import redis

from bot.adapters import keys

GROUP_CACHE_SECONDS = 600


@dataclass(frozen=True)
class Policy:
    approvers: frozenset[str] = frozenset()  # empty: anyone may approve
    editors: frozenset[str] = frozenset()  # empty: anyone may edit

    @classmethod
    def parse(cls, approvers: str, editors: str) -> Policy:
        def ids(raw: str) -> frozenset[str]:
            return frozenset(part.strip() for part in raw.split(",") if part.strip())

        return cls(approvers=ids(approvers), editors=ids(editors))


def _mentions(ids: frozenset[str]) -> str:
    return ", ".join(f"<!subteam^{i}>" if i.startswith("S") else f"<@{i}>" for i in sorted(ids))


class Permissions:
    def __init__(self, policy: Policy, group_members: Callable[[str], frozenset[str]]) -> None:
        self.policy = policy
        self.group_members = group_members

    def _allowed(self, user: str, ids: frozenset[str]) -> bool:
        if not ids or user in ids:
            return True
        return any(user in self.group_members(group) for group in ids if group.startswith("S"))

    def approve_refusal(self, user: str) -> str | None:
        """None when `user` may approve; otherwise the sentence to show them."""
        if self._allowed(user, self.policy.approvers):
            return None
        return f"Only the approvers can approve replies: {_mentions(self.policy.approvers)}. Nothing was changed."

    def edit_refusal(self, user: str) -> str | None:
        allowed = self.policy.editors | self.policy.approvers if self.policy.editors else frozenset()
        if self._allowed(user, allowed):
            return None
        return f"Only these people can edit replies: {_mentions(allowed)}. Nothing was changed."


class CachedGroups:
    """Members of a Slack user group, from `usergroups.users.list`, cached in Redis."""

    def __init__(self, client: redis.Redis, fetch: Callable[[str], list[str]]) -> None:
        self.redis = client
        self.fetch = fetch

    def __call__(self, group: str) -> frozenset[str]:
        raw = self.redis.get(keys.usergroup(group))
        if raw is not None:
            return frozenset(json.loads(raw))
        members = self.fetch(group)
        self.redis.set(keys.usergroup(group), json.dumps(sorted(members)), ex=GROUP_CACHE_SECONDS)
        return frozenset(members)
