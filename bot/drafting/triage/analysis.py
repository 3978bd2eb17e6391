"""The offline triage of a post: question, sentiment, urgency, kind and issue, in one pass."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Post, Sentiment, Triage, Urgency
from bot.domain.words import clean_text
from bot.drafting.triage import cues, topics
from bot.drafting.triage.language import detect_language, full_text, post_language
from bot.drafting.triage.summary import summarize
from bot.drafting.triage.topics import PROBLEM_ISSUES, REPORTS, Issue

__all__ = ["Assessment", "assess", "classify_issue", "triage"]


@dataclass(frozen=True)
class _Analysis:
    language: str
    is_question: bool
    sentiment: Sentiment
    score: float
    issue: Issue
    kind: str
    clean: str  # the text without handles, links and hashtag signs, lower-cased


def _analyse(raw: str, lang: str) -> _Analysis:
    clean = clean_text(raw, hashtags=True).lower()
    is_question = cues.is_question(raw, clean, lang)
    sentiment, score, objections = cues.sentiment(clean, lang)
    if topics.is_spam(raw, clean, is_question):
        return _Analysis(lang, False, sentiment, score, Issue.SPAM, "spam", clean)
    thanks = sentiment == "neutral" and cues.THANKS.search(clean) is not None
    # Praise is positive without a question and without a single objection: "thanks for another
    # fantastic day of non-functioning mail" must not get "this made our day!".
    praise = not is_question and objections == 0 and (sentiment == "positive" or thanks)
    topic = topics.topic(clean, troubled=objections > 0 or sentiment == "negative")
    thanked = praise and (sentiment == "positive" or cues.THANKS_FOR_HELP.search(clean) is not None)
    if topic is Issue.FEEDBACK or (topic is not None and not thanked):
        issue = topic
    elif praise:
        issue = Issue.PRAISE
    elif sentiment == "negative" or (objections > 0 and not is_question):
        issue = Issue.COMPLAINT  # negative, or something is wrong and nothing is asked
    elif is_question:
        issue = Issue.QUESTION
    else:
        issue = Issue.OTHER
    if is_question:
        kind = "question"
    elif issue is Issue.PRAISE or (praise and issue is Issue.FEEDBACK):
        kind = "praise"
    elif (
        sentiment == "negative"
        or issue in REPORTS
        or (issue in PROBLEM_ISSUES and (objections > 0 or score < 0))
    ):
        kind = "complaint"
    else:
        kind = "other"
    return _Analysis(lang, is_question, sentiment, score, issue, kind, clean)


def classify_issue(post_or_text: Post | str) -> Issue:
    """The kind of issue a post raises, for an offline reply.

    Spam first. Then the first topic the words name: security; login; billing (money taken, or a
    refund overdue); refund (a question or request, unless a defect is reported: bug); billing
    (money words and something wrong); delivery; bug; purchase (something missing); feedback. Praise
    (positive, nothing wrong, no question) wins over every topic but feedback. Else complaint
    (negative, or something wrong and nothing asked), question, praise (thanks), other.
    """
    if isinstance(post_or_text, str):
        return _analyse(post_or_text, detect_language(post_or_text)).issue
    return _analyse(full_text(post_or_text), post_language(post_or_text)).issue


@dataclass(frozen=True)
class Assessment:
    """The offline triage of a post and the issue it raises: computed once per draft, then passed
    along (`Brief.assessment`) to whoever needs it."""

    triage: Triage
    issue: Issue


def triage(post: Post) -> Triage:
    """Classify `post` without any network call."""
    return assess(post).triage


def assess(post: Post) -> Assessment:
    """`triage(post)` and `classify_issue(post)` in one pass."""
    lang = post_language(post)
    analysis = _analyse(full_text(post), lang)
    result = Triage(
        is_question=analysis.is_question,
        sentiment=analysis.sentiment,
        urgency=_urgency(analysis),
        language=lang,
        summary=summarize(post.text, title=post.title, lang=lang),
        kind=analysis.kind,
    )
    return Assessment(result, analysis.issue)


def _urgency(analysis: _Analysis) -> Urgency:
    clean = analysis.clean
    if analysis.kind == "spam":
        return "low"
    if (
        cues.URGENT.search(clean)
        or (analysis.sentiment == "negative" and analysis.is_question)
        or analysis.score <= -3
    ):
        return "high"
    calm = not analysis.is_question and analysis.sentiment != "negative"
    return "low" if calm and analysis.issue in (Issue.PRAISE, Issue.OTHER) else "normal"
