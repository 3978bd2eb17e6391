"""How good Parley's offline helpers are: suggestions from past answers, language detection, triage.

**Suggestions from history** (`bot.history.AnswerIndex`), on real customer care from X
(`dev.json`: 525 conversations with 24 brands). Each conversation gives a question (the
customer's turns before the agent's answer, joined), the agent's real answer, and the help page
that answer linked (`doc_id`): the label. The conversations are split in two halves by a hash of
their `sessionID`; each half in turn is indexed and the other half's questions are asked (2-fold),
so every question is asked exactly once, of an index that never saw it. Suggestions come only
from the same brand's past answers (a company's history is its own). A suggestion *agrees* when
its help page is the one the agent really linked: top-1 (the first suggestion) and top-5 (any of
the first five). The index groups past answers by their label, as Parley would group answers
linking the same page; `ungrouped` is the same index ranking single answers (labels unused).

Baselines from the same index: the brand's most frequent pages (top-1: the most frequent; top-5:
the five most frequent) and random past answers of the brand (one, or five distinct answers;
exact expected value). `reachable` is the share of questions whose page appears in the index at
all: no method that reuses past answers can do better.

**Language and triage** (`bot.drafting.triage`), on `data/triage_sample.json`: short posts
written and hand-labelled for Parley (language, is_question, sentiment, kind); and how often
`detect_language` calls dev.json's (English) questions English.

    python -m bench.quality [--index FILE] [--eval FILE] [--triage FILE] [--speed N] [--json]

`--eval B` alone runs the 2-fold split on B instead of dev.json; `--index A --eval B` indexes A's
answers and asks B's questions (both files in the dev.json format). `--speed N` times indexing N
answers (dev.json's, repeated) and 300 queries (0: skip). A default run takes about 3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.domain import Author, Network, Post
from bot.domain.routing import KINDS, kind_of
from bot.drafting.past_answers import AnswerIndex, PastAnswer
from bot.drafting.triage import LANGUAGES, detect_language, triage

# The shared data sits next to the repository (../shared), wherever it is checked out.
DEV_JSON = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "twitter-customer-care" / "dev.json"
)
TRIAGE_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "triage_sample.json"
K = 5
SENTIMENTS = ("positive", "neutral", "negative")
METHODS = ("history", "ungrouped", "frequent", "random")


# --- the conversations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    session: str
    brand: str
    question: str  # the customer's turns before the agent's answer, joined
    answer: str  # the agent's real answer
    label: str  # the help page it linked (doc_id)
    at: datetime
    url: str  # the agent's tweet


def load_conversations(path: Path) -> list[Conversation]:
    """Conversations from a file in the dev.json format (IBM Twitter customer-care dataset)."""
    items = json.loads(path.read_text(encoding="utf-8"))
    conversations = []
    for item in items:
        header, agent = item["dialogHeader"], item["agentURL"]
        turns = [t["message"] for t in item["dialogContent"] if "agent" not in t]
        brand = header["company"]
        conversations.append(
            Conversation(
                session=header["sessionID"],
                brand=brand,
                question="\n".join(turns),
                answer=agent["url_utterance"],
                label=agent["doc_id"],
                at=datetime.fromisoformat(header["conversationDateTime"].replace("Z", "+00:00")),
                url=f"https://x.com/{brand}/status/{agent['tweet_ID']}",
            )
        )
    return conversations


def half_of(conversation: Conversation) -> int:
    """0 or 1, from a hash of the session id: the same split on every run and machine."""
    return hashlib.sha256(conversation.session.encode()).digest()[0] % 2


def past_answer(conversation: Conversation) -> PastAnswer:
    return PastAnswer(
        question=conversation.question,
        answer=conversation.answer,
        network=Network.X.value,
        language=detect_language(conversation.question),
        url=conversation.url,
        answered_at=conversation.at,
        label=conversation.label,
    )


# --- agreement ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Sums over the questions asked (hits can be fractional: expected values)."""

    questions: int = 0
    answered: int = 0  # questions with at least one suggestion
    reachable: int = 0  # questions whose page is in the index at all
    hits: dict[str, float] = field(
        default_factory=lambda: {f"{m}_top{n}": 0.0 for m in METHODS for n in (1, K)}
    )

    def add(self, other: Tally) -> None:
        self.questions += other.questions
        self.answered += other.answered
        self.reachable += other.reachable
        for key, value in other.hits.items():
            self.hits[key] += value

    def rates(self) -> dict[str, float]:
        n = self.questions or 1
        return {
            "answered": self.answered / n,
            "reachable": self.reachable / n,
            **{key: value / n for key, value in self.hits.items()},
        }


