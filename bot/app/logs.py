"""Logging set-up, called once by the CLI (never at import). JSON lines when PARLEY_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# Tokens that must never reach a log line, whatever a library decides to print: by their shape
# here, and by their value (every configured secret) through `configure_logging(secrets=...)`.
SECRET = re.compile(r"(xox[abpr]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|Bearer\s+[\w.~+/-]+=*|OAuth\s+[^\r\n]+)")
URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^\s:/@]*:)(?P<password>[^\s@/]+)(?=@)")
_known: tuple[str, ...] = ()


_CASE: ContextVar[str] = ContextVar("parley_case", default="")


@contextmanager
def case_context(case_id: str) -> Iterator[None]:
    """Every log line written inside carries this case id (jobs and handlers set it)."""
    token = _CASE.set(case_id)
    try:
        yield
    finally:
        _CASE.reset(token)


class CaseFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.case_id = _CASE.get()
        return True


def redact(text: str) -> str:
    for value in _known:
        text = text.replace(value, value[:3] + "…")
    text = URL_PASSWORD.sub(lambda m: m.group("head") + "***", text)
    return SECRET.sub(lambda m: m.group(0)[:5] + "…", text)


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if getattr(record, "case_id", ""):
            entry["case_id"] = str(getattr(record, "case_id", ""))
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = redact(super().format(record))
        case_id = getattr(record, "case_id", "")
        return f"{line} [case {case_id}]" if case_id else line


# Debug records in which an SDK prints whole request or answer bodies, i.e. the text of every message
# Parley posts to Slack, private messages included: dropped whatever the level (the connectors keep
# tweepy's, requests-oauthlib's and prawcore's out the same way).
_BODY_RECORDS: dict[str, tuple[str, ...]] = {
    "slack_sdk.web.base_client": ("Sending a request", "Received the following response"),
}


class _WithoutBodies(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        starts = _BODY_RECORDS.get(record.name, ())
        return record.levelno > logging.DEBUG or not str(record.msg).startswith(starts)


_BODIES = _WithoutBodies()


def keep_bodies_out_of_logs() -> None:
    """Filter the SDK debug records that carry message bodies; idempotent (configure_logging calls it)."""
    for name in _BODY_RECORDS:
        logger = logging.getLogger(name)
        if _BODIES not in logger.filters:
            logger.addFilter(_BODIES)


def configure_logging(
    *, json_lines: bool = False, level: int = logging.INFO, secrets: Iterable[str] = ()
) -> None:
    """`secrets`: values never to print (tokens, passwords), whatever shape they have."""
    global _known  # noqa: PLW0603 - logging is process-wide; the CLI configures it once
    _known = tuple(sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JSONFormatter()
        if json_lines
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(CaseFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    keep_bodies_out_of_logs()
