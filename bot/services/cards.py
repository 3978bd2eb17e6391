"""The draft card with its brand-voice findings: the one place services render a card."""

from __future__ import annotations

from blocks.draft_card import draft_card
from blocks.message import Message
from bot.domain import Case
from bot.drafting.voice import Finding, Voice, asks_for_help, lint


def findings(case: Case, voice: Voice) -> tuple[Finding, ...]:
    if case.draft is None or case.triage is None:
        return ()
    return lint(case.draft.text, post=case.post, voice=voice, is_help_request=asks_for_help(case.triage))


def card(case: Case, voice: Voice) -> Message:
    return draft_card(case, findings(case, voice))
