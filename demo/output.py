"""The transcript: Slack messages as a person reads them, wrapped to the terminal's page."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from typing import Any, TextIO

from blocks.fmt import day_and_month
from bot.domain.i18n import _
from demo.story import PEOPLE
from emulators.slack import Ephemeral, Message

WIDTH = 100

_CONTROL = re.compile(r"<([^<>\n]*)>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ENTITY = re.compile(r"&(lt|gt|amp);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}


def readable(mrkdwn: str) -> str:
    """Slack mrkdwn as Slack shows it: names for mentions, dates in local time, `label (url)` for
    links, `│` for quotes, no bold markers and no `&lt;` escaping."""
    text = _BOLD.sub(r"\1", _CONTROL.sub(_control, mrkdwn))
    text = "\n".join("│ " + line[2:] if line.startswith("> ") else line for line in text.split("\n"))
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def _control(match: re.Match[str]) -> str:
    inner: str = match.group(1)
    target, _sep, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + PEOPLE.get(target[1:], ("", target[1:]))[1]
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!date^"):
        return _date(target, label)
    if target.startswith("!"):
        return label or "@" + target[1:].partition("^")[0]
    return f"{label} ({target})" if label and label != target else target


def _date(target: str, fallback: str) -> str:
    """`<!date^epoch^{date_short_pretty} at {time}|fallback>` in this machine's time zone, as Slack would."""
    parts = target.split("^")
    try:
        at = datetime.fromtimestamp(int(parts[1])).astimezone()
    except (IndexError, ValueError, OverflowError, OSError):
        return fallback
    # As the reader's Slack client would say it, in the team's language.
    pretty = _("today") if at.date() == datetime.now().astimezone().date() else day_and_month(at)
    tokens = {
        "{date_short_pretty}": pretty,
        "{date_pretty}": pretty,
        "{date_short}": f"{at.day} {at:%b %Y}",
        "{date}": f"{at.day} {at:%B %Y}",
        "{time}": f"{at:%H:%M}",
        "{time_secs}": f"{at:%H:%M:%S}",
    }
    text = parts[2] if len(parts) > 2 else ""
    for token, value in tokens.items():
        text = text.replace(token, value)
    return fallback if not text or "{" in text else text


def _text(node: Any) -> str:
    return str(node.get("text") or "") if isinstance(node, dict) else ""


def _button(element: dict[str, Any]) -> str:
    return f"[ {_text(element.get('text'))} ]"


def block_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """One readable line (or quote) per block: sections, context notes on one line, buttons side by side."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("section", "header"):
            lines += [
                readable(t) for t in [_text(block.get("text")), *map(_text, block.get("fields") or [])] if t
            ]
            accessory = block.get("accessory")
            if isinstance(accessory, dict) and accessory.get("type") == "button":
                lines.append(_button(accessory))
        elif kind == "context":
            notes = [readable(_text(e)) for e in block.get("elements") or [] if _text(e)]
            lines.append(" · ".join(notes))
        elif kind == "actions":
            buttons = [_button(e) for e in block.get("elements") or [] if e.get("type") == "button"]
            lines.append("  ".join(buttons))
        elif kind == "divider":
            lines.append("─" * 20)
    return lines


def message_lines(message: Message | Ephemeral) -> list[str]:
    return block_lines(message.blocks) if message.blocks else [readable(message.text)]


def wrap(line: str, width: int) -> list[str]:
    """Lines of at most `width`, broken between ` · ` notes where possible, else between words."""
    lines: list[str] = []
    current = ""
    for note in line.split(" · "):
        joined = f"{current} · {note}" if current else note
        if len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current + " ·")
        parts = textwrap.wrap(note, width, break_long_words=False, break_on_hyphens=False) or [""]
        lines += parts[:-1]
        current = parts[-1]
    return [*lines, current]


class Transcript:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.sections = 0

    def title(self, text: str) -> None:
        self._print(text)
        self._print("=" * len(text))

    def section(self, text: str) -> None:
        self.sections += 1
        heading = f"{self.sections}. {text}"
        self._print(f"\n{heading}\n{'-' * len(heading)}")

    def say(self, text: str, level: int = 1) -> None:
        """Narration: plain word wrapping."""
        indent = "  " * level
        for line in text.split("\n"):
            for part in textwrap.wrap(line, WIDTH - len(indent), break_on_hyphens=False) or [""]:
                self._print((indent + part).rstrip())

    def show(self, lines: list[str], level: int = 2) -> None:
        """Slack or X content, set apart by its indentation; notes wrap between ` · `, quotes keep their bar."""
        for block in lines:
            for line in block.split("\n"):
                quote = "│ " if line.startswith("│ ") else ""
                indent = "  " * level + quote
                for part in wrap(line[len(quote) :], max(WIDTH - len(indent), 40)):
                    self._print((indent + part).rstrip())

    def _print(self, text: str) -> None:
        encoding = getattr(self.out, "encoding", None) or "utf-8"  # a terminal without emoji gets "?"
        print(text.encode(encoding, "replace").decode(encoding), file=self.out)
