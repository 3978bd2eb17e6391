"""With PARLEY_LOCALE=it, every surface the team reads is Italian, still escaped and within Slack's limits.

The posts and drafts here are Italian too, so any English word left is one of ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from blocks.activity import activity_line
from blocks.case_message import parent_message
from blocks.digest import digest_messages
from blocks.draft_card import draft_card
from blocks.edit_modal import edit_modal, loading_modal
from blocks.help import help_message
from blocks.history_modal import history_modal
from blocks.home import home_view
from blocks.message import Message
from blocks.queue import queue_message
from blocks.regenerate_modal import regenerate_modal
from blocks.reject_modal import reject_modal
from blocks.saved import saved_list
from blocks.stats import mine_message, search_message, stats_message
from bot.domain import Case, Similar, State, claim, edit, i18n
from bot.domain.findings import Finding
from bot.reporting.business_hours import BusinessHours
from bot.reporting.stats import Targets, summarise
from tests.factories import (
    EVIL,
    T0,
    make_author,
    make_case,
    make_draft,
    make_failure,
    make_post,
    make_triage,
    minutes,
)
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, buttons, rendered

NOW = T0 + timedelta(hours=5)
THREAD = "https://acme.slack.com/archives/C_INBOX/p{}"
# English words of our own sentences; none is an Italian word.
ENGLISH = re.compile(
    r"\b(the|and|of|with|from|by|is|are|to|for|at|new|open|case|cases|reply|replies|waiting|received"
    r"|approved|rejected|answered|posted|Approve|Edit|Reject|Undo|Retry|History|Regenerate|Today|Your"
    r"|target|oldest|newest|more|draft|Draft|Cancel|Save|Close|Reason|Details|Question|urgency|Positive"
    r"|Negative|Neutral|Posting|Drafting|Nothing|None|median|Updated|Answering|days?|tokens?)\b"
)
# Not prose: link targets, Slack dates, user mentions, and `/parley …` commands, which stay as typed.
_NOT_PROSE = re.compile(r"<[^|>]*\||<[^>]*>|`[^`]*`|&lt;[^&]*&gt;")


@pytest.fixture(autouse=True)
def italian() -> Iterator[None]:
    i18n.use_locale("it")
    yield
    i18n.use_locale("en")


def italian_case(
    n: int, state: State = State.DRAFTED, *, text: str = "Il mio ordine non è ancora arrivato"
) -> Case:
    created = NOW - minutes(30 + n)
    post = make_post(
        id=f"it{n}",
        text=text,
        created_at=created,
        lang="it",
        author=make_author(name="Giulia Rossi", handle="giulia"),
    )
    return make_case(
        state,
        post=post,
        draft=make_draft(text="Ciao Giulia, ci pensiamo noi: controlliamo subito l'ordine."),
        triage=make_triage(language="it", summary="Ordine in ritardo", sentiment="negative", urgency="high"),
        failure=make_failure(message="X ha rifiutato la risposta (403)."),  # the network's words, not ours
        received_at=created,
        permalink=THREAD.format(f"it{n}"),
    )


def english_left(payload: Any) -> list[str]:
    return [m for text in rendered(payload) for m in ENGLISH.findall(_NOT_PROSE.sub(" ", text))]


def check(payload: Any) -> None:
    assert not english_left(payload), (english_left(payload), rendered(payload))
    assert_escaped(payload)
    if isinstance(payload, Message):
        assert_within_limits(payload)


def busy_card() -> Case:
    case = replace(
        italian_case(1),
        risk=("cita “rimborso”",),
        similar=(Similar(text="Ciao! Ti rimborsiamo subito.", url=THREAD.format("old"), answered_at=T0),),
    )
    case = replace(case, approvals=("U_MARIA",))
    return claim(case, by="U_LUCA", at=NOW - minutes(1), for_seconds=1800)


def test_the_draft_card_and_its_buttons() -> None:
    card = draft_card(
        busy_card(),
        [
            Finding(
                "promise",
                i18n._("Mentions {terms}: don't promise refunds, compensation or dates in public.").format(
                    terms="“rimborso”"
                ),
            )
        ],
    )
    check(card)
    labels = [b["text"]["text"] for b in buttons(card.blocks)]
    assert labels[:3] == ["Approva", "Modifica", "Rifiuta"]
    assert "Me ne occupo io" in labels


@pytest.mark.parametrize(
    "state", [State.RECEIVED, State.DRAFTED, State.APPROVED, State.POSTED, State.FAILED, State.REJECTED]
)
def test_the_parent_message_and_card_in_every_state(state: State) -> None:
    case = italian_case(2, state)
    check(parent_message(case))
    check(draft_card(case))


def test_undo_is_annulla() -> None:
    case = replace(italian_case(3, State.APPROVED), send_at=NOW + timedelta(seconds=30))
    card = draft_card(case)
    check(card)
    assert [b["text"]["text"] for b in buttons(card.blocks)] == ["Annulla"]


def test_the_modals() -> None:
    case = edit(italian_case(4), "Ciao Giulia, ti scriviamo in privato.", by="U_LUCA", at=NOW)
    for view in (
        edit_modal(case, saved=["rimborso"]),
        reject_modal(case),
        regenerate_modal(case),
        history_modal(case),
        loading_modal("Modifica"),
    ):
        check(view)


def test_the_thread_lines() -> None:
    case = italian_case(5, State.POSTED)
    lines = [activity_line(a, case) for a in case.history]
    assert lines
    check(lines)


def test_help_queue_mine_search_and_saved() -> None:
    cases = [italian_case(n) for n in range(20)]
    mine = [claim(c, by="U_ME", at=NOW - minutes(1), for_seconds=3600) for c in cases[:3]]
    for message in (
        help_message(),
        queue_message(cases, NOW),
        queue_message([], NOW),
        mine_message(mine, NOW),
        mine_message([], NOW),
        search_message("ordine", cases, NOW),
        search_message("ordine", [], NOW),
        saved_list({"rimborso": "Ciao {name}, ti rimborsiamo."}),
        saved_list({}),
    ):
        check(message)


def stats() -> Any:
    closed = [italian_case(n, State.POSTED) for n in range(5)] + [italian_case(9, State.REJECTED)]
    late = [italian_case(10 + n) for n in range(3)]
    return summarise(
        [*closed, *late],
        T0 - timedelta(hours=2),
        NOW,
        BusinessHours(always=True),
        Targets.parse("question=1"),
    ), late


def test_stats_home_and_digest() -> None:
    figures, waiting = stats()
    check(stats_message(figures, i18n._("the last 7 days")))
    check(home_view(user="U_ME", open_cases=waiting, stats_today=figures, now=NOW, target_met=False))
    check(home_view(user="U_ME", open_cases=[], stats_today=figures, now=NOW, target_met=None))
    messages = digest_messages(
        figures, channel_name="supporto", period_label="lun 2 mar", open_cases=waiting, now=NOW
    )
    assert messages
    for message in messages:
        check(message)


def test_a_long_digest_is_split_and_still_italian() -> None:
    figures, _waiting = stats()
    many = [italian_case(n, text=EVIL) for n in range(200)]
    messages = digest_messages(
        figures, channel_name="supporto", period_label="lun 2 mar", open_cases=many, now=NOW
    )
    assert len(messages) > 1
    for message in messages:
        check(message)
    assert "parte 1 di" in "\n".join(rendered(messages[0]))


def test_outside_text_is_still_escaped_in_italian() -> None:
    case = italian_case(6, text=EVIL)
    for payload in (parent_message(case), draft_card(case), queue_message([case], NOW), reject_modal(case)):
        assert_escaped(payload)
