from __future__ import annotations

from dataclasses import replace

from blocks.queue import MAX_LISTED, queue_message
from bot.domain import State
from tests.factories import EVIL, T0, make_author, make_case, make_post, minutes
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, joined, section_texts

NOW = T0 + minutes(125)


def test_empty_queue_is_inbox_zero() -> None:
    message = queue_message([], NOW)

    assert message.text == "Inbox zero 🎉"
    assert "Inbox zero 🎉" in joined(message.blocks)


def test_closed_cases_are_not_listed() -> None:
    cases = [make_case(State.POSTED), make_case(State.REJECTED)]

    assert queue_message(cases, NOW).text == "Inbox zero 🎉"


def test_open_cases_oldest_first_with_age_state_and_thread_link() -> None:
    newer = make_case(State.APPROVED, received_at=NOW - minutes(3))
    older = make_case(
        State.DRAFTED,
        post=make_post(id="7", text="the older one"),
        received_at=NOW - minutes(125),
        permalink="https://acme.slack.com/archives/C_INBOX/p7",
    )

    entries = section_texts(queue_message([newer, older], NOW).blocks)[1:]

    assert len(entries) == 2
    assert "waiting 2 h 5 min" in entries[0]
    assert "Waiting for approval" in entries[0]
    assert "> the older one" in entries[0]
    assert "<https://acme.slack.com/archives/C_INBOX/p7|Open thread>" in entries[0]
    assert "waiting 3 min" in entries[1]
    assert "Approved, posting" in entries[1]
    assert "*X* · *Jane Doe* @jane" in entries[1]


def test_without_a_permalink_the_post_is_linked() -> None:
    (entry,) = section_texts(queue_message([make_case(State.RECEIVED)], NOW).blocks)[1:]

    assert "<https://x.com/jane/status/1900000000000000001|View on X>" in entry


def test_a_long_queue_is_summarised_under_the_limits() -> None:
    cases = [
        make_case(
            State.DRAFTED,
            post=make_post(id=str(n), text="&<>" * 2000, author=make_author(name="&" * 200)),
            received_at=NOW - minutes(n),
        )
        for n in range(60)
    ]

    message = queue_message(cases, NOW)

    assert_within_limits(message)
    assert "…and 45 more" in joined(message)
    assert "60 open cases" in joined(message)
    ages = [t.split("waiting ")[1].split(" ·")[0] for t in section_texts(message.blocks)[1:]]
    assert ages[0] == "59 min"  # the oldest one leads
    assert ages[-1] == "45 min"


def test_untrusted_text_is_escaped_and_kept_on_one_line() -> None:
    case = make_case(
        State.DRAFTED, post=make_post(text=EVIL + "\n\nsecond paragraph", author=make_author(name=EVIL))
    )

    message = queue_message([case], NOW)

    assert_escaped(message)
    (entry,) = section_texts(message.blocks)[1:]
    assert "&lt;!channel&gt;" in entry
    assert "> Hey &lt;!channel&gt;" in entry
    assert "second paragraph" in entry.split("\n")[1]


def test_age_of_a_fresh_case() -> None:
    case = replace(make_case(State.RECEIVED), received_at=NOW)

    assert "waiting under a minute" in joined(queue_message([case], NOW))


def test_queue_counts_every_open_case_when_only_the_oldest_are_loaded() -> None:
    shown = [make_case(post=make_post(id=str(i)), received_at=T0 + minutes(i)) for i in range(MAX_LISTED)]
    message = queue_message(shown, T0 + minutes(60), total=300)
    assert message.text == "300 open cases"
    assert f"and {300 - MAX_LISTED} more" in joined(message.blocks)
