from __future__ import annotations

from datetime import datetime, timedelta

from blocks.digest import MAX_CHARS, digest_messages
from blocks.message import Message
from blocks.stats import stats_message
from bot.domain import Case, Network, State
from bot.domain.figures import Stats
from bot.reporting.business_hours import BusinessHours
from bot.reporting.stats import Targets, summarise
from tests.factories import (
    EVIL,
    T0,
    make_author,
    make_case,
    make_post,
    make_reddit_post,
    make_reply,
    make_triage,
    minutes,
)
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, joined, section_texts

ALWAYS = BusinessHours(always=True)
TARGETS = Targets.parse("question=60,complaint=60,reddit=240")
START, END = T0 - timedelta(hours=1), T0 + timedelta(days=1)
NOW = END
THREAD = "https://acme.slack.com/archives/C_INBOX/p{}"


def answered(n: int, took: float, *, reddit: bool = False, summary: str = "Asks about SSO") -> Case:
    factory = make_reddit_post if reddit else make_post
    return make_case(
        State.POSTED,
        post=factory(id=f"a{n}", created_at=T0),
        triage=make_triage(summary=summary),
        reply=make_reply(posted_at=T0 + minutes(took)),
        permalink=THREAD.format(f"a{n}"),
    )


def open_case(n: int, *, waited: float, text: str = "Is the API down?", **author: str) -> Case:
    created = NOW - minutes(waited)
    return make_case(
        State.DRAFTED,
        post=make_post(id=f"o{n}", created_at=created, text=text, author=make_author(**author)),
        received_at=created,
        permalink=THREAD.format(f"o{n}"),
    )


def digest(cases: list[Case], open_cases: list[Case] | None = None) -> list[Message]:
    stats = summarise(cases, START, END, ALWAYS, TARGETS)
    still_open = [c for c in cases if c.state.is_open] if open_cases is None else open_cases
    return digest_messages(
        stats, channel_name="#support", period_label="Monday 2 March", open_cases=still_open, now=NOW
    )


def test_a_quiet_day_sends_nothing() -> None:
    assert digest([]) == []
    old = answered(1, 5)
    quiet = summarise([old], T0 + timedelta(days=3), T0 + timedelta(days=4), ALWAYS, TARGETS)
    assert digest_messages(quiet, channel_name="support", period_label="x", open_cases=[], now=NOW) == []


def test_the_figures_a_reader_checks() -> None:
    cases = [
        answered(1, 5),
        answered(2, 10),
        answered(3, 20),
        answered(4, 90),  # late: the target for questions is an hour
        answered(5, 120, reddit=True),
        make_case(State.REJECTED, post=make_post(id="r1"), received_at=T0),
        open_case(1, waited=30),
        open_case(2, waited=90),  # open past target
    ]

    (message,) = digest(cases)
    text = joined(message)

    assert message.text == "Parley digest for #support, Monday 2 March: 8 new cases, 5 answered, 2 still open"
    assert "*Parley digest for #support · Monday 2 March*" in text
    assert "*8* new (8 questions) · *5* answered · *1* rejected · *2* still open" in text
    assert "median *20 min* · 90th percentile *2 h*" in text
    assert "⏰ *2* over target (1 answered late, 1 open past target)" in text
    assert "*X*: 7 new · 4 answered · 1 rejected · 2 open · median 15 min · p90 1 h 30 min" in text
    assert "*Reddit*: 1 new · 1 answered · 0 rejected · 0 open · median 2 h · p90 2 h" in text
    assert "Sentiment of new cases: 8 😐 neutral" in text
    assert "Frequent topics: sso (8) · includes (3) · pro (3)" in text
    late, still_open = section_texts(message.blocks)[-2:]
    assert late.startswith("*Answered late (1)*")
    assert f"<{THREAD.format('a4')}|X @jane> · answered in 1 h 30 min (target 1 h)" in late
    assert still_open.startswith("*Still open (2)*, oldest first")
    first, second = still_open.split("\n")[1:]
    assert first.startswith(f"• <{THREAD.format('o2')}|X @jane> · waiting 1 h 30 min")
    assert "⏰ over target" in first
    assert second.startswith(f"• <{THREAD.format('o1')}|X @jane> · waiting 30 min")
    assert "over target" not in second
    assert_within_limits(message)


def test_nothing_waiting_is_said_plainly() -> None:
    (message,) = digest([answered(1, 5)])

    assert "Nothing is waiting for a reply 🎉" in joined(message)
    assert "✅ Every case within its response-time target" in joined(message)


