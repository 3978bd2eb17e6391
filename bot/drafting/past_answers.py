"""The team's past answers, searchable: suggest earlier replies for a new question. Pure, no I/O.

:class:`AnswerIndex` ranks past answers by how similar their *question* is to a new one, with
Okapi BM25 over words: lower-cased, accents folded, @handles, URLs and e-mail addresses removed,
stop words of English, Italian, Spanish, French, German and Portuguese dropped, and a light
suffix-stripping stemmer per language ("charged", "charges" → "charg"; "pagamenti" → "pagament").
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

:func:`adapt` reuses a past answer for a new author: the leading @handles go, and the greeting's
name ("Hi Amir." / "Ciao Marco!" / "Hola Juan,") becomes the new author's first name.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.drafting.triage import clean_text, detect_language

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


@dataclass(frozen=True)
class Suggestion:
    """A past answer to reuse; `matched`: how many past answers it stands for (same label or text)."""

    answer: PastAnswer
    score: float
    matched: int = 1


# --- words -------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents ("Perché" → "perche", "ß" → "ss")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words_of(blob: str) -> list[str]:
    return blob.split()


_STOP_WORDS: frozenset[str] = frozenset(
    _fold(word)
    for word in _words_of(
        """
        a an the and or but if so as at by for from in into of on onto to with without about over under
        i me my mine we us our you your yours he him his she her it its they them their this that these
        those there here what which who whom whose why how when where am is are was were be been being
        do does did doing done have has had having can could will would shall should may might must
        not no nor yes just also too very really still yet again even only ever never any all some
        each every both more most much many other such than then now out up down off once own same
        hi hello hey dear please pls plz thanks thank thx guys im ive id dont doesnt didnt
        cant wont isnt arent wasnt werent havent hasnt couldnt wouldnt shouldnt don doesn didn won isn
        aren wasn weren haven hasn couldn wouldn shouldn ll ve re let lets get got getting one
        il lo la le gli un una uno di da del dello della dei degli delle dal dalla dai al allo alla ai
        agli nel nello nella nei negli sul sulla sui con per tra fra che chi cui non ed ma se come
        anche ancora sono sei siamo siete ho hai ha abbiamo avete hanno mi ti ci vi si mio mia miei mie
        tuo tua vostro vostra suo sua questo questa questi quello quella qui qua ciao salve grazie
        buongiorno buonasera dell nell all dall sull quest po piu molto tutto tutti gia essere stato
        stata fare
        el los las del en pero porque por para con sin sobre es soy eres somos son esta este esto
        estos estas ese esa eso estoy estan tengo tiene tienen mis tu tus su sus nos les me te se que
        quien cual como cuando donde ya muy mas hola gracias buenos buenas dias hay he han
        des du de une et ou mais donc car ne pas plus qui quoi dont je il elle nous vous ils elles mon
        ma mes ton ta tes son sa ses notre votre vos ce cet cette ces est sont suis etes ai as avons
        avez ont fait dans sur avec sans chez au aux bonjour bonsoir merci salut svp tres toujours
        encore deja ca cest jai quil
        der die das den dem ein eine einen einem einer eines und oder aber denn wenn dass ich du er
        sie wir ihr mein meine meinen meinem dein deine euer eure sein seine ist bin bist sind seid war
        waren habe hast hat haben hatte wird werden kann konnen mit fur auf von zu zum zur im an am
        aus bei nach uber unter vor nicht kein keine noch schon auch nur sehr hallo danke bitte was wie
        warum wann wo wer welche welcher dies diese dieser mal doch
        os um uma uns umas do dos das na nas ao aos pelo pela com sem em nao sim eu voce voces ele
        ela eles elas meu minha meus minhas seu seus suas nosso nossa isso isto esse essa estou estao
        tenho tem temos sou foi ser estar muito ja ainda ola oi obrigado obrigada bom boa dia tarde
        noite pra
        """
    )
)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_VOWELS = frozenset("aeiou")


def _stem_en(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # stopped → stopp → stop
            break
    if len(word) > 5 and word.endswith("ly"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # update, updated, updating → updat
    return word


def _stem_romance(word: str) -> str:
    """Italian, Spanish, Portuguese and French: plural and gender endings."""
    if len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word[-1] in _VOWELS:
        word = word[:-1]
    return word


def _stem_de(word: str) -> str:
    for suffix in ("ern", "en", "er", "es", "e", "n", "s"):
        if len(word) > len(suffix) + 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_STEMMERS = {"en": _stem_en, "it": _stem_romance, "es": _stem_romance, "pt": _stem_romance}
_STEMMERS |= {"fr": _stem_romance, "de": _stem_de}


@lru_cache(maxsize=65_536)
def _stem(word: str, language: str) -> str:
    return _STEMMERS.get(language, _stem_en)(word)


def tokenize(text: str, language: str = "") -> list[str]:
    """The index terms of `text`: stemmed words; no stop words, handles, URLs or numbers under 100."""
    lang = language or detect_language(text)
    words = _TOKEN.findall(_fold(clean_text(text, hashtags=True)))
    return [
        _stem(w, lang)
        for w in words
        if len(w) > 1 and w not in _STOP_WORDS and not (w.isdigit() and len(w) < 3)
    ]


# --- the index ---------------------------------------------------------------------------------------


def _same_text_key(answer: str) -> str:
    """Two answers with the same key would read the same to the team (handles and case aside)."""
    return " ".join(_fold(_LEADING_HANDLES.sub("", answer)).split())


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
                "answers": [_answer_to_dict(a) for a in self._answers],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> AnswerIndex:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"Not a Parley answer index (expected format {FORMAT!r}).")
        answers = (_answer_from_dict(item) for item in data["answers"])
        return cls(answers, group_labels=bool(data.get("group_labels", True)))


def _answer_to_dict(answer: PastAnswer) -> dict[str, str]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "network": answer.network,
        "language": answer.language,
        "url": answer.url,
        "answered_at": answer.answered_at.isoformat(),
        "label": answer.label,
    }


def _answer_from_dict(data: dict[str, Any]) -> PastAnswer:
    return PastAnswer(
        question=data["question"],
        answer=data["answer"],
        network=data["network"],
        language=data["language"],
        url=data["url"],
        answered_at=datetime.fromisoformat(data["answered_at"]),
        label=data.get("label", ""),
    )


# --- reusing an answer ---------------------------------------------------------------------------------

_LEADING_HANDLES = re.compile(r"^\s*(?:\.?[@＠]\w+[\s,:]*)+")

# Greetings that take a name, and what replaces a formal one ("Dear John," → "Hello,") without it.
_GREETINGS = (
    "good morning|good afternoon|good evening|thank you|thanks|hi|hey|hello|greetings|dear"
    "|buongiorno|buonasera|ciao|salve|gentile|caro|cara|grazie"
    "|buenos días|buenos dias|buenas tardes|buenas noches|hola|estimado|estimada|querido|querida|gracias"
    "|bonjour|bonsoir|salut|coucou|chère|chere|cher|merci"
    "|guten morgen|guten tag|guten abend|hallo|servus|moin|liebe|lieber|danke"
    "|bom dia|boa tarde|boa noite|olá|ola|oi|prezado|prezada|obrigado|obrigada"
)
_FORMAL = {
    "dear": "Hello",
    "gentile": "Salve",
    "caro": "Ciao",
    "cara": "Ciao",
    "estimado": "Hola",
    "estimada": "Hola",
    "querido": "Hola",
    "querida": "Hola",
    "cher": "Bonjour",
    "chère": "Bonjour",
    "chere": "Bonjour",
    "liebe": "Hallo",
    "lieber": "Hallo",
    "prezado": "Olá",
    "prezada": "Olá",
}
# Words that address anyone: "Hi there!" has no name to drop, but gets the new author's name.
_ANYONE = frozenset(
    [
        "there",
        "all",
        "everyone",
        "everybody",
        "folks",
        "friend",
        "friends",
        "team",
        "guys",
        "tutti",
        "todos",
        "tous",
        "zusammen",
        "alle",
        "pessoal",
        "gente",
    ]
)
_END = r"(?=\s*(?:[,.!:;–—-]|$))"  # the name is followed by punctuation or ends the text
_GREETING = re.compile(
    rf"^(?P<open>¡?)(?P<greeting>{_GREETINGS})(?P<comma>,?)(?:\s+(?P<name>[@＠]?[^\W\d_][\w'’-]*))?{_END}",
    re.IGNORECASE,
)


def first_name(name: str | None) -> str | None:
    """The first word of a display name made of letters ("✨Ann Lee✨" → "Ann"), or None."""
    for word in (name or "").split():
        letters = re.sub(r"[^\w'’-]", "", word)
        if letters and letters[0].isalpha() and not any(c.isdigit() for c in letters):
            return letters
    return None


def adapt(answer_text: str, *, name: str | None, handle: str | None) -> str:
    """`answer_text` rewritten for a new author: without leading @handles, greeting the new name.

    Mentions of the old author's handle later in the text become `@handle` (or go, without one).
    A greeting's name ("Hi Amir." / "Ciao Marco!" / "Hola Juan,") becomes the first word of
    `name`; with no usable name it is dropped ("Hi there." in English, "Ciao!", "Dear John," →
    "Hello,"). A nameless greeting ("Hi there!", "Hello,") gets the new name. The rest is kept.
    """
    leading = _LEADING_HANDLES.match(answer_text)
    text = answer_text[leading.end() :] if leading else answer_text.lstrip()
    for old in re.findall(r"[@＠](\w+)", leading.group(0) if leading else ""):
        new = f"@{handle.lstrip('@＠')}" if handle else ""
        text = re.sub(rf"(?<![\w@＠])[@＠]{re.escape(old)}\b", new, text, flags=re.IGNORECASE)
        text = re.sub(r"[ \t]{2,}", " ", text)
    new_name = first_name(name)
    match = _GREETING.match(text)
    if match is None:
        return text.strip()
    greeting, old_name = match.group("greeting"), match.group("name")
    is_name = bool(old_name) and (
        old_name.lower() in _ANYONE or old_name[0] in "@＠" or old_name[0].isupper()
    )
    if old_name and not is_name:
        return text.strip()  # "Thanks again." and the like: not a greeting with a name
    if new_name:
        head = f"{greeting}{match.group('comma')} {new_name}"
    elif not old_name or old_name.lower() in _ANYONE:
        head = match.group(0)  # "Hi!" and "Hi there" stay
    elif greeting.lower() in _FORMAL:
        head = _FORMAL[greeting.lower()]
    elif greeting.lower() in ("hi", "hey"):
        head = f"{greeting} there"
    else:
        head = greeting
    if not head.startswith(match.group("open")):
        head = match.group("open") + head
    return (head + text[match.end() :]).strip()
