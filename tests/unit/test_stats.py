from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import Case, Network, Post, State
from bot.reporting.business_hours import BusinessHours
from bot.reporting.stats import (
    Targets,
    daily_medians,
    first_response,
    is_open_at,
    median,
    percentile,
    reminder_due,
    summarise,
    waiting,
)
from bot.reporting.topics import search_cases, topics, words
from tests.factories import (
    T0,
    make_author,
    make_case,
    make_post,
    make_reddit_post,
    make_reply,
    make_triage,
    minutes,
)

ALWAYS = BusinessHours(always=True)
OFFICE = BusinessHours()  # Mon–Fri 09:00–18:00 UTC; T0 is Monday 2 March 2026, 09:30 UTC
TARGETS = Targets.parse("question=60,complaint=60,reddit=240")
START, END = T0 - timedelta(hours=1), T0 + timedelta(days=1)


def post(n: int, network: Network = Network.X, *, created: datetime = T0, **overrides: object) -> Post:
    factory = make_reddit_post if network is Network.REDDIT else make_post
    return factory(id=f"p{n}", created_at=created, **overrides)


def answered(
    n: int, took: float, network: Network = Network.X, *, created: datetime = T0, **triage: object
) -> Case:
    """Posted `took` minutes after the post was created."""
    return make_case(
        State.POSTED,
        post=post(n, network, created=created),
        triage=make_triage(**triage),
        reply=make_reply(posted_at=created + minutes(took)),
        received_at=created + minutes(1),
    )


def waiting_case(n: int, network: Network = Network.X, *, created: datetime = T0, **triage: object) -> Case:
    return make_case(
        State.DRAFTED,
        post=post(n, network, created=created),
        triage=make_triage(**triage),
        received_at=created,
    )


# Hand-computed: X answered in 5, 10, 20, 30, 60, 90 minutes; Reddit in 120, 150, 200, 400.
X_TIMES = (5, 10, 20, 30, 60, 90)
REDDIT_TIMES = (120, 150, 200, 400)
SAMPLE = [answered(i, t) for i, t in enumerate(X_TIMES)] + [
    answered(10 + i, t, Network.REDDIT) for i, t in enumerate(REDDIT_TIMES)
]


# --- first response -----------------------------------------------------------------------------------


def test_first_response_runs_from_the_post_to_our_reply() -> None:
    case = answered(1, 42)

    assert first_response(case, ALWAYS) == minutes(42)
    assert first_response(make_case(State.DRAFTED), ALWAYS) is None


def test_first_response_counts_business_time_only() -> None:
    friday_evening = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    case = answered(1, 0, created=friday_evening)
    case = replace(case, reply=make_reply(posted_at=datetime(2026, 3, 9, 9, 30, tzinfo=UTC)))

    assert first_response(case, OFFICE) == minutes(90)  # Friday's last hour + Monday's first half hour
    assert first_response(case, ALWAYS) == timedelta(hours=64, minutes=30)


# --- percentiles --------------------------------------------------------------------------------------


def test_median_and_nearest_rank_p90() -> None:
    ten = [minutes(m) for m in (400, 5, 10, 200, 20, 30, 60, 90, 120, 150)]

    assert median(ten) == minutes(75)  # (60 + 90) / 2
    assert percentile(ten, 90) == minutes(200)  # the 9th fastest of 10
    assert median([minutes(3), minutes(1), minutes(2)]) == minutes(2)
    assert percentile([minutes(7)], 90) == minutes(7)
    assert median([]) is None
    assert percentile([], 90) is None


# --- targets ------------------------------------------------------------------------------------------


def test_targets_by_kind_and_network() -> None:
    question = waiting_case(1)
    praise = waiting_case(2, is_question=False, sentiment="positive")
    reddit_praise = waiting_case(3, Network.REDDIT, is_question=False, sentiment="positive")
    reddit_question = waiting_case(4, Network.REDDIT)

    assert TARGETS.target_for(question) == minutes(60)
    assert TARGETS.target_for(praise) is None
    assert TARGETS.target_for(reddit_praise) == minutes(240)
    assert TARGETS.target_for(reddit_question) == minutes(240)  # the network's exception wins


def test_most_specific_target_wins() -> None:
    targets = Targets.parse("question=60, reddit=240, reddit.question=120, *=480")

    assert targets.target_for(waiting_case(1, Network.REDDIT)) == minutes(120)
    assert targets.target_for(waiting_case(2, Network.REDDIT, is_question=False)) == minutes(240)
    assert targets.target_for(waiting_case(3)) == minutes(60)
    assert targets.target_for(waiting_case(4, is_question=False, sentiment="positive")) == minutes(480)
    assert targets.describe() == "Reddit.question 2 h · Reddit 4 h · question 1 h · anything else 8 h"


def test_posts_we_cannot_answer_have_no_target() -> None:
    listened = make_case(State.DRAFTED, post=make_post(listen_only=True))

    assert TARGETS.target_for(listened) is None