def test_untrusted_text_is_escaped() -> None:
    evil = open_case(1, waited=10, text=EVIL, name=EVIL, handle="<!channel>")

    messages = digest([evil])

    for message in messages:
        assert_escaped(message)
    assert "&lt;!channel&gt;" in joined(messages[0])


def test_a_busy_day_is_split_within_the_limits() -> None:
    long_text = "&<>" * 400 + " " + "x" * 3000
    cases = [answered(i, 5 + i, reddit=i % 3 == 0, summary=f"topic{i % 7} " + EVIL) for i in range(200)]
    cases += [
        open_case(i, waited=i + 1, text=long_text, name="&" * 200, handle=f"user{i}{'_' * 40}")
        for i in range(400)
    ]

    messages = digest(cases)

    assert len(messages) > 1
    for n, message in enumerate(messages, start=1):
        assert_within_limits(message)
        assert_escaped(message)
        assert len(joined(message.blocks)) < MAX_CHARS
        assert f"part {n} of {len(messages)}" in joined(message.blocks)
    everything = "\n".join(joined(m.blocks) for m in messages)
    assert "*Still open (400)*" in everything
    assert everything.count("• <https://acme.slack.com/archives/C_INBOX/po") == 200  # the oldest 200...
    assert "…and 200 more: see `/parley queue`" in everything  # ...and the rest counted
    assert messages[0].text.startswith("Parley digest for #support, Monday 2 March: 600 new cases")
    assert messages[1].text == f"Parley digest for #support (part 2 of {len(messages)})"


def test_every_open_case_can_be_listed() -> None:
    cases = [open_case(i, waited=i) for i in range(120)]
    stats = summarise(cases, START, END, ALWAYS, TARGETS)

    messages = digest_messages(
        stats, channel_name="support", period_label="today", open_cases=cases, now=NOW, max_listed=1000
    )

    everything = "\n".join(joined(m.blocks) for m in messages)
    assert all(THREAD.format(f"o{i}") in everything for i in range(120))
    assert "more: see" not in everything


# --- /parley stats ------------------------------------------------------------------------------------


def stats_for(cases: list[Case]) -> Stats:
    return summarise(cases, START, END, ALWAYS, TARGETS, now=NOW)


def test_stats_message_shows_the_figures_and_the_worst_breaches() -> None:
    cases = [answered(1, 10), answered(2, 300), answered(3, 90), open_case(1, waited=600)]

    message = stats_message(stats_for(cases), "last 7 days")
    text = joined(message)

    assert message.text == "Parley stats, last 7 days: 4 new, 3 answered, 1 open"
    assert "*Parley stats · last 7 days*" in text
    assert "median *1 h 30 min* · 90th percentile *5 h*" in text
    breaches = section_texts(message.blocks)[-1].split("\n")
    assert breaches[0] == "*Furthest over target*"
    assert "open for 10 h (target 1 h)" in breaches[1]
    assert "answered in 5 h (target 1 h)" in breaches[2]
    assert "answered in 1 h 30 min (target 1 h)" in breaches[3]
    assert message.blocks[-1]["type"] == "context"
    assert_within_limits(message)
    assert_escaped(message)


def test_stats_message_for_an_empty_period() -> None:
    message = stats_message(stats_for([]), "today")

    assert "*0* new · *0* answered · *0* rejected · *0* still open" in joined(message)
    assert "First response: no replies posted" in joined(message)
    assert "over target" not in joined(message)


def test_stats_message_stays_small_with_many_breaches() -> None:
    cases = [open_case(i, waited=600 + i, text=EVIL, name=EVIL) for i in range(300)]

    message = stats_message(stats_for(cases), "30d")

    assert_within_limits(message)
    assert_escaped(message)
    assert "…and 290 more" in joined(message)


def test_reddit_and_x_rows_only_when_there_was_something() -> None:
    text = joined(stats_message(stats_for([answered(1, 10)]), "today"))

    assert "*X*: 1 new" in text
    assert "*Reddit*" not in text
    assert Network.REDDIT.label not in text


def test_stats_period_dates_are_slack_dates() -> None:
    stats = stats_for([])
    note = stats_message(stats, "today").blocks[-1]["elements"][0]["text"]

    assert f"<!date^{int(START.timestamp())}^" in note
    assert f"<!date^{int(min(END, NOW).timestamp())}^" in note
    assert isinstance(stats.as_of, datetime)
