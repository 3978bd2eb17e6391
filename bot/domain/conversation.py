"""Conversations: a follow-up joins the case of its conversation, which moves on to a new turn.

A case answers one message at a time (`Case.post`); the messages before it and our answers to them
are its `earlier` turns. Which case a new post belongs to is decided by the keys it is filed
under: the post itself, the reply of ours it answers, and its author's thread on the network.
Pure: the store keeps the keys (bot.adapters.store), delivery shows the turns in Slack.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.i18n import _
from bot.domain.model import Activity, Case, Draft, Network, Post, Reply, State, TransitionError, Turn

HISTORY_BUDGET = 2_000  # characters of earlier messages a drafter is shown, newest kept first


def lookup_keys(post: Post) -> tuple[str, ...]:
    """Where the conversation of `post` would be filed: the post itself (seen before), the reply of
    ours it answers, the author's thread (their own additions, or a private conversation)."""
    found = [_post_key(post)]
    if post.in_reply_to:
        found.append(_answer_key(post.network.value, post.in_reply_to))
    if post.conversation_id:
        found.append(_thread_key(post))
    return tuple(found)


def index_keys(case: Case) -> tuple[str, ...]:
    """Every key a case is filed under (see lookup_keys), for storing and for forgetting it."""
    found: list[str] = []
    for post in case.posts:
        found.append(_post_key(post))
        if post.conversation_id:
            found.append(_thread_key(post))
    network = case.post.network.value
    for reply in replies(case):
        found.append(_answer_key(network, reply.id))
        if reply.conversation_id:  # the private conversation our answer opened: their next message there
            found.append(_thread_key(replace(case.post, conversation_id=reply.conversation_id)))
    return tuple(dict.fromkeys(found))


def replies(case: Case) -> tuple[Reply, ...]:
    """Our answers on the network in this conversation, oldest first."""
    earlier = tuple(t.reply for t in case.earlier if t.reply is not None)
    return (*earlier, case.reply) if case.reply is not None and case.state is State.POSTED else earlier


def _post_key(post: Post) -> str:
    return f"post:{post.network.value}:{post.id}"


def _answer_key(network: str, reply_id: str) -> str:
    return f"answer:{network}:{reply_id}"


def _thread_key(post: Post) -> str:
    return f"thread:{post.network.value}:{post.account}:{post.conversation_id}:{post.author.id}"


def follow_up(case: Case, post: Post, *, at: datetime) -> Case:
    """`post` continues the conversation of `case`.

    A new message becomes the case's next turn (a closed case reopens); the current draft, if any,
    stays in the thread unanswered. While a reply is approved or being posted, the message waits
    and becomes the next turn once the reply is out. A message older than the one being answered
    joins the earlier turns, unanswered. A message the case already holds changes nothing.
    """
    if any(p.id == post.id for p in case.posts):
        return case
    history = (*case.history, Activity(at=at, actor="parley", action="follow_up", detail=post.id))
    if post.created_at < case.post.created_at:
        earlier = sorted((*case.earlier, Turn(post=post, received_at=at)), key=lambda t: t.post.created_at)
        return replace(case, earlier=tuple(earlier), history=history)
    if case.state in (State.APPROVED, State.PUBLISHING):
        return replace(case, waiting=(*case.waiting, post), history=history)
    return next_turn(replace(case, history=history), (post,), at=at)


def next_turn(case: Case, posts: tuple[Post, ...], *, at: datetime) -> Case:
    """Close the current turn and answer the newest of `posts` (the others join, unanswered)."""
    answered = case.state is State.POSTED
    closed = Turn(
        post=case.post,
        received_at=case.received_at,
        draft=case.draft,
        reply=case.reply if answered else None,
        answered_by=case.approved_by if answered else None,
        privately=case.privately and answered,
        card_ts=case.slack.card_ts if case.slack else None,
        message_ts=case.message_ts,
    )
    unanswered = tuple(Turn(post=p, received_at=at) for p in posts[:-1])
    return replace(
        case,
        post=posts[-1],
        state=State.RECEIVED,
        received_at=at,
        earlier=(*case.earlier, closed, *unanswered),
        waiting=(),
        slack=replace(case.slack, card_ts=None) if case.slack else None,
        message_ts=None,
        draft=None,
        versions=(),
        approvals=(),
        approved_by=None,
        reply=None,
        failure=None,
        rejection_reason=None,
        publish_attempts=0,
        publishing_since=None,
        send_at=None,
        editing_by=None,
        editing_until=None,
        reminded=(),
        risk=(),
        similar=(),
        privately=False,
    )


def after_posted(case: Case, *, at: datetime) -> Case:
    """Once a reply is out, the messages that waited for it become the next turn."""
    if case.state is not State.POSTED or not case.waiting:
        return case
    return next_turn(case, case.waiting, at=at)


def public_note(case: Case, text: str, *, by: str, at: datetime) -> Case:
    """After a private answer, a short public reply on the post ("We've sent you a message") as a
    turn of its own, approved like any draft."""
    if case.state is not State.POSTED or not case.privately:
        raise TransitionError(_("A public note follows a private answer that was sent."))
    turned = next_turn(case, (case.post,), at=at)
    draft = Draft(text=text, drafter="note", version=next_version(case), author=by)
    history = (*turned.history, Activity(at=at, actor=by, action="public_note"))
    # The note answers the post already shown in the thread: no follow-up message to post for it.
    shown = case.message_ts or (case.slack.parent_ts if case.slack else None)
    return replace(
        turned, state=State.DRAFTED, draft=draft, triage=case.triage, history=history, message_ts=shown
    )


# The networks whose connectors can answer a public post by private message (PrivateReplies).
MOVES_TO_PRIVATE = frozenset({Network.X, Network.REDDIT})


def can_move_to_private(case: Case) -> bool:
    """Whether "Reply privately" is offered: a public post the brand may answer, on such a network."""
    return not case.post.private and not case.post.listen_only and case.post.network in MOVES_TO_PRIVATE


def next_version(case: Case) -> int:
    """Draft versions keep counting across turns, so an edit meant for an earlier turn's draft
    can never be taken for one of the current turn's."""
    drafts = [*(t.draft for t in case.earlier), *case.versions, case.draft]
    return 1 + max((d.version for d in drafts if d is not None), default=0)


@dataclass(frozen=True)
class Said:
    """One message of the conversation as a drafter sees it."""

    by: str  # "customer" or "brand"
    text: str


def conversation_so_far(case: Case, *, budget: int = HISTORY_BUDGET) -> tuple[Said, ...]:
    """The earlier messages and our answers, oldest first, the newest that fit in `budget` characters."""
    said: list[Said] = []
    for turn in case.earlier:
        said.append(Said("customer", turn.post.text))
        if turn.reply is not None and turn.draft is not None:
            said.append(Said("brand", turn.draft.text))
    kept: list[Said] = []
    used = 0
    for item in reversed(said):
        used += len(item.text)
        if used > budget:
            break
        kept.append(item)
    return tuple(reversed(kept))


def turn_parts(turn: int) -> tuple[str, str]:
    """The names of a turn's two Slack messages (the follow-up shown in the thread, its draft
    card), under which each is posted exactly once. Turn 0's card keeps its historical name."""
    return (f"message-{turn}", "card" if turn == 0 else f"card-{turn}")