def test_no_targets() -> None:
    assert not Targets.parse("")
    assert Targets.parse(" ").target_for(waiting_case(1)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("questoin=60", "'questoin' is neither a kind"),
        ("question", "should look like question=60"),
        ("question=soon", "'soon' is not a number of minutes"),
        ("question=0", "must be positive"),
        ("myspace.question=60", "unknown network 'myspace'"),
    ],
)
def test_bad_targets_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Targets.parse(text)


# --- reminders ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "due"), [(29, None), (30, 50), (47, 50), (48, 80), (59, 80), (60, 100), (600, 100)]
)
def test_reminder_thresholds(after: float, due: int | None) -> None:
    assert reminder_due(waiting_case(1), T0 + minutes(after), ALWAYS, TARGETS) == due


def test_no_reminder_when_nobody_needs_to_act_or_there_is_no_target() -> None:
    late = T0 + timedelta(hours=5)

    assert reminder_due(answered(1, 10), late, ALWAYS, TARGETS) is None
    assert reminder_due(make_case(State.APPROVED), late, ALWAYS, TARGETS) is None
    assert reminder_due(make_case(State.REJECTED), late, ALWAYS, TARGETS) is None
    assert (
        reminder_due(waiting_case(1, is_question=False, sentiment="positive"), late, ALWAYS, TARGETS) is None
    )
    assert reminder_due(make_case(State.FAILED), late, ALWAYS, TARGETS) == 100


def test_reminders_wait_for_business_hours() -> None:
    friday = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
    case = waiting_case(1, created=friday)

    assert reminder_due(case, datetime(2026, 3, 8, 12, 0, tzinfo=UTC), OFFICE, TARGETS) == 50  # Sunday
    assert reminder_due(case, datetime(2026, 3, 9, 9, 17, tzinfo=UTC), OFFICE, TARGETS) == 50  # Monday
    assert reminder_due(case, datetime(2026, 3, 9, 9, 18, tzinfo=UTC), OFFICE, TARGETS) == 80
    assert reminder_due(case, datetime(2026, 3, 9, 9, 30, tzinfo=UTC), OFFICE, TARGETS) == 100


# --- a period's figures -------------------------------------------------------------------------------


def test_response_times_overall_and_per_network() -> None:
    stats = summarise(SAMPLE, START, END, ALWAYS, TARGETS)

    assert stats.answered == 10
    assert (stats.median, stats.p90) == (minutes(75), minutes(200))
    x, reddit = stats.networks
    assert (x.network, x.answered, x.median, x.p90) == (Network.X, 6, minutes(25), minutes(90))
    assert (reddit.network, reddit.answered, reddit.median, reddit.p90) == (
        Network.REDDIT,
        4,
        minutes(175),
        minutes(400),
    )


def test_breaches_are_late_replies_and_cases_open_past_target() -> None:
    fresh = waiting_case(20, created=END - minutes(30))
    overdue = waiting_case(21, created=END - minutes(90))
    stats = summarise([*SAMPLE, fresh, overdue], START, END, ALWAYS, TARGETS)

    late = {(b.case.id, b.took, b.target) for b in stats.breaches if b.answered}
    assert late == {("x-p5", minutes(90), minutes(60)), ("reddit-p13", minutes(400), minutes(240))}
    (still_open,) = [b for b in stats.breaches if not b.answered]
    assert (still_open.case.id, still_open.took) == ("x-p21", minutes(90))
    assert stats.measured == 12
    assert stats.target_met is False
    assert [n.breaches for n in stats.networks] == [2, 1]


def test_target_met_when_nothing_is_late_and_unknown_without_targets() -> None:
    quick = [answered(1, 10), answered(2, 59)]

    assert summarise(quick, START, END, ALWAYS, TARGETS).target_met is True
    assert summarise(quick, START, END, ALWAYS, Targets()).target_met is None


def test_counts_use_the_period_and_the_history() -> None:
    yesterday = T0 - timedelta(days=1)
    answered_today_from_yesterday = answered(1, 60 * 24 + 30, created=yesterday)  # posted T0 + 30 min
    new_and_rejected = make_case(State.REJECTED, post=post(2), received_at=T0)  # rejected T0 + 10 min
    open_from_yesterday = waiting_case(3, created=yesterday)
    answered_after_the_period = answered(4, 60 * 30)  # posted the day after: open at the period's end
    new_open = waiting_case(5, Network.REDDIT)
    answered_yesterday = answered(6, 5, created=yesterday)

    stats = summarise(
        [
            answered_today_from_yesterday,
            new_and_rejected,
            open_from_yesterday,
            answered_after_the_period,
            new_open,
            answered_yesterday,
        ],
        START,
        END,
        ALWAYS,
        Targets(),
    )

    assert stats.new == 3  # p2, p4 and p5 arrived in the period
    assert stats.answered == 1
    assert stats.rejected == 1
    assert stats.open == 3  # p3, p4 (not yet answered at the end) and p5
    assert is_open_at(answered_after_the_period, END)
    assert not is_open_at(answered_after_the_period, END + timedelta(days=1))
    assert {n.network: n.new for n in stats.networks} == {Network.X: 2, Network.REDDIT: 1}


