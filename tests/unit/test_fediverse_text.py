"""How Bluesky (graphemes) and Mastodon (links 23, a server's own limit) count a reply, in the modal too."""

from __future__ import annotations

from dataclasses import replace

from blocks.edit_modal import edit_modal, validate_edit
from bot.domain import Network, State
from bot.domain.text import graphemes, length_problem, limit, mastodon_length, weighted_length
from tests.factories import make_case, make_draft, make_post


def test_bluesky_counts_graphemes() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"  # seven code points, one grapheme
    assert graphemes(family) == 1 and graphemes("e\u0301") == 1 and graphemes("🇮🇹👍🏽") == 2
    assert weighted_length(Network.BLUESKY, family * 300) == 300
    accented = "e\u0301"  # two code points, one grapheme, three bytes
    assert length_problem(Network.BLUESKY, accented * 300) is None
    assert "301/300" in (length_problem(Network.BLUESKY, accented * 301) or "")


def test_mastodon_counts_links_as_23_and_remote_mentions_without_their_server() -> None:
    assert mastodon_length("https://example.com/" + "a" * 200) == 23
    assert mastodon_length("@ann@social.example hi") == len("@ann hi")
    assert weighted_length(Network.MASTODON, "hello") == 5


def test_a_posts_own_limit_wins_and_reaches_the_modal() -> None:
    post = replace(make_post(), network=Network.MASTODON, reply_limit=100)
    assert limit(Network.MASTODON, post) == 100 and limit(Network.MASTODON) == 500
    assert validate_edit(Network.MASTODON, "x" * 100, post=post) == {}
    assert "101/100" in validate_edit(Network.MASTODON, "x" * 101, post=post)["draft"]
    assert validate_edit(Network.MASTODON, "x" * 101) == {}  # the usual 500 without the post
    case = replace(make_case(State.DRAFTED, draft=make_draft(text="Hi")), post=post)
    hint = " ".join(str(b) for b in edit_modal(case)["blocks"])
    assert "up to 100 characters" in hint


def test_bluesky_also_refuses_more_than_3000_bytes_in_few_graphemes() -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
    assert length_problem(Network.BLUESKY, family * 100) is None  # 100 graphemes, 2,500 bytes
    problem = length_problem(Network.BLUESKY, family * 130)  # 130 graphemes, 3,250 bytes
    assert problem is not None and "3250/3000 bytes" in problem
