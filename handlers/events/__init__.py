"""Events: the App Home tab, published when a user opens it (Bolt acks events by itself)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.services.insights import Insights
from handlers.safety import never_raises


def register(app: App, insights: Insights) -> None:
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            insights.home_opened(event["user"])

    app.event("app_home_opened")(never_raises(home_opened))
