"""The META_* variables make a Facebook and an Instagram account; the file can declare more."""

from __future__ import annotations

from pathlib import Path

from bot.app.container import connector_options, meta_places
from bot.app.settings import Settings
from bot.app.settings.accounts import FacebookSettings, InstagramSettings
from bot.domain import Network

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PARLEY_CHANNEL": "C0SOCIAL"}
META = {
    "META_APP_SECRET": "app-secret",
    "META_VERIFY_TOKEN": "verify",
    "META_PAGE_ID": "1000000001",
    "META_PAGE_ACCESS_TOKEN": "EAAG",
}


def test_the_page_alone_makes_a_facebook_account() -> None:
    settings = Settings.from_env(BASE | META)
    assert settings.problems == ()
    [account] = settings.accounts
    assert isinstance(account, FacebookSettings) and account.graph_url == "https://graph.facebook.com/v21.0"
    network, options = connector_options(account)
    assert network is Network.FACEBOOK
    assert options["page_id"] == "1000000001" and options["access_token"] == "EAAG"


def test_the_instagram_id_adds_an_instagram_account_sharing_the_variables() -> None:
    settings = Settings.from_env(
        BASE | META | {"META_IG_USER_ID": "178", "META_GRAPH_URL": "http://127.0.0.1:9/v21.0/"}
    )
    facebook, instagram = settings.accounts
    assert isinstance(instagram, InstagramSettings) and isinstance(facebook, FacebookSettings)
    assert instagram.page_access_token == facebook.page_access_token == "EAAG"
    assert instagram.graph_url == "http://127.0.0.1:9/v21.0"
    places = {(p.network, p.account_id): p.source for p in meta_places(settings)}
    assert places == {(Network.FACEBOOK, "1000000001"): "facebook", (Network.INSTAGRAM, "178"): "instagram"}


def test_a_page_without_its_token_is_named() -> None:
    settings = Settings.from_env(BASE | {"META_PAGE_ID": "1"})
    assert any("META_PAGE_ACCESS_TOKEN" in p for p in settings.problems)
    assert any("META_APP_SECRET" in p for p in settings.problems)


def test_a_bad_graph_url_is_named_by_its_variable() -> None:
    settings = Settings.from_env(BASE | META | {"META_GRAPH_URL": "graph.facebook.com"})
    assert any(p.startswith("META_GRAPH_URL") for p in settings.problems)


def test_the_example_file_declares_a_page_and_its_instagram_account(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "parley.example.toml"
    env = {
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
        "ACME_LINKEDIN_TOKEN": "li",  # the example's LinkedIn page and Business Profile
        "ACME_GOOGLE_CLIENT_ID": "gid",
        "ACME_GOOGLE_CLIENT_SECRET": "gsec",
        "ACME_GOOGLE_REFRESH_TOKEN": "grt",
        "ACME_BLUESKY_APP_PASSWORD": "app-pw",  # the example's Bluesky and Mastodon accounts
        "ACME_MASTODON_TOKEN": "tok",
    }
    settings = Settings.from_env(BASE | {"PARLEY_CONFIG": str(example)} | env)
    assert settings.problems == ()
    meta = [a for a in settings.accounts if isinstance(a, FacebookSettings | InstagramSettings)]
    assert {a.network for a in meta} == {"facebook", "instagram"}
    assert all(a.app_secret == "app" and a.verify_token == "verify" for a in meta)