def _random_hit(total: int, matching: int, picks: int) -> float:
    """Chance that `picks` distinct answers drawn at random from `total` include one of `matching`."""
    picks = min(picks, total)
    if total == 0 or matching == 0:
        return 0.0
    return 1.0 - math.comb(total - matching, picks) / math.comb(total, picks)


def _top_labels(counts: Counter[str], n: int) -> list[str]:
    return [label for label, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]


def evaluate(
    past: Sequence[Conversation], asked: Sequence[Conversation], *, same_brand: bool = True
) -> dict[str, Tally]:
    """brand -> tally of `asked`'s questions against an index of `past`'s answers."""
    indexes: dict[str, AnswerIndex] = defaultdict(AnswerIndex)
    ungrouped: dict[str, AnswerIndex] = defaultdict(lambda: AnswerIndex(group_labels=False))
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for conversation in past:
        scope = conversation.brand if same_brand else "*"
        answer = past_answer(conversation)
        indexes[scope].add(answer)
        ungrouped[scope].add(answer)
        labels[scope][conversation.label] += 1
    tallies: dict[str, Tally] = defaultdict(Tally)
    for conversation in asked:
        scope = conversation.brand if same_brand else "*"
        tally, counts, truth = tallies[conversation.brand], labels[scope], conversation.label
        language = detect_language(conversation.question)
        total = sum(counts.values())
        tally.questions += 1
        tally.reachable += truth in counts
        for method, index in (("history", indexes[scope]), ("ungrouped", ungrouped[scope])):
            suggested = [s.answer.label for s in index.suggest(conversation.question, language=language, k=K)]
            tally.hits[f"{method}_top1"] += suggested[:1] == [truth]
            tally.hits[f"{method}_top{K}"] += truth in suggested
            if method == "history":
                tally.answered += bool(suggested)
        tally.hits["frequent_top1"] += _top_labels(counts, 1) == [truth]
        tally.hits[f"frequent_top{K}"] += truth in _top_labels(counts, K)
        tally.hits["random_top1"] += _random_hit(total, counts[truth], 1)
        tally.hits[f"random_top{K}"] += _random_hit(total, counts[truth], K)
    return dict(tallies)


def _merge(*results: dict[str, Tally]) -> dict[str, Tally]:
    merged: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        for brand, tally in result.items():
            merged[brand].add(tally)
    return dict(merged)


def suggestions_report(
    past: Sequence[Conversation] | None, asked: Sequence[Conversation], *, folds: bool
) -> dict[str, Any]:
    """Per brand and overall rates; `folds`: `asked` is everything, split in two halves (2-fold)."""
    pairs: list[tuple[Sequence[Conversation], Sequence[Conversation]]]
    if folds:
        halves = ([c for c in asked if half_of(c) == 0], [c for c in asked if half_of(c) == 1])
        pairs = [(halves[0], halves[1]), (halves[1], halves[0])]
        setup = "2-fold: halves by sha256(sessionID); each half indexed, the other half asked"
    else:
        assert past is not None
        pairs = [(past, asked)]
        setup = "index file's answers, eval file's questions"
    by_brand = _merge(*(evaluate(p, a) for p, a in pairs))
    pooled = _merge(*(evaluate(p, a, same_brand=False) for p, a in pairs))
    overall, pooled_all = Tally(), Tally()
    for tally in by_brand.values():
        overall.add(tally)
    for tally in pooled.values():
        pooled_all.add(tally)
    brands = sorted(by_brand, key=lambda b: (-by_brand[b].questions, b))
    macro = {key: statistics.fmean(by_brand[b].rates()[key] for b in brands) for key in overall.rates()}
    return {
        "setup": setup,
        "scope": "same brand: each brand's questions get suggestions from that brand's past answers only",
        "k": K,
        "indexed": sum(len(p) for p, _ in pairs),
        "asked": sum(len(a) for _, a in pairs),
        "brands": {b: {"questions": by_brand[b].questions, **by_brand[b].rates()} for b in brands},
        "overall": {"questions": overall.questions, **overall.rates()},
        "macro": {"brands": len(brands), **macro},
        "pooled_history": {
            "note": "one index for all brands (no brand restriction), for comparison",
            "history_top1": pooled_all.rates()["history_top1"],
            f"history_top{K}": pooled_all.rates()[f"history_top{K}"],
        },
        "ungrouped_history": {
            "note": "answers not grouped by label (doc_id): plain BM25 ranking of single answers",
            "history_top1": overall.rates()["ungrouped_top1"],
            f"history_top{K}": overall.rates()[f"ungrouped_top{K}"],
        },
    }


