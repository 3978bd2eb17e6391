"""Fixtures: a running Slack emulator, a real WebClient on it, and a Bolt app served over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from emulators.http import serve_wsgi
from emulators.slack import SlackEmulator


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def client(slack: SlackEmulator) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.url + "/api/")


ServeApp = Callable[[App], str]


@pytest.fixture
def bolt_app(slack: SlackEmulator) -> App:
    """A Bolt app wired to the emulator, without the auth.test call at construction."""
    return App(
        token=slack.bot_token,
        signing_secret=slack.signing_secret,
        client=WebClient(token=slack.bot_token, base_url=slack.url + "/api/"),
        token_verification_enabled=False,
    )


@pytest.fixture
def serve() -> Iterator[ServeApp]:
    """Serve a Bolt app through its WSGI adapter; returns the base URL (the app listens on /slack/events)."""
    with ExitStack() as stack:

        def start(app: App) -> str:
            return stack.enter_context(serve_wsgi(SlackRequestHandler(app)))

        yield start
