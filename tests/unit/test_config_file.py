"""The configuration file: a full example loads; each mistake is named by its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import FileProblems, RedditSettings, Settings, XSettings
from bot.app.settings.accounts import BlueskySettings, MastodonSettings
from bot.app.settings.file import parse

EXAMPLE = Path(__file__).resolve().parents[2] / "parley.example.toml"
ENV = {
    "ACME_X_BEARER": "b",
    "ACME_X_KEY": "k",
    "ACME_X_SECRET": "s",
    "ACME_X_TOKEN": "t",
    "ACME_X_TOKEN_SECRET": "ts",
    "ACME_REDDIT_ID": "id",
    "ACME_REDDIT_SECRET": "sec",
    "ACME_REDDIT_PASSWORD": "pw",
    "ACME_META_PAGE_TOKEN": "EAAG",
    "ACME_META_APP_SECRET": "app",
    "ACME_META_VERIFY_TOKEN": "verify",
    "ACME_LINKEDIN_TOKEN": "li",
    "ACME_GOOGLE_CLIENT_ID": "gid",
    "ACME_GOOGLE_CLIENT_SECRET": "gsec",
    "ACME_GOOGLE_REFRESH_TOKEN": "grt",
    "ACME_BLUESKY_APP_PASSWORD": "app-pw",
    "ACME_MASTODON_TOKEN": "tok",
}


def test_the_example_file_in_the_repo_loads_into_accounts_and_routes() -> None:
    settings = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CONFIG": str(EXAMPLE), **ENV}
    )
    assert settings.problems == ()
    assert settings.channel == "C0DEFAULT"
    kinds = {type(a) for a in settings.accounts}
    assert {XSettings, RedditSettings} <= kinds
    assert {BlueskySettings, MastodonSettings} <= kinds
    names = [a.name for a in settings.accounts]
    assert len(names) == len(set(names)) >= 3
    search = [a for a in settings.accounts if isinstance(a, XSettings) and a.search]
    assert search and search[0].access_token == ""
    reddit = next(a for a in settings.accounts if isinstance(a, RedditSettings))
    assert reddit.client_secret == "sec" and reddit.subreddits
    assert settings.routes and all(r.channel for r in settings.routes)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"acounts": []}, "acounts: unknown key (did you mean accounts?)"),
        ({"accounts": [{"name": "a", "network": "myspace"}]}, "accounts[0].network must be one of"),
        (
            {"accounts": [{"name": "a", "network": "x", "acess_token": "t", "bearer_token": "b"}]},
            "accounts[0].acess_token: unknown key (did you mean access_token?)",
        ),
        (
            {"accounts": [{"name": "a", "network": "x", "access_token": "env:MISSING"}]},
            "accounts[0].access_token refers to the environment variable MISSING",
        ),
        (
            {"accounts": [{"name": "r", "network": "reddit", "client_id": "i", "subreddits": "acme"}]},
            "accounts[0].subreddits must be a list of strings",
        ),
        ({"routes": [{"keywords": ["refund"]}]}, "routes[0].channel is required"),
        ({"routes": [{"channel": "C1", "kinds": ["rant"]}]}, "routes[0].kinds: 'rant' is not one of"),
        (
            {"routes": [{"channel": "C1", "accounts": ["ghost"]}]},
            "routes[0].accounts: no account is named 'ghost'",
        ),
        (
            {"accounts": [{"name": "a", "network": "x", "access_token": "t"}] * 2},
            "the name 'a' is used twice",
        ),
    ],
)
def test_each_mistake_names_its_key(raw: dict[str, object], named: str) -> None:
    with pytest.raises(FileProblems) as caught:
        parse(raw, {})
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


def test_a_bad_file_stops_start_up_with_the_key_named(tmp_path: Path) -> None:
    bad = tmp_path / "parley.toml"
    bad.write_text('[[routes]]\nchanel = "C1"\n')
    settings = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CONFIG": str(bad)}
    )
    assert any("routes[0].chanel: unknown key (did you mean channel?)" in p for p in settings.problems)
    missing = Settings.from_env({"PARLEY_CONFIG": str(tmp_path / "nope.toml")})
    assert any("does not exist" in p for p in missing.problems)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[accounts]\n")
    assert any("not valid TOML" in p for p in Settings.from_env({"PARLEY_CONFIG": str(broken)}).problems)


def test_every_entry_mistake_is_reported_together() -> None:
    raw = {
        "default_channel": 3,
        "accounts": [
            {"network": "x", "bearer_token": "b", "search": "acme", "api_url": "ftp://x"},
            {"name": "r", "network": "reddit", "client_id": "i", "password": "env:UNSET", "secret": "s"},
        ],
        "routes": [{"channel": "C1", "networks": ["x", "myspace"]}, {"keywords": "refund"}],
    }
    with pytest.raises(FileProblems) as caught:
        parse(raw, {}, origin="acme.toml")
    assert set(caught.value.problems) == {
        "acme.toml: default_channel must be a string.",
        "acme.toml: accounts[0].api_url='ftp://x' must be an http(s) URL.",
        "acme.toml: accounts[1].password refers to the environment variable UNSET, which is not set.",
        "acme.toml: routes[0].networks: unknown network 'myspace'.",
        "acme.toml: routes[1].channel is required (a channel id such as C0123ABC).",
    }


def test_an_account_must_be_usable_on_its_own() -> None:
    raw = {"accounts": [{"network": "x", "bearer_token": "b"}, {"name": "r", "network": "reddit"}]}
    with pytest.raises(FileProblems) as caught:
        parse(raw, {})
    assert caught.value.problems == [
        "parley.toml: accounts[0].name is required (a short name such as 'acme-x').",
        "parley.toml: accounts[0].access_token is required to answer mentions (or set search to listen only).",
        "parley.toml: accounts[1].client_id is required.",
        "parley.toml: accounts[1]: needs username and password, or refresh_token.",
    ]


def test_file_accounts_share_the_environment_accounts_defaults() -> None:
    raw = {
        "accounts": [
            {"name": "a", "network": "x", "access_token": "t"},
            {"name": "r", "network": "reddit", "client_id": "i", "refresh_token": "env:TOKEN"},
        ]
    }
    x, reddit = parse(raw, {"TOKEN": "tok"}).accounts
    assert isinstance(x, XSettings) and x.api_url == XSettings().api_url
    assert isinstance(reddit, RedditSettings) and reddit.refresh_token == "tok"
    assert (reddit.user_agent, reddit.url, reddit.oauth_url) == (
        RedditSettings().user_agent,
        RedditSettings().url,
        RedditSettings().oauth_url,
    )


def test_linkedin_and_google_accounts_and_a_places_route_load_from_the_example() -> None:
    from bot.app.settings.accounts import GoogleBusinessSettings, LinkedInSettings

    settings = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CONFIG": str(EXAMPLE), **ENV}
    )
    linkedin = next(a for a in settings.accounts if isinstance(a, LinkedInSettings))
    google = next(a for a in settings.accounts if isinstance(a, GoogleBusinessSettings))
    assert (linkedin.access_token, linkedin.organization_id) == ("li", "2414183")
    assert google.connector_options()["refresh_token"] == "grt" and google.oauth_url.startswith("https://")
    assert any(r.places for r in settings.routes)


def test_a_google_account_without_its_refresh_token_is_named() -> None:
    with pytest.raises(FileProblems) as raised:
        parse(
            {"accounts": [{"name": "shops", "network": "google", "client_id": "a", "client_secret": "b"}]}, {}
        )
    assert any("refresh_token is required" in p for p in raised.value.problems)
    assert any("account_id is required" in p for p in raised.value.problems)
