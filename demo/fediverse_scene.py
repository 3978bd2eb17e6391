"""The demo's Bluesky scene: a question heard in real time by `parley stream`, answered in its thread."""

from __future__ import annotations

import time

from bot.domain import Network, case_id_for
from bot.domain.i18n import _
from demo.fediverse import FediverseSandbox
from demo.output import message_lines
from demo.stage import Stage, require, wait_for
from demo.story import MARIA

MIKA = "mika.bsky.social"
QUESTION = "does the Pro plan include SSO? My team needs it by Friday 🙏"


def bluesky_question(stage: Stage) -> None:
    sb = stage.sb
    require(isinstance(sb, FediverseSandbox), "the demo runs without Bluesky.")
    assert isinstance(sb, FediverseSandbox)
    brand = sb.bluesky.brand.handle
    with sb.streaming():
        post = sb.bluesky.add_post(f"@{brand} {QUESTION}", author_handle=MIKA, author_name="Mika")
        written = time.monotonic()
        case_id = case_id_for(Network.BLUESKY, post.uri)
        wait_for("the Bluesky post becoming a case", lambda: sb.parley.store.get(case_id))
        heard = time.monotonic() - written
    stage.case_ids[MIKA] = case_id
    stage.t.say(f"@{MIKA} asks @{brand} on Bluesky · written for the demo")
    stage.t.show([f"│ @{brand} {QUESTION}"])
    stage.t.say(
        f"\n`parley stream` listens to Bluesky's Jetstream: the post is a case {heard * 1000:.0f} ms after it "
        "was written, before any poll. It arrives in the same channel, with a draft reply (300 graphemes at most)."
    )
    stage.drain()
    stage.t.say("In the thread, the draft reply:", level=2)
    stage.t.show(message_lines(stage.card(MIKA)), level=3)
    stage.click(MIKA, _("Approve"), MARIA)
    stage.drain()
    replies = sb.bluesky.replies_by_brand()
    require(len(replies) == 1, f"Bluesky should have exactly one reply; it has {len(replies)}.")
    reply = replies[0].record
    require(
        reply["reply"]["parent"]["uri"] == post.uri, "The Bluesky reply is not threaded under Mika's post."
    )
    stage.t.say(
        "\nMaria approves. On Bluesky, a reply record whose root and parent are Mika's post (URI and CID):"
    )
    stage.t.show([f"│ {reply['text']}"])
