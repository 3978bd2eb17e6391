"""Tiny Block Kit constructors and the limits they must respect (see platform-notes, Slack)."""

from __future__ import annotations

from blocks.message import Block

MAX_BLOCKS = 50  # per message
SECTION_TEXT = 3000
CONTEXT_TEXT = 2000  # kept well under the section limit: context is for short notes
INPUT_MAX = 3000  # plain_text_input max_length
MODAL_TITLE = 24  # also submit / close


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    """A context block of mrkdwn notes; empty notes are dropped (Slack refuses empty text)."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts if t][:10]}


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def option(text: str, value: str) -> Block:
    return {"text": plain(text), "value": value}
