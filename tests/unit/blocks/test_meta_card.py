"""The Facebook and Instagram parts of a draft card, and the moderation rules under them; pure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from blocks.draft_card import draft_card
from blocks.meta_card import extra_buttons, unhide_block, window_line
from bot.domain import Network, State, TransitionError
from bot.domain.moderation import hide, hideable, is_hidden, unhide
from tests.factories import T0, make_case, make_post

COMMENT = make_post(network=Network.FACEBOOK, id="5_77", in_reply_to="1_5", created_at=T0)
MESSAGE = make_post(network=Network.INSTAGRAM, id="aWdf1", private=True, created_at=T0, reply_limit=1_000)
MENTION = make_post(network=Network.INSTAGRAM, id="mention-180", in_reply_to="179", created_at=T0)


def labels(blocks: list[dict[str, object]]) -> list[str]:
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]  # type: ignore[attr-defined]


def test_only_public_comments_under_the_brands_posts_can_be_hidden() -> None:
    assert hideable(COMMENT)
    assert not hideable(MESSAGE) and not hideable(MENTION)
    assert not hideable(make_post(network=Network.X, in_reply_to="1"))
    assert not hideable(make_post(network=Network.FACEBOOK, id="9_1"))  # a post mentioning the Page


def test_hide_closes_the_case_and_unhide_undoes_the_hiding() -> None:
    case = make_case(post=COMMENT)
    assert "Hide" in labels(draft_card(case).blocks)
    hidden = hide(case, by="U_MARIA", at=T0 + timedelta(minutes=3))
    assert hidden.state is State.REJECTED and hidden.rejection_reason == "hidden" and is_hidden(hidden)
    assert [a.action for a in hidden.history[-2:]] == ["hidden", "rejected"]
    assert unhide_block(hidden) is not None and extra_buttons(hidden) == []
    with pytest.raises(TransitionError):
        hide(hidden, by="U_MARIA", at=T0)
    shown = unhide(hidden, by="U_MARIA", at=T0 + timedelta(minutes=4))
    assert not is_hidden(shown) and unhide_block(shown) is None
    with pytest.raises(TransitionError):
        unhide(shown, by="U_MARIA", at=T0)
    with pytest.raises(TransitionError):
        hide(make_case(post=MESSAGE), by="U_MARIA", at=T0)


def test_a_message_card_shows_its_window_and_its_own_limit() -> None:
    card = draft_card(make_case(post=MESSAGE))
    text = str(card.blocks)
    assert "Reply window" in text and "/1,000" in text
    assert "Hide" not in labels(card.blocks)
    assert window_line(make_case(post=COMMENT)) is None


def test_past_seven_days_the_card_offers_reject_window_closed() -> None:
    late = make_case(post=MESSAGE, received_at=T0 + timedelta(days=8))
    assert "can no longer be answered there" in str(window_line(late))
    assert "Reject: window closed" in labels(draft_card(late).blocks)
    tagged = make_case(post=MESSAGE, received_at=T0 + timedelta(days=2))
    assert "human agent tag" in str(window_line(tagged))
