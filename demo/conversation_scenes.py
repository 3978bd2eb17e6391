"""The demo's conversations: a customer answers our reply, and the answer joins its case's thread."""

from __future__ import annotations

from bot.domain import Network, State, case_id_for
from bot.domain.i18n import _
from demo.output import message_lines
from demo.stage import Stage, require
from demo.story import APPROVE, BRAND, LUCA

FOLLOW_UP = "Still nothing on my side, the order number is 40417. What now?"


def follow_up_joins(stage: Stage) -> None:
    case = stage.case(APPROVE)
    require(case.reply is not None, f"@{APPROVE}'s case should have been answered on X.")
    assert case.reply is not None
    ours = case.reply.id
    stage.sb.x.add_mention(FOLLOW_UP, author_handle=APPROVE, in_reply_to=ours)
    stage.t.say(f"@{APPROVE} answers @{BRAND}'s reply ({ours}) on X:")
    stage.t.show([f"│ @{BRAND} {FOLLOW_UP}"])
    polled = stage.sb.poll()
    require(polled.new == 1, f"Parley found {polled.new} new posts on X, not 1.")
    stage.drain()
    parents = stage.sb.slack.messages(stage.parent(APPROVE).channel)
    stage.t.say(
        f"\nNo new message in the channel ({len(parents)} cases, as before): the answer joins case 1's "
        "thread, the colleague who approved the first reply is mentioned, and a new draft waits under it."
    )
    thread = stage.sb.slack.thread(stage.parent(APPROVE).channel, stage.parent(APPROVE).ts)
    follow = [m for m in thread if FOLLOW_UP[:20] in m.all_text()]
    require(len(follow) == 1, "The follow-up should appear once in case 1's thread.")
    stage.t.show(message_lines(follow[0]), level=2)
    stage.t.say("The new draft, which knows what was said before:", level=1)
    stage.t.show(message_lines(stage.card(APPROVE)), level=2)
    stage.t.say("The channel message now reads:", level=1)
    stage.t.show(message_lines(stage.parent(APPROVE))[-1:], level=2)
    stage.click(APPROVE, _("Approve"), LUCA)
    stage.drain()
    answered = stage.case(APPROVE)
    latest = stage.sb.x.posted[-1]
    require(
        answered.state is State.POSTED and latest.in_reply_to_tweet_id == answered.post.id,
        "The follow-up should be answered once, as a reply to the follow-up itself.",
    )
    stage.t.say(f"\nLuca approves: @{BRAND} replies to the follow-up ({latest.in_reply_to_tweet_id}) on X:")
    stage.t.show([f"│ {latest.text}"])


DM = "Hi, I'd rather not post this publicly: my order 40991 arrived damaged. Can you help?"
DM_AUTHOR = "quiet_customer"


def private_message(stage: Stage) -> None:
    x = stage.sb.x
    event = x.add_direct_message(DM, author_handle=DM_AUTHOR, author_name="Sam Quiet")
    stage.case_ids[DM_AUTHOR] = case_id_for(Network.X, event)
    stage.t.say(f"@{DM_AUTHOR} sends @{BRAND} a direct message on X:")
    stage.t.show([f"│ {DM}"])
    polled = stage.sb.poll()
    require(polled.new == 1, f"Parley found {polled.new} new posts on X, not 1.")
    stage.drain()
    parent = stage.parent(DM_AUTHOR)
    require("🔒" in parent.all_text(), "The DM should arrive marked private.")
    stage.t.say(
        "\nIt arrives as a private case (PARLEY_PRIVATE_CHANNEL, or the channel when unset), marked 🔒; "
        "its words stay out of logs, the digest and other people's drafts:"
    )
    stage.t.show(message_lines(parent), level=2)
    stage.t.show(message_lines(stage.card(DM_AUTHOR)), level=2)
    stage.click(DM_AUTHOR, _("Approve"), LUCA)
    stage.drain()
    [sent] = x.sent_messages
    require(x.posted[-1].in_reply_to_tweet_id != event, "Nothing about the DM may be public.")
    stage.t.say(f"\nLuca approves: the answer goes to @{DM_AUTHOR} as a direct message, not a public post:")
    stage.t.show([f"│ {sent.text}"])
