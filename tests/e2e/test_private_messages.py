"""Private messages end to end: an X DM and a Reddit PM arrive in Slack, Approve answers by private
message exactly once, and the private text never reaches a log line."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.app.logs import keep_bodies_out_of_logs
from demo.sandbox import Sandbox
from tests.e2e.conftest import card_of, forwarded


def _approve_from_three_people(sb: Sandbox) -> None:
    [parent] = forwarded(sb)
    clicks = [
        sb.slack.click_request(card_of(sb, parent), "Approve", user=u)
        for u in ("U_MARIA", "U_LUCA", "U_ANNA")
    ]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda r: r.send(sb.app_url), clicks))
    sb.drain()


def test_an_x_dm_is_forwarded_once_and_answered_by_one_dm(sandbox: Sandbox) -> None:
    sandbox.x.access_level = "read-write-directmessages"  # the X app has the DM permission
    event_id = sandbox.x.add_direct_message("my parcel never came, order 1234", author_handle="ana")

    assert sandbox.poll().new == 1
    assert sandbox.poll().new == 0
    sandbox.drain()
    [parent] = forwarded(sandbox)
    assert "my parcel never came" in parent.all_text()
    assert "/10,000" in card_of(sandbox, parent).all_text()  # a DM, not a 280-character post

    _approve_from_three_people(sandbox)

    [sent] = sandbox.x.sent_messages
    assert sent.conversation_id == sandbox.x.dm_event(event_id).conversation_id
    assert sandbox.x.posted == []  # nothing public
    assert sandbox.poll().new == 0  # our own DM does not come back as a case
    assert len(sandbox.x.sent_messages) == 1


def test_a_reddit_pm_is_forwarded_once_and_answered_in_its_thread_once(sandbox: Sandbox) -> None:
    sandbox.poll("reddit")
    name = sandbox.reddit.add_private_message("eve", "Refund", "I was charged twice for my plan")

    assert sandbox.poll("reddit").new == 1
    sandbox.drain()
    assert sandbox.reddit.unread() == []
    [parent] = forwarded(sandbox)
    assert "charged twice" in parent.all_text()

    _approve_from_three_people(sandbox)

    [sent] = sandbox.reddit.sent_messages
    assert (sent.parent_id, sent.dest) == (name, "eve")
    assert sandbox.reddit.replies == []  # nothing public
    assert sandbox.poll("reddit").new == 0


def test_dm_text_never_reaches_a_log_line(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    keep_bodies_out_of_logs()  # as `configure_logging` does in every Parley process
    caplog.set_level(logging.DEBUG)
    sandbox.x.access_level = "read-write-directmessages"
    sandbox.x.add_direct_message("SECRET-DM my card number is 4111", author_handle="ana")
    sandbox.poll("reddit")
    sandbox.reddit.add_private_message("eve", "SECRET-SUBJECT", "SECRET-PM my address")
    sandbox.poll()
    sandbox.poll("reddit")
    sandbox.drain()
    for parent in forwarded(sandbox):
        sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()

    assert len(sandbox.x.sent_messages) == len(sandbox.reddit.sent_messages) == 1
    leaks = sorted({(r.name, r.levelname) for r in caplog.records if "SECRET" in r.getMessage()})
    assert leaks == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "my card number" not in logged and "my address" not in logged
