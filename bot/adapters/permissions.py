"""Who may do what. Three roles, each a list of Slack users (U…) and user groups (S…):

- approvers (`PARLEY_APPROVERS`): approve, retry, undo and reject replies;
- editors (`PARLEY_EDITORS`): edit, regenerate and claim cases; approvers are editors too, and
  when no editors are named, the approvers are the editors;
- admins (`PARLEY_ADMINS`): change settings with `/parley pause|resume|saved add|saved remove|digest`;
  when none are named, the approvers are the admins.

Nothing configured means anyone in the channel may do everything. Group members come from Slack
(`usergroups.users.list`) and are kept in Redis, refreshed by the clock's sweep: a check never calls
Slack, so it costs nothing on the acknowledgement path. A group not loaded yet answers "unsure", and
the caller loads it after acknowledging (see `Permissions.load_groups`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import redis

from bot.adapters import keys
from bot.domain.i18n import N_, _

GROUP_REFRESH_SECONDS = 300  # the sweep reloads a group's members when older than this
GROUP_KEEP_SECONDS = 7 * 24 * 3600  # a stale list is still used (and refreshed) for this long


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    UNDO = "undo"
    EDIT = "edit"
    CLAIM = "claim"
    CONFIGURE = "configure"


# The refusal for each action (English; translated when shown); {who}: the people allowed.
_REFUSALS = {
    Action.APPROVE: N_("Only the approvers can approve replies: {who}. Nothing was changed."),
    Action.REJECT: N_("Only the approvers can reject cases: {who}. Nothing was changed."),
    Action.UNDO: N_("Only the approvers can undo an approval: {who}. Nothing was changed."),
    Action.EDIT: N_("Only the editors can edit replies: {who}. Nothing was changed."),
    Action.CLAIM: N_("Only the editors can take cases: {who}. Nothing was changed."),
    Action.CONFIGURE: N_("Only the admins can change Parley's settings: {who}. Nothing was changed."),
}


def _ids(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Policy:
    approvers: frozenset[str] = frozenset()  # empty: anyone
    editors: frozenset[str] = frozenset()  # empty: the approvers
    admins: frozenset[str] = frozenset()  # empty: the approvers

    @classmethod
    def parse(cls, approvers: str, editors: str, admins: str = "") -> Policy:
        return cls(approvers=_ids(approvers), editors=_ids(editors), admins=_ids(admins))

    def allowed(self, action: Action) -> frozenset[str]:
        """Who may do `action`; empty: anyone. Approvers may do everything editors and admins may."""
        if action in (Action.EDIT, Action.CLAIM):
            return self.editors | self.approvers
        if action is Action.CONFIGURE:
            return self.admins | self.approvers
        return self.approvers

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(i for i in self.approvers | self.editors | self.admins if i.startswith("S"))


class Unsure(Exception):
    """A user group's members are not known yet: load them (after the ack) and ask again."""


def _mentions(ids: frozenset[str]) -> str:
    return ", ".join(f"<!subteam^{i}>" if i.startswith("S") else f"<@{i}>" for i in sorted(ids))


class GroupMembers:
    """Members of Slack user groups, kept in Redis as `{"at": epoch, "members": [...]}`."""

    def __init__(self, client: redis.Redis, fetch: Callable[[str], list[str]]) -> None:
        self.redis = client
        self.fetch = fetch

    def _read(self, group: str) -> tuple[float, frozenset[str]] | None:
        raw = self.redis.get(keys.usergroup(group))
        if raw is None:
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):  # stored by an older version: a bare list, due for a refresh
            return 0.0, frozenset(data)
        return float(data["at"]), frozenset(data["members"])

    def cached(self, group: str) -> frozenset[str] | None:
        """The known members, however old; None when never loaded. No Slack call."""
        known = self._read(group)
        return None if known is None else known[1]

    def load(self, group: str) -> frozenset[str]:
        """Ask Slack now (never on the acknowledgement path) and remember the answer."""
        members = sorted(self.fetch(group))
        value = json.dumps({"at": time.time(), "members": members})
        self.redis.set(keys.usergroup(group), value, ex=GROUP_KEEP_SECONDS)
        return frozenset(members)

    def refresh(self, groups: frozenset[str]) -> list[str]:
        """Reload the groups never loaded or older than GROUP_REFRESH_SECONDS; returns them."""
        due = []
        for group in sorted(groups):
            known = self._read(group)
            if known is None or time.time() - known[0] > GROUP_REFRESH_SECONDS:
                self.load(group)
                due.append(group)
        return due


class Permissions:
    def __init__(self, policy: Policy, groups: GroupMembers) -> None:
        self.policy = policy
        self.groups = groups

    def refusal(self, user: str, action: Action) -> str | None:
        """None when `user` may do `action`; otherwise the sentence to show them.

        Raises Unsure when the answer depends on a user group not loaded yet.
        """
        allowed = self.policy.allowed(action)
        if not allowed or user in allowed:
            return None
        unknown = False
        for group in (i for i in allowed if i.startswith("S")):
            members = self.groups.cached(group)
            if members is None:
                unknown = True
            elif user in members:
                return None
        if unknown:
            raise Unsure
        return _(_REFUSALS[action]).format(who=_mentions(allowed))

    def load_groups(self) -> None:
        """Load every configured group that is not known yet (a Slack call: after the ack only)."""
        for group in sorted(self.policy.groups):
            if self.groups.cached(group) is None:
                self.groups.load(group)

    def refresh_groups(self) -> list[str]:
        return self.groups.refresh(self.policy.groups)
