"""Accounts and routing through the whole loop: the configuration file decides where a case goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from bot.app.settings import ConfigError
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import Clock, card_of


def x_account(sb: Sandbox, name: str = "brand-x", search: str = "") -> str:
    lines = [
        "[[accounts]]",
        f'name = "{name}"',
        'network = "x"',
        'bearer_token = "env:X_BEARER_TOKEN"',
        f'api_url = "{sb.x.url}"',
    ]
    if search:
        lines.append(f"search = {search!r}".replace("'", '"'))
    else:
        lines += [
            'api_key = "env:X_API_KEY"',
            'api_secret = "env:X_API_SECRET"',
            'access_token = "env:X_ACCESS_TOKEN"',
            'access_token_secret = "env:X_ACCESS_TOKEN_SECRET"',
        ]
    return "\n".join(lines) + "\n"


def keyword_config(sb: Sandbox) -> str:
    return x_account(sb) + '\n[[routes]]\nchannel = "C_BILLING"\nkeywords = ["refund", "charged twice"]\n'


@pytest.fixture
def routed(redis_client: redis.Redis, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, config=keyword_config) as sb:
        yield sb


def test_a_keyword_rule_sends_billing_questions_to_their_channel(routed: Sandbox) -> None:
    routed.x.add_mention("@parleybrand I was charged twice this month!", author_handle="ann")
    routed.x.add_mention("@parleybrand what time do you open?", author_handle="bo")
    assert routed.poll("brand-x").new == 2
    routed.drain()

    [billing] = routed.slack.messages("C_BILLING")
    [general] = routed.slack.messages(CHANNEL)
    assert "charged twice" in billing.all_text()
    assert "what time" in general.all_text()
    card_of_billing = [m for m in routed.slack.thread("C_BILLING", billing.ts) if m.buttons()]
    assert card_of_billing
    routed.slack.click(routed.app_url, card_of_billing[0], "Approve", user="U_MARIA")
    routed.drain()
    [reply] = routed.x.posted
    assert "Posted by" in routed.slack.message("C_BILLING", billing.ts).all_text()
    assert reply.text


def test_an_invalid_configuration_file_stops_start_up_naming_the_key(redis_client: redis.Redis) -> None:
    def typo(sb: Sandbox) -> str:
        return x_account(sb) + '\n[[routes]]\nchanel = "C_BILLING"\n'

    with pytest.raises(ConfigError, match=r"routes\[0\]\.chanel: unknown key \(did you mean channel\?\)"):  # noqa: SIM117
        with Sandbox(redis_client, config=typo):
            pass


def test_keyword_search_hits_are_forwarded_listen_only(redis_client: redis.Redis, clock: Clock) -> None:
    def config(sb: Sandbox) -> str:
        return x_account(sb, "brand-listening", search="acme") + "\n" + x_account(sb)

    with Sandbox(redis_client, clock=clock, config=config) as sb:
        sb.x.add_tweet("the acme app keeps crashing on my phone", author_handle="zed")
        assert sb.poll("brand-listening").new == 1
        sb.drain()
        [parent] = sb.slack.messages(CHANNEL)
        card = card_of(sb, parent)
        assert "Listen only" in card.all_text()
        assert [b["text"]["text"] for b in card.buttons()] == ["Reject (close)"]
        assert sb.x.posted == []
