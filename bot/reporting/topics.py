"""What a period's posts are about (`topics`) and finding cases by their words (`search_cases`). Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.domain import Case
from bot.domain.words import HANDLE, LINK, fold, is_stop_word

__all__ = ["search_cases", "topics", "words"]

_LETTERS = re.compile(r"[^\W\d_]+")  # letters only: "l'abbonamento" → "l", "abbonamento"

# Besides every language's stop words: the words summaries are made of ("asks whether…") and
# words too common in customer care to make a topic, compared without accents.
_NOT_TOPICS: frozenset[str] = frozenset(
    fold(word)
    for word in [
        "one",
        "two",
        "lot",
        "lots",
        "thing",
        "things",
        "way",
        "like",
        "want",
        "wants",
        "wanted",
        "need",
        "needs",
        "needed",
        "know",
        "knows",
        "think",
        "thinks",
        "said",
        "say",
        "says",
        "ask",
        "asks",
        "asked",
        "asking",
        "tell",
        "tells",
        "told",
        "see",
        "look",
        "looking",
        "make",
        "go",
        "going",
        "come",
        "try",
        "trying",
        "tried",
        "ok",
        "okay",
        "yeah",
        "hmm",
        "lol",
        "whether",
        "someone",
        "anyone",
        "anybody",
        "something",
        "anything",
        "everyone",
        "user",
        "users",
        "customer",
        "customers",
        "author",
        "wondering",
        "wonders",
        "question",
        "questions",
        "reports",
        "reported",
        "complains",
        "complaining",
        "mentions",
        "mention",
        "since",
        "back",
        "today",
        "yesterday",
        "tomorrow",
        "day",
        "days",
        "week",
        "time",
        "times",
        "already",
        "chiede",
        "chiedo",
        "domanda",
    ]
)


def words(text: str, *, also_ignore: Iterable[str] = ()) -> list[str]:
    """Topic words of a text: lower-cased, no URLs, handles, numbers, stop words or 1–2 letter words."""
    ignore = {fold(w) for w in also_ignore}
    cleaned = HANDLE.sub(" ", LINK.sub(" ", text))
    found: list[str] = []
    for raw in _LETTERS.findall(cleaned.replace("#", " ")):
        word = raw.casefold()
        key = fold(word)
        if len(key) > 2 and not is_stop_word(key) and key not in _NOT_TOPICS and key not in ignore:
            found.append(word)
    return found


def topics(cases: Iterable[Case], *, limit: int = 8, min_count: int = 2) -> list[tuple[str, int]]:
    """The words found in the most cases (each case counts a word once), most frequent first.

    A case's words come from its triage summary when there is one, else from its post (title and
    text); the brand's account name is ignored. Words found in fewer than `min_count` cases are
    left out: on a quiet day, a list of one-offs says nothing.
    """
    counts: Counter[str] = Counter()
    for case in cases:
        if case.private:  # private words never reach the digest, not even as a topic
            continue
        summary = case.triage.summary.strip() if case.triage else ""
        text = summary or f"{case.post.title or ''} {case.post.text}"
        counts.update(set(words(text, also_ignore=(case.post.account, case.source))))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(word, n) for word, n in ranked if n >= min_count][:limit]


# --- search -------------------------------------------------------------------------------------------


def search_cases(cases: Iterable[Case], query: str) -> list[Case]:
    """Cases whose post, author, place, summary, draft or id contain every word of `query`
    (case- and accent-insensitive), newest first."""
    terms = fold(query).split()
    if not terms:
        return []
    found = [c for c in cases if all(t in _haystack(c) for t in terms)]
    return sorted(found, key=lambda c: c.received_at, reverse=True)


def _haystack(case: Case) -> str:
    post = case.post
    parts = [
        case.id,
        post.text,
        post.title or "",
        post.place or "",
        post.author.handle,
        post.author.name,
        case.triage.summary if case.triage else "",
        case.draft.text if case.draft else "",
        case.rejection_reason or "",
    ]
    return fold(" ".join(parts))
