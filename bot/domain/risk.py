"""When a reply needs two approvers. Pure: the rules come from settings, the facts from the post.

Risk words are matched as whole words in the post's language, through the same Snowball stems as the
past-answers index (bot.domain.words): "rimborsi" finds "rimborso", "prices" finds "price", but the
Italian possessive "sue" ("le sue amiche") is not the English verb, because English words are only
looked for in English posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.domain import Post, Triage
from bot.domain.i18n import _
from bot.domain.words import LANGUAGES, fold, stem, words

EVERY_LANGUAGE = "*"  # the key of the words looked for whatever the post's language

# Few words, each one a reason to have a second person read the reply: money back, legal threats,
# security, outages, prices. Stems cover plurals and most other endings; "sued" stems apart from "sue".
DEFAULT_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        language: tuple(word.strip() for word in listed.split(","))
        for language, listed in {
            "en": "refund, chargeback, lawyer, attorney, legal, lawsuit, sue, sued, outage, price, hacked, "
            "scam, fraud, data breach",
            "it": "rimborso, avvocato, legale, denuncia, querela, truffa, frode, prezzo, disservizio, "
            "hackerato, violazione dei dati",
            "es": "reembolso, devolución, abogado, denuncia, estafa, fraude, precio, hackeado, "
            "filtración de datos",
            "fr": "remboursement, avocat, plainte, procès, arnaque, escroquerie, fraude, prix, piraté, panne, "
            "fuite de données",
            "de": "rückerstattung, erstattung, anwalt, rechtsanwalt, klage, verklagen, betrug, preis, gehackt, "
            "störung, datenleck",
            "pt": "reembolso, devolução, advogado, denúncia, golpe, fraude, preço, hackeado, vazamento de dados",
        }.items()
    }
)
_LANGUAGE_PREFIX = re.compile(r"^([a-z]{2,3})\s*:\s*(.+)$")


@dataclass(frozen=True)
class RiskRules:
    # Per language code (the triage's), plus EVERY_LANGUAGE for words looked for in every post.
    words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_WORDS)
    followers: int = 10_000  # a negative post from an account this big is risky


def parse_words(text: str) -> dict[str, tuple[str, ...]]:
    """PARLEY_RISK_WORDS: "refund, it:rimborso, it:avvocato" → {"*": ("refund",), "it": (…)}.

    A plain word is looked for in every post; `xx:` limits a word to posts in language xx.
    """
    found: dict[str, list[str]] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        prefixed = _LANGUAGE_PREFIX.match(entry.casefold())
        language, word = (prefixed.group(1), prefixed.group(2)) if prefixed else (EVERY_LANGUAGE, entry)
        if ":" in word:
            raise ValueError(f"{entry!r}: write a word, or a language code and a word, e.g. it:rimborso")
        found.setdefault(language, []).append(word.strip())
    return {language: tuple(listed) for language, listed in found.items()}


def risk_reasons(post: Post, triage: Triage, rules: RiskRules) -> tuple[str, ...]:
    """Why a reply to `post` is risky, as short phrases for the card ("mentions “refund”")."""
    reasons: list[str] = []
    followers = post.author.followers or 0
    if triage.sentiment == "negative" and followers >= rules.followers:
        reasons.append(
            _("negative post from an account with {count} followers").format(count=f"{followers:,}")
        )
    found = risk_words_in(f"{post.title or ''} {post.text}", triage.language, rules.words)
    if found:
        reasons.append(_("mentions {words}").format(words=", ".join(f"“{w}”" for w in found)))
    if triage.risk_flag:
        reasons.append(_("flagged by the drafter: {flag}").format(flag=triage.risk_flag))
    return tuple(reasons)


def risk_words_in(text: str, language: str, listed: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The risk words of `listed` that `text`, written in `language`, contains as whole words.

    A post in a language Parley has no stems for (not one of LANGUAGES) is searched for every list's
    words, each with its own language's stems: such a reply is safer checked twice than not at all.
    """
    searches = [(language, listed.get(EVERY_LANGUAGE, ()))]
    if language in LANGUAGES:
        searches.append((language, listed.get(language, ())))
    else:
        searches += [(other, chosen) for other, chosen in listed.items() if other != EVERY_LANGUAGE]
    found: list[str] = []
    for stemming, chosen in searches:
        if not chosen:
            continue
        text_stems = f" {' '.join(_stems(text, stemming))} "
        found += [
            w for w in chosen if (phrase := " ".join(_stems(w, stemming))) and f" {phrase} " in text_stems
        ]
    return _unique(found)


def _stems(text: str, language: str) -> list[str]:
    """Stems of the words of `text`, elisions split ("dell'avvocato" → dell, avvoc)."""
    stemming = language if language in LANGUAGES else "en"
    return [stem(fold(part), stemming) for word in words(text) for part in word.split("'") if part]


def _unique(found: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(found))
