"""The team reviews: Maria approves, Luca edits, Anna rejects, two people click Approve at once,
and a risky reply waits for a second approver.
"""

from __future__ import annotations

import threading

from blocks import ids
from bot.domain import State
from bot.domain.i18n import _
from demo.output import message_lines, readable
from demo.sandbox import CHANNEL
from demo.stage import Stage, count_replies, first_name, ms, require, wait_for
from demo.story import (
    ANNA,
    APPROVE,
    CASES,
    EDIT,
    EDITED,
    LUCA,
    MARIA,
    OPEN,
    RACE,
    REDDITOR,
    REJECT,
    REJECT_DETAILS,
    REJECT_REASON,
    TOO_LONG,
)
from emulators.slack import AppResponse, checkboxes_value, plain_text_value, static_select_value


def team_reviews(stage: Stage) -> None:
    approve_as_drafted(stage)
    edit_then_approve(stage)
    reject(stage)
    approve_twice_at_once(stage)
    open_case = stage.case(OPEN)
    require(open_case.state is State.DRAFTED, f"@{OPEN}'s case should still wait, but is {open_case.state}.")
    stage.t.say(f"\nCase 5 · @{OPEN}: nobody has answered yet, so the case stays open with its buttons.")
    stage.drain()
    stage.t.say("\nParley's worker posts the approved replies to X and updates Slack.")
    approve_with_two_people(stage)


def approve_as_drafted(stage: Stage) -> None:
    answer = stage.click(APPROVE, _("Approve"), MARIA)
    case = stage.settled(APPROVE, "Maria's approval")
    require(case.state is State.APPROVED, f"Maria's approval left the case {case.state}.")
    stage.t.say(
        f"Case 1 · @{APPROVE}: Maria clicks Approve. Parley confirms the click in {ms(answer)} "
        "(Slack allows 3 seconds)."
    )


def edit_then_approve(stage: Stage) -> None:
    stage.t.say(f"\nCase 2 · @{EDIT}: Luca clicks Edit; the Edit reply window opens with the draft.")
    stage.click(EDIT, _("Edit"), LUCA)
    view = stage.modal(LUCA)
    text = {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(TOO_LONG)}}
    stage.sb.slack.submit_view(stage.sb.app_url, view.id, text, user=LUCA)
    errors = stage.sb.slack.view(view.id).errors or {}
    require(bool(errors.get(ids.BLOCK_DRAFT)), "The editor accepted a reply too long for X.")
    stage.t.say("He writes a longer apology and clicks Save. The window stays open and says:", level=2)
    stage.t.show([f"⚠️ {readable(errors[ids.BLOCK_DRAFT])}"], level=3)
    values = {
        ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(EDITED)},
        ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
    }
    answer = stage.sb.slack.submit_view(stage.sb.app_url, view.id, values, user=LUCA)
    require(stage.sb.slack.view(view.id).closed, "The editor stayed open after a valid reply.")
    case = stage.case(EDIT)
    require(case.state is State.APPROVED, f"Luca's 'Save and approve' left the case {case.state}.")
    stage.t.say(
        f'He shortens it, ticks "Save and approve" and saves ({ms(answer)}). The window closes and '
        "this reply is approved:",
        level=2,
    )
    stage.t.show([f"│ {EDITED}"], level=3)


def reject(stage: Stage) -> None:
    stage.click(REJECT, _("Reject"), ANNA)
    view = stage.modal(ANNA)
    value, label = REJECT_REASON
    values = {
        ids.BLOCK_REASON: {ids.ACTION_REASON: static_select_value(value)},
        ids.BLOCK_REASON_TEXT: {ids.ACTION_REASON_TEXT: plain_text_value(REJECT_DETAILS)},
    }
    stage.sb.slack.submit_view(stage.sb.app_url, view.id, values, user=ANNA)
    require(stage.sb.slack.view(view.id).closed, "The Reject window stayed open.")
    case = stage.case(REJECT)
    require(case.state is State.REJECTED, f"Anna's rejection left the case {case.state}.")
    stage.t.say(
        f'\nCase 3 · @{REJECT}: Anna clicks Reject, picks "{_(label)}", adds "{REJECT_DETAILS}" '
        "and confirms. Nothing will be posted."
    )


def approve_twice_at_once(stage: Stage) -> None:
    card = stage.card(RACE)
    users = (MARIA, LUCA)
    requests = {user: stage.sb.slack.click_request(card, _("Approve"), user=user) for user in users}
    start = threading.Barrier(len(users))
    answers: dict[str, AppResponse] = {}

    def click(user: str) -> None:
        start.wait()
        answers[user] = requests[user].send(stage.sb.app_url)

    threads = [threading.Thread(target=click, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    require(
        all(u in answers and answers[u].acked_in_time for u in users),
        "Slack would show an error on one of the two Approve clicks.",
    )
    case = stage.settled(RACE, "the double approval")
    winner = case.approved_by or ""
    require(winner in users, f"The case was approved by {winner or 'nobody'}.")
    loser = next(u for u in users if u != winner)
    notice = wait_for(
        f"{first_name(loser)}'s notice", lambda: stage.sb.slack.ephemerals(loser, channel=CHANNEL)
    )[-1]
    already = _("This reply was already approved by {who} and is being posted.").split("{who}")[0]
    require(already in notice.text, f"{first_name(loser)} was told: {notice.text!r}.")
    require(not stage.sb.slack.ephemerals(winner), f"{first_name(winner)} got a notice too.")
    acks = " and ".join(ms(answers[u]) for u in users)
    stage.t.say(f"\nCase 4 · @{RACE}: Maria and Luca click Approve at the same moment (answered in {acks}).")
    stage.t.say(f"{first_name(winner)}'s click counts. Only {first_name(loser)} sees this note:", level=2)
    stage.t.show(message_lines(notice), level=3)


def approve_with_two_people(stage: Stage) -> None:
    number = CASES.index(REDDITOR) + 1
    risk = "; ".join(stage.case(REDDITOR).risk)
    require(bool(risk), f"u/{REDDITOR} asks about a refund, yet the reply needs only one approver.")
    stage.click(REDDITOR, _("Approve"), ANNA)
    wait_for("Anna's approval", lambda: ANNA in stage.case(REDDITOR).approvals)
    stage.drain()  # the worker updates the card
    case = stage.case(REDDITOR)
    require(
        case.state is State.DRAFTED and not stage.sb.reddit.replies,
        f"Anna's approval alone made the case {case.state} and put {count_replies(len(stage.sb.reddit.replies))} "
        "on Reddit: the two-person rule did not hold.",
    )
    one_of_two = _("{got} of {needed} approvals").format(got=1, needed=2)
    progress = [line for line in message_lines(stage.card(REDDITOR)) if one_of_two in line]
    require(bool(progress), "After Anna's approval the card does not say 1 of 2 approvals.")
    stage.t.say(f"\nCase {number} · u/{REDDITOR} on Reddit: the card asks for two approvers ({risk}).")
    stage.t.say("Anna clicks Approve. Nothing is posted yet; the card now says:", level=2)
    stage.t.show(progress, level=3)
    stage.click(REDDITOR, _("Approve"), MARIA)
    case = stage.settled(REDDITOR, "Maria's approval")
    require(case.state is State.APPROVED, f"Maria's second approval left the case {case.state}.")
    stage.drain()
    stage.t.say(
        "Maria approves as the second person, and Parley's worker posts the reply on Reddit.", level=2
    )
