"""The value every message builder returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Block = dict[str, Any]
View = dict[str, Any]  # a modal


@dataclass(frozen=True)
class Message:
    """A Slack message: `text` is the notification fallback (already escaped), `blocks` what users see."""

    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        """For `client.chat_postMessage(channel=..., **message.as_kwargs())` and friends."""
        return {"text": self.text, "blocks": self.blocks}
