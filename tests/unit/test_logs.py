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


def test_every_configured_secret_is_hidden_whatever_its_shape() -> None:
    from bot.app.logs import configure_logging, redact
    from bot.app.secrets import secret_values
    from bot.app.settings import Settings

    env = {
        "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
        "X_API_KEY": "xkey-1234567",
        "X_API_SECRET": "xsecret-abcdefg",
        "X_ACCESS_TOKEN": "1234-accesstoken",
        "X_ACCESS_TOKEN_SECRET": "accesssecret-zz",
        "REDDIT_CLIENT_ID": "client-id-1",
        "REDDIT_CLIENT_SECRET": "reddit-secret-9",
        "REDDIT_USERNAME": "brand",
        "REDDIT_PASSWORD": "hunter2-hunter2",
        "REDIS_URL": "redis://:s3cr3t-pass@redis.internal:6379/0",
    }
    settings = Settings.from_env(env)
    configure_logging(secrets=secret_values(settings))
    try:
        line = redact(" ".join(f"{k}={v}" for k, v in env.items()))
    finally:
        configure_logging()
    for name in (
        "SLACK_SIGNING_SECRET",
        "X_API_SECRET",
        "X_ACCESS_TOKEN",
        "REDDIT_CLIENT_SECRET",
        "REDDIT_PASSWORD",
    ):
        assert env[name] not in line, name
    assert "s3cr3t-pass" not in line and "redis://:***@redis.internal" in line


def test_a_url_password_is_masked_even_when_not_configured() -> None:
    from bot.app.logs import redact

    assert (
        redact("connecting to redis://user:pw-123@host:6379/1")
        == "connecting to redis://user:***@host:6379/1"
    )
