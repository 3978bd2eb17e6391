"""What the team sees of conversations and private messages on every surface: counts, never quotes."""

from __future__ import annotations

from dataclasses import replace

from blocks.case_message import parent_message
from blocks.conversation import earlier_card, follow_up_message
from blocks.draft_card import draft_card
from blocks.queue import queue_message
from bot.domain import Case, State
from bot.domain.conversation import follow_up
from bot.reporting.topics import topics
from tests.factories import T0, make_case, make_post, minutes
from tests.unit.blocks.test_digest import digest, open_case
from tests.unit.blocks.walk import assert_escaped, joined

SECRET = "my card number is 4111 and my address is Via Roma 1"


def _conversation() -> Case:
    first = make_case(State.POSTED, post=make_post(id="1", text="where is my order?", created_at=T0))
    return follow_up(
        first, make_post(id="2", text="still nothing <!channel>", created_at=T0 + minutes(5)), at=T0
    )


def test_a_follow_up_shows_in_the_thread_with_who_took_the_case_and_is_escaped() -> None:
    case = _conversation()
    message = follow_up_message(case, notify="U_MARIA")
    assert "Message 2" in joined(message.blocks) and "<@U_MARIA>" in joined(message.blocks)
    assert_escaped(message.blocks)
    assert "where is my order?" in joined(parent_message(case).blocks)  # the parent keeps the first message
    assert "2 messages" in joined(parent_message(case).blocks)
    replaced = joined(earlier_card(case.earlier[0]).blocks)
    assert "Posted by" in replaced


def test_a_private_case_is_marked_and_its_text_stays_out_of_notifications_queue_and_digest() -> None:
    dm = make_case(State.DRAFTED, post=make_post(private=True, text=SECRET), received_at=T0)
    parent = parent_message(dm)
    assert (
        "🔒" in joined(parent.blocks) and SECRET not in parent.text
    )  # the notification names the sender only
    assert "by private message" in joined(draft_card(dm).blocks)
    assert "Reply privately" not in joined(draft_card(dm).blocks)  # it is private already
    assert SECRET not in joined(queue_message([dm], T0 + minutes(5)).blocks)
    private_open = replace(open_case(1, waited=30, text=SECRET), post=make_post(private=True, text=SECRET))
    assert SECRET not in "".join(joined(m.blocks) + m.text for m in digest([private_open]))
    assert topics([private_open, private_open], min_count=1) == []


def test_a_public_case_offers_reply_privately_and_after_it_a_public_note() -> None:
    public = make_case(State.DRAFTED)
    assert "Reply privately" in joined(draft_card(public).blocks)
    sent = replace(make_case(State.POSTED), privately=True)
    card = joined(draft_card(sent).blocks)
    assert "Add a public note" in card and "Sent privately" in card


def test_the_history_window_tells_every_action_as_the_thread_does() -> None:
    from blocks.activity import activity_text
    from blocks.history_modal import history_modal
    from bot.domain import Activity

    case = _conversation()
    hid = Activity(at=T0, actor="U_MARIA", action="hidden")
    case = replace(case, history=(*case.history, hid))
    window = joined(history_modal(case)["blocks"])
    assert activity_text(hid, case) in window and "follow_up" not in window and "Parley hidden" not in window