def test_a_running_period_is_counted_as_of_now() -> None:
    overdue_by_end_of_day = waiting_case(1, created=T0)
    now = T0 + minutes(45)

    stats = summarise([overdue_by_end_of_day], START, END, ALWAYS, TARGETS, now=now)

    assert stats.as_of == now
    assert stats.open == 1
    assert stats.breaches == ()  # 45 minutes so far: within the hour


def test_kinds_and_sentiment_of_new_cases() -> None:
    cases = [
        waiting_case(1),
        waiting_case(2),
        waiting_case(3, is_question=False, sentiment="negative"),
        waiting_case(4, is_question=False, sentiment="positive"),
        make_case(State.RECEIVED, post=post(5)),  # not triaged yet
    ]

    stats = summarise(cases, START, END, ALWAYS, TARGETS)

    assert dict(stats.new_by_kind) == {"question": 2, "complaint": 1, "other": 1, "praise": 1}
    assert dict(stats.sentiment) == {"positive": 1, "neutral": 2, "negative": 1}


def test_a_quiet_period() -> None:
    stats = summarise([answered(1, 5, created=T0 - timedelta(days=3))], START, END, ALWAYS, TARGETS)

    assert stats.quiet
    assert (stats.median, stats.p90, stats.networks, stats.target_met) == (None, None, (), None)


# --- topics -------------------------------------------------------------------------------------------


def test_words_drop_stop_words_handles_urls_and_numbers() -> None:
    text = "@acme Hi! Does the Pro plan include SSO? See https://x.com/a/1 #billing 2026 u/bob"

    assert words(text) == ["pro", "plan", "include", "sso", "billing"]
    assert words("Ciao, perché l'abbonamento non si rinnova? Grazie") == ["abbonamento", "rinnova"]


def test_topics_count_cases_not_repetitions() -> None:
    cases = [
        waiting_case(1, summary="Asks whether Pro includes SSO"),
        waiting_case(2, summary="SSO login fails, SSO again"),
        waiting_case(3, summary="Refund for the Pro plan"),
        make_case(
            State.DRAFTED, post=post(4, text="Il rimborso del piano Pro?"), triage=make_triage(summary="")
        ),
        waiting_case(5, summary="Refund still missing"),
    ]

    assert topics(cases) == [("pro", 3), ("refund", 2), ("sso", 2)]
    assert topics(cases, limit=1) == [("pro", 3)]
    assert ("login", 1) in topics(cases, min_count=1)


def test_the_brand_name_is_not_a_topic() -> None:
    cases = [waiting_case(i, summary="acme invoice missing") for i in range(3)]

    assert topics(cases) == [("invoice", 3), ("missing", 3)]


# --- search and daily figures -------------------------------------------------------------------------


def test_search_matches_every_word_without_case_or_accents_newest_first() -> None:
    older = make_case(State.POSTED, post=post(1, text="Il rimborso non è arrivato"), received_at=T0)
    newer = make_case(
        State.DRAFTED,
        post=post(2, text="Where is my RIMBORSO?", author=make_author(handle="marco")),
        received_at=T0 + minutes(5),
    )
    other = make_case(State.DRAFTED, post=post(3, text="SSO question"))

    assert search_cases([older, other, newer], "rimborso") == [newer, older]
    assert search_cases([older, other, newer], "rimborso MARCO") == [newer]
    assert search_cases([older, other, newer], "arrivatò") == [older]
    assert search_cases([older, other, newer], "   ") == []


def test_daily_medians_for_the_chart() -> None:
    monday, tuesday, wednesday = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    cases = [answered(1, 10), answered(2, 30), answered(3, 20, created=T0 + timedelta(days=2))]

    assert daily_medians(cases, [monday, tuesday, wednesday], ALWAYS) == [
        (monday, 20.0),
        (tuesday, None),
        (wednesday, 20.0),
    ]


def test_waiting_counts_from_the_post() -> None:
    assert waiting(waiting_case(1), T0 + minutes(15), ALWAYS) == minutes(15)


def test_a_priority_target_tightens_the_target_of_urgent_cases() -> None:
    from dataclasses import replace as _replace

    from bot.reporting.stats import Targets
    from tests.factories import make_case as _make_case

    targets = Targets.parse("question=60,urgent=15")
    case = _make_case()
    assert case.triage is not None
    urgent = _replace(case, triage=_replace(case.triage, urgency="high", is_question=True))
    calm = _replace(case, triage=_replace(case.triage, urgency="normal", is_question=True))
    assert targets.target_for(urgent) == timedelta(minutes=15)
    assert targets.target_for(calm) == timedelta(minutes=60)
