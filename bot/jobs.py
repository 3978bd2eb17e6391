"""rq job entry points. rq stores only the function's import path and JSON arguments (ids), so each
entry point looks up the worker's container, bound once at start-up by `bind`."""

from __future__ import annotations

from bot.container import Container

_container: Container | None = None


def bind(container: Container) -> None:
    global _container  # noqa: PLW0603 - the worker's composition root sets this exactly once
    _container = container


def _current() -> Container:
    if _container is None:
        raise RuntimeError("No container bound: start workers with `parley worker`.")
    return _container


def deliver_case(case_id: str) -> None:
    _current().delivery.deliver(case_id)


def publish_reply(case_id: str) -> None:
    _current().publisher.publish(case_id)


def refresh_case(case_id: str) -> None:
    _current().slack_sync.refresh(case_id)


def poll_source(source: str) -> None:
    _current().inbox.poll(source)


def sweep() -> None:
    _current().sweeper.sweep()
