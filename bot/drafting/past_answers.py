"""The team's past answers, searchable: suggest earlier replies for a new question. Pure, no I/O.

:class:`AnswerIndex` ranks past answers by how similar their *question* is to a new one, with
Okapi BM25 over words: lower-cased, accents folded, @handles, URLs and e-mail addresses removed,
stop words of English, Italian, Spanish, French, German and Portuguese dropped, and each word
reduced to its Snowball stem in the question's language ("charged", "charges" → "charg";
"pagamenti" → "pag"): `bot.domain.words`.
An answer in another language than the new question's keeps only :data:`OTHER_LANGUAGE_WEIGHT`
of its score.

Answers that say the same thing are one suggestion: those with the same `label` (e.g. the help
page they link), or without a label the same text once @handles, case and spacing are set aside.
Such a group scores the sum of its best :data:`VOTES` matches, so a page that answered several
similar questions ranks above one that answered a single, slightly closer one (a k-nearest-
neighbours vote), and the suggestion shows the group's best-matching answer. Ties go to the more
recent answer, then to the one added first: the ranking is deterministic.

One index holds one brand's history (a company's answers are its own). It serialises to JSON
(:meth:`AnswerIndex.to_json`) so it can be kept in Redis; the word statistics are rebuilt on load.

:func:`adapt` (in `bot.drafting.adapt`, importable from here) reuses a past answer for a new author.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import codec
from bot.domain.words import LEADING_HANDLES, clean_text, fold, is_stop_word, stem
from bot.drafting.adapt import adapt, first_name
from bot.drafting.triage import detect_language

__all__ = [
    "OTHER_LANGUAGE_WEIGHT",
    "AnswerIndex",
    "PastAnswer",
    "Suggestion",
    "adapt",
    "first_name",
    "tokenize",
]

FORMAT = "parley.history/1"
OTHER_LANGUAGE_WEIGHT = 0.5  # an answer in another language than the question's keeps half its score
VOTES = 3  # a group of answers scores the sum of its best three matches
K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalisation


@dataclass(frozen=True)
class PastAnswer:
    """A reply the team approved, with the question it answered."""

    question: str
    answer: str
    network: str  # "x", "reddit"
    language: str  # ISO 639-1 code of the question (and answer); "" to detect it from the question
    url: str  # the Slack thread or the posted reply
    answered_at: datetime
    label: str = ""  # e.g. the help page or doc id the answer pointed to (for evaluation)
    case_id: str = ""  # the case it came from, so retention and erasure can remove it


@dataclass(frozen=True)
class Suggestion:
    """A past answer to reuse; `matched`: how many past answers it stands for (same label or text)."""

    answer: PastAnswer
    score: float
    matched: int = 1


# --- words -------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokenize(text: str, language: str = "") -> list[str]:
    """The index terms of `text`: stemmed words; no stop words, handles, URLs or numbers under 100."""
    lang = language or detect_language(text)
    terms: list[str] = []
    for word in _TOKEN.findall(clean_text(text, hashtags=True).lower()):
        key = fold(word)
        if len(key) > 1 and not is_stop_word(key) and not (key.isdigit() and len(key) < 3):
            terms.append(fold(stem(word, lang)))  # stemmed before folding: the stemmers know accents
    return terms


# --- the index ---------------------------------------------------------------------------------------


def _same_text_key(answer: str) -> str:
    """Two answers with the same key would read the same to the team (handles and case aside)."""
    return " ".join(fold(LEADING_HANDLES.sub("", answer)).split())


@dataclass(frozen=True)
class _Compiled:
    weights: dict[str, list[tuple[int, float]]]  # term -> [(answer number, idf × saturated tf)]
    order: list[int]  # answer number -> rank among equal scores (higher first)


class AnswerIndex:
    """Past answers ranked by BM25 similarity of their question to a new one.

    With `group_labels=False` only identical texts are grouped, and labels are ignored.

    Adding is cheap; the first :meth:`suggest` after a change rebuilds the BM25 weights, in time
    linear in the number of stored words.
    """

    def __init__(self, answers: Iterable[PastAnswer] = (), *, group_labels: bool = True) -> None:
        self.group_labels = group_labels
        self._answers: list[PastAnswer] = []
        self._languages: list[str] = []
        self._group_ids: dict[str, int] = {}  # "label:<label>" or "text:<the answer, normalised>" -> id
        self._groups: list[int] = []  # answer number -> group id
        self._lengths: list[int] = []
        self._postings: dict[str, list[tuple[int, int]]] = {}  # term -> [(answer number, count)]
        self._compiled: _Compiled | None = None
        self.extend(answers)

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def answers(self) -> tuple[PastAnswer, ...]:
        return tuple(self._answers)

    def add(self, answer: PastAnswer) -> None:
        language = answer.language or detect_language(answer.question)
        number = len(self._answers)
        terms = Counter(tokenize(answer.question, language))
        for term, count in terms.items():
            self._postings.setdefault(term, []).append((number, count))
        self._answers.append(answer)
        self._languages.append(language)
        key = (
            f"label:{answer.label}"
            if self.group_labels and answer.label
            else f"text:{_same_text_key(answer.answer)}"
        )
        self._groups.append(self._group_ids.setdefault(key, len(self._group_ids)))
        self._lengths.append(sum(terms.values()))
        self._compiled = None

    def extend(self, answers: Iterable[PastAnswer]) -> None:
        for answer in answers:
            self.add(answer)

    def _compile(self) -> _Compiled:
        """BM25 weights and the tie-break order, computed once after each change."""
        if self._compiled is None:
            total = len(self._answers)
            average = sum(self._lengths) / total
            norms = [K1 * (1 - B + B * length / average) if average else K1 for length in self._lengths]
            weights: dict[str, list[tuple[int, float]]] = {}
            for term, postings in self._postings.items():
                idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
                weights[term] = [(n, idf * tf * (K1 + 1) / (tf + norms[n])) for n, tf in postings]
            order = [0] * total  # higher wins a tie: more recent, then added earlier
            by_age = sorted(range(total), key=lambda n: (self._answers[n].answered_at, -n))
            for position, number in enumerate(by_age):
                order[number] = position
            self._compiled = _Compiled(weights, order)
        return self._compiled

    def suggest(self, question: str, *, language: str | None = None, k: int = 5) -> list[Suggestion]:
        """The `k` past answers whose questions are most like `question`, best first, one per group.

        Args:
            question: the new post's text.
            language: its language (e.g. the triage's); answers in other languages are ranked
                lower. None: no preference (the words are still stemmed as the detected language).
            k: how many suggestions at most; answers with no word in common are never suggested.
        """
        if k <= 0 or not self._answers:
            return []
        compiled = self._compile()
        scores: dict[int, float] = {}
        get = scores.get
        for term in set(tokenize(question, language or "")):
            for number, weight in compiled.weights.get(term, ()):
                scores[number] = get(number, 0.0) + weight
        if language:
            for number in scores:
                if self._languages[number] != language:
                    scores[number] *= OTHER_LANGUAGE_WEIGHT
        order = compiled.order
        # Best first, so a group's first answer is its best and its first VOTES answers are summed.
        ranked = sorted(((score, order[n], n) for n, score in scores.items()), reverse=True)
        totals: dict[int, float] = {}
        counts: dict[int, int] = {}
        best: dict[int, int] = {}
        for score, _, number in ranked:
            group = self._groups[number]
            seen = counts.get(group, 0)
            if not seen:
                best[group], totals[group] = number, score
            elif seen < VOTES:
                totals[group] += score
            counts[group] = seen + 1
        top = heapq.nlargest(k, totals, key=lambda g: (totals[g], order[best[g]]))
        return [Suggestion(self._answers[best[g]], round(totals[g], 6), counts[g]) for g in top]

    # --- JSON: the answers only; the statistics are rebuilt on load ---

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "group_labels": self.group_labels,
                "answers": [codec.encode(a) for a in self._answers],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> AnswerIndex:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"Not a Parley answer index (expected format {FORMAT!r}).")
        answers = (codec.decode(PastAnswer, item) for item in data["answers"])
        return cls(answers, group_labels=bool(data.get("group_labels", True)))
