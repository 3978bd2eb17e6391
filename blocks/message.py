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
