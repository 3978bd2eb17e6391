"""The story `parley demo` tells: the team, the customers and what each says, and the sample mentions.

The X mentions are real customer tweets (`data/sample_mentions.json`) rewritten to address the
brand; the Reddit thread (`REDDIT`) was written for the demo.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SAMPLE_FILE = Path("data") / "sample_mentions.json"
BRAND = "parleybrand"  # the X emulator's brand account

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


class DemoFailure(Exception):
    """A step did not turn out as it must; the message says what a viewer would have seen wrong."""


def handle(customer: str) -> str:
    """How the network writes the customer's name: `@AtotheJ_` on X, `u/lowfreq_lena` on Reddit."""
    return f"u/{customer}" if customer == REDDITOR else f"@{customer}"


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
