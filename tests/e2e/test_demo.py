"""`parley demo` as a viewer sees it: the transcript tells the whole story, and it is true.

The demo runs once for the module (about a second); each test reads one thing a social media
manager would notice in the transcript. The demo needs no Redis server of its own.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bot.demo import EDITED, DemoFailure, load_samples, run_demo
from bot.domain import Case
from bot.services.delivery import Delivery
from emulators.x import XEmulator, XTweet

HEADINGS = (
    "Five customers mention the brand on X",
    "What the team sees in Slack",
    "The team reviews",
    "What landed on X",
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
    match = re.search(rf"^\d\. {re.escape(title)}\n-+\n(.*?)(?=^\d\. |\Z)", transcript, re.S | re.M)
    assert match, f"no section {title!r} in:\n{transcript}"
    return match.group(1)


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
    assert slack.count("[ Approve ]  [ Edit ]  [ Reject ]") == 5
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


def test_the_summary_counts_match_the_story(transcript: str) -> None:
    rows = dict(re.findall(r"^  ([A-Z][\w ]+?)\s{2,}(\d+)$", section(transcript, "Summary"), re.M))
    assert rows == {"Forwarded to Slack": "5", "Posted on X": "3", "Rejected": "1", "Still open": "1"}


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
