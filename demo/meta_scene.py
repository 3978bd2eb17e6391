"""The demo's Facebook and Instagram scene: the team connects the Page, two questions arrive by webhook.

Played before the summary (its cases are not counted there): Parley restarts with the META_*
variables pointing at a local Graph emulator, answers Meta's webhook check, receives a Facebook
comment and an Instagram question as signed webhooks, shows them in Slack with their drafts, and
Maria approves both; the scene checks that each got exactly one reply, in the right place.
"""

from __future__ import annotations

from bot.domain import Network, case_id_for
from bot.domain.i18n import _
from demo.meta import VERIFY_TOKEN, meta_env
from demo.output import message_lines
from demo.stage import Stage, count_replies, require
from demo.story import MARIA
from emulators.meta import MetaEmulator, Person

FACEBOOK_FAN = Person("24000000000000007", "Giulia Rossi")
INSTAGRAM_FAN = Person("17841499999999997", "marco.eats", "marco.eats")


def meta_questions(stage: Stage) -> None:
    with MetaEmulator(page_name="Parley Demo", ig_username="parleybrand") as meta:
        stage.sb.extra_env.update(meta_env(meta))
        stage.sb.restart()  # as after setting META_* on a running installation
        meta.webhooks.target = stage.sb.app_url + "/webhooks/meta"
        meta.webhooks.verify_token = VERIFY_TOKEN
        check = meta.webhooks.verify(challenge="demo-challenge")
        require(
            check.text == "demo-challenge",
            f"Parley did not answer Meta's webhook check: {check.status_code}.",
        )
        stage.t.say(
            "The team connects the brand's Facebook Page and Instagram account (the META_* variables) and "
            "restarts Parley; Meta checks the webhook address and Parley echoes its challenge."
        )
        _arrive(stage, meta)
        _approve(stage, meta)


def _arrive(stage: Stage, meta: MetaEmulator) -> None:
    post = meta.add_post("Our autumn menu is here")
    comment = meta.add_comment(post, "Do you have gluten-free options on the new menu?", author=FACEBOOK_FAN)
    media = meta.add_post("New opening hours from Monday", platform="instagram")
    question = meta.add_comment(media, "Are you open on Sunday evenings too?", author=INSTAGRAM_FAN)
    stage.case_ids["giulia.fb"] = case_id_for(Network.FACEBOOK, comment.id)
    stage.case_ids["marco.ig"] = case_id_for(Network.INSTAGRAM, question.id)
    for payload, what in (
        (meta.webhooks.page_comment(comment), f"{FACEBOOK_FAN.name} comments on the Page's post"),
        (
            meta.webhooks.instagram_comment(question),
            f"@{INSTAGRAM_FAN.username} asks under an Instagram post",
        ),
    ):
        delivery = meta.webhooks.deliver(payload)
        require(delivery.status == 200, f"Parley refused Meta's signed webhook: {delivery.status}.")
        stage.t.say(f"{what}; Meta sends the signed webhook and Parley answers {delivery.status} at once.")
    stage.drain()
    for customer in ("giulia.fb", "marco.ig"):
        stage.t.say("In the channel:", level=2)
        stage.t.show(message_lines(stage.parent(customer)), level=3)
        stage.t.say("In the thread, the draft reply:", level=2)
        stage.t.show(message_lines(stage.card(customer)), level=3)


def _approve(stage: Stage, meta: MetaEmulator) -> None:
    for customer in ("giulia.fb", "marco.ig"):
        stage.click(customer, _("Approve"), MARIA)
    stage.drain()
    replies = meta.replies()
    for reply in replies:
        stage.t.say(f"On {reply.platform.title()}, the brand replied under comment {reply.parent_id}:")
        stage.t.show([f"│ {reply.text}"])
    expected = sorted(stage.case(c).post.id for c in ("giulia.fb", "marco.ig"))
    require(
        sorted(r.parent_id or "" for r in replies) == expected,
        f"Facebook and Instagram should have one reply each, under the two questions; they have "
        f"{count_replies(len(replies))}.",
    )
    stage.t.say("✔ Exactly one reply on Facebook and one on Instagram, each under the question it answers.")
