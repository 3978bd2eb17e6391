"""LinkedIn through the whole loop: a comment on the page's post becomes one case, Approve comments
once as the page nested under it, a mention is answered on the mentioning post, an expired token is
explained in the thread and by the doctor."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from bot.domain import State
from demo.sandbox import CHANNEL, Sandbox
from emulators.linkedin import LinkedInEmulator
from emulators.slack import Message
from tests.e2e.conftest import Clock, card_of, checks, forwarded, thread_texts


def linkedin_env(linkedin: LinkedInEmulator) -> dict[str, str]:
    return {
        "LINKEDIN_ACCESS_TOKEN": linkedin.access_token,
        "LINKEDIN_ORGANIZATION_ID": linkedin.organization_id,
        "LINKEDIN_API_URL": linkedin.url,
    }


@pytest.fixture
def linkedin(clock: Clock) -> Iterator[LinkedInEmulator]:
    with LinkedInEmulator(clock=lambda: clock().timestamp()) as emulator:
        yield emulator


@pytest.fixture
def sandbox(redis_client: redis.Redis, clock: Clock, linkedin: LinkedInEmulator) -> Iterator[Sandbox]:
    with Sandbox(redis_client, clock=clock, env=linkedin_env(linkedin)) as sb:
        yield sb


def comment_and_deliver(sb: Sandbox, linkedin: LinkedInEmulator, clock: Clock) -> tuple[str, Message]:
    share = linkedin.add_post("Parley 2.0 is out: approvals in two clicks.")
    sb.poll("linkedin")  # the first poll records where the page is
    clock.advance(seconds=1)
    comment = linkedin.add_comment(share, "Does it work with Microsoft Teams too?")
    assert sb.poll("linkedin").new == 1
    sb.drain()
    return comment, forwarded(sb)[-1]


def test_a_comment_is_forwarded_once_and_answered_once_nested_as_the_page(
    sandbox: Sandbox, linkedin: LinkedInEmulator, clock: Clock
) -> None:
    comment, parent = comment_and_deliver(sandbox, linkedin, clock)
    text = parent.all_text()
    assert "LinkedIn" in text and "Does it work with Microsoft Teams too?" in text
    assert "Parley 2.0 is out" in text  # the post it is under
    card = card_of(sandbox, parent)
    assert "/1,250" in card.all_text() and "Answering as Parley Demo" in card.all_text()
    assert sandbox.poll("linkedin").new == 0

    clicks = [sandbox.slack.click_request(card, "Approve", user=u) for u in ("U_MARIA", "U_LUCA", "U_ANNA")]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda r: r.send(sandbox.app_url), clicks))
    sandbox.drain()
    [ours] = linkedin.comments_by_page()
    assert ours.parent == comment and ours.actor == linkedin.organization
    assert len(forwarded(sandbox)) == 1
    status = sandbox.slack.message(CHANNEL, parent.ts).all_text()
    assert "Posted by" in status and "linkedin.com/feed/update" in status


def test_a_mention_is_answered_on_the_mentioning_post(
    sandbox: Sandbox, linkedin: LinkedInEmulator, clock: Clock
) -> None:
    sandbox.poll("linkedin")
    clock.advance(seconds=1)
    urn = linkedin.mention("Huge thanks to Parley Demo for the quick support!")
    sandbox.poll("linkedin")
    sandbox.drain()
    parent = forwarded(sandbox)[-1]
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [ours] = linkedin.comments_by_page()
    assert ours.object == urn and ours.parent is None


def test_an_expired_token_is_explained_in_the_thread_and_by_the_doctor(
    sandbox: Sandbox, linkedin: LinkedInEmulator, clock: Clock, redis_url: str
) -> None:
    _, parent = comment_and_deliver(sandbox, linkedin, clock)
    linkedin.expire_token()
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    [case] = sandbox.parley.store.open_cases()
    assert case.state is State.FAILED and linkedin.comments_by_page() == []
    assert any("LINKEDIN_ACCESS_TOKEN" in t and "60 days" in t for t in thread_texts(sandbox, parent))

    found = checks(sandbox, redis_url)
    assert not found["linkedin"].ok and "LINKEDIN_ACCESS_TOKEN" in found["linkedin"].detail


def test_a_follow_up_under_our_reply_continues_the_case_and_is_answered_under_the_first_comment(
    sandbox: Sandbox, linkedin: LinkedInEmulator, clock: Clock
) -> None:
    comment, parent = comment_and_deliver(sandbox, linkedin, clock)
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, parent), "Approve", user="U_MARIA")
    sandbox.drain()
    assert sandbox.parley.store.open_cases() == []  # answered: nothing open
    clock.advance(seconds=1)
    share = comment.removeprefix("urn:li:comment:(").partition(",")[0]
    linkedin.add_comment(share, "Thanks! And with Google Chat?", parent=comment)
    assert sandbox.poll("linkedin").new == 1
    sandbox.drain()
    assert len(forwarded(sandbox)) == 1  # the same case, the same thread
    [reopened] = sandbox.parley.store.open_cases()
    assert reopened.messages == 2
    card = [m for m in sandbox.slack.thread(CHANNEL, parent.ts) if m.buttons()][-1]
    sandbox.slack.click(sandbox.app_url, card, "Approve", user="U_LUCA")
    sandbox.drain()
    ours = linkedin.comments_by_page()
    assert len(ours) == 2 and {c.parent for c in ours} == {comment}  # both nested under the first comment
