"""rq job entry points. rq stores only the function's import path and JSON arguments (ids), so each
entry point looks up the worker's container, bound once at start-up by `bind`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.adapters.slack import SlackBusy
from bot.app.container import Container
from bot.app.logs import case_context
from bot.domain import now

_container: Container | None = None


def bind(container: Container) -> None:
    global _container  # noqa: PLW0603 - the worker's composition root sets this exactly once
    _container = container


def _current() -> Container:
    if _container is None:
        raise RuntimeError("No container bound: start workers with `parley worker`.")
    return _container


def _later(wait: float) -> datetime:
    """When to run again a job that Slack could not take now (rq rounds it up to the second)."""
    return now() + timedelta(seconds=wait)


def _unless_slack_is_busy(run: Callable[[str], object], again: Callable[..., object], case_id: str) -> None:
    """Run `run(case_id)`; when Slack cannot take it now, schedule `again` for when it can."""
    with case_context(case_id):
        try:
            run(case_id)
        except SlackBusy as busy:
            again(case_id, at=_later(busy.wait))


def deliver_case(case_id: str) -> None:
    container = _current()
    _unless_slack_is_busy(container.delivery.deliver, container.jobs.deliver, case_id)


def publish_reply(case_id: str) -> None:
    with case_context(case_id):
        _current().publisher.publish(case_id)


def refresh_case(case_id: str) -> None:
    container = _current()
    _unless_slack_is_busy(container.slack_sync.refresh, container.jobs.refresh, case_id)


def regenerate_draft(case_id: str, by: str, instruction: str) -> None:
    with case_context(case_id):
        _current().delivery.regenerate(case_id, by=by, instruction=instruction)


def announce_burst(source: str, count: str) -> None:
    container = _current()
    try:
        container.inbox.announce_burst(source, int(count))
    except SlackBusy as busy:
        container.jobs.announce_burst(source, int(count), at=_later(busy.wait))


def poll_source(source: str) -> None:
    _current().inbox.poll(source)


def moderate_comment(case_id: str, how: str) -> None:
    with case_context(case_id):
        _current().moderator.perform(case_id, hidden=how == "hide")


def look_up_mention(source: str, media_id: str, comment_id: str) -> None:
    _current().meta_webhooks.look_up(source, media_id, comment_id)


RETENTION_EVERY = 3600  # seconds


def sweep() -> None:
    container = _current()
    container.sweeper.sweep()
    container.review.permissions.refresh_groups()  # so permission checks never ask Slack
    container.insights.remind(container.store.open_cases(limit=1000))
    if container.store.acquire("retention", ttl=RETENTION_EVERY):  # hourly is plenty for days
        container.privacy.expire()


def post_digest(day: str, run: str = "") -> None:
    """`run`: empty for the scheduled digest of `day`; a forced one's own name (Jobs.digest)."""
    container = _current()
    try:
        container.insights.post_digest(day or None, force=bool(run), run=run)
    except SlackBusy as busy:
        container.jobs.digest(day, run=run, at=_later(busy.wait))


def refresh_homes() -> None:
    _current().insights.refresh_homes()
