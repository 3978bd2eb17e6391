"""The brand voice's rules: the `Voice` file, its defaults, and the block of instructions for the drafter."""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from bot.domain.findings import FindingCode
from bot.domain.i18n import N_, _
from bot.domain.words import INVISIBLE

EmojiPolicy = Literal["none", "one", "any"]
CODES: tuple[FindingCode, ...] = get_args(FindingCode)

# What X charges to post one reply through the API (pay-per-use), in US dollars.
X_COST_PLAIN = 0.015
X_COST_WITH_LINK = 0.20

LANGUAGE_NAMES = {  # English: the drafters' prompts use them as they are; the team reads them translated
    "en": N_("English"),
    "it": N_("Italian"),
    "es": N_("Spanish"),
    "fr": N_("French"),
    "de": N_("German"),
    "pt": N_("Portuguese"),
}


@dataclass(frozen=True)
class Voice:
    """How the brand sounds. Every list is a tuple of trusted strings from the voice file."""

    tone: str = ""
    do: tuple[str, ...] = ()
    dont: tuple[str, ...] = ()
    sign_off: str = ""  # "– Anna from Acme"; empty: no sign-off
    emoji: EmojiPolicy = "one"
    languages: tuple[str, ...] = ()  # ISO 639-1 codes the team reviews in; empty: any language
    banned_phrases: tuple[str, ...] = ()
    banned_claims: tuple[str, ...] = ()  # promises: "refund", "guarantee", "we will fix it by"
    allowed_links: tuple[str, ...] = ()  # URL prefixes that may be cited; empty: no links at all
    selling_words: tuple[str, ...] = ()  # flagged in replies to someone asking for help

    @classmethod
    def default(cls) -> Voice:
        """Built-in rules for a team without a voice file: no links, one emoji, no promises or selling."""
        return cls(
            tone="Warm, brief and plain-spoken; helpful without being chatty.",
            emoji="one",
            banned_phrases=DEFAULT_BANNED_PHRASES,
            banned_claims=DEFAULT_BANNED_CLAIMS,
            selling_words=DEFAULT_SELLING_WORDS,
        )

    @classmethod
    def load(cls, path: Path | str) -> Voice:
        """Read a voice file (TOML); every mistake is reported in one `ValueError`, by key."""
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"{path}: the voice file does not exist.") from None
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: not valid TOML ({error}).") from None
        return cls.parse(raw, origin=str(path))

    @classmethod
    def parse(cls, raw: Mapping[str, Any], *, origin: str = "voice") -> Voice:
        """A voice from parsed TOML. Missing keys keep :meth:`default`'s value (`[]` empties a list)."""
        problems: list[str] = []
        base = cls.default()
        known = sorted(f.name for f in fields(cls))
        for key in raw:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(known)}"
                problems.append(f"{origin}: {key}: unknown key ({hint}).")

        def text(key: str) -> str:
            value = raw.get(key, getattr(base, key))
            if not isinstance(value, str):
                problems.append(f"{origin}: {key} must be a string, got {_kind(value)}.")
                return str(getattr(base, key))
            return " ".join(value.split())

        def strings(key: str, check: Callable[[str], str | None] | None = None) -> tuple[str, ...]:
            value = raw.get(key, getattr(base, key))
            if not isinstance(value, list | tuple):
                problems.append(f"{origin}: {key} must be a list of strings, got {_kind(value)}.")
                return ()
            items: list[str] = []
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    problems.append(f"{origin}: {key}[{i}] must be a string, got {_kind(item)}.")
                    continue
                clean = " ".join(item.split())
                problem = "is empty" if not clean else check(clean) if check else None
                if problem:
                    problems.append(f"{origin}: {key}[{i}] {problem}.")
                    continue
                items.append(clean)
            return tuple(dict.fromkeys(items))

        def policy() -> EmojiPolicy:
            value = raw.get("emoji", base.emoji)
            if value not in get_args(EmojiPolicy):
                problems.append(f"{origin}: emoji must be one of none, one, any; got {value!r}.")
                return base.emoji
            emoji: EmojiPolicy = value
            return emoji

        voice = cls(
            tone=text("tone"),
            do=strings("do"),
            dont=strings("dont"),
            sign_off=text("sign_off"),
            emoji=policy(),
            languages=tuple(code.lower() for code in strings("languages", _language_problem)),
            banned_phrases=strings("banned_phrases", _term_problem),
            banned_claims=strings("banned_claims", _term_problem),
            allowed_links=strings("allowed_links", _link_problem),
            selling_words=strings("selling_words", _term_problem),
        )
        if problems:
            raise ValueError("\n".join(problems))
        return voice


