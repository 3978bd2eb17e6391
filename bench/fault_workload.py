"""What the people do in a fault campaign run: customers mention the brand, the team clicks."""

from __future__ import annotations

import contextlib
import random
import threading
import time

from demo.sandbox import CHANNEL, Sandbox
from emulators.slack import Message

NAMES = ("Anna", "Bruno", "Chiara", "Dario", "Elena")  # the drafts greet them: distinct texts
CHOICES = ("approve", "approve", "twice", "retried", "wrong", "reject", "undo", "nothing")
CLICKERS = {"approve": ["U_MARIA"], "twice": ["U_MARIA", "U_LUCA"], "retried": ["U_LUCA"], "wrong": ["U_EVE"]}


def mention(sb: Sandbox, rng: random.Random) -> None:
    """A few customers mention the brand on X (distinct names, so X never refuses a reply as a duplicate)."""
    for n in range(rng.randint(3, 5)):
        sb.x.add_mention(
            f"@parleybrand where is my order {rng.randint(1000, 9999)}-{n}?",
            author_handle=f"user{n}",
            author_name=NAMES[n],
        )


def decide(sb: Sandbox, rng: random.Random) -> None:
    """Click on every delivered card as a random team would, the clicks of all cases at once."""
    clicks: list[threading.Thread] = []
    for case in sb.parley.store.open_cases():
        if case.slack is None or case.slack.card_ts is None:
            continue
        try:
            card = sb.slack.message(CHANNEL, case.slack.card_ts)
        except KeyError:
            continue
        choice = rng.choice(CHOICES)
        for user in CLICKERS.get(choice, []):
            clicks.append(threading.Thread(target=_click, args=(sb, card, "Approve", user, None)))
        if choice == "retried":  # Slack did not see our ack in time and sends the click again
            clicks.append(threading.Thread(target=_click, args=(sb, card, "Approve", "U_LUCA", 1)))
        if choice == "reject":  # someone not allowed tries first; then an approver gives a reason
            clicks.append(threading.Thread(target=_click, args=(sb, card, "Reject", "U_EVE", None)))
            clicks.append(threading.Thread(target=_reject, args=(sb, card, case.id)))
        if choice == "undo":
            clicks.append(threading.Thread(target=_approve_then_undo, args=(sb, card)))
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(timeout=30)


def _click(sb: Sandbox, card: Message, button: str, user: str, retry: int | None) -> None:
    with contextlib.suppress(Exception):  # a refused or failed click is part of the game
        sb.slack.click(sb.app_url, card, button, user=user, retry_num=retry)


def _approve_then_undo(sb: Sandbox, card: Message) -> None:
    """Approve, then click Undo as soon as the card shows it (in the window or too late: both are fine)."""
    _click(sb, card, "Approve", "U_MARIA", None)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            fresh = sb.slack.message(CHANNEL, card.ts)
            if any(b["text"]["text"] == "Undo" for b in fresh.buttons()):
                _click(sb, fresh, "Undo", "U_LUCA", None)
                return
        time.sleep(0.05)


def _reject(sb: Sandbox, card: Message, case_id: str) -> None:
    """Reject as an approver: the button opens a modal for the reason, which is then submitted."""
    _click(sb, card, "Reject", "U_MARIA", None)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        views = [v for v in sb.slack.open_views("U_MARIA") if case_id in str(v.data.get("private_metadata"))]
        if views:
            with contextlib.suppress(Exception):
                sb.slack.submit_view(sb.app_url, views[-1].id, {})
            return
        time.sleep(0.05)
