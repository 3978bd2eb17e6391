"""LinkedInEmulator on the wire: versioning and Rest.li headers, comment shapes, nesting, error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
import requests

from emulators.linkedin import LinkedInEmulator


@pytest.fixture
def linkedin() -> Iterator[LinkedInEmulator]:
    with LinkedInEmulator() as emulator:
        yield emulator


def headers(linkedin: LinkedInEmulator, **extra: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {linkedin.access_token}",
        "LinkedIn-Version": "202611",
        "X-Restli-Protocol-Version": "2.0.0",
        **extra,
    }


def comments_url(linkedin: LinkedInEmulator, target: str) -> str:
    return f"{linkedin.url}/rest/socialActions/{quote(target, safe='')}/comments"


def test_versioning_and_protocol_headers_are_required(linkedin: LinkedInEmulator) -> None:
    url = f"{linkedin.url}/rest/organizations/{linkedin.organization_id}"
    assert requests.get(url, headers=headers(linkedin), timeout=5).json()["localizedName"] == "Parley Demo"
    missing = requests.get(url, headers={"Authorization": f"Bearer {linkedin.access_token}"}, timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] == "VERSION_MISSING"
    sunset = requests.get(url, headers=headers(linkedin, **{"LinkedIn-Version": "202301"}), timeout=5)
    assert sunset.status_code == 426 and sunset.json()["code"] == "NONEXISTENT_VERSION"
    no_token = requests.get(url, headers={**headers(linkedin), "Authorization": "Bearer nope"}, timeout=5)
    assert no_token.status_code == 401 and set(no_token.json()) == {
        "status",
        "serviceErrorCode",
        "code",
        "message",
    }


def test_comments_nest_one_level_under_a_comment(linkedin: LinkedInEmulator) -> None:
    share = linkedin.add_post("Launch day")
    comment = linkedin.add_comment(share, "Congrats!")
    body = {
        "actor": linkedin.organization,
        "object": share,
        "message": {"text": "Thanks!"},
        "parentComment": comment,
    }
    created = requests.post(comments_url(linkedin, comment), json=body, headers=headers(linkedin), timeout=5)
    assert created.status_code == 201 and created.headers["x-restli-id"]
    reply = created.json()
    assert reply["parentComment"] == comment and reply["actor"] == linkedin.organization
    assert reply["commentUrn"].startswith("urn:li:comment:(") and reply["agent"] == linkedin.admin
    listed = requests.get(comments_url(linkedin, comment), headers=headers(linkedin), timeout=5).json()
    assert [c["message"]["text"] for c in listed["elements"]] == ["Thanks!"]
    top = requests.get(comments_url(linkedin, share), headers=headers(linkedin), timeout=5).json()
    assert [c["message"]["text"] for c in top["elements"]] == ["Congrats!"] and top["paging"]["total"] == 1
    deeper = {**body, "parentComment": reply["commentUrn"]}
    refused = requests.post(
        comments_url(linkedin, reply["commentUrn"]), json=deeper, headers=headers(linkedin), timeout=5
    )
    assert refused.status_code == 400


def test_a_comment_over_1250_characters_is_refused(linkedin: LinkedInEmulator) -> None:
    share = linkedin.add_post("Launch day")
    body = {"actor": linkedin.organization, "object": share, "message": {"text": "x" * 1251}}
    answer = requests.post(comments_url(linkedin, share), json=body, headers=headers(linkedin), timeout=5)
    assert answer.status_code == 422 and linkedin.comments_by_page() == []


def test_mentions_come_from_the_criteria_finder(linkedin: LinkedInEmulator) -> None:
    urn = linkedin.mention("Hello @Parley Demo")
    org = quote(linkedin.organization, safe="")
    query = f"q=criteria&organizationalEntity={org}&actions=List(SHARE_MENTION)&timeRange=(start:0,end:99999999999999)"
    answer = requests.get(
        f"{linkedin.url}/rest/organizationalEntityNotifications?{query}", headers=headers(linkedin), timeout=5
    )
    [notification] = answer.json()["elements"]
    assert notification["action"] == "SHARE_MENTION" and notification["sourcePost"] == urn
