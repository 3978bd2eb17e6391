"""`conversations.history` and `conversations.replies`, with Slack's oldest/latest/cursor paging."""

from __future__ import annotations

from emulators.slack.arguments import ApiError, decode_cursor, encode_cursor, int_param, truthy, ts_key
from emulators.slack.records import Message
from emulators.slack.state import SlackState
from emulators.slack.workspace import JSONDict

__all__ = ["ConversationsApi"]


class ConversationsApi(SlackState):
    """Reading channels and threads back."""

    def _page(
        self, messages: list[Message], params: JSONDict, *, default_limit: int, newest_first: bool
    ) -> tuple[list[Message], str]:
        oldest = str(params.get("oldest") or "0")
        latest = params.get("latest")
        inclusive = truthy(params.get("inclusive"))
        selected = []
        for message in messages:
            key = ts_key(message.ts)
            low_ok = key >= ts_key(oldest) if inclusive else key > ts_key(oldest)
            high_ok = latest in (None, "") or (
                key <= ts_key(str(latest)) if inclusive else key < ts_key(str(latest))
            )
            if low_ok and high_ok:
                selected.append(message)
        selected.sort(key=lambda m: ts_key(m.ts), reverse=newest_first)
        cursor = params.get("cursor")
        if cursor:
            start_ts = decode_cursor(str(cursor))
            positions = [i for i, m in enumerate(selected) if m.ts == start_ts]
            selected = selected[positions[0] :] if positions else []
        limit = max(1, min(int_param(params.get("limit"), default_limit), 999 if newest_first else 1000))
        page, rest = selected[:limit], selected[limit:]
        return page, encode_cursor(rest[0].ts) if rest else ""

    def _conversations_history(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        top_level = [m for m in self._messages.get(channel, []) if m.thread_ts is None]
        page, next_cursor = self._page(top_level, params, default_limit=100, newest_first=True)
        with_metadata = truthy(params.get("include_all_metadata"))
        return {
            "messages": [self._serialize(m, metadata=with_metadata) for m in page],
            "has_more": bool(next_cursor),
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_replies(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise ApiError("thread_not_found")
        with_metadata = truthy(params.get("include_all_metadata"))
        if message.thread_ts is not None:  # the ts of a reply: Slack returns that reply only
            return {
                "messages": [self._serialize(message, metadata=with_metadata)],
                "has_more": False,
                "response_metadata": {"next_cursor": ""},
            }
        replies = self._replies(channel, message.ts)
        page, next_cursor = self._page(replies, params, default_limit=1000, newest_first=False)
        return {
            "messages": [self._serialize(m, metadata=with_metadata) for m in [message, *page]],
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }
