"""`parley doctor` against the emulators: every configured service is really reached, and each failure
is one plain line (closed ports, a wrong Reddit password, missing scopes, channel names, a bot not
invited, a read-only X app, a user token where the bot token belongs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.doctor import Check, diagnose
from bot.app.settings import Settings
from demo.sandbox import CHANNEL, Sandbox
from tests.e2e.conftest import checks

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens there


def failures(found: dict[str, Check]) -> dict[str, str]:
    return {name: check.detail for name, check in found.items() if not check.ok}


def test_a_healthy_setup_passes_every_check(sandbox: Sandbox, redis_url: str) -> None:
    found = checks(sandbox, redis_url)
    assert failures(found) == {}
    assert {
        "redis",
        "slack",
        "slack scopes",
        "slack signing secret",
        f"channel {CHANNEL}",
        "x",
        "reddit",
    } <= set(found)
    assert found["x"].detail == "X account @parleybrand, app access read-write"
    # Reddit is signed in to although the username is configured.
    assert any(r.path.startswith("/api/v1/access_token") for r in sandbox.reddit.requests)


def test_reddit_on_a_closed_port_fails_with_the_address(sandbox: Sandbox, redis_url: str) -> None:
    env = {**sandbox.environment(), "REDIS_URL": redis_url, "REDDIT_URL": CLOSED, "REDDIT_OAUTH_URL": CLOSED}
    result = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "doctor"],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"FAIL  reddit: Reddit: cannot connect to {CLOSED} (connection refused)" in result.stdout
    assert "Error" not in result.stdout and "Exception" not in result.stdout


def test_a_wrong_reddit_password_is_named(sandbox: Sandbox, redis_url: str) -> None:
    found = checks(sandbox, redis_url, REDDIT_PASSWORD="not-the-password")
    assert failures(found) == {"reddit": "Reddit refused the password for u/parleybrand."}


def test_a_missing_scope_is_named_with_what_it_is_for(sandbox: Sandbox, redis_url: str) -> None:
    sandbox.slack.scopes = tuple(s for s in sandbox.slack.scopes if s != "files:write")
    detail = failures(checks(sandbox, redis_url))["slack scopes"]
    assert detail.startswith("the token lacks files:write (for the digest's chart)")


def test_usergroups_read_is_needed_once_a_role_names_a_group(sandbox: Sandbox, redis_url: str) -> None:
    sandbox.slack.scopes = tuple(s for s in sandbox.slack.scopes if s != "usergroups:read")
    assert checks(sandbox, redis_url)["slack scopes"].ok
    found = checks(sandbox, redis_url, PARLEY_APPROVERS="S0LEADS")
    assert "usergroups:read" in failures(found)["slack scopes"]


def test_a_channel_name_instead_of_its_id(sandbox: Sandbox, redis_url: str) -> None:
    detail = failures(checks(sandbox, redis_url, PARLEY_CHANNEL="general"))["channel general"]
    assert "use the channel id, C…, not its name" in detail


def test_a_channel_the_bot_is_not_in(sandbox: Sandbox, redis_url: str) -> None:
    sandbox.slack.non_member_channels.add(CHANNEL)
    assert failures(checks(sandbox, redis_url)) == {
        f"channel {CHANNEL}": f"the bot is not a member: type /invite @Parley in {CHANNEL}"
    }


def test_every_routed_channel_is_checked(sandbox: Sandbox, redis_url: str, tmp_path: Path) -> None:
    config = tmp_path / "parley.toml"
    config.write_text(
        'default_channel = "C_SOCIAL"\n\n[[routes]]\nchannel = "C_SUPPORT"\nkeywords = ["refund"]\n'
    )
    sandbox.slack.non_member_channels.add("C_SUPPORT")
    found = checks(sandbox, redis_url, PARLEY_CONFIG=str(config))
    assert found["channel C_SOCIAL"].ok
    assert found["channel C_SUPPORT"].detail.startswith("the bot is not a member")


def test_a_read_only_x_app_is_caught_before_a_reply_is_refused(sandbox: Sandbox, redis_url: str) -> None:
    sandbox.x.access_level = "read"
    detail = failures(checks(sandbox, redis_url))["x"]
    assert detail.startswith("The X app may only read (x-access-level: read)")
    assert "Read and write" in detail


def test_a_user_token_where_the_bot_token_belongs_is_explained(sandbox: Sandbox, redis_url: str) -> None:
    found = checks(sandbox, redis_url, SLACK_BOT_TOKEN="xoxp-1-2-3")
    assert "SLACK_BOT_TOKEN is a user token (xoxp-…)" in found["configuration"].detail
    assert "xoxb-" in found["configuration"].detail


def test_a_malformed_signing_secret(sandbox: Sandbox, redis_url: str) -> None:
    detail = failures(checks(sandbox, redis_url, SLACK_SIGNING_SECRET="xoxb-pasted-by-mistake"))
    assert "32 hexadecimal" in detail["slack signing secret"]


def test_an_external_redis_that_does_not_answer_keeps_its_password(sandbox: Sandbox) -> None:
    found = checks(sandbox, "redis://:hunter2@127.0.0.1:9/0")
    assert found["redis"].detail == "cannot connect to redis://127.0.0.1:9 (connection refused)"
    assert all("hunter2" not in check.detail for check in found.values())


def test_the_embedded_redis_is_started_and_reached(sandbox: Sandbox, tmp_path: Path) -> None:
    env = {k: v for k, v in sandbox.environment().items() if k != "REDIS_URL"}
    found = {c.name: c for c in diagnose(Settings.from_env({**env, "PARLEY_DATA_DIR": str(tmp_path)}))}
    assert found["redis"].ok and "embedded Redis" in found["redis"].detail


@pytest.mark.parametrize("service", ["slack", "openai"])
def test_slack_and_openai_on_a_closed_port(openai_sandbox: Sandbox, redis_url: str, service: str) -> None:
    env = {"SLACK_API_URL": CLOSED + "/api/"} if service == "slack" else {"OPENAI_BASE_URL": CLOSED + "/v1"}
    found = checks(openai_sandbox, redis_url, **env)
    assert found[service].detail == f"cannot connect to {CLOSED} (connection refused)"


def test_the_embedded_redis_of_a_running_parley_is_joined_not_restarted(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    from bot.adapters.embedded_redis import EmbeddedRedis

    running = EmbeddedRedis(tmp_path)  # what `parley run` starts
    running.start()
    try:
        env = {k: v for k, v in sandbox.environment().items() if k != "REDIS_URL"}
        found = {c.name: c for c in diagnose(Settings.from_env({**env, "PARLEY_DATA_DIR": str(tmp_path)}))}
        assert found["redis"].detail == "the embedded Redis of a running Parley answers"
        assert running.registry.exists()  # still running: the doctor did not stop it
    finally:
        running.stop()


def test_socket_modes_app_token_is_tried(sandbox: Sandbox, redis_url: str) -> None:
    found = checks(sandbox, redis_url, SLACK_APP_TOKEN="xapp-1-A0PARLEY-1-abc")
    assert found["slack app token"].ok
    wrong = checks(sandbox, redis_url, SLACK_APP_TOKEN="xoxb-in-the-wrong-place")
    assert "SLACK_APP_TOKEN should start with xapp-" in wrong["configuration"].detail


def test_the_private_channel_is_checked_too(sandbox: Sandbox, redis_url: str) -> None:
    sandbox.slack.add_channel("C_PRIVATE", "social-private")
    sandbox.slack.non_member_channels.add("C_PRIVATE")
    found = checks(sandbox, redis_url, PARLEY_PRIVATE_CHANNEL="C_PRIVATE")
    assert found["channel C_PRIVATE"].detail.startswith("the bot is not a member")
