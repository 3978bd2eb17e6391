"""Small builders for domain objects. Cases are made through the real transitions, so their
history, approver and timestamps look like the ones the app produces."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import (
    Author,
    Case,
    Draft,
    Failure,
    Network,
    Post,
    Reply,
    SlackRefs,
    State,
    Triage,
    approve,
    mark_failed,
    mark_posted,
    open_case,
    reject,
    start_publish,
    with_draft,
    with_slack,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
EVIL = "Hey <!channel> & <@U123> see <https://evil.example|click>"
APPROVER = "U_MARIA"
REJECTER = "U_OMAR"
RETRY_AT = T0 + timedelta(minutes=20)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def make_author(**overrides: Any) -> Author:
    return Author(**{"id": "2244994945", "handle": "jane", "name": "Jane Doe", **overrides})


def make_post(**overrides: Any) -> Post:
    defaults: dict[str, Any] = {
        "network": Network.X,
        "id": "1900000000000000001",
        "account": "acme",
        "author": make_author(),
        "text": "@acme does the Pro plan include SSO?",
        "url": "https://x.com/jane/status/1900000000000000001",
        "created_at": T0 - minutes(2),
        "lang": "en",
    }
    return Post(**{**defaults, **overrides})


def make_reddit_post(**overrides: Any) -> Post:
    defaults: dict[str, Any] = {
        "network": Network.REDDIT,
        "id": "t1_kx1",
        "account": "acme_support",
        "author": make_author(id="t2_abc", handle="throwaway42", name="throwaway42"),
        "text": "Has anyone tried acme for log shipping?",
        "url": "https://www.reddit.com/r/devops/comments/abc/_/kx1/",
        "created_at": T0 - minutes(2),
        "title": "Log shipping tools in 2026?",
        "place": "devops",
    }
    return make_post(**{**defaults, **overrides})


def make_triage(**overrides: Any) -> Triage:
    defaults: dict[str, Any] = {
        "is_question": True,
        "sentiment": "neutral",
        "urgency": "normal",
        "language": "en",
        "summary": "Asks whether Pro includes SSO",
    }
    return Triage(**{**defaults, **overrides})


def make_draft(**overrides: Any) -> Draft:
    defaults: dict[str, Any] = {"text": "Yes! SSO is included in Pro.", "drafter": "offline"}
    return Draft(**{**defaults, **overrides})


def make_failure(**overrides: Any) -> Failure:
    defaults: dict[str, Any] = {
        "kind": "forbidden",
        "message": "X refused the reply (403).",
        "retryable": False,
    }
    return Failure(**{**defaults, **overrides})


def make_reply(**overrides: Any) -> Reply:
    defaults: dict[str, Any] = {
        "id": "1900000000000000999",
        "url": "https://x.com/acme/status/1900000000000000999",
        "posted_at": T0 + minutes(7),
    }
    return Reply(**{**defaults, **overrides})


def make_case(
    state: State = State.DRAFTED,
    *,
    post: Post | None = None,
    draft: Draft | None = None,
    triage: Triage | None = None,
    reason: str = "spam",
    failure: Failure | None = None,
    reply: Reply | None = None,
    permalink: str | None = None,
    received_at: datetime = T0,
) -> Case:
    """A case walked to `state` through the domain's transitions (REJECTED is rejected once drafted)."""
    case = open_case(post or make_post(), channel="C_INBOX", at=received_at)
    refs = SlackRefs(channel="C_INBOX", parent_ts="1.0", card_ts="2.0", permalink=permalink)
    case = with_slack(case, refs, at=received_at)
    if state is State.RECEIVED:
        return case
    case = with_draft(case, triage or make_triage(), draft or make_draft(), at=received_at + minutes(1))
    if state is State.DRAFTED:
        return case
    if state is State.REJECTED:
        return reject(case, by=REJECTER, reason=reason, at=received_at + minutes(10))
    case = approve(case, by=APPROVER, at=received_at + minutes(5))
    if state is State.APPROVED:
        return case
    case = start_publish(case, at=received_at + minutes(6), lease_seconds=60)
    if state is State.PUBLISHING:
        return case
    if state is State.POSTED:
        return mark_posted(case, reply or make_reply(), at=received_at + minutes(7))
    assert state is State.FAILED
    return mark_failed(case, failure or make_failure(), at=received_at + minutes(7))


def retrying_case(retry_at: datetime | None = RETRY_AT) -> Case:
    """Approved again after a retryable failure, waiting for the rate limit to reset."""
    failure = make_failure(
        kind="rate_limited", message="Rate limited by X.", retryable=True, retry_at=retry_at
    )
    case = make_case(State.PUBLISHING)
    return mark_failed(case, failure, at=T0 + minutes(7))


def with_post_text(case: Case, text: str) -> Case:
    return replace(case, post=replace(case.post, text=text))
