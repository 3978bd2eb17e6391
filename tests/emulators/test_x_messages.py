"""XEmulator's direct messages through the real tweepy 4.17 `Client`: events, sending, permissions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import tweepy

from emulators.x import DM_PERMISSION_DETAIL, DM_REFUSED_DETAIL, XEmulator
from tests.emulators.test_x_emulator import BRAND_ID, ISO_MS, _Rebased

DM_FIELDS = ["created_at", "sender_id", "dm_conversation_id", "participant_ids", "text", "event_type"]
ALL_SCOPES = frozenset({"dm.read", "dm.write", "tweet.read", "users.read"})


@pytest.fixture
def x() -> Iterator[XEmulator]:
    with XEmulator(
        access_level="read-write-directmessages",
        user_tokens={"user-token": ALL_SCOPES, "tweets-only": frozenset({"tweet.read", "users.read"})},
    ) as emulator:
        yield emulator


def _client(x: XEmulator, **credentials: str) -> tweepy.Client:
    client = tweepy.Client(return_type=dict, wait_on_rate_limit=False, **credentials)
    client.session.close()
    client.session = _Rebased(x.url)
    return client


@pytest.fixture
def api(x: XEmulator) -> Iterator[tweepy.Client]:
    client = _client(
        x,
        bearer_token="app-token",
        consumer_key="ck",
        consumer_secret="cs",
        access_token=f"{BRAND_ID}-at",
        access_token_secret="ats",
    )
    yield client
    client.session.close()


def _events(api: tweepy.Client, **params: Any) -> Any:
    return api.get_direct_message_events(
        dm_event_fields=DM_FIELDS, expansions=["sender_id"], user_fields=["username", "name"], **params
    )


def test_a_dm_to_the_brand_is_an_event_with_x_fields_and_its_sender(x: XEmulator, api: tweepy.Client) -> None:
    event_id = x.add_direct_message("my order never came", author_handle="ana", author_name="Ana B")
    ana = x.add_user("ana")

    body = _events(api)

    [event] = body["data"]
    assert event["id"] == event_id and event["event_type"] == "MessageCreate"
    assert event["text"] == "my order never came"
    assert event["sender_id"] == ana.id
    low, high = sorted((ana.id, BRAND_ID), key=int)
    assert event["dm_conversation_id"] == f"{low}-{high}"
    assert sorted(event["participant_ids"]) == sorted([ana.id, BRAND_ID])
    assert ISO_MS.match(event["created_at"])
    assert body["includes"]["users"] == [{"id": ana.id, "name": "Ana B", "username": "ana"}]
    assert body["meta"] == {"result_count": 1}
    assert x.requests[-1].path == "/2/dm_events"
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(
        x.requests[-1].response.headers if x.requests[-1].response else {}
    )


def test_default_fields_are_id_event_type_and_text(x: XEmulator, api: tweepy.Client) -> None:
    event_id = x.add_direct_message("hi")
    assert api.get_direct_message_events()["data"] == [
        {"id": event_id, "event_type": "MessageCreate", "text": "hi"}
    ]


def test_sending_answers_201_with_the_conversation_and_the_event(x: XEmulator, api: tweepy.Client) -> None:
    x.add_direct_message("hello?", author_handle="ana")
    ana = x.add_user("ana")

    body = api.create_direct_message(participant_id=ana.id, text="Hi Ana, we're on it.")

    [sent] = x.sent_messages
    assert body == {"data": {"dm_conversation_id": sent.conversation_id, "dm_event_id": sent.id}}
    assert x.requests[-1].response is not None and x.requests[-1].response.status == 201
    assert x.requests[-1].json() == {"text": "Hi Ana, we're on it."}
    texts = [e["text"] for e in _events(api, participant_id=ana.id)["data"]]
    assert texts == ["Hi Ana, we're on it.", "hello?"]  # newest first, both directions


def test_events_are_newest_first_and_paginated(x: XEmulator, api: tweepy.Client) -> None:
    ids = [x.add_direct_message(f"message {i}", author_handle=f"u{i}") for i in range(5)]
    first = api.get_direct_message_events(max_results=2)
    second = api.get_direct_message_events(max_results=2, pagination_token=first["meta"]["next_token"])
    third = api.get_direct_message_events(max_results=2, pagination_token=second["meta"]["next_token"])
    seen = [e["id"] for page in (first, second, third) for e in page["data"]]
    assert seen == ids[::-1]
    assert "next_token" not in third["meta"]


def test_conversation_endpoints_keep_to_their_conversation(x: XEmulator, api: tweepy.Client) -> None:
    x.add_direct_message("from ana", author_handle="ana")
    x.add_direct_message("from bo", author_handle="bo")
    bo = x.add_user("bo")
    by_participant = _events(api, participant_id=bo.id)["data"]
    assert [e["text"] for e in by_participant] == ["from bo"]
    by_id = _events(api, dm_conversation_id=by_participant[0]["dm_conversation_id"])["data"]
    assert by_id == by_participant


def test_events_older_than_30_days_are_gone(x: XEmulator, api: tweepy.Client) -> None:
    x.add_direct_message("old", created_at=datetime.now(UTC) - timedelta(days=31))
    assert api.get_direct_message_events()["meta"] == {"result_count": 0}


def test_someone_who_does_not_accept_dms_cannot_be_messaged(x: XEmulator, api: tweepy.Client) -> None:
    x.set_accepts_dms("cara", False)
    cara = x.add_user("cara")
    assert api.get_user(id=cara.id, user_fields=["receives_your_dm"])["data"]["receives_your_dm"] is False

    with pytest.raises(tweepy.Forbidden) as caught:
        api.create_direct_message(participant_id=cara.id, text="Hello")
    assert caught.value.response.json()["detail"] == DM_REFUSED_DETAIL
    assert x.sent_messages == []

    x.add_direct_message("actually, can you help?", author_handle="cara")  # once they wrote, we may answer
    assert api.get_user(id=cara.id, user_fields=["receives_your_dm"])["data"]["receives_your_dm"] is True
    api.create_direct_message(participant_id=cara.id, text="Of course!")
    assert [m.text for m in x.sent_messages] == ["Of course!"]


def test_an_app_without_the_dm_permission_is_refused(api: tweepy.Client) -> None:
    with XEmulator(access_level="read-write") as plain:
        client = _client(
            plain, consumer_key="ck", consumer_secret="cs", access_token="t", access_token_secret="s"
        )
        with pytest.raises(tweepy.Forbidden) as caught:
            client.get_direct_message_events()
        assert caught.value.response.json()["detail"] == DM_PERMISSION_DETAIL
        assert caught.value.response.headers["x-access-level"] == "read-write"
        with pytest.raises(tweepy.Forbidden):
            client.create_direct_message(participant_id=plain.add_user("ana").id, text="hi")


def test_oauth2_user_tokens_need_the_dm_scopes(x: XEmulator) -> None:
    x.add_direct_message("hi", author_handle="ana")
    ana = x.add_user("ana")
    scoped = _client(x, bearer_token="user-token")
    assert scoped.get_direct_message_events(user_auth=False)["meta"]["result_count"] == 1
    scoped.create_direct_message(participant_id=ana.id, text="Hello!", user_auth=False)

    unscoped = _client(x, bearer_token="tweets-only")
    with pytest.raises(tweepy.Forbidden) as read:
        unscoped.get_direct_message_events(user_auth=False)
    with pytest.raises(tweepy.Forbidden) as write:
        unscoped.create_direct_message(participant_id=ana.id, text="Hi", user_auth=False)
    assert read.value.response.json()["title"] == write.value.response.json()["title"] == "Forbidden"

    app_only = _client(x, bearer_token="app-token")
    with pytest.raises(tweepy.Forbidden) as unsupported:
        app_only.get_direct_message_events(user_auth=False)
    assert unsupported.value.response.json()["title"] == "Unsupported Authentication"


def test_dm_endpoints_have_their_own_rate_limit(x: XEmulator, api: tweepy.Client) -> None:
    x.set_limit("dm_lookup", 1)
    api.get_direct_message_events()
    with pytest.raises(tweepy.TooManyRequests):
        api.get_direct_message_events()
    api.get_users_mentions(BRAND_ID)  # other endpoints keep their windows
