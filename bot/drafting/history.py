"""Drafting with the team's past answers: they go to OpenAI as examples, become the offline
draft when one fits well, and are shown on the card as "Similar answer from 12 Mar"."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import Draft, Network, Post
from bot.drafting.answer_book import AnswerBook, as_similar
from bot.drafting.base import FIRST_DRAFT, Brief, Drafter, Proposal, fit
from bot.drafting.past_answers import adapt, first_name, tokenize
from bot.drafting.triage import assess

# Share of the new question's content words that the past question must have for its answer to
# become the offline draft itself (BM25 scores depend on the size of the history, so they cannot
# serve as a fixed threshold). Below it, the past answer is only shown on the card as a hint.
REUSE_COVERAGE = 0.6


def coverage(question: str, past_question: str, language: str) -> float:
    wanted = set(tokenize(question, language))
    return len(wanted & set(tokenize(past_question, language))) / len(wanted) if wanted else 0.0


class HistoryDrafter:
    def __init__(self, base: Drafter, book: AnswerBook, *, reuse: bool) -> None:
        """`reuse`: adapt a close past answer as the draft (for the offline drafter; with an LLM the
        past answers are examples instead)."""
        self.base = base
        self.book = book
        self.reuse = reuse

    def propose(self, post: Post, brief: Brief = FIRST_DRAFT) -> Proposal:
        # The one offline triage of this draft: its language picks the past answers, and the
        # drafters below get it instead of triaging the post again.
        assessment = brief.assessment or assess(post)
        language = assessment.triage.language
        suggestions = self.book.suggest(f"{post.title or ''} {post.text}", language=language, k=3)
        similar = tuple(as_similar(s) for s in suggestions[:2])
        best = suggestions[0] if suggestions else None
        close = best is not None and coverage(post.text, best.answer.question, language) >= REUSE_COVERAGE
        # A follow-up is answered within its conversation, never with a past answer to someone else.
        if self.reuse and best is not None and close and not brief.instruction and not brief.conversation:
            text = adapt(best.answer.answer, name=first_name(post.author.name), handle=post.author.handle)
            text, shortened = fit(post.network, text)
            note = f"adapted from the team's answer of {best.answer.answered_at:%d %b}"
            if shortened:
                note += "; shortened to fit"
            draft = self._unique(post, Draft(text=text, drafter="history", note=note))
            return Proposal(triage=assessment.triage, draft=draft, similar=similar)
        examples = tuple(s.answer.answer for s in suggestions) or brief.examples
        proposal = self.base.propose(post, replace(brief, examples=examples, assessment=assessment))
        return Proposal(triage=proposal.triage, draft=self._unique(post, proposal.draft), similar=similar)

    def _unique(self, post: Post, draft: Draft) -> Draft:
        """X refuses a reply whose text the account already posted: say so before anyone approves it."""
        if post.network is not Network.X or not self.book.posted_before(post.network.value, draft.text):
            return draft
        warning = "same text as a reply already posted: X will refuse it, edit or regenerate first"
        return replace(draft, note="; ".join(n for n in (draft.note, warning) if n))
