"""Logging set-up, called once by the CLI (never at import). JSON lines when PARLEY_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# Tokens that must never reach a log line, whatever a library decides to print.
SECRET = re.compile(r"(xox[abpr]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|Bearer\s+[\w.~+/-]+=*)")


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


def configure_logging(*, json_lines: bool = False, level: int = logging.INFO) -> None:
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
