from __future__ import annotations

from dataclasses import replace

import pytest

from blocks.case_message import parent_message
from bot.domain import State
from tests.factories import (
    EVIL,
    T0,
    make_author,
    make_case,
    make_post,
    make_reddit_post,
    make_triage,
    retrying_case,
)
from tests.unit.blocks.walk import assert_escaped, assert_within_limits, joined, section_texts


def test_shows_who_said_what_and_where() -> None:
    message = parent_message(make_case(State.DRAFTED))

    text = joined(message)
    assert "*X*" in text
    assert "*Jane Doe* @jane" in text
    assert "> @acme does the Pro plan include SSO?" in text
    assert "<https://x.com/jane/status/1900000000000000001|View on X>" in text
    assert "does the Pro plan include SSO?" in message.text


def test_received_time_uses_slack_date_formatting_with_a_fallback() -> None:
    text = joined(parent_message(make_case(State.DRAFTED)))

    assert f"<!date^{int(T0.timestamp())}^{{date_short_pretty}} at {{time}}|2026-03-02T09:30Z>" in text


def test_reddit_shows_user_subreddit_and_thread_title() -> None:
    text = joined(parent_message(make_case(State.DRAFTED, post=make_reddit_post())))

    assert "*Reddit*" in text
    assert "u/throwaway42" in text
    assert "in r/devops" in text
    assert "*Log shipping tools in 2026?*" in text
    assert "View on Reddit" in text


def test_triage_chips_when_known() -> None:
    triage = make_triage(is_question=True, sentiment="negative", urgency="high", language="de")
    text = joined(parent_message(make_case(State.DRAFTED, triage=triage)))

    for chip in ("Question", "Negative", "High urgency", "de"):
        assert chip in text
    assert "urgency" not in joined(parent_message(make_case(State.RECEIVED)))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.RECEIVED, "Drafting a reply…"),
        (State.DRAFTED, "Waiting for approval"),
        (State.APPROVED, "Approved by <@U_MARIA> · posting…"),
        (State.PUBLISHING, "Approved by <@U_MARIA> · posting…"),
        (State.FAILED, "⚠️ Posting failed: X refused the reply (403)."),
    ],
)
def test_status_line_per_state(state: State, expected: str) -> None:
    assert expected in section_texts(parent_message(make_case(state)).blocks)[-1]


def test_posted_status_names_the_approver_and_links_the_reply() -> None:
    status = section_texts(parent_message(make_case(State.POSTED)).blocks)[-1]

    assert status.startswith("✅ Posted by <@U_MARIA> · <!date^")  # "· today at 14:02", not "at today at"
    assert "<https://x.com/acme/status/1900000000000000999|View reply>" in status


def test_rejected_status_says_who_and_why() -> None:
    status = section_texts(parent_message(make_case(State.REJECTED, reason="Spam — a bot")).blocks)[-1]

    assert status.startswith("🚫 Rejected by <@U_OMAR> · <!date^")
    assert status.endswith("· Spam — a bot")


def test_a_retryable_failure_says_when_it_retries() -> None:
    status = section_texts(parent_message(retrying_case()).blocks)[-1]

    assert "posting…" in status
    assert "Rate limited by X." in status
    assert "retrying at <!date^" in status


@pytest.mark.parametrize("state", list(State))
def test_untrusted_text_is_escaped_everywhere(state: State) -> None:
    post = make_reddit_post(
        text=EVIL,
        author=make_author(name=EVIL, handle="<!channel>"),
        title=EVIL,
        place="<!channel>",
    )
    case = make_case(state, post=post, triage=make_triage(language=EVIL, summary=EVIL), reason=EVIL)

    message = parent_message(case)

    assert_escaped(message)
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt; see &lt;https://evil.example|click&gt;" in joined(message)
    assert "&lt;" in message.text


def test_a_huge_reddit_post_is_cut_to_fit() -> None:
    post = make_reddit_post(text="word & " * 1500 + "THE END", title="t" * 400)  # 10,507 chars

    message = parent_message(make_case(State.DRAFTED, post=post))

    assert_within_limits(message)
    body = section_texts(message.blocks)[1]
    assert body.endswith("…")
    assert "THE END" not in body
    assert len(body) > 2900  # cut at the limit, not long before it


def test_multiline_post_is_quoted_line_by_line() -> None:
    case = make_case(State.DRAFTED, post=make_post(text="first\nsecond"))

    assert section_texts(parent_message(case).blocks)[1] == "> first\n> second"


def test_a_post_url_that_could_break_the_link_is_not_linked() -> None:
    case = make_case(State.DRAFTED, post=make_post(url="https://x.com/a|<!channel>"))

    message = parent_message(case)

    assert_escaped(message)
    assert "View on X" in joined(message)


def test_fallback_text_is_short() -> None:
    case = replace(make_case(State.DRAFTED), post=make_post(text="x" * 5000))

    assert len(parent_message(case).text) <= 300
