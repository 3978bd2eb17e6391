from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from blocks.home import MAX_MINE, OLDEST, home_view
from blocks.message import Message, View
from blocks.stats import MAX_RESULTS, mine_message, search_message
from bot.domain import Case, State, claim
from bot.reporting.business_hours import BusinessHours
from bot.reporting.stats import Targets, summarise
from bot.reporting.topics import search_cases
from tests.factories import EVIL, T0, make_author, make_case, make_post, make_reddit_post, make_reply, minutes
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, joined, section_texts

NOW = T0 + timedelta(hours=3)
ME, OTHER = "U_ME", "U_OTHER"
ALWAYS = BusinessHours(always=True)
TARGETS = Targets.parse("question=60")
THREAD = "https://acme.slack.com/archives/C_INBOX/p{}"


def waiting(
    n: int, *, waited: float, state: State = State.DRAFTED, reddit: bool = False, text: str = ""
) -> Case:
    factory = make_reddit_post if reddit else make_post
    created = NOW - minutes(waited)
    post = factory(id=f"w{n}", created_at=created, **({"text": text} if text else {}))
    return make_case(state, post=post, received_at=created, permalink=THREAD.format(f"w{n}"))


def claimed(case: Case, by: str) -> Case:
    return claim(case, by=by, at=NOW - minutes(1), for_seconds=3600)


def view(open_cases: list[Case], *, target_met: bool | None = None, closed: list[Case] | None = None) -> View:
    today = summarise([*open_cases, *(closed or [])], T0 - timedelta(hours=9), NOW, ALWAYS, TARGETS)
    return home_view(user=ME, open_cases=open_cases, stats_today=today, now=NOW, target_met=target_met)


def test_home_shows_open_cases_by_status_and_network() -> None:
    cases = [
        waiting(1, waited=10),
        waiting(2, waited=20),
        waiting(3, waited=30, state=State.RECEIVED, reddit=True),
        waiting(4, waited=40, state=State.FAILED),
    ]

    home = view(cases)
    text = joined(home["blocks"])

    assert home["type"] == "home"
    assert "*Open cases (4)*" in text
    assert "Drafting a reply: 1 · Waiting for approval: 2 · Posting failed: 1" in text
    assert "X: 3 · Reddit: 1" in text
    assert_escaped(home)


def test_home_lists_the_oldest_waiting_with_links() -> None:
    cases = [waiting(n, waited=n * 10) for n in range(1, 9)]

    oldest = next(t for t in section_texts(view(cases)["blocks"]) if t.startswith("*Oldest waiting*"))

    lines = oldest.split("\n")[1:]
    assert len(lines) == OLDEST
    assert lines[0].startswith(f"• <{THREAD.format('w8')}|X @jane> · waiting 1 h 20 min")
    assert lines[-1].startswith(f"• <{THREAD.format('w4')}|X @jane> · waiting 40 min")


def test_home_lists_my_claims_only() -> None:
    mine = claimed(waiting(1, waited=15), ME)
    theirs = claimed(waiting(2, waited=25), OTHER)
    expired = replace(claimed(waiting(3, waited=35), ME), claim_until=NOW - minutes(1))

    blocks = view([mine, theirs, expired])["blocks"]
    yours = next(t for t in section_texts(blocks) if t.startswith("*Your cases"))

    assert yours.startswith("*Your cases (1)*")
    assert THREAD.format("w1") in yours
    assert THREAD.format("w2") not in yours
    assert THREAD.format("w3") not in yours
    assert f"<@{OTHER}> on it" in joined(blocks)  # in the oldest list, for everyone to see
    assert f"<@{ME}> on it" not in yours  # obviously


def test_home_without_open_cases_or_claims() -> None:
    text = joined(view([])["blocks"])

    assert "Inbox zero 🎉" in text
    assert "None right now. Press *I'll take it* on a case to claim it." in text
    assert "Response-time target: nothing measured yet today" in text


