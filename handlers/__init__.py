"""Slack listeners, registered per folder. Handlers ack, parse, and call one service; nothing slow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.adapters import keys
from handlers import actions, commands, events, views

if TYPE_CHECKING:  # the container imports services, which import handlers.blocks: no cycle at run time
    from bot.app.container import Container


def register(app: App, container: Container) -> None:
    store = container.store

    @app.middleware
    def drop_retried_events(request: BoltRequest, next: Any) -> BoltResponse | None:
        """Slack re-sends an event it thinks we missed; answer a repeat with 200 and do nothing."""
        event_id = request.body.get("event_id") if isinstance(request.body, dict) else None
        if event_id and not store.first_time(keys.slack_event(str(event_id)), ttl=3600):
            return BoltResponse(status=200, body="")
        next()
        return None

    actions.register(app, container.review, container.saved)
    views.register(app, container.review, container.saved)
    commands.register(
        app,
        store=store,
        saved=container.saved,
        insights=container.insights,
        jobs=container.jobs,
        clock=container.inbox.clock,
    )
    events.register(app, container.insights)
