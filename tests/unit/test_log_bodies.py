"""The SDK debug records that print message bodies are dropped; the others stay."""

from __future__ import annotations

import logging

import pytest

from bot.app.logs import keep_bodies_out_of_logs


def test_slack_sdk_request_and_response_bodies_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    keep_bodies_out_of_logs()
    keep_bodies_out_of_logs()  # idempotent
    caplog.set_level(logging.DEBUG)
    sdk = logging.getLogger("slack_sdk.web.base_client")
    sdk.debug(
        "Sending a request - url: https://slack.com/api/chat.postMessage, json_body: {'text': 'private'}"
    )
    sdk.debug("Received the following response - status: 200, body: {'text': 'private'}")
    sdk.debug("Something else")
    sdk.warning("Sending a request failed")

    assert [r.getMessage() for r in caplog.records] == ["Something else", "Sending a request failed"]
    assert sum(1 for f in sdk.filters if type(f).__name__ == "_WithoutBodies") == 1