def test_home_shows_todays_numbers_and_the_target() -> None:
    posted = make_case(
        State.POSTED,
        post=make_post(id="p1", created_at=T0),
        reply=make_reply(posted_at=T0 + minutes(90)),
    )
    late = waiting(1, waited=120)

    met = joined(view([late], target_met=True, closed=[posted])["blocks"])
    missed = joined(view([late], target_met=False, closed=[posted])["blocks"])

    assert "*2* new (2 questions) · *1* answered · *0* rejected · *1* still open" in met
    assert "median *1 h 30 min*" in met
    assert "✅ Response-time target met today" in met
    assert "⚠️ Response-time target missed today" in missed
    assert "⏰ *2* over target (1 answered late, 1 open past target)" in missed


def test_home_stays_under_the_block_limit_and_escapes() -> None:
    cases = [claimed(waiting(n, waited=n, text=EVIL), ME if n % 2 else OTHER) for n in range(1, 400)]
    cases = [replace(c, post=replace(c.post, author=make_author(name=EVIL, handle="<!here>"))) for c in cases]

    home = view(cases)

    assert len(home["blocks"]) <= 100
    assert_escaped(home)
    assert_within_limits(Message(text="home", blocks=home["blocks"][:50]))
    assert f"…and {200 - MAX_MINE} more: `/parley mine`" in joined(home["blocks"])


# --- /parley mine -------------------------------------------------------------------------------------


def test_mine_lists_open_claims_oldest_first_with_when_they_expire() -> None:
    cases = [claimed(waiting(1, waited=10), ME), claimed(waiting(2, waited=50), ME), make_case(State.POSTED)]

    message = mine_message(cases, NOW)
    (text,) = section_texts(message.blocks)
    lines = text.split("\n")

    assert message.text == "You have 2 open cases."
    assert lines[0] == "*Your cases (2)*, oldest first"
    assert THREAD.format("w2") in lines[1]
    assert THREAD.format("w1") in lines[2]
    assert "yours until <!date^" in lines[1]
    assert_escaped(message)


def test_mine_when_there_is_nothing() -> None:
    message = mine_message([], NOW)

    assert message.text == "You have no open cases."
    assert "*I'll take it*" in joined(message)


def test_mine_with_many_claims_stays_within_limits() -> None:
    cases = [claimed(waiting(n, waited=n, text=EVIL), ME) for n in range(1, 100)]

    message = mine_message(cases, NOW)

    assert_within_limits(message)
    assert_escaped(message)
    assert "…and 79 more" in joined(message)


# --- /parley search -----------------------------------------------------------------------------------


def test_search_finds_open_and_closed_cases() -> None:
    refund = waiting(1, waited=10, text="Where is my refund?")
    posted = make_case(
        State.POSTED, post=make_post(id="p9", text="Refund please", created_at=T0), received_at=T0
    )
    other = waiting(2, waited=5, text="SSO?")

    message = search_message("refund", search_cases([refund, posted, other], "refund"), NOW)
    (text,) = section_texts(message.blocks)

    assert message.text == "2 cases found"
    assert text.startswith("*2 cases match “refund”*, newest first")
    assert "waiting 10 min · Waiting for approval" in text
    assert "received <!date^" in text and "Posted" in text
    assert "SSO" not in text


def test_search_without_results_or_query() -> None:
    assert "No cases match “nothing here”." in joined(search_message("nothing  here", [], NOW))
    assert "`/parley search <text>`" in joined(search_message("  ", [], NOW))


def test_search_escapes_the_query_and_the_results() -> None:
    cases = [waiting(n, waited=n, text=EVIL) for n in range(1, 40)]

    message = search_message("<!channel> &", search_cases(cases, "<!channel> &"), NOW)

    assert_escaped(message)
    assert_within_limits(message)
    assert "“&lt;!channel&gt; &amp;”" in joined(message)
    assert f"…and {39 - MAX_RESULTS} more" in joined(message)
