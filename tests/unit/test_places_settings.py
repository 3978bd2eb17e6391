"""LINKEDIN_* and GOOGLE_BUSINESS_* from the environment: accounts, connector options, named problems."""

from __future__ import annotations

from bot.app.container import connector_options
from bot.app.settings import Settings
from bot.domain import Network

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CHANNEL": "C1"}


def test_linkedin_from_the_environment() -> None:
    settings = Settings.from_env(
        {**BASE, "LINKEDIN_ACCESS_TOKEN": "AQV", "LINKEDIN_ORGANIZATION_ID": "urn:li:organization:42"}
    )
    assert settings.problems == ()
    [account] = settings.accounts
    network, options = connector_options(account)
    assert network is Network.LINKEDIN
    assert options == {
        "access_token": "AQV",
        "organization_id": "42",
        "api_url": "https://api.linkedin.com",
        "version": "202611",
    }


def test_linkedin_mistakes_are_named_by_variable() -> None:
    settings = Settings.from_env(
        {
            **BASE,
            "LINKEDIN_ORGANIZATION_ID": "acme",
            "LINKEDIN_VERSION": "2026-11",
            "LINKEDIN_API_URL": "ftp://x",
        }
    )
    said = " ".join(settings.problems)
    assert "LINKEDIN_ORGANIZATION_ID" in said and "LINKEDIN_VERSION" in said and "LINKEDIN_API_URL" in said
    half = Settings.from_env({**BASE, "LINKEDIN_ORGANIZATION_ID": "42"})
    assert any("LINKEDIN_ACCESS_TOKEN is not set" in p for p in half.problems)


def test_google_from_the_environment_with_listed_locations() -> None:
    settings = Settings.from_env(
        {
            **BASE,
            "GOOGLE_BUSINESS_CLIENT_ID": "id",
            "GOOGLE_BUSINESS_CLIENT_SECRET": "secret",
            "GOOGLE_BUSINESS_REFRESH_TOKEN": "1//r",
            "GOOGLE_BUSINESS_ACCOUNT_ID": "107",
            "GOOGLE_BUSINESS_LOCATIONS": "11, 12",
            "GOOGLE_BUSINESS_TOKEN_URL": "http://127.0.0.1:9/token",
        }
    )
    assert settings.problems == ()
    [account] = settings.accounts
    network, options = connector_options(account)
    assert network is Network.GOOGLE
    assert options["locations"] == ("11", "12") and options["token_url"] == "http://127.0.0.1:9/token"
    assert options["api_url"] == "https://mybusiness.googleapis.com"


def test_a_half_configured_google_account_names_what_is_missing() -> None:
    settings = Settings.from_env({**BASE, "GOOGLE_BUSINESS_REFRESH_TOKEN": "1//r"})
    said = " ".join(settings.problems)
    assert "GOOGLE_BUSINESS_CLIENT_ID is not set" in said and "GOOGLE_BUSINESS_ACCOUNT_ID is not set" in said


def test_the_token_endpoint_is_not_hidden_from_the_logs_as_a_secret() -> None:
    from bot.app.secrets import secret_values

    settings = Settings.from_env(
        {
            **BASE,
            "GOOGLE_BUSINESS_CLIENT_ID": "id",
            "GOOGLE_BUSINESS_CLIENT_SECRET": "the-secret",
            "GOOGLE_BUSINESS_REFRESH_TOKEN": "1//the-refresh-token",
            "GOOGLE_BUSINESS_ACCOUNT_ID": "107",
            "LINKEDIN_ACCESS_TOKEN": "AQV-the-token",
            "LINKEDIN_ORGANIZATION_ID": "42",
        }
    )
    hidden = secret_values(settings)
    assert {"the-secret", "1//the-refresh-token", "AQV-the-token"} <= set(hidden)
    assert not any(value.startswith("https://") for value in hidden)
