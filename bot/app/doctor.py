"""`parley doctor`: check the configuration, then reach each configured service and say what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.app.settings import Settings, masked_url


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _attempt(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except Exception as error:
        return Check(name, False, f"{type(error).__name__}: {error}")


def where_data_lives(settings: Settings) -> str:
    """Cases and queues live in Redis: the embedded one's folder, or the server (never its password)."""
    if settings.redis_url:
        return f"external Redis at {masked_url(settings.redis_url)}"
    return f"{settings.data_dir.resolve()} (embedded Redis)"


def diagnose(settings: Settings) -> Iterator[Check]:
    if settings.problems:
        for problem in settings.problems:
            yield Check("configuration", False, problem)
    else:
        yield Check("configuration", True, "all required variables are set")

    yield Check("data", True, where_data_lives(settings))

    def redis_probe() -> str:
        from bot.adapters.redis_conn import connect

        if not settings.redis_url:
            return "REDIS_URL not set: parley starts its embedded Redis"
        connect(settings.redis_url).ping()
        return f"{masked_url(settings.redis_url)} answers"

    yield _attempt("redis", redis_probe)

    if settings.slack_bot_token:

        def slack_probe() -> str:
            from bot.adapters.slack import make_web_client

            auth = make_web_client(settings.slack_bot_token, settings.slack_api_url).auth_test()
            return f"connected to {auth.get('team')} as {auth.get('user')}"

        yield _attempt("slack", slack_probe)

    if settings.accounts and not settings.problems:
        from bot.app.container import build_sources

        for name, connector in build_sources(settings).items():
            label = connector.network.label
            yield _attempt(name, lambda c=connector, label=label: f"{label} account {c.account}")  # type: ignore[misc]
    elif not settings.accounts:
        yield Check(
            "accounts", False, "no network configured: set X_* or REDDIT_* (or accounts in PARLEY_CONFIG)"
        )

    if settings.openai_api_key:

        def openai_probe() -> str:
            from bot.drafting.openai_drafter import make_openai_client

            client = make_openai_client(settings.openai_api_key, settings.openai_base_url or None, timeout=10)
            client.models.retrieve(settings.openai_model)
            return f"model {settings.openai_model} available"

        yield _attempt("openai", openai_probe)
    else:
        yield Check("openai", True, "not configured: the offline drafter writes drafts")