# --- language and triage -------------------------------------------------------------------------------


def _post(text: str) -> Post:
    return Post(
        network=Network.X,
        id="0",
        account="parleybrand",
        author=Author(id="0", handle="someone", name="Someone"),
        text=text,
        url="https://x.com/someone/status/0",
        created_at=datetime(2025, 1, 1),
    )


def triage_report(path: Path) -> dict[str, Any]:
    """Agreement of detect_language and triage with the hand labels of `path`."""
    posts = json.loads(path.read_text(encoding="utf-8"))["posts"]
    fields = ("language", "is_question", "sentiment", "kind")
    right: dict[str, Counter[str]] = {f: Counter() for f in fields}  # field -> language -> correct
    seen: Counter[str] = Counter()
    confusion: dict[str, dict[str, Counter[str]]] = {
        "kind": defaultdict(Counter),
        "sentiment": defaultdict(Counter),
        "language": defaultdict(Counter),
    }
    for item in posts:
        result = triage(_post(item["text"]))
        got = {
            "language": detect_language(item["text"]),
            "is_question": result.is_question,
            "sentiment": result.sentiment,
            "kind": kind_of(result),
        }
        lang = item["language"]
        seen[lang] += 1
        for name in fields:
            right[name][lang] += got[name] == item[name]
        for name, matrix in confusion.items():
            matrix[str(item[name])][str(got[name])] += 1
    total = sum(seen.values()) or 1
    languages = [lang for lang in LANGUAGES if seen[lang]]
    return {
        "file": str(path),
        "posts": sum(seen.values()),
        "accuracy": {name: sum(right[name].values()) / total for name in fields},
        "by_language": {
            lang: {"posts": seen[lang], **{name: right[name][lang] / seen[lang] for name in fields}}
            for lang in languages
        },
        "confusion": {name: {k: dict(v) for k, v in sorted(m.items())} for name, m in confusion.items()},
    }


def english_share(conversations: Iterable[Conversation]) -> dict[str, Any]:
    """dev.json is English only: how often detect_language says so (its false-alarm rate on it)."""
    detected = Counter(detect_language(c.question) for c in conversations)
    total = sum(detected.values()) or 1
    return {
        "questions": sum(detected.values()),
        "english": detected["en"] / total,
        "detected": dict(detected),
    }


# --- speed -------------------------------------------------------------------------------------------------


def speed_report(conversations: Sequence[Conversation], answers: int, queries: int = 300) -> dict[str, Any]:
    """Index `answers` past answers (the conversations, repeated and numbered) and time queries."""
    if not conversations or answers <= 0:
        return {}
    items = [
        past_answer(conversations[i % len(conversations)]) for i in range(answers)
    ]  # same questions repeat: postings are longer than in a real history (a harsher test)
    items = [
        PastAnswer(a.question, f"{a.answer} #{i}", a.network, a.language, a.url, a.answered_at, a.label)
        for i, a in enumerate(items)
    ]
    start = time.perf_counter()
    index = AnswerIndex(items)
    index.suggest("warm up")  # the first query builds the BM25 weights: count it as indexing
    index_seconds = time.perf_counter() - start
    rng = random.Random(7)
    asked = [rng.choice(conversations) for _ in range(queries)]
    timings = []
    for conversation in asked:
        language = detect_language(conversation.question)
        start = time.perf_counter()
        index.suggest(conversation.question, language=language, k=K)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "answers": answers,
        "index_seconds": index_seconds,
        "queries": queries,
        "query_p50_ms": timings[len(timings) // 2],
        "query_p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "query_max_ms": timings[-1],
    }


# --- report ------------------------------------------------------------------------------------------------


def measure(
    *,
    index_file: Path | None = None,
    eval_file: Path = DEV_JSON,
    triage_file: Path = TRIAGE_SAMPLE,
    speed: int = 10_000,
) -> dict[str, Any]:
    """Everything this benchmark prints, as one JSON-ready dict."""
    started = time.perf_counter()
    asked = load_conversations(eval_file)
    past = load_conversations(index_file) if index_file else None
    report: dict[str, Any] = {
        "data": {"index": str(index_file or eval_file), "eval": str(eval_file)},
        "suggestions": suggestions_report(past, asked, folds=past is None),
        "language_dev": english_share(asked),
        "triage": triage_report(triage_file),
        "speed": speed_report([*(past or []), *asked], speed),
    }
    report["seconds"] = time.perf_counter() - started
    return report


