"""Log lines carry the case they are about, and never a token."""

from __future__ import annotations

import io
import json
import logging

from bot.app.logs import CaseFilter, JSONFormatter, RedactingFormatter, case_context


def capture(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(CaseFilter())
    logger = logging.getLogger(f"test.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_json_lines_carry_the_case_id_inside_a_case_context_only() -> None:
    logger, stream = capture(JSONFormatter())
    with case_context("x-123"):
        logger.info("posting with token xoxb-123-456-abc")
    logger.info("outside")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["case_id"] == "x-123" and "xoxb-123" not in first["message"]
    assert "case_id" not in second


def test_text_lines_name_the_case_too() -> None:
    logger, stream = capture(RedactingFormatter("%(message)s"))
    with case_context("reddit-t1_abc"):
        logger.warning("failed with Bearer sk-abcdefghijklmnop")
    line = stream.getvalue().strip()
    assert line.endswith("[case reddit-t1_abc]") and "sk-abcdefghijklmnop" not in line
