"""The demo's scenes, in order: posts arrive, Slack shows them, the team reviews, the networks receive."""

from __future__ import annotations

import html
from collections.abc import Callable

from bot.domain import Network, State, case_id_for
from demo.conversation_scenes import follow_up_joins, private_message
from demo.fediverse_scene import bluesky_question
from demo.meta_scene import meta_questions
from demo.output import block_lines, message_lines, readable
from demo.places import google_review
from demo.review import team_reviews
from demo.sandbox import CHANNEL, SUBREDDIT
from demo.stage import Stage, count_replies, require
from demo.story import APPROVE, BRAND, CASES, EDIT, NETWORKS, RACE, REDDIT, REDDITOR, STORY, handle


def mentions_arrive(stage: Stage) -> None:
    for number, customer in enumerate(STORY, 1):
        sample = stage.samples[customer]
        post_id = stage.sb.x.add_mention(
            sample.text,
            author_handle=sample.customer,
            author_name=sample.name,
            created_at=sample.posted,
            lang=sample.lang,
        )
        stage.case_ids[customer] = case_id_for(Network.X, post_id)
        source = f"first sent to @{sample.company}" if sample.company else "written by us, not a real tweet"
        stage.t.say(f"Mention {number} · @{customer} · {sample.posted:%d %b %Y} · {source}")
        stage.t.show([f"│ {html.unescape(sample.text)}"])
    polled = stage.sb.poll()
    require(polled.new == len(STORY), f"Parley found {polled.new} new mentions on X, not {len(STORY)}.")
    stage.drain()
    stage.t.say(
        f"\nParley checks X, finds {polled.new} new mentions, posts each to the team's channel and "
        "drafts a reply in its thread."
    )


def reddit_question(stage: Stage) -> None:
    thread = REDDIT
    reddit = stage.sb.reddit
    submission = reddit.add_submission(thread.subreddit, thread.title, thread.body, author=thread.op)
    comment = reddit.add_comment(thread.subreddit, thread.comment, author=thread.redditor, parent=submission)
    stage.case_ids[REDDITOR] = case_id_for(Network.REDDIT, comment)
    stage.t.say(
        f"Thread in r/{thread.subreddit} · started by u/{thread.op} · written for the demo, not a real post"
    )
    stage.t.show([f"“{thread.title}”", f"│ {thread.body}"])
    stage.t.say(f"u/{thread.redditor} comments in it, naming the brand's account:")
    stage.t.show([f"│ {thread.comment}"])
    polled = stage.sb.poll("reddit")
    require(polled.new == 1, f"Parley found {polled.new} new posts on Reddit, not 1.")
    stage.drain()
    stage.t.say(
        f"\nParley checks Reddit: the brand's inbox and r/{SUBREDDIT}, the subreddit it watches. "
        f"r/{thread.subreddit} is not watched, but a comment naming u/{BRAND} lands in the inbox, so "
        "Parley finds 1 new mention and posts it to the same channel, with a draft reply in its thread."
    )


def slack_shows(stage: Stage) -> None:
    stage.t.say("Each mention is a message in the channel; the draft reply waits in its thread.")
    for number, customer in enumerate(CASES, 1):
        stage.t.say(f"\nCase {number} · {handle(customer)}")
        stage.t.say("In the channel:", level=2)
        stage.t.show(message_lines(stage.parent(customer)), level=3)
        stage.t.say("In the thread, the draft reply:", level=2)
        stage.t.show(message_lines(stage.card(customer)), level=3)


def x_receives(stage: Stage) -> None:
    by_post = {stage.case(c).post.id: c for c in STORY}
    posted = stage.sb.x.posted
    for reply in posted:
        customer = by_post.get(reply.in_reply_to_tweet_id or "", "?")
        stage.t.say(f"@{BRAND} replied to @{customer} (post {reply.in_reply_to_tweet_id}):")
        stage.t.show([f"│ {reply.text}"])
    if not posted:
        stage.t.say("Nothing.")
    approved = (APPROVE, EDIT, RACE)
    replied = sorted(by_post.get(r.in_reply_to_tweet_id or "", "?") for r in posted)
    require(
        replied == sorted(approved),
        f"X should have exactly one reply for each of {', '.join(approved)}; it has replies for "
        f"{', '.join(replied) or 'nobody'}.",
    )
    for reply in posted:
        draft = stage.case(by_post[reply.in_reply_to_tweet_id or ""]).draft
        require(
            draft is not None and draft.text == reply.text,
            f"X received {reply.text!r}, not the approved text.",
        )


