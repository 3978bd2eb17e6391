"""The X loop end to end: mention → Slack thread → approve / edit / reject → reply on X.

Every test drives the real app over HTTP with signed requests and asserts on what the Slack and
X emulators received, which is what the team and the public would see.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from blocks import ids
from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import checkboxes_value, plain_text_value, static_select_value
from tests.e2e.conftest import (
    card_of,
    ephemerals_saying,
    forwarded,
    mention_and_deliver,
    modal_for,
    thread_texts,
)


def test_each_mention_is_forwarded_once_with_a_draft_card_in_its_thread(sandbox: Sandbox) -> None:
    for i in range(3):
        sandbox.x.add_mention(
            f"@parleybrand question {i}: how do I reset my password?", author_handle=f"user{i}"
        )
    assert sandbox.poll().new == 3
    assert sandbox.poll().new == 0  # polling again before the worker ran adds nothing
    sandbox.drain()
    assert sandbox.poll().new == 0
    sandbox.drain()

    parents = forwarded(sandbox)
    assert len(parents) == 3
    assert [p.text for p in parents] == sorted(p.text for p in parents)  # oldest first
    for parent in parents:
        card = card_of(sandbox, parent)
        assert [b["text"]["text"] for b in card.buttons()][:3] == ["Approve", "Edit", "Reject"]
        assert "/280" in card.all_text()
        assert "Waiting for approval" in sandbox.slack.message(CHANNEL, parent.ts).all_text()


def test_polling_follows_pages_and_keeps_its_cursor(sandbox: Sandbox) -> None:
    sandbox.x.add_mention("@parleybrand first")
    sandbox.poll()
    for i in range(130):  # more than one page of 100
        sandbox.x.add_mention(f"@parleybrand burst {i}", author_handle=f"b{i}")
    assert sandbox.poll().new == 130
    assert sandbox.poll().new == 0


def test_concurrent_approvals_and_a_replayed_click_post_exactly_once(sandbox: Sandbox) -> None:
    card = card_of(sandbox, mention_and_deliver(sandbox))
    clicks = [sandbox.slack.click_request(card, "Approve", user=u) for u in ("U_MARIA", "U_LUCA", "U_ANNA")]
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda r: r.send(sandbox.app_url), clicks))
    replay = clicks[0].send(sandbox.app_url)  # Slack (or a proxy) sending the very same request again
    sandbox.drain()

    assert all(a.status == 200 and a.acked_in_time for a in [*answers, replay])
    assert len(sandbox.x.posted) == 1
    told = ephemerals_saying(sandbox, "already", count=3)
    assert len(told) == 3  # two losers and the replay are told who won, nothing else happens
    card = card_of(sandbox, forwarded(sandbox)[0])
    assert "Posted by" in card.all_text() and not card.buttons()


def test_approve_posts_the_reply_to_the_mention_and_the_thread_says_who(sandbox: Sandbox) -> None:
    mention_id = sandbox.x.add_mention("@parleybrand is the shop open on Sunday?", author_handle="bo")
    sandbox.poll()
    sandbox.drain()
    [parent] = forwarded(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()

    [reply] = sandbox.x.posted
    assert reply.in_reply_to_tweet_id == mention_id
    updated = sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert "Posted by <@U_MARIA>" in updated and f"status/{reply.id}" in updated
    assert any("approved" in t and "<@U_MARIA>" in t for t in thread_texts(sandbox, parent))
    assert any(f"status/{reply.id}" in t for t in thread_texts(sandbox, parent))


def test_edit_shows_errors_in_the_modal_then_saves_and_approves(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_LUCA")
    modal = modal_for(sandbox, "U_LUCA")
    assert modal.callback_id == ids.CALLBACK_EDIT

    too_long = "x" * 281
    for bad in ("   ", too_long):
        answer = sandbox.slack.submit_view(
            sandbox.app_url,
            modal.id,
            {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(bad)}},
            enforce_required=False,
        )
        assert answer.json()["response_action"] == "errors"
        assert ids.BLOCK_DRAFT in answer.json()["errors"]
    assert sandbox.x.posted == [] and sandbox.parley.store.open_cases()[0].draft.version == 1  # type: ignore[union-attr]

    # A link counts 23 on X: this 300-character text is 280 weighted, so it is valid.
    text = "Hi Ann, so sorry! " + "a" * (280 - 18 - 24) + " https://help.example.com/" + "p" * 40
    answer = sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {
            ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(text)},
            ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
        },
    )
    assert answer.status == 200 and answer.json() is None  # modal closes
    sandbox.drain()
    [reply] = sandbox.x.posted
    assert reply.text == text
    texts = thread_texts(sandbox, parent)
    assert any("edited" in t and "<@U_LUCA>" in t for t in texts)


def test_edit_without_approving_updates_the_card_and_posts_nothing(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Edit", user="U_LUCA")
    modal = modal_for(sandbox, "U_LUCA")
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value("Hi Ann, DM us?")}},
    )
    sandbox.drain()
    card = card_of(sandbox, parent)
    assert "Hi Ann, DM us?" in card.all_text() and "<@U_LUCA>" in card.all_text()
    assert card.buttons() and sandbox.x.posted == []


def test_reject_with_a_reason_closes_the_case_and_nothing_is_ever_posted(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    card = card_of(sandbox, parent)
    late_click = sandbox.slack.click_request(
        card, "Approve", user="U_MARIA"
    )  # a stale card on Maria's screen
    sandbox.slack.click(sandbox.app_url, card, "Reject", user="U_ANNA")
    modal = modal_for(sandbox, "U_ANNA")
    assert modal.callback_id == ids.CALLBACK_REJECT
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal.id,
        {
            ids.BLOCK_REASON: {ids.ACTION_REASON: static_select_value("spam")},
            ids.BLOCK_REASON_TEXT: {ids.ACTION_REASON_TEXT: plain_text_value("bot account")},
        },
    )
    sandbox.drain()
    late_click.send(sandbox.app_url)
    sandbox.drain()

    assert sandbox.x.posted == []
    assert "Rejected" in sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert any("<@U_ANNA>" in t and "Spam" in t for t in thread_texts(sandbox, parent))
    assert ephemerals_saying(sandbox, "already rejected", user="U_MARIA")
    assert sandbox.parley.store.open_cases() == []


def test_slack_markup_in_a_tweet_never_pings_or_links(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(
        sandbox, "@parleybrand <!channel> <@U123> look <https://evil.example|your invoice> & more"
    )
    everything = "\n".join(
        [
            parent.text,
            parent.all_text(),
            *(m.text + m.all_text() for m in sandbox.slack.thread(CHANNEL, parent.ts)),
        ]
    )
    for raw in ("<!channel>", "<@U123>", "<https://evil.example|"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in everything and "&lt;@U123&gt;" in everything and "&amp; more" in everything


def test_a_restart_forwards_nothing_twice_and_old_buttons_still_work(sandbox: Sandbox) -> None:
    parent = mention_and_deliver(sandbox)
    card = card_of(sandbox, parent)
    sandbox.restart()

    assert sandbox.poll().new == 0
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1
    answer = sandbox.slack.click(sandbox.app_url, card, "Approve", user="U_MARIA")
    sandbox.drain()
    assert answer.status == 200 and len(sandbox.x.posted) == 1


def test_a_bad_signature_is_refused_with_401_and_changes_nothing(sandbox: Sandbox) -> None:
    card = card_of(sandbox, mention_and_deliver(sandbox))
    forged = sandbox.slack.click_request(card, "Approve").tampered()
    assert forged.send(sandbox.app_url).status == 401
    sandbox.drain()
    assert sandbox.x.posted == []
    assert sandbox.parley.store.open_cases()[0].state is State.DRAFTED


def test_slash_command_queue_lists_open_cases_and_unknown_words_get_help(sandbox: Sandbox) -> None:
    mention_and_deliver(sandbox)
    queue = sandbox.slack.slash_command(sandbox.app_url, "queue")
    assert queue.acked_in_time and "ann" in queue.body
    unknown = sandbox.slack.slash_command(sandbox.app_url, "dance")
    assert unknown.acked_in_time and "queue" in unknown.body


def test_health_check_and_metrics_answer(sandbox: Sandbox) -> None:
    import urllib.request

    from bot.app.admin import serve_admin

    with urllib.request.urlopen(sandbox.app_url + "/healthz", timeout=5) as answer:
        assert answer.status == 200 and b'"ok": true' in answer.read()
    mention_and_deliver(sandbox)
    admin = serve_admin(sandbox.parley, host="127.0.0.1", port=0)  # /metrics: the admin listener's
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{admin.port}/metrics", timeout=5) as answer:
            metrics = answer.read().decode()
    finally:
        admin.close()
    assert 'parley_open_cases{state="drafted"} 1.0' in metrics
    assert 'parley_api_calls_total{method="chat.postMessage",outcome="ok",service="slack"} 2.0' in metrics
    assert "parley_time_to_slack_seconds_count 1.0" in metrics
    assert sandbox.slack.bot_token not in metrics


def test_a_poll_left_unfinished_by_a_killed_worker_does_not_hold_up_the_next(sandbox: Sandbox) -> None:
    from bot.adapters import keys

    # The claim of a poll whose worker was SIGKILLed: its rq job no longer runs (nor exists).
    sandbox.redis.set(keys.lock("polling:x"), "job:killed-mid-poll", ex=300)
    sandbox.x.add_mention("@parleybrand anyone there?", author_handle="ann")
    assert sandbox.poll().new == 1  # taken over at once, not after the claim's 300 s