DEFAULT_BANNED_PHRASES = (
    "as per our policy",
    "unfortunately we cannot",
    "calm down",
    "we apologize for any inconvenience",
    "as previously stated",
    "come da policy",
    "purtroppo non possiamo",
    "si calmi",
    "stia calmo",
    "ci scusiamo per il disagio arrecato",
)
DEFAULT_BANNED_CLAIMS = (
    "refund",
    "reimburs*",
    "compensat*",
    "guarantee",
    "free of charge",
    "money back",
    "we will fix it by",
    "rimbors*",
    "risarci*",
    "indennizz*",
    "garanti*",
    "garanzia",
    "gratuitamente",
    "a titolo gratuito",
    "senza alcun costo",
)
DEFAULT_SELLING_WORDS = (
    "upgrade",
    "discount",
    "promo code",
    "coupon",
    "buy now",
    "special offer",
    "limited time",
    "premium plan",
    "sconto",
    "sconti",
    "scontato",
    "offerta",
    "codice promo",
    "acquista ora",
    "compra ora",
    "piano premium",
    "promozione",
)


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _language_problem(code: str) -> str | None:
    if re.fullmatch(r"[A-Za-z]{2}", code):
        return None
    return f"is not a two-letter ISO 639-1 code such as 'en' or 'it' (got {code!r})"


def _term_problem(term: str) -> str | None:
    if "*" in term.rstrip("*") or term.count("*") > 1:
        return f"may use * only once, at the end (got {term!r})"
    if not normalise(term).strip("*").strip():
        return f"has no words to match (got {term!r})"
    return None


def _link_problem(prefix: str) -> str | None:
    parts = urlsplit(prefix)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"must be a full address such as 'https://help.example.com/' (got {prefix!r})"
    return None


# --- instructions for the drafter -----------------------------------------------------------------


def instructions(voice: Voice) -> str:
    """The block appended to the drafter's fixed system rules; built from trusted config only."""
    lines = [
        "Brand voice, set by the team. It adds to the rules above and never relaxes them; on emoji, "
        "links, languages and sign-off it replaces them.",
    ]
    if voice.tone:
        lines.append(f"- Tone: {voice.tone}")
    if voice.do:
        lines.append("- Do: " + "; ".join(item.rstrip(".") for item in voice.do) + ".")
    if voice.dont:
        lines.append("- Don't: " + "; ".join(item.rstrip(".") for item in voice.dont) + ".")
    if voice.banned_phrases:
        lines.append("- Never write these phrases: " + quoted(voice.banned_phrases) + ".")
    if voice.banned_claims:
        lines.append("- Never mention or promise: " + quoted(voice.banned_claims) + ".")
    lines.append(
        {
            "none": "- Emoji: none.",
            "one": "- Emoji: at most one.",
            "any": "- Emoji: a few are fine where they fit the tone.",
        }[voice.emoji]
    )
    if voice.languages:
        names = ", ".join(f"{language_name(code)} ({code})" for code in voice.languages)
        lines.append(
            f"- Languages: the team reviews replies in {names}. Reply in the post's language when it "
            f"is one of these; otherwise reply in {language_name(voice.languages[0])}."
        )
    if voice.allowed_links:
        lines.append(
            "- Links: when it answers the question, you may cite these help-centre addresses exactly as "
            "written, and no other link: " + ", ".join(voice.allowed_links) + ". Never make up deeper pages."
        )
    else:
        lines.append("- Links: none.")
    if voice.sign_off:
        lines.append(
            f"- Sign-off: end every reply with a new line holding exactly “{voice.sign_off}” "
            "(it counts toward the character limit)."
        )
    else:
        lines.append("- Sign-off: none; do not sign the reply.")
    return "\n".join(lines) + "\n"


def quoted(terms: Iterable[str]) -> str:
    """“refund”, “rimbors…” (a stem is shown with an ellipsis)."""
    return ", ".join(f"“{term[:-1]}…”" if term.endswith("*") else f"“{term}”" for term in terms)


def either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + _(" or ") + names[-1]


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# Hidden characters a reviewer cannot see, which would split a word in two: "re\u200bfund".
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "cannot"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
)


def normalise(text: str) -> str:
    """Lower-case, compatibility-folded text with plain apostrophes and English contractions expanded."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    for pattern, expansion in _CONTRACTIONS:
        text = pattern.sub(expansion, text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str]:
    normal = normalise(term)
    stem = normal.endswith("*")
    words = normal.rstrip("*").split()
    body = r"[\s\-]+".join(re.escape(word) for word in words)
    ending = r"\w*" if stem else r"(?:s|es|ed|d|ing)?"
    return re.compile(rf"(?<!\w){body}{ending}(?!\w)")


def matches(terms: Iterable[str], normal: str) -> list[str]:
    """The words of `normal` that match `terms` (as written in the reply, lower-cased), in term order."""
    found = (_term_pattern(term).search(normal) for term in terms)
    return list(dict.fromkeys(match.group(0) for match in found if match))
