"""Slack listeners, registered per folder. Handlers ack, parse, and call one service; nothing slow."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.services.insights import Insights
from bot.services.moderation import Moderator
from bot.services.review import Review
from bot.services.team import Team
from handlers import actions, commands, events, views
from handlers.actions import moderation
from handlers.safety import refuse_malformed


def register(app: App, *, review: Review, team: Team, insights: Insights, moderator: Moderator) -> None:
    app.error(refuse_malformed)

    @app.middleware
    def drop_retried_events(request: BoltRequest, next: Any) -> BoltResponse | None:
        """Slack re-sends an event it thinks we missed; answer a repeat with 200 and do nothing."""
        event_id = request.body.get("event_id") if isinstance(request.body, dict) else None
        if event_id and not team.first_delivery(str(event_id)):
            return BoltResponse(status=200, body="")
        next()
        return None

    actions.register(app, review, team)
    moderation.register(app, review, moderator)
    views.register(app, review, team)
    commands.register(app, team=team, insights=insights)
    events.register(app, insights)
