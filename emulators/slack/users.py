"""`users.info` and `usergroups.users.list` (users are added with `add_user`, groups in `usergroups`)."""

from __future__ import annotations

import copy

from emulators.slack.arguments import ApiError
from emulators.slack.state import SlackState
from emulators.slack.workspace import JSONDict

__all__ = ["UsersApi"]


class UsersApi(SlackState):
    """Looking people and user groups up."""

    def _users_info(self, params: JSONDict) -> JSONDict:
        user = self._users.get(str(params.get("user") or ""))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _usergroups_users_list(self, params: JSONDict) -> JSONDict:
        group = str(params.get("usergroup") or "")
        if group not in self.usergroups:
            raise ApiError("no_such_subteam")
        return {"users": list(self.usergroups[group])}
