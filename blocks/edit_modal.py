"""The Edit modal, and pure readers/validators for its submission."""

from __future__ import annotations

import json
from dataclasses import dataclass

from blocks.fmt import author, clip, escape_keeping_mentions, quoted
from blocks.ids import (
    ACTION_APPROVE_AFTER,
    ACTION_DRAFT_TEXT,
    BLOCK_DRAFT,
    BLOCK_OPTIONS,
    CALLBACK_EDIT,
    CALLBACK_LOADING,
    OPTION_APPROVE,
)
from blocks.kit import INPUT_MAX, MODAL_TITLE, SECTION_TEXT, context, option, plain, section
from blocks.message import View
from blocks.saved import saved_picker
from bot.domain import Case, Network, Post
from bot.domain.i18n import _
from bot.domain.text import length_problem, limit

POST_BUDGET = 500


@dataclass(frozen=True)
class EditSubmission:
    case_id: str
    version: int  # the draft version the editor started from, to detect concurrent edits
    text: str
    approve: bool
    block_id: str = (
        BLOCK_DRAFT  # the text input's block, for errors (it changes when a saved reply is inserted)
    )


def edit_modal(
    case: Case, *, saved: list[str] | None = None, text: str | None = None, revision: int = 0
) -> View:
    """Raises ValueError when the case has no draft yet: show `loading_modal` instead.

    `saved`: names for the saved-reply picker; `text`: what the box holds instead of the draft
    (a saved reply just picked). Slack keeps what the user typed in an input across `views.update`
    unless its block_id changes, so each inserted reply gets a new `revision` of the block id.
    """
    draft = case.draft
    if draft is None:
        raise ValueError(f"case {case.id} has no draft to edit yet")
    text = draft.text if text is None else text
    network = case.post.network
    most = input_max(network, post=case.post)
    text_input = {
        "type": "plain_text_input",
        "action_id": ACTION_DRAFT_TEXT,
        "multiline": True,
        "initial_value": text[:most],
        "max_length": most,
    }
    approve_after = {
        "type": "checkboxes",
        "action_id": ACTION_APPROVE_AFTER,
        "options": [option(_("Save and approve (post now)"), OPTION_APPROVE)],
    }
    post = case.post
    return {
        "type": "modal",
        "callback_id": CALLBACK_EDIT,
        "private_metadata": json.dumps({"case_id": case.id, "version": draft.version, "revision": revision}),
        "title": plain(_("Edit reply")),
        "notify_on_close": True,  # so closing the window frees the case for others
        "submit": plain(_("Save")),
        "close": plain(_("Cancel")),
        "blocks": [
            context(
                _("Replying to {author} on {network}:").format(
                    author=author(post), network=post.network.label
                )
                + f"\n{quoted(post.text, POST_BUDGET)}"
            ),
            context(_limit_hint(network, len(text), post=case.post)),
            *([picker] if (picker := saved_picker(saved or [])) else []),
            {
                "type": "input",
                "block_id": BLOCK_DRAFT if revision == 0 else f"{BLOCK_DRAFT}.{revision}",
                "label": plain(_("Reply")),
                "element": text_input,
            },
            {
                "type": "input",
                "block_id": BLOCK_OPTIONS,
                "optional": True,
                "label": plain(_("After saving")),
                "element": approve_after,
            },
        ],
    }


# Networks that do not count plain characters: a link counts 23 on X and Mastodon however long it
# is, and Bluesky counts graphemes (one emoji of several code points is one). A valid reply can
# hold more characters than the limit, so the input keeps Slack's cap and validate_edit decides.
_WEIGHTED = (Network.X, Network.MASTODON, Network.BLUESKY)


def input_max(network: Network, *, post: Post | None = None) -> int:
    """The input's character cap (the place's own when `post` has one, e.g. Messenger's 2,000, a
    Mastodon server's); Slack's maximum where the network weighs characters (see _WEIGHTED)."""
    return INPUT_MAX if network in _WEIGHTED else min(limit(network, post), INPUT_MAX)


def _limit_hint(network: Network, draft_chars: int, *, post: Post | None = None) -> str:
    most = f"{limit(network, post):,}"
    if network is Network.X:
        hint = _("X counts up to 280; links count 23, emoji and CJK characters count 2.")
    elif network is Network.GOOGLE:
        hint = _("Google allows up to {most} bytes: accented letters count 2, emoji 4.").format(
            most=f"{limit(network):,}"
        )
    elif network is Network.BLUESKY:
        hint = _("Bluesky counts up to {most} graphemes: an emoji or an accented letter counts 1.").format(
            most=most
        )
    elif network is Network.MASTODON:
        hint = _("This Mastodon server allows up to {most} characters; links count 23.").format(most=most)
    else:
        hint = _("{network} allows up to {most} characters.").format(network=network.label, most=most)
    if draft_chars > input_max(network, post=post):
        hint += _(
            " ⚠️ This draft has {chars} characters but the editor holds {most}: saving keeps only what you see."
        ).format(chars=f"{draft_chars:,}", most=f"{INPUT_MAX:,}")
    return hint


def loading_modal(title: str, text: str | None = None) -> View:
    """A placeholder to open within the 3 s trigger window, then replace with views.update."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_LOADING,
        "title": plain(clip(title, MODAL_TITLE, str)),
        "close": plain(_("Close")),
        "blocks": [
            section(clip(_("Loading…") if text is None else text, SECTION_TEXT, escape_keeping_mentions))
        ],
    }


def read_edit(view: View) -> EditSubmission:
    """Parse a view_submission's `view`; raises KeyError/ValueError when it is not our modal."""
    meta = json.loads(view["private_metadata"])
    values = view["state"]["values"]
    block_id = next(b for b in values if b == BLOCK_DRAFT or b.startswith(BLOCK_DRAFT + "."))
    text = values[block_id][ACTION_DRAFT_TEXT].get("value") or ""
    checked = values.get(BLOCK_OPTIONS, {}).get(ACTION_APPROVE_AFTER, {}).get("selected_options") or []
    return EditSubmission(
        case_id=str(meta["case_id"]),
        version=int(meta["version"]),
        text=text.strip(),
        approve=any(o.get("value") == OPTION_APPROVE for o in checked),
        block_id=block_id,
    )


def validate_edit(
    network: Network, text: str, *, block_id: str = BLOCK_DRAFT, post: Post | None = None
) -> dict[str, str]:
    """Slack's `errors` for `ack(response_action="errors", ...)`, or {} when the text can be posted
    (in answer to `post`, whose place may have a limit of its own: Messenger's, a Mastodon server's)."""
    problem = length_problem(network, text.strip(), post)
    return {block_id: problem} if problem else {}
