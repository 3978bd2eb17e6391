"""People's data: closed conversations expire after PARLEY_RETENTION_DAYS, and `parley forget` erases
one person on request, in Redis and in Slack; the audit log keeps who did what, without the text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.adapters import audit, keys
from bot.app.cli import main
from bot.domain.conversation import index_keys
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, card_of, forwarded, mention_and_deliver


def _answered(sb: Sandbox, text: str = "@parleybrand how do I export my data?") -> str:
    parent = mention_and_deliver(sb, text)
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    [case] = [c for c in sb.parley.store.cases_between(*_always()) if c.reply is not None]
    return case.id


def _always() -> tuple[datetime, datetime]:
    return datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def test_closed_conversations_expire_after_the_retention_period(sandbox: Sandbox, clock: Clock) -> None:
    closed = sandbox.parley.store.require(_answered(sandbox))
    sandbox.x.add_mention("@parleybrand is the shop open on Sunday?", author_handle="bo")
    sandbox.poll()
    sandbox.drain()
    store, book = sandbox.parley.store, sandbox.parley.publisher.answers
    assert book.suggest("how do I export my data", language="en")  # an example for later drafts

    clock.advance(days=89)
    assert sandbox.parley.privacy.expire() == 0
    clock.advance(days=2)
    assert sandbox.parley.privacy.expire() == 1

    assert store.get(closed.id) is None and len(store.open_cases()) == 1  # the open one stays
    assert not any(store.redis.exists(keys.conversation(k)) for k in index_keys(closed))
    assert book.suggest("how do I export my data", language="en") == []
    entries = list(audit.export(store.redis, case_id=closed.id))
    assert {e["action"] for e in entries} >= {"approved", "posted"}  # who did what stays
    assert "export my data" not in json.dumps(entries)  # without the text


def test_forget_erases_one_person_everywhere_and_says_what(
    sandbox: Sandbox, redis_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _answered(sandbox)  # by @ann
    sandbox.x.add_mention("@parleybrand hello from someone else", author_handle="bo")
    sandbox.poll()
    sandbox.drain()
    for name, value in (sandbox.environment() | {"REDIS_URL": redis_url}).items():
        monkeypatch.setenv(name, value)

    assert main(["forget", "x", "@ann"]) == 0

    said = capsys.readouterr().out
    assert "1 conversation(s) erased" in said and case_id in said and "removed on request" in said
    assert "1 saved example(s) removed" in said
    assert sandbox.parley.store.get(case_id) is None
    ann, bo = forwarded(sandbox)
    assert "Removed on request" in sandbox.slack.message(CHANNEL, ann.ts).all_text()
    assert "export my data" not in sandbox.slack.message(CHANNEL, ann.ts).all_text()
    assert "hello from someone else" in sandbox.slack.message(CHANNEL, bo.ts).all_text()
    assert sandbox.parley.publisher.answers.suggest("how do I export my data", language="en") == []
