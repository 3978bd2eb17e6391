"""Offline triage: language, question, sentiment, urgency, kind, issue type and a one-line summary.

Pure and fast (well under a millisecond per post once the language model is loaded): small
hand-written lexicons for English, Italian, Spanish, French, German and Portuguese, and fastText's
compact language-identification model; no network. It is a heuristic that gets clear cases right
and falls back to neutral answers ("en", "neutral", "normal", "other") when unsure.

- `language`: `detect_language` (fastText lid.176, "en" when unsure) and the post's language.
- `cues`: questions, sentiment and urgency lexicons per language.
- `topics`: `Issue` and the topic and spam patterns.
- `analysis`: `triage`, `classify_issue` and `assess` (both in one pass, for the drafters).
- `summary`: `summarize` and `first_sentence`.

The kind (`Triage.kind`) is spam (promotion, crypto and giveaway scams, follow-for-follow, a bare
link, a run of one character), else question (asks something or for help), else praise (positive,
nothing wrong), else complaint (negative, or reports a problem), else other. The summary is the
post's most telling sentence without @handles, links or salutations (`summarize`).
"""

from bot.domain.words import LANGUAGES, clean_text
from bot.drafting.triage.analysis import Assessment, assess, classify_issue, triage
from bot.drafting.triage.language import detect_language
from bot.drafting.triage.summary import first_sentence, summarize
from bot.drafting.triage.topics import KINDS, Issue

__all__ = [
    "KINDS",
    "LANGUAGES",
    "Assessment",
    "Issue",
    "assess",
    "classify_issue",
    "clean_text",
    "detect_language",
    "first_sentence",
    "summarize",
    "triage",
]
