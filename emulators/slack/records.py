"""What the emulator records: messages and their versions, ephemerals, views, files, response URL uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulators.http import RecordedRequest
from emulators.slack.blocks import block_buttons, block_texts
from emulators.slack.workspace import JSONDict


class _HasBlocks:
    """Assertion helpers shared by messages and ephemerals."""

    text: str
    blocks: list[JSONDict]

    def buttons(self) -> list[JSONDict]:
        """Every button element (actions blocks and section accessories), in order."""
        return [button for _, button in block_buttons(self.blocks)]

    def all_text(self) -> str:
        """The text of every block (text objects, fields, buttons), one per line; `text` if no blocks."""
        if not self.blocks:
            return self.text
        return "\n".join(block_texts(self.blocks))


@dataclass
class MessageVersion:
    """One version of a message: the original post or an edit."""

    text: str
    blocks: list[JSONDict]
    metadata: JSONDict | None
    ts: str


@dataclass
class Message(_HasBlocks):
    """A message as stored by the emulator. `thread_ts` is set on replies only."""

    channel: str
    ts: str
    text: str
    blocks: list[JSONDict]
    user: str
    bot_id: str | None = None
    thread_ts: str | None = None
    metadata: JSONDict | None = None
    versions: list[MessageVersion] = field(default_factory=list)
    edited_ts: str | None = None

    @property
    def edits(self) -> int:
        """How many times the message was updated (`chat.update` or `replace_original`)."""
        return max(len(self.versions) - 1, 0)


@dataclass
class UploadedFile:
    """A file shared with files.getUploadURLExternal + upload + files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str = ""
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


@dataclass
class Ephemeral(_HasBlocks):
    """An ephemeral message only `user` sees. `source`: chat.postEphemeral, response_url or ack."""

    channel: str
    user: str
    message_ts: str
    text: str
    blocks: list[JSONDict]
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"
    replaced: int = 0


@dataclass
class StoredView:
    """A modal or Home tab. `data` is the Slack view object; `errors` the last `response_action: errors`."""

    data: JSONDict
    user: str
    closed: bool = False
    updates: int = 0
    errors: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def type(self) -> str:
        return str(self.data["type"])

    @property
    def callback_id(self) -> str:
        return str(self.data.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.data.get("private_metadata") or "")

    @property
    def hash(self) -> str:
        return str(self.data["hash"])

    @property
    def title(self) -> str:
        title = self.data.get("title")
        return str(title.get("text", "")) if isinstance(title, dict) else ""

    @property
    def blocks(self) -> list[JSONDict]:
        blocks: list[JSONDict] = self.data.get("blocks") or []
        return blocks

    def input_block_ids(self) -> list[str]:
        return [str(b["block_id"]) for b in self.blocks if b.get("type") == "input"]

    def buttons(self) -> list[JSONDict]:
        return [button for _, button in block_buttons(self.blocks)]

    def all_text(self) -> str:
        return "\n".join(block_texts(self.blocks))


@dataclass(frozen=True)
class ResponseUse:
    """One POST to a `response_url`.

    `action`: ephemeral, in_channel, replace_original, delete_original or rejected.
    """

    response_id: str
    user: str
    payload: JSONDict
    action: str
    status: int
    error: str | None
    timestamp: float


@dataclass(frozen=True)
class ApiCall:
    """A Web API call as received (injected failures included); `params` with JSON fields decoded."""

    method: str
    params: JSONDict
    status: int | None
    error: str | None
    request: RecordedRequest


@dataclass
class Trigger:
    user: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrlRecord:
    user: str
    channel: str
    created_at: float
    origin_ts: str | None = None
    origin_ephemeral: bool = False
    thread_ts: str | None = None
    uses: int = 0
