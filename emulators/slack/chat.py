"""`chat.*`: posting, updating and deleting messages, ephemerals and permalinks."""

from __future__ import annotations

from emulators.slack.arguments import ApiError, check_content, message_content, message_metadata
from emulators.slack.blocks import normalize_blocks
from emulators.slack.records import Ephemeral, Message
from emulators.slack.state import SlackState
from emulators.slack.workspace import BOT_ID, BOT_USER_ID, TEAM_DOMAIN, JSONDict

__all__ = ["ChatApi"]


class ChatApi(SlackState):
    """The `chat.*` Web API methods."""

    def _chat_post_message(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        text, blocks = message_content(params)
        check_content(text, blocks, params)
        metadata = message_metadata(params)
        thread_ts = str(params.get("thread_ts") or "") or None
        if thread_ts is not None:
            parent = self._find(channel, thread_ts)
            thread_ts = None if parent is None else (parent.thread_ts or parent.ts)
        message = self._store(
            Message(
                channel=channel,
                ts=self._next_ts(),
                text=text,
                blocks=normalize_blocks(blocks or []),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=thread_ts,
                metadata=metadata,
            )
        )
        return {"channel": channel, "ts": message.ts, "message": self._serialize(message, metadata=True)}

    def _chat_update(self, params: JSONDict) -> JSONDict:
        channel, message = self._own_message(params, refusal="cant_update_message")
        text, blocks = message_content(params)
        new_text = text if "text" in params else message.text
        new_blocks = blocks if blocks is not None else message.blocks
        check_content(new_text, new_blocks, params)
        if "metadata" in params:
            message.metadata = message_metadata(params)
        message.text = new_text
        if blocks is not None:
            message.blocks = normalize_blocks(blocks)
        self._record_edit(message)
        return {
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": self._serialize(message, metadata=True),
        }

    def _chat_delete(self, params: JSONDict) -> JSONDict:
        channel, message = self._own_message(params, refusal="cant_delete_message")
        self._messages[channel].remove(message)
        self._deleted.append(message)
        return {"channel": channel, "ts": message.ts}

    def _chat_post_ephemeral(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        user = str(params.get("user") or "")
        if user not in self._users:
            raise ApiError("user_not_found")
        text, blocks = message_content(params)
        check_content(text, blocks, params)
        message_ts = self._next_ts()
        self._ephemerals.append(
            Ephemeral(
                channel=channel,
                user=user,
                message_ts=message_ts,
                text=text,
                blocks=normalize_blocks(blocks or []),
                thread_ts=str(params.get("thread_ts") or "") or None,
            )
        )
        return {"message_ts": message_ts}

    def _chat_get_permalink(self, params: JSONDict) -> JSONDict:
        channel = self._channel(params)
        message = self._find(channel, str(params.get("message_ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _own_message(self, params: JSONDict, *, refusal: str) -> tuple[str, Message]:
        """The channel and the bot's message that `params` name; `refusal` if someone else wrote it."""
        channel = self._channel(params)
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.bot_id != BOT_ID:
            raise ApiError(refusal)
        return channel, message
