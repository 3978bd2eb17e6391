"""The Slack emulator through the real slack_sdk WebClient, and its driver against a real Bolt app."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from types import SimpleNamespace
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from emulators.slack import (
    SlackEmulator,
    checkboxes_value,
    plain_text_value,
    sign,
    static_select_value,
)
from tests.emulators.conftest import ServeApp

CHANNEL = "C_SOCIAL"


def review_blocks(text: str = "@someone mentioned us") -> list[dict[str, Any]]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "New mention"}},
        {"type": "section", "block_id": "post", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "block_id": "review",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approve",
                    "text": {"type": "plain_text", "text": "Approve"},
                    "value": "draft-1",
                    "style": "primary",
                },
                {"type": "button", "action_id": "edit", "text": {"type": "plain_text", "text": "Edit"}},
                {"type": "button", "action_id": "reject", "text": {"type": "plain_text", "text": "Reject"}},
            ],
        },
    ]


def edit_modal(private_metadata: str = "draft-1") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "edit_reply",
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Edit reply"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reply",
                "label": {"type": "plain_text", "text": "Reply"},
                "element": {"type": "plain_text_input", "action_id": "text", "max_length": 280},
            },
            {
                "type": "input",
                "block_id": "tone",
                "optional": True,
                "label": {"type": "plain_text", "text": "Tone"},
                "element": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Friendly"}, "value": "friendly"},
                        {"text": {"type": "plain_text", "text": "Formal"}, "value": "formal"},
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "flags",
                "optional": True,
                "label": {"type": "plain_text", "text": "Flags"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "boxes",
                    "options": [{"text": {"type": "plain_text", "text": "Urgent"}, "value": "urgent"}],
                },
            },
        ],
    }


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


# -- Web API through slack_sdk ---------------------------------------------------------------------


def test_post_message_is_stored_with_normalized_blocks(slack: SlackEmulator, client: WebClient) -> None:
    first = client.chat_postMessage(channel=CHANNEL, text="mention", blocks=review_blocks())
    second = client.chat_postMessage(channel=CHANNEL, text="second")

    assert first["ok"] is True
    assert first["channel"] == CHANNEL
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["bot_id"] == "B0BOT"
    assert first["message"]["user"] == "U0BOT"
    message = slack.message(CHANNEL, first["ts"])
    assert [b["text"]["text"] for b in message.buttons()] == ["Approve", "Edit", "Reject"]
    assert message.buttons()[0]["text"]["emoji"] is True
    assert all(block.get("block_id") for block in message.blocks), "Slack assigns missing block_ids"
    assert "@someone mentioned us" in message.all_text()
    assert [m.text for m in slack.messages(CHANNEL)] == ["mention", "second"]
    assert slack.calls("chat.postMessage")[0].params["blocks"][0]["type"] == "header"


def test_form_encoded_calls_work_too(slack: SlackEmulator, client: WebClient) -> None:
    response = client.api_call(
        "chat.postMessage",
        data={"channel": CHANNEL, "text": "form", "blocks": json.dumps(review_blocks())},
    )
    assert response["ok"] is True
    assert len(slack.message(CHANNEL, response["ts"]).buttons()) == 3


def test_wrong_token_is_invalid_auth(slack: SlackEmulator) -> None:
    intruder = WebClient(token="xoxb-wrong", base_url=slack.url + "/api/")
    with pytest.raises(SlackApiError) as excinfo:
        intruder.chat_postMessage(channel=CHANNEL, text="hi")
    assert error_of(excinfo) == "invalid_auth"
    assert slack.messages(CHANNEL) == []


def test_message_without_content_is_no_text(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json={"channel": CHANNEL})
    assert error_of(excinfo) == "no_text"


def test_missing_channel_is_channel_not_found(slack: SlackEmulator, client: WebClient) -> None:
    slack.missing_channels.add("C_GONE")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C_GONE", text="hi")
    assert error_of(excinfo) == "channel_not_found"


def _button(text: str) -> dict[str, Any]:
    return {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": text}}]}


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([{"type": "divider"}] * 51, "/blocks"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "/blocks/0/text/text"),
        ([_button("x" * 76)], "/blocks/0/elements/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "*x*"}}], "/blocks/0/text/type"),
        (
            [{"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "x"}}] * 2,
            "/blocks/1/block_id",
        ),
    ],
    ids=["51-blocks", "section-3001", "button-76", "header-151", "header-mrkdwn", "duplicate-block-id"],
)
def test_block_kit_limits_are_invalid_blocks(
    client: WebClient, blocks: list[dict[str, Any]], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=CHANNEL, text="fallback", blocks=blocks)
    assert error_of(excinfo) == "invalid_blocks"
    messages = excinfo.value.response["response_metadata"]["messages"]
    assert any(f"[json-pointer:{pointer}]" in m for m in messages), messages


def test_blocks_at_the_limits_are_accepted(client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}}] * 48 + [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        _button("b" * 75),
    ]
    assert client.chat_postMessage(channel=CHANNEL, text="ok", blocks=blocks)["ok"] is True


def test_text_over_40000_chars_is_msg_too_long(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=CHANNEL, text="x" * 40_001)
    assert error_of(excinfo) == "msg_too_long"


def test_update_keeps_history_and_omitted_blocks(slack: SlackEmulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="v1", blocks=review_blocks())["ts"]
    client.chat_update(channel=CHANNEL, ts=ts, text="v2")
    updated = client.chat_update(channel=CHANNEL, ts=ts, text="v3", blocks=[])

    message = slack.message(CHANNEL, ts)
    assert message.edits == 2
    assert [v.text for v in message.versions] == ["v1", "v2", "v3"]
    assert len(message.versions[1].blocks) == 3, "blocks are kept when chat.update omits them"
    assert message.blocks == []
    assert updated["message"]["edited"]["user"] == "U0BOT"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=CHANNEL, ts="1.000001", text="nope")
    assert error_of(excinfo) == "message_not_found"


def test_history_replies_and_metadata(slack: SlackEmulator, client: WebClient) -> None:
    metadata = {"event_type": "parley_mention", "event_payload": {"mention_id": "x:1"}}
    parent = client.chat_postMessage(channel=CHANNEL, text="parent", metadata=metadata)
    assert parent["message"]["metadata"] == metadata
    reply_1 = client.chat_postMessage(channel=CHANNEL, text="r1", thread_ts=parent["ts"])
    reply_2 = client.chat_postMessage(channel=CHANNEL, text="r2", thread_ts=parent["ts"])
    client.chat_postMessage(channel=CHANNEL, text="later")

    plain = client.conversations_history(channel=CHANNEL)
    assert [m["text"] for m in plain["messages"]] == ["later", "parent"], "top level only, newest first"
    assert "metadata" not in plain["messages"][1]
    assert plain["messages"][1]["reply_count"] == 2
    assert plain["messages"][1]["latest_reply"] == reply_2["ts"]
    with_metadata = client.conversations_history(channel=CHANNEL, include_all_metadata=True)
    assert with_metadata["messages"][1]["metadata"] == metadata

    replies = client.conversations_replies(channel=CHANNEL, ts=parent["ts"])
    assert [m["ts"] for m in replies["messages"]] == [parent["ts"], reply_1["ts"], reply_2["ts"]]
    assert replies["messages"][1]["parent_user_id"] == "U0BOT"
    assert [m.text for m in slack.thread(CHANNEL, parent["ts"])] == ["r1", "r2"]


def test_history_paginates_with_cursor(client: WebClient) -> None:
    for i in range(5):
        client.chat_postMessage(channel=CHANNEL, text=f"m{i}")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = client.conversations_history(channel=CHANNEL, limit=2, cursor=cursor)
        pages += 1
        seen += [m["text"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] is bool(cursor)
        if not cursor:
            break
    assert seen == ["m4", "m3", "m2", "m1", "m0"]
    assert pages == 3


def test_permalinks(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="parent")
    reply = client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=parent["ts"])

    link = client.chat_getPermalink(channel=CHANNEL, message_ts=parent["ts"])["permalink"]
    assert link == f"https://parley-test.slack.com/archives/{CHANNEL}/p{parent['ts'].replace('.', '')}"
    reply_link = client.chat_getPermalink(channel=CHANNEL, message_ts=reply["ts"])["permalink"]
    assert reply_link.endswith(f"?thread_ts={parent['ts']}&cid={CHANNEL}")


def test_ephemeral_and_users_info(slack: SlackEmulator, client: WebClient) -> None:
    posted = client.chat_postEphemeral(channel=CHANNEL, user="U_LUCA", text="only for you")
    assert posted["message_ts"]
    assert [e.text for e in slack.ephemerals("U_LUCA")] == ["only for you"]
    assert slack.ephemerals("U_MARIA") == []

    user = client.users_info(user="U_ANNA")["user"]
    assert (user["id"], user["name"], user["profile"]["display_name"]) == ("U_ANNA", "anna", "anna")
    assert user["tz"]
    slack.add_user("U_NEW", "newbie")
    assert client.users_info(user="U_NEW")["user"]["real_name"] == "Newbie"
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U_NOBODY")
    assert error_of(excinfo) == "user_not_found"


def test_views_open_needs_a_fresh_unused_trigger(slack: SlackEmulator, client: WebClient) -> None:
    trigger = slack.issue_trigger_id("U_MARIA")
    view = client.views_open(trigger_id=trigger, view=edit_modal())["view"]
    assert view["id"].startswith("V")
    assert view["hash"]
    assert (view["callback_id"], view["private_metadata"]) == ("edit_reply", "draft-1")
    assert view["state"] == {"values": {}}
    assert slack.views[view["id"]].user == "U_MARIA"

    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=trigger, view=edit_modal())
    assert error_of(reused) == "exchanged_trigger_id"
    stale = slack.issue_trigger_id("U_MARIA", issued_at=time.time() - 3.5)
    with pytest.raises(SlackApiError) as expired:
        client.views_open(trigger_id=stale, view=edit_modal())
    assert error_of(expired) == "expired_trigger_id"
    with pytest.raises(SlackApiError) as unknown:
        client.views_open(trigger_id="123.456.abc", view=edit_modal())
    assert error_of(unknown) == "invalid_trigger_id"


def test_view_limits_are_invalid_arguments(slack: SlackEmulator, client: WebClient) -> None:
    modal = edit_modal(private_metadata="m" * 3001)
    modal["title"] = {"type": "plain_text", "text": "t" * 25}
    modal["blocks"][0]["element"]["max_length"] = 3001
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=slack.issue_trigger_id(), view=modal)
    assert error_of(excinfo) == "invalid_arguments"
    messages = " ".join(excinfo.value.response["response_metadata"]["messages"])
    for pointer in ("/view/title/text", "/view/private_metadata", "/view/blocks/0/element/max_length"):
        assert f"[json-pointer:{pointer}]" in messages


def test_views_update_checks_hash_and_publish_stores_home(slack: SlackEmulator, client: WebClient) -> None:
    view = client.views_open(trigger_id=slack.issue_trigger_id(), view=edit_modal())["view"]
    updated = client.views_update(view_id=view["id"], view=edit_modal("draft-2"), hash=view["hash"])["view"]
    assert updated["private_metadata"] == "draft-2"
    assert updated["hash"] != view["hash"]
    assert slack.view(view["id"]).updates == 1
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=view["id"], view=edit_modal(), hash=view["hash"])
    assert error_of(excinfo) == "hash_conflict"

    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "3 pending"}}]}
    client.views_publish(user_id="U_LUCA", view=home)
    assert slack.published_homes["U_LUCA"].all_text() == "3 pending"


def test_rate_limit_is_429_with_retry_after_honoured_by_slack_sdk(
    slack: SlackEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=sleeps.append))
    retrying = WebClient(
        token=slack.bot_token,
        base_url=slack.url + "/api/",
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.fail_next(r"/chat\.postMessage$", status=429, headers={"Retry-After": "7"})

    assert retrying.chat_postMessage(channel=CHANNEL, text="after the wait")["ok"] is True
    assert len(sleeps) == 1
    assert 7 <= sleeps[0] < 8, "the handler slept for Retry-After"
    calls = slack.calls("chat.postMessage")
    assert [(c.status, c.error) for c in calls] == [(429, "ratelimited"), (200, None)]
    assert len(slack.messages(CHANNEL)) == 1


def test_rate_limit_without_retry_handler_raises(slack: SlackEmulator, client: WebClient) -> None:
    slack.rate_limit("chat.postMessage", limit=1, per_seconds=60, per_channel=True)
    client.chat_postMessage(channel=CHANNEL, text="first")
    client.chat_postMessage(channel="C_OTHER", text="other channel")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=CHANNEL, text="too soon")
    assert excinfo.value.response.status_code == 429
    assert error_of(excinfo) == "ratelimited"
    assert int(excinfo.value.response.headers["retry-after"]) >= 59


def _post_json(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.status), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_response_url_semantics(slack: SlackEmulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="review me", blocks=review_blocks())["ts"]
    payload = slack.click_request(slack.message(CHANNEL, ts), "Approve", user="U_LUCA").payload
    url = payload["response_url"]

    assert _post_json(url, {"text": "Only you see this"}) == (200, {"ok": True})
    assert [e.text for e in slack.ephemerals("U_LUCA")] == ["Only you see this"]
    assert _post_json(url, {"replace_original": True, "text": "Approved by luca"})[0] == 200
    assert slack.message(CHANNEL, ts).text == "Approved by luca"
    assert slack.message(CHANNEL, ts).edits == 1
    assert _post_json(url, {"response_type": "in_channel", "text": "Sent!", "thread_ts": ts})[0] == 200
    assert [m.text for m in slack.thread(CHANNEL, ts)] == ["Sent!"]
    assert _post_json(url, {"text": "4"})[0] == 200
    assert _post_json(url, {"text": "5"})[0] == 200
    assert _post_json(url, {"text": "6"}) == (404, {"ok": False, "error": "used_url"})
    assert [r.action for r in slack.responses] == [
        "ephemeral",
        "replace_original",
        "in_channel",
        "ephemeral",
        "ephemeral",
        "rejected",
    ]
    assert {r.user for r in slack.responses} == {"U_LUCA"}


# -- the driver against a real Bolt app ----------------------------------------------------------------


def test_click_reaches_the_action_listener_with_a_faithful_payload(
    slack: SlackEmulator, client: WebClient, bolt_app: App, serve: ServeApp
) -> None:
    received: list[dict[str, Any]] = []

    @bolt_app.action("approve")
    def approve(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        received.append(body)
        respond(replace_original=True, text="Approved")

    app_url = serve(bolt_app)
    ts = client.chat_postMessage(channel=CHANNEL, text="review", blocks=review_blocks())["ts"]
    parent_reply = client.chat_postMessage(channel=CHANNEL, text="in thread", thread_ts=ts)

    result = slack.click(app_url, slack.message(CHANNEL, ts), "approve", user="U_LUCA")

    assert result.status == 200
    assert result.acked_in_time
    slack.wait_for(lambda: slack.message(CHANNEL, ts).text == "Approved")
    body = received[0]
    assert body["type"] == "block_actions"
    assert body["user"] == {"id": "U_LUCA", "username": "luca", "name": "luca", "team_id": "T0001"}
    assert body["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": CHANNEL,
        "is_ephemeral": False,
    }
    assert body["channel"] == {"id": CHANNEL, "name": "social"}
    assert body["message"]["ts"] == ts
    assert body["message"]["thread_ts"] == ts
    assert "metadata" not in body["message"]
    action = body["actions"][0]
    assert (action["action_id"], action["block_id"], action["value"]) == ("approve", "review", "draft-1")
    assert action["text"]["text"] == "Approve"
    assert action["style"] == "primary"
    assert body["trigger_id"].count(".") == 2
    assert body["response_url"].startswith(slack.url)
    assert parent_reply["ok"]


def test_tampered_or_stale_signatures_get_401(
    slack: SlackEmulator, client: WebClient, bolt_app: App, serve: ServeApp
) -> None:
    clicks: list[str] = []

    @bolt_app.action("reject")
    def reject(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        clicks.append(body["user"]["id"])

    app_url = serve(bolt_app)
    ts = client.chat_postMessage(channel=CHANNEL, text="review", blocks=review_blocks())["ts"]
    request = slack.click_request(slack.message(CHANNEL, ts), "Reject")

    assert request.tampered().send(app_url).status == 401
    old = int(time.time()) - 600
    stale = request.with_headers(
        X_Slack_Request_Timestamp=str(old), X_Slack_Signature=sign(slack.signing_secret, old, request.body)
    )
    assert stale.send(app_url).status == 401
    assert clicks == []
    assert request.send(app_url).status == 200
    assert request.send(app_url).status == 200, "a replay of the exact request is accepted by Bolt"
    slack.wait_for(lambda: len(clicks) == 2)


def test_concurrent_clicks_all_get_acknowledged(
    slack: SlackEmulator, client: WebClient, bolt_app: App, serve: ServeApp
) -> None:
    seen: list[str] = []

    @bolt_app.action("edit")
    def edit(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.append(body["user"]["id"])

    app_url = serve(bolt_app)
    ts = client.chat_postMessage(channel=CHANNEL, text="review", blocks=review_blocks())["ts"]
    requests = [
        slack.click_request(slack.message(CHANNEL, ts), "Edit", user=u) for u in ("U_MARIA", "U_LUCA")
    ]
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda r=r: statuses.append(r.send(app_url).status)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    slack.wait_for(lambda: sorted(seen) == ["U_LUCA", "U_MARIA"])


def test_modal_flow_errors_then_close(
    slack: SlackEmulator, client: WebClient, bolt_app: App, serve: ServeApp
) -> None:
    submissions: list[dict[str, Any]] = []

    @bolt_app.action("edit")
    def open_editor(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=edit_modal(body["actions"][0]["block_id"]))

    @bolt_app.view("edit_reply")
    def save(ack: Ack, view: dict[str, Any]) -> None:
        submissions.append(view)
        text = view["state"]["values"]["reply"]["text"]["value"]
        if len(text) < 5:
            ack(response_action="errors", errors={"reply": "Too short"})
        else:
            ack()

    app_url = serve(bolt_app)
    ts = client.chat_postMessage(channel=CHANNEL, text="review", blocks=review_blocks())["ts"]
    assert slack.click(app_url, slack.message(CHANNEL, ts), "Edit").status == 200
    slack.wait_for(lambda: len(slack.open_views("U_MARIA")) == 1)
    view_id = slack.open_views("U_MARIA")[0].id

    with pytest.raises(ValueError, match="required"):
        slack.submit_view(app_url, view_id, {})
    rejected = slack.submit_view(app_url, view_id, {"reply": {"text": plain_text_value("hey")}})
    assert rejected.json() == {"response_action": "errors", "errors": {"reply": "Too short"}}
    assert slack.view(view_id).errors == {"reply": "Too short"}
    assert not slack.view(view_id).closed

    accepted = slack.submit_view(
        app_url,
        view_id,
        {
            "reply": {"text": plain_text_value("Thanks for the mention!")},
            "tone": {"pick": static_select_value("formal")},
            "flags": {"boxes": checkboxes_value("urgent")},
        },
    )
    assert accepted.status == 200
    assert accepted.body == ""
    assert slack.view(view_id).closed
    assert slack.open_views() == []
    state = submissions[-1]["state"]["values"]
    assert state["tone"]["pick"]["selected_option"]["text"]["text"] == "Formal", "option taken from the view"
    assert state["flags"]["boxes"]["selected_options"][0]["value"] == "urgent"
    assert submissions[0]["state"]["values"]["tone"]["pick"] == {
        "type": "static_select",
        "selected_option": None,
    }
    assert submissions[-1]["private_metadata"] == "review"


def test_slash_command_ack_and_event_retries(
    slack: SlackEmulator, client: WebClient, bolt_app: App, serve: ServeApp
) -> None:
    retries: list[object] = []

    @bolt_app.command("/parley")
    def parley(ack: Ack, command: dict[str, Any]) -> None:
        ack(f"{command['user_name']} asked for {command['text']} in #{command['channel_name']}")

    @bolt_app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient, request: BoltRequest) -> None:
        retries.append(request.headers.get("x-slack-retry-num"))
        home_view = {
            "type": "home",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
        }
        client.views_publish(user_id=event["user"], view=home_view)

    app_url = serve(bolt_app)
    assert slack.url_verification(app_url, "ch4llenge").json() == {"challenge": "ch4llenge"}

    assert slack.slash_command(app_url, "status").status == 200
    assert [e.text for e in slack.ephemerals("U_MARIA")] == ["maria asked for status in #social"]

    event = slack.app_home_opened_event("U_ANNA")
    assert slack.send_event(app_url, event, event_id="Ev1").status == 200
    assert slack.send_event(app_url, event, event_id="Ev1", retry_num=1).status == 200
    slack.wait_for(lambda: len(retries) == 2)
    assert retries == [None, ["1"]]
    # Events are acked before the listener runs: wait for its views.publish, which follows the ack.
    slack.wait_for(lambda: "U_ANNA" in slack.published_homes)
    assert slack.published_homes["U_ANNA"].all_text() == "Hi"


def test_clicking_an_ephemeral_and_replacing_it(slack: SlackEmulator, client: WebClient) -> None:
    client.chat_postEphemeral(channel=CHANNEL, user="U_MARIA", text="Sure?", blocks=review_blocks("Sure?"))
    ephemeral = slack.ephemerals("U_MARIA")[0]
    payload = slack.click_request(ephemeral, "Reject").payload

    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload, "Slack sends no message for ephemeral clicks"
    assert _post_json(payload["response_url"], {"replace_original": True, "text": "Rejected"})[0] == 200
    assert [(e.text, e.replaced) for e in slack.ephemerals("U_MARIA")] == [("Rejected", 1)]


def test_injected_failures_and_delays(slack: SlackEmulator, client: WebClient) -> None:
    slack.fail_next(r"chat\.postMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel=CHANNEL, text="boom")
    assert client.chat_postMessage(channel=CHANNEL, text="fine")["ok"] is True
    assert [c.status for c in slack.calls("chat.postMessage")] == [500, 500, 200]

    slack.delay(r"users\.info", 0.3)
    slow = urllib.request.Request(
        slack.url + "/api/users.info?user=U_MARIA", headers={"Authorization": f"Bearer {slack.bot_token}"}
    )
    with pytest.raises(TimeoutError):
        urllib.request.urlopen(slow, timeout=0.1)
    slack.reset()
    assert slack.messages(CHANNEL) == []
    assert client.users_info(user="U_MARIA")["ok"] is True


def test_answers_name_the_tokens_scopes_and_refuse_a_missing_one(
    slack: SlackEmulator, client: WebClient
) -> None:
    auth = client.auth_test()
    assert set(auth.headers["x-oauth-scopes"].split(",")) >= {"chat:write", "commands", "channels:history"}
    slack.scopes = ("commands", "channels:history")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_SOCIAL", text="hi")
    assert caught.value.response["error"] == "missing_scope"
    assert caught.value.response["needed"] == "chat:write"
    assert caught.value.response.headers["x-oauth-scopes"] == "commands,channels:history"
    assert (
        client.conversations_history(channel="C_SOCIAL").headers["x-accepted-oauth-scopes"]
        == "channels:history"
    )
    with pytest.raises(SlackApiError) as private:
        client.conversations_history(channel="G_PRIVATE")  # a private channel's history: groups:history
    assert private.value.response["needed"] == "groups:history"


def test_a_channel_the_bot_was_not_invited_to_is_not_in_channel(
    slack: SlackEmulator, client: WebClient
) -> None:
    slack.non_member_channels.add("C_OTHER")
    with pytest.raises(SlackApiError) as posting:
        client.chat_postMessage(channel="C_OTHER", text="hi")
    with pytest.raises(SlackApiError) as reading:
        client.conversations_history(channel="C_OTHER", limit=1)
    assert posting.value.response["error"] == reading.value.response["error"] == "not_in_channel"
    assert client.conversations_history(channel="C_SOCIAL", limit=1)["ok"]
