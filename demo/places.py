"""The demo's Google review: a one-star review of a shop arrives urgent, Maria publishes the owner's
reply, and Luca's better wording replaces it later, in the same case (written for the demo)."""

from __future__ import annotations

from blocks import ids
from bot.domain import Network, State, case_id_for
from bot.domain.i18n import _
from demo.output import message_lines
from demo.sandbox import CHANNEL
from demo.stage import Stage, require
from demo.story import LUCA, MARIA
from emulators.google_business import GoogleBusinessEmulator
from emulators.slack import checkboxes_value, plain_text_value

SHOP = "Parley Demo · Milano Duomo"
REVIEWER, KEY = "Paolo B.", "google:paolo"
REVIEW = "Waited 40 minutes for a table, then the coffee was cold. Not coming back."
BETTER = (
    "Paolo, we're sorry: 40 minutes is far too long. The shop manager would like to offer you a coffee "
    "on us and hear what went wrong: please write to milano@parley.example."
)


def google_review(stage: Stage) -> None:
    google = _google(stage)
    location = google.add_location(SHOP)
    stage.sb.poll("google")  # the first poll learns where the shop's reviews are
    review = google.add_review(location, 1, REVIEW, reviewer=REVIEWER)
    stage.case_ids[KEY] = case_id_for(Network.GOOGLE, f"{location}/{review}")
    stage.t.say(f"{REVIEWER} gives {SHOP} one star on Google Maps · written for the demo:")
    stage.t.show([f"│ {REVIEW}"])
    polled = stage.sb.poll("google")
    require(polled.new == 1, f"Parley found {polled.new} new Google reviews, not 1.")
    stage.drain()
    case = stage.case(KEY)
    require(case.triage is not None and case.triage.urgency == "high", "A one-star review was not urgent.")
    stage.t.say("Parley reads the shop's reviews and posts this one, urgent because it has one star:")
    stage.t.show(message_lines(stage.parent(KEY)), level=3)
    stage.t.say("In the thread, the draft of the owner's reply:", level=2)
    stage.t.show(message_lines(stage.card(KEY)), level=3)

    stage.click(KEY, _("Approve"), MARIA)
    stage.drain()
    first = google.reply_of(review)
    require(
        first is not None and stage.case(KEY).state is State.POSTED, "The owner's reply was not published."
    )
    stage.t.say("\nMaria approves: Google now shows the owner's reply under the review:")
    stage.t.show([f"│ {first}"])

    _replace_reply(stage)
    replies = google.replies_put(review)
    require(google.reply_of(review) == BETTER, "Luca's reply did not replace Maria's on Google.")
    parents = [m for m in stage.sb.slack.messages(CHANNEL) if REVIEW in m.all_text()]
    require(len(parents) == 1, f"Slack shows the review {len(parents)} times, not once.")
    stage.t.say(
        f"\nLater, Luca finds a better answer: Edit reply on the same card, Save and approve. Google "
        f"keeps one owner's reply per review, so his replaces Maria's ({len(replies)} versions sent, 1 shown):"
    )
    stage.t.show([f"│ {BETTER}"])
    stage.t.say("✔ Still one case in Slack for this review, its thread telling both replies.")


def _replace_reply(stage: Stage) -> None:
    stage.click(KEY, _("Edit reply"), LUCA)
    view = stage.modal(LUCA)
    values = {
        ids.BLOCK_DRAFT: {ids.ACTION_DRAFT_TEXT: plain_text_value(BETTER)},
        ids.BLOCK_OPTIONS: {ids.ACTION_APPROVE_AFTER: checkboxes_value(ids.OPTION_APPROVE)},
    }
    stage.sb.slack.submit_view(stage.sb.app_url, view.id, values, user=LUCA)
    stage.drain()
    require(stage.case(KEY).state is State.POSTED, f"Luca's edit left the case {stage.case(KEY).state}.")


def _google(stage: Stage) -> GoogleBusinessEmulator:
    require(stage.sb.google is not None, "The demo's sandbox runs without its Google emulator.")
    assert stage.sb.google is not None
    return stage.sb.google
