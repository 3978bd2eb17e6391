"""The team's past answers through the whole loop: approve one answer, a similar question then shows it."""

from __future__ import annotations

from blocks import ids
from demo.sandbox import Sandbox
from emulators.slack import checkboxes_value, plain_text_value
from tests.e2e.conftest import card_of, mention_and_deliver, modal_for


def test_a_posted_answer_comes_back_for_a_similar_question(sandbox: Sandbox) -> None:
    first = mention_and_deliver(
        sandbox, "@parleybrand how do I reset my password? I forgot it and can't log in"
    )
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, first), "Edit", user="U_MARIA")

    answer = (
        "Hi Ann, tap Forgot password on the login screen and follow the e-mail. DM us if it doesn't arrive!"
    )
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal_for(sandbox, "U_MARIA").id,
        {
            ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(answer)},
            ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
        },
    )
    sandbox.drain()
    assert len(sandbox.x.posted) == 1

    sandbox.x.add_mention(
        "@parleybrand I forgot my password, how can I reset it?", author_handle="bo", author_name="Bo Lind"
    )
    sandbox.poll()
    sandbox.drain()
    second = card_of(sandbox, sandbox.slack.messages("C_SOCIAL")[-1]).all_text()
    assert "Similar answer from" in second and "Forgot password" in second
    assert "From the team's past answers" in second
    assert "Hi Bo, tap Forgot password on the login screen" in second  # greeting adapted to the new author

    sandbox.x.add_mention("@parleybrand do you sell gift cards?", author_handle="cy")
    sandbox.poll()
    sandbox.drain()
    unrelated = card_of(sandbox, sandbox.slack.messages("C_SOCIAL")[-1]).all_text()
    assert "Similar answer" not in unrelated and "Offline drafter" in unrelated


def test_a_draft_identical_to_a_posted_reply_is_flagged_before_x_refuses_it(sandbox: Sandbox) -> None:
    sandbox.x.add_mention(
        "@parleybrand what are your opening hours on saturday?", author_handle="zed", author_name=""
    )
    sandbox.poll()
    sandbox.drain()
    first = sandbox.slack.messages("C_SOCIAL")[-1]
    sandbox.slack.click(sandbox.app_url, card_of(sandbox, first), "Edit", user="U_MARIA")
    answer = "Hi zed, we're open 9 to 6 on Saturdays. See you soon!"
    sandbox.slack.submit_view(
        sandbox.app_url,
        modal_for(sandbox, "U_MARIA").id,
        {
            ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(answer)},
            ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
        },
    )
    sandbox.drain()
    assert [t.text for t in sandbox.x.posted] == [answer]

    # The same customer asks again: the team's answer, adapted to them, is word for word the reply
    # already posted, which X would refuse as duplicate content; the card says so before anyone approves.
    sandbox.x.add_mention(
        "@parleybrand what are your opening hours on saturday?", author_handle="zed", author_name=""
    )
    sandbox.poll()
    sandbox.drain()
    second = card_of(sandbox, sandbox.slack.messages("C_SOCIAL")[-1]).all_text()
    assert answer in second and "X will refuse it" in second
