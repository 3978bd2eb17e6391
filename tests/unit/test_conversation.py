"""The conversation rules of the domain core, without I/O: which case a post joins, and how a case
moves on to its next turn."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain import Case, Draft, Reply, State, case_from_json, case_to_json, mark_posted
from bot.domain.conversation import (
    conversation_so_far,
    follow_up,
    index_keys,
    lookup_keys,
    next_version,
    public_note,
)
from bot.domain.routing import Route, route
from tests.factories import make_author, make_case, make_post

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _posted_case() -> Case:
    case = make_case(State.POSTED, post=make_post(id="100", conversation_id="100", created_at=T0))
    return replace(
        case, reply=Reply(id="200", url="https://x.com/acme/status/200", posted_at=T0), approved_by="U_MARIA"
    )


def test_a_follow_up_is_found_through_our_reply_or_the_authors_thread() -> None:
    case = _posted_case()
    filed = set(index_keys(case))
    answer = make_post(
        id="300", in_reply_to="200", conversation_id="100", created_at=T0 + timedelta(minutes=5)
    )
    assert set(lookup_keys(answer)) & filed
    stranger = make_post(
        id="301", author=make_author(id="999", handle="bob"), in_reply_to="100", conversation_id="100"
    )
    assert not set(lookup_keys(stranger)) & filed  # someone else answering the customer: a case of its own


def test_a_posted_case_reopens_on_a_follow_up_and_answers_the_newest_message() -> None:
    case = _posted_case()
    later = make_post(
        id="300", in_reply_to="200", conversation_id="100", created_at=T0 + timedelta(minutes=5)
    )
    moved = follow_up(case, later, at=T0 + timedelta(minutes=6))
    assert moved.state is State.RECEIVED and moved.post.id == "300" and moved.messages == 2
    assert moved.earlier[0].reply == case.reply and moved.earlier[0].answered_by == "U_MARIA"
    assert (
        moved.draft is None
        and moved.reply is None
        and moved.slack is not None
        and moved.slack.card_ts is None
    )
    assert follow_up(moved, later, at=T0) == moved  # the same post twice changes nothing


def test_a_follow_up_waits_while_the_reply_is_on_its_way_then_becomes_the_next_turn() -> None:
    approved = make_case(State.APPROVED, post=make_post(id="100", created_at=T0))
    later = make_post(id="300", created_at=T0 + timedelta(minutes=1))
    waiting = follow_up(approved, later, at=T0)
    assert waiting.state is State.APPROVED and waiting.post.id == "100" and waiting.waiting == (later,)
    publishing = replace(waiting, state=State.PUBLISHING)
    posted = mark_posted(publishing, Reply("200", "u", T0), at=T0, to="100")
    assert posted.state is State.RECEIVED and posted.post.id == "300" and posted.earlier[0].reply is not None


def test_a_late_success_for_an_earlier_turn_lands_on_that_turn() -> None:
    case = make_case(State.FAILED, post=make_post(id="100", created_at=T0))
    moved = follow_up(case, make_post(id="300", created_at=T0 + timedelta(minutes=1)), at=T0)
    late = mark_posted(moved, Reply("200", "u", T0), at=T0, to="100")
    assert late.state is State.RECEIVED and late.post.id == "300" and late.earlier[0].reply is not None


def test_an_older_message_joins_the_earlier_turns_without_replacing_the_draft() -> None:
    case = make_case(State.DRAFTED, post=make_post(id="100", created_at=T0))
    older = make_post(id="050", created_at=T0 - timedelta(minutes=1))
    joined = follow_up(case, older, at=T0)
    assert joined.post.id == "100" and joined.draft == case.draft and joined.earlier[0].post.id == "050"


def test_versions_keep_counting_across_turns_and_history_fits_its_budget() -> None:
    case = replace(_posted_case(), draft=Draft(text="We are on it.", drafter="offline", version=3))
    moved = follow_up(case, make_post(id="300", text="x" * 50, created_at=T0 + timedelta(hours=1)), at=T0)
    assert next_version(moved) == 4
    said = conversation_so_far(moved)
    assert [s.by for s in said] == ["customer", "brand"] and said[1].text == "We are on it."
    assert [s.by for s in conversation_so_far(moved, budget=20)] == ["brand"]  # the newest that fit


def test_a_public_note_follows_a_private_answer_as_its_own_turn() -> None:
    sent = replace(_posted_case(), privately=True)
    note = public_note(sent, "We've sent you a message.", by="U_LUCA", at=T0)
    assert note.state is State.DRAFTED and note.draft is not None and note.draft.drafter == "note"
    assert note.post == sent.post and note.earlier[-1].privately


def test_a_case_stored_before_conversations_still_loads() -> None:
    data = case_to_json(make_case(State.POSTED))
    for newer in ("earlier", "waiting", "privately", "message_ts"):
        data.pop(newer, None)
    data["post"] = {
        k: v for k, v in data["post"].items() if k not in ("private", "in_reply_to", "rating", "reply_limit")
    }
    loaded = case_from_json(data)
    assert loaded.messages == 1 and loaded.earlier == () and not loaded.private


def test_private_messages_take_only_private_rules_and_default_to_the_private_channel() -> None:
    routes = [
        Route(channel="C_X", networks=frozenset({"x"})),
        Route(channel="C_VIP_DMS", private=True, keywords=("vip",)),
    ]
    dm = make_post(private=True, text="hello")
    assert route(dm, None, source="x", routes=routes, default="C_ALL", private_default="C_DMS") == "C_DMS"
    vip = make_post(private=True, text="vip here")
    assert (
        route(vip, None, source="x", routes=routes, default="C_ALL", private_default="C_DMS") == "C_VIP_DMS"
    )
    assert (
        route(make_post(), None, source="x", routes=routes, default="C_ALL", private_default="C_DMS") == "C_X"
    )
    assert route(dm, None, source="x", routes=[], default="C_ALL") == "C_ALL"  # no private channel set
