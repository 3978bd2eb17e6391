"""`parley demo` as a viewer sees it: the transcript tells the whole story, and it is true.

The demo runs once for the module (a second or two); each test reads one thing a social media
manager would notice in the transcript. The demo needs no Redis server of its own.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bot.domain import Case
from bot.services import delivery
from bot.services.delivery import Delivery
from demo.script import EDITED, REDDIT, DemoFailure, load_samples, run_demo
from emulators.reddit import RedditComment, RedditEmulator
from emulators.x import XEmulator, XTweet

HEADINGS = (
    "Five customers mention the brand on X",
    "A redditor asks u/parleybrand on Reddit",
    "What the team sees in Slack",
    "The team reviews",
    "What landed on X",
    "What landed on Reddit",
    "Where each case stands in Slack",
    "Summary",
)


@pytest.fixture(scope="module")
def demo() -> tuple[int, str]:
    stdout = io.StringIO()
    with redirect_stdout(stdout):
        code = run_demo()
    return code, stdout.getvalue()


@pytest.fixture(scope="module")
def transcript(demo: tuple[int, str]) -> str:
    return demo[1]


def section(transcript: str, title: str) -> str:
    """The text under a numbered heading, up to the next one."""
    match = re.search(rf"^\d+\. {re.escape(title)}\n-+\n(.*?)(?=^\d+\. |\Z)", transcript, re.S | re.M)
    assert match, f"no section {title!r} in:\n{transcript}"
    return match.group(1)


def flat(text: str) -> str:
    """The text as one line: wrapped lines joined, quote bars and indentation removed."""
    return " ".join(line.strip().removeprefix("│").strip() for line in text.splitlines() if line.strip())


def case_in(section_text: str, heading: str) -> str:
    """The part of a section about one case: from its `Case n · …` line to the next case."""
    match = re.search(rf"^  {re.escape(heading)}\b(.*?)(?=^  Case \d|\Z)", section_text, re.S | re.M)
    assert match, f"no {heading!r} in:\n{section_text}"
    return match.group(1)


def quote_after(text: str, marker: str) -> str:
    """The quoted (`│`) lines right after `marker`, as one line."""
    match = re.search(rf"{re.escape(marker)}\n((?:\s+│.*\n)+)", text)
    assert match, f"no quote after {marker!r} in:\n{text}"
    return flat(match.group(1))


def replies_on_x(transcript: str) -> dict[str, list[str]]:
    """Customer handle -> the reply texts shown under "What landed on X"."""
    replies: dict[str, list[str]] = {}
    for customer, quote in re.findall(
        r"@parleybrand replied to @(\w+) \(post \d+\):\n((?:\s+│.*\n)+)",
        section(transcript, "What landed on X"),
    ):
        text = " ".join(line.strip().removeprefix("│").strip() for line in quote.splitlines())
        replies.setdefault(customer, []).append(text)
    return replies


def test_the_demo_succeeds_and_tells_the_story_in_order(demo: tuple[int, str]) -> None:
    code, transcript = demo
    assert code == 0, transcript
    positions = [transcript.find(f". {heading}\n") for heading in HEADINGS]
    assert -1 not in positions, transcript
    assert positions == sorted(positions)


def test_slack_shows_each_mention_with_its_draft_and_buttons(transcript: str) -> None:
    slack = section(transcript, "What the team sees in Slack")
    assert slack.count("[ Approve ]  [ Edit ]  [ Reject ]") == 6
    assert "Ciao Giulia" in slack  # the Italian mention gets an Italian draft


def test_the_edited_reply_is_the_one_posted_on_x(transcript: str) -> None:
    replies = replies_on_x(transcript)
    assert replies["Elmolazy3"] == [EDITED]
    assert "Too long for X" in section(transcript, "The team reviews")  # the editor's refusal came first


def test_x_received_exactly_the_approved_replies(transcript: str) -> None:
    replies = replies_on_x(transcript)
    assert sorted(replies) == ["AtotheJ_", "Elmolazy3", "msqueen228"]
    assert "P4rk3r4" not in replies  # rejected
    assert "giulia_demo" not in replies  # left open
    assert "X received exactly 3 replies" in section(transcript, "Summary")


def test_two_people_approving_at_once_post_one_reply(transcript: str) -> None:
    assert len(replies_on_x(transcript)["msqueen228"]) == 1
    reviews = section(transcript, "The team reviews")
    assert len(re.findall(r"already approved by @(maria|luca)", reviews)) == 1


def test_the_reddit_question_is_shown_and_marked_as_written_for_the_demo(transcript: str) -> None:
    reddit = section(transcript, "A redditor asks u/parleybrand on Reddit")
    assert "written for the demo, not a real post" in reddit.splitlines()[0]
    assert f"r/{REDDIT.subreddit}" in reddit and REDDIT.title in reddit
    assert REDDIT.comment in flat(reddit)
    assert "finds 1 new mention" in flat(reddit)


def test_slack_shows_the_reddit_question_with_its_thread_the_limit_and_the_account(
    transcript: str,
) -> None:
    case = case_in(section(transcript, "What the team sees in Slack"), "Case 6 · u/lowfreq_lena")
    text = flat(case)
    assert f"Reddit · u/{REDDIT.redditor} in r/{REDDIT.subreddit}" in case
    assert REDDIT.title in case  # the thread's title
    assert REDDIT.comment in text  # the comment itself
    assert f"View on Reddit (https://www.reddit.com/r/{REDDIT.subreddit}/comments/" in text
    assert re.search(r"\d+/10,000 · .*Answering as u/parleybrand", case)  # Reddit's limit, not X's
    assert "🛡️ 0 of 2 approvals · needs two people: mentions “refund”" in case
    assert "[ Approve ]  [ Edit ]  [ Reject ]  [ Reply privately ]  [ I'll take it ]" in case


def test_the_risky_reddit_reply_waits_for_a_second_approver(transcript: str) -> None:
    review = case_in(section(transcript, "The team reviews"), "Case 6 · u/lowfreq_lena on Reddit")
    assert "🛡️ 1 of 2 approvals (@anna)" in review  # what the card says after Anna's approval
    assert "Nothing is posted yet" in review
    thread = flat(case_in(section(transcript, "Where each case stands in Slack"), "Case 6 · u/lowfreq_lena"))
    assert "☑️ @anna approved (1 of 2)" in thread and "✅ @maria approved" in thread
    assert "📤 Posted on Reddit by @maria: view reply (https://www.reddit.com/r/headphones/" in thread


def test_reddit_received_exactly_the_approved_reply_under_the_comment(transcript: str) -> None:
    slack = case_in(section(transcript, "What the team sees in Slack"), "Case 6 · u/lowfreq_lena")
    draft = quote_after(slack, "In the thread, the draft reply:")
    landed = section(transcript, "What landed on Reddit")
    replies = re.findall(r"u/parleybrand replied to (.+?) \((t\d_\w+)\) in r/(\w+):", landed)
    assert replies == [(f"u/{REDDIT.redditor}'s comment", "t1_l000001", REDDIT.subreddit)]
    assert quote_after(landed, "in r/headphones:") == draft  # the approved text, unchanged
    assert "Reddit received exactly 1 reply:" in section(transcript, "Summary")


def test_the_summary_counts_match_the_story(transcript: str) -> None:
    summary = section(transcript, "Summary")
    assert re.search(r"^\s+X\s+Reddit\s+Total$", summary, re.M)
    rows = {
        label: (x, reddit, total)
        for label, x, reddit, total in re.findall(
            r"^  ([A-Z][\w ]+?)\s{2,}(\d+)\s+(\d+)\s+(\d+)$", summary, re.M
        )
    }
    assert rows == {
        "Forwarded to Slack": ("5", "1", "6"),
        "Posted": ("3", "1", "4"),
        "Rejected": ("1", "0", "1"),
        "Still open": ("1", "0", "1"),
    }


def test_the_transcript_reads_like_slack_not_like_its_markup(transcript: str) -> None:
    assert "the primary one & yet" in transcript  # `&amp;` in the source tweet, shown as typed
    for markup in ("&lt;", "&gt;", "&amp;", "<@U", "<!date", "<http", "{time}"):
        assert markup not in transcript
    assert "@maria" in section(transcript, "Where each case stands in Slack")
    assert not re.search(r"\b(INFO|WARNING|DEBUG|Traceback)\b", transcript)


def test_a_wrong_outcome_on_x_fails_the_demo_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    real: property = vars(XEmulator)["posted"]

    def posted_twice(x: XEmulator) -> list[XTweet]:
        replies: list[XTweet] = real.__get__(x)
        return replies + replies[:1]  # as if one approved reply had gone out twice

    monkeypatch.setattr(XEmulator, "posted", property(posted_twice))
    stderr = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
        code = run_demo()
    assert code == 1
    assert "parley demo failed (what landed on x): X should have exactly one reply" in stderr.getvalue()


def test_a_wrong_outcome_on_reddit_fails_the_demo_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real: property = vars(RedditEmulator)["replies"]

    def replied_twice(reddit: RedditEmulator) -> list[RedditComment]:
        replies: list[RedditComment] = real.__get__(reddit)
        return replies + replies[:1]  # as if the approved reply had gone out twice

    monkeypatch.setattr(RedditEmulator, "replies", property(replied_twice))
    stderr = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
        code = run_demo()
    assert code == 1
    assert (
        "parley demo failed (what landed on reddit): Reddit should have exactly one reply"
        in stderr.getvalue()
    )


def test_a_risky_reply_that_needs_only_one_approver_fails_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "risk_reasons", lambda *args: ())  # as if the two-person rule were gone
    stderr = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
        code = run_demo()
    assert code == 1
    assert "(the team reviews): u/lowfreq_lena asks about a refund, yet the reply needs only one" in (
        stderr.getvalue()
    )


def test_a_crashing_job_fails_the_demo_at_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(delivery: Delivery, case_id: str) -> Case:
        raise RuntimeError("Slack is on fire")

    monkeypatch.setattr(Delivery, "deliver", crash)
    stderr = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
        code = run_demo()
    assert code == 1
    assert "Slack is on fire" in caplog.text  # rq logs the error itself
    message = stderr.getvalue()
    assert "parley demo failed (five customers mention the brand on x)" in message  # the step
    assert "Parley's worker failed running deliver_case(" in message  # and the job


def test_a_missing_sample_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DemoFailure, match="sample mentions are missing"):
        load_samples(tmp_path / "nothing.json")


def test_a_one_star_google_review_is_urgent_and_its_reply_replaced_in_the_same_case(transcript: str) -> None:
    google = section(transcript, "A one-star review of a shop on Google")
    assert "★☆☆☆☆ 1 of 5 stars" in google and "🔥 High urgency" in google
    assert "Answering as Parley Demo · Milano Duomo" in google
    assert "his replaces Maria's (2 versions sent, 1 shown)" in flat(google)
    assert "✔ Still one case in Slack for this review" in google