def reddit_receives(stage: Stage) -> None:
    case = stage.case(REDDITOR)
    comment = case.post.id
    replies = stage.sb.reddit.replies
    for reply in replies:
        to = f"u/{REDDITOR}'s comment" if reply.parent_id == comment else "another post"
        stage.t.say(f"u/{BRAND} replied to {to} ({reply.parent_id}) in r/{reply.subreddit}:")
        stage.t.show([f"│ {reply.body}"])
    if not replies:
        stage.t.say("Nothing.")
    require(
        [r.parent_id for r in replies] == [comment],
        f"Reddit should have exactly one reply, to u/{REDDITOR}'s comment {comment}; it has "
        f"{count_replies(len(replies))}, to {', '.join(r.parent_id for r in replies) or 'nothing'}.",
    )
    require(
        case.draft is not None and case.draft.text == replies[0].body,
        f"Reddit received {replies[0].body!r}, not the approved text.",
    )


def threads(stage: Stage) -> None:
    for number, customer in enumerate(CASES, 1):
        parent, card = stage.parent(customer), stage.card(customer)
        status = block_lines(parent.blocks)[-1:] or [readable(parent.text)]
        if number > 1:
            stage.t.say("")
        stage.t.say(f"Case {number} · {handle(customer)}")
        stage.t.say("The channel message now ends with:", level=2)
        stage.t.show(status, level=3)
        notes = [m for m in stage.sb.slack.thread(CHANNEL, parent.ts) if m.ts != card.ts]
        if notes:
            stage.t.say("In the thread, under the draft card:", level=2)
            for note in notes:
                stage.t.show(message_lines(note), level=3)
        else:
            stage.t.say("In the thread: only the draft card, its buttons still waiting for someone.", level=2)


def summary(stage: Stage) -> None:
    counts: dict[str, dict[str, int]] = {}
    for network, customers in NETWORKS:
        cases = [stage.case(c) for c in customers]
        counts[network] = {
            "Forwarded to Slack": len(cases),
            "Posted": sum(c.state is State.POSTED for c in cases),
            "Rejected": sum(c.state is State.REJECTED for c in cases),
            "Still open": sum(c.state.is_open for c in cases),
        }
    names = [network for network, _ in NETWORKS]
    lines = ["".join([f"{'':<20}", *(f"{n:>8}" for n in names), f"{'Total':>8}"])]
    for row in counts[names[0]]:
        numbers = [counts[n][row] for n in names]
        lines.append("".join([f"{row:<20}", *(f"{v:>8}" for v in [*numbers, sum(numbers)])]))
    stage.t.show(lines, level=1)

    x, reddit = counts["X"], counts["Reddit"]
    on_x, on_reddit = len(stage.sb.x.posted), len(stage.sb.reddit.replies)
    require(
        x["Posted"] == on_x == 3,
        f"3 X cases should be posted with 3 replies on X; {x['Posted']} are, with {on_x}.",
    )
    require(x["Rejected"] == 1 and x["Still open"] == 1, "The rejected and open X cases changed.")
    require(
        reddit["Posted"] == on_reddit == 1,
        f"The Reddit case should be posted with 1 reply on Reddit; {reddit['Posted']} is, with {on_reddit}.",
    )
    stage.t.say(
        f"\n✔ X received exactly {count_replies(on_x)}: one per approved case (the one approved twice "
        "included), none for the rejected or open case."
    )
    stage.t.say(
        f"✔ Reddit received exactly {count_replies(on_reddit)}: the approved one, as an answer to "
        f"u/{REDDITOR}'s comment, sent only after the second person approved it."
    )


SCENES: tuple[tuple[Callable[[Stage], None], str], ...] = (
    (mentions_arrive, "Five customers mention the brand on X"),
    (reddit_question, "A redditor asks u/parleybrand on Reddit"),
    (slack_shows, "What the team sees in Slack"),
    (team_reviews, "The team reviews"),
    (x_receives, "What landed on X"),
    (reddit_receives, "What landed on Reddit"),
    (google_review, "A one-star review of a shop on Google"),
    (bluesky_question, "Someone asks on Bluesky, heard in real time"),
    (threads, "Where each case stands in Slack"),
    (meta_questions, "A Facebook comment and an Instagram question arrive by webhook"),
    (summary, "Summary"),
    (follow_up_joins, "A customer answers: the conversation continues in its thread"),
    (private_message, "A direct message: a private case, answered privately"),
)