def _pct(value: float) -> str:
    return f"{100 * value:5.1f}"


def table(report: dict[str, Any]) -> str:
    s = report["suggestions"]
    lines = [
        f"Suggestions from past answers ({s['setup']}).",
        f"Scope: {s['scope']}.",
        f"{s['asked']} questions asked; agreement = the suggested answer's help page (doc_id) is the agent's.",
        "Percentages. reach = page present in the index at all; ans = got at least one suggestion.",
        "",
        f"{'brand':<17}{'n':>4}  {'hist@1':>6} {'hist@5':>6}  {'freq@1':>6} {'freq@5':>6}  "
        f"{'rand@1':>6} {'rand@5':>6}  {'reach':>5} {'ans':>5}",
    ]

    def row(name: str, r: dict[str, Any], n: Any) -> str:
        return (
            f"{name:<17}{n!s:>4}  {_pct(r['history_top1']):>6} {_pct(r['history_top5']):>6}  "
            f"{_pct(r['frequent_top1']):>6} {_pct(r['frequent_top5']):>6}  "
            f"{_pct(r['random_top1']):>6} {_pct(r['random_top5']):>6}  {_pct(r['reachable']):>5} "
            f"{_pct(r['answered']):>5}"
        )

    for brand, r in s["brands"].items():
        lines.append(row(brand, r, r["questions"]))
    lines.append(row("ALL (micro)", s["overall"], s["overall"]["questions"]))
    lines.append(row("ALL (macro)", s["macro"], f"{s['macro']['brands']}b"))
    for key, what in (
        ("ungrouped_history", "Answers not grouped by help page (plain BM25 per answer)"),
        ("pooled_history", "Without the brand restriction (one index for all brands)"),
    ):
        p = s[key]
        lines.append(f"{what}: hist@1 {_pct(p['history_top1'])}, hist@5 {_pct(p['history_top5'])}.")
    d = report["language_dev"]
    lines += [
        "",
        f"Language on the eval questions (all English): {_pct(d['english'])}% detected as en {d['detected']}",
    ]
    t = report["triage"]
    acc = t["accuracy"]
    lines += [
        "",
        f"Triage on {t['posts']} hand-labelled posts ({Path(t['file']).name}): accuracy, percent",
        f"{'lang':<6}{'n':>4}  {'language':>8} {'question':>8} {'sentiment':>9} {'kind':>6}",
    ]
    for lang, r in [*t["by_language"].items(), ("ALL", {"posts": t["posts"], **acc})]:
        lines.append(
            f"{lang:<6}{r['posts']:>4}  {_pct(r['language']):>8} {_pct(r['is_question']):>8} "
            f"{_pct(r['sentiment']):>9} {_pct(r['kind']):>6}"
        )
    for name, labels in (("kind", KINDS), ("sentiment", SENTIMENTS)):
        matrix = t["confusion"][name]
        lines += [
            "",
            f"{name}: rows = label, columns = triage",
            " " * 11 + "".join(f"{c:>10}" for c in labels),
        ]
        for label in labels:
            counts = matrix.get(label, {})
            lines.append(f"{label:<11}" + "".join(f"{counts.get(c, 0):>10}" for c in labels))
    sp = report["speed"]
    if sp:
        lines += [
            "",
            f"Speed: {sp['answers']} answers indexed in {sp['index_seconds']:.2f} s; "
            f"query p50 {sp['query_p50_ms']:.2f} ms, p99 {sp['query_p99_ms']:.2f} ms, "
            f"max {sp['query_max_ms']:.2f} ms ({sp['queries']} queries).",
        ]
    lines.append(f"Ran in {report['seconds']:.1f} s.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index", type=Path, help="conversations whose answers are indexed (dev.json format)"
    )
    parser.add_argument(
        "--eval", type=Path, help="conversations whose questions are asked (alone: 2-fold split of it)"
    )
    parser.add_argument("--triage", type=Path, default=TRIAGE_SAMPLE, help="hand-labelled posts")
    parser.add_argument("--speed", type=int, default=10_000, help="answers to index for timing (0: skip)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    if args.index and not args.eval:
        parser.error("--index needs --eval (the questions to ask)")
    report = measure(
        index_file=args.index, eval_file=args.eval or DEV_JSON, triage_file=args.triage, speed=args.speed
    )
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
