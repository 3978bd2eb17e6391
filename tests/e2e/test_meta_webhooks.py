"""`/webhooks/meta` refuses what Meta did not send, and `parley doctor` explains a bad Meta setup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
import requests

from bot.domain import Network
from demo.meta import CUSTOMER, IG_CUSTOMER, meta_sandbox
from demo.sandbox import Sandbox
from emulators.meta import MetaEmulator, signed_headers
from tests.e2e.conftest import Clock, card_of, checks, forwarded, thread_texts

World = tuple[Sandbox, MetaEmulator]


@pytest.fixture
def world(redis_client: redis.Redis, clock: Clock) -> Iterator[World]:
    with meta_sandbox(redis_client, clock) as pair:
        yield pair


def a_comment(meta: MetaEmulator) -> dict[str, object]:
    post = meta.add_post("Menu")
    return meta.webhooks.page_comment(meta.add_comment(post, "Gluten free?", author=CUSTOMER))


def test_the_subscription_check_echoes_the_challenge_only_for_our_verify_token(world: World) -> None:
    _, meta = world
    ok = meta.webhooks.verify(challenge="8675309")
    assert (ok.status_code, ok.text) == (200, "8675309")
    assert ok.headers["Content-Type"].startswith("text/plain")
    assert meta.webhooks.verify(token="guessed").status_code == 403


@pytest.mark.parametrize("how", ["unsigned", "wrong secret", "tampered"])
def test_a_delivery_not_signed_by_meta_is_refused_before_it_is_read(world: World, how: str) -> None:
    sb, meta = world
    payload = a_comment(meta)
    if how == "unsigned":
        status = meta.webhooks.deliver(payload, signed=False).status
    elif how == "wrong secret":
        status = meta.webhooks.deliver(payload, secret="not-the-app-secret").status
    else:  # Meta's signature of another body
        signature = signed_headers(meta.webhooks.encode({"object": "page", "entry": []}), meta.app_secret)
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature["X-Hub-Signature-256"],
        }
        body = meta.webhooks.encode(payload)
        status = requests.post(meta.webhooks.target, data=body, headers=headers, timeout=10).status_code
    assert status == 401
    sb.drain()
    assert forwarded(sb) == []


def test_a_signed_body_that_is_not_json_is_a_bad_request(world: World) -> None:
    _, meta = world
    assert meta.webhooks.send(b"not json").status == 400


def test_doctor_reaches_the_page_and_the_instagram_account(world: World, redis_url: str) -> None:
    sb, _ = world
    found = checks(sb, redis_url)
    assert found["facebook"].ok and "Page Parley Demo" in found["facebook"].detail
    assert found["instagram"].ok and "@parleydemo" in found["instagram"].detail


def test_doctor_says_plainly_that_the_page_token_expired(world: World, redis_url: str) -> None:
    sb, meta = world
    meta.expire_token()
    found = checks(sb, redis_url)
    for name in ("facebook", "instagram"):
        assert not found[name].ok
        assert "expired" in found[name].detail and "META_PAGE_ACCESS_TOKEN" in found[name].detail


def test_doctor_names_a_missing_permission(world: World, redis_url: str) -> None:
    sb, meta = world
    meta.revoke("pages_messaging")
    found = checks(sb, redis_url)
    assert not found["facebook"].ok and "pages_messaging" in found["facebook"].detail


def test_an_expired_token_is_explained_in_the_thread(world: World) -> None:
    sb, meta = world
    meta.webhooks.deliver(a_comment(meta))
    sb.drain()
    [parent] = forwarded(sb)
    meta.expire_token()
    sb.slack.click(sb.app_url, card_of(sb, parent), "Approve", user="U_MARIA")
    sb.drain()
    assert any("expired" in t and "META_PAGE_ACCESS_TOKEN" in t for t in thread_texts(sb, parent))
    assert meta.replies() == []


def test_while_facebook_is_paused_deliveries_wait_for_the_poll_after_resume(world: World) -> None:
    sb, meta = world
    sb.poll("facebook")
    sb.parley.team.pause(Network.FACEBOOK)
    assert meta.webhooks.deliver(a_comment(meta)).status == 200
    sb.drain()
    assert forwarded(sb) == []
    sb.parley.team.resume(Network.FACEBOOK)
    assert sb.poll("facebook").new == 1
    sb.drain()
    assert len(forwarded(sb)) == 1


def test_a_mention_looked_up_after_instagram_was_paused_waits_too(world: World) -> None:
    sb, meta = world
    media = meta.add_foreign_post("Brunch!", author=IG_CUSTOMER, platform="instagram", mentions=False)
    comment = meta.add_comment(media, "@parleydemo open on Sunday?", author=IG_CUSTOMER)
    assert meta.webhooks.deliver(meta.webhooks.instagram_mention(media, comment)).status == 200
    sb.parley.team.pause(Network.INSTAGRAM)  # before the queued look-up runs
    sb.drain()
    assert forwarded(sb) == []
