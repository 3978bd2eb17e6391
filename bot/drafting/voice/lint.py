"""The lint: what is wrong with posting a reply in the brand voice (see the package docstring)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.domain import Network, Post, Triage
from bot.domain.findings import Finding
from bot.domain.i18n import _
from bot.domain.text import limit, weighted_length
from bot.drafting.triage import detect_language
from bot.drafting.voice.rules import (
    X_COST_PLAIN,
    X_COST_WITH_LINK,
    Voice,
    either,
    language_name,
    matches,
    normalise,
    quoted,
)


def asks_for_help(triage: Triage) -> bool:
    """Whether the post asked for help (a question or a negative post): selling there is flagged."""
    return triage.is_question or triage.sentiment == "negative" or triage.kind in ("question", "complaint")


def lint(text: str, *, post: Post, voice: Voice, is_help_request: bool) -> tuple[Finding, ...]:
    """What is wrong with posting `text` in reply to `post` in `voice`, most serious first.

    `is_help_request` says whether the post asked for help (see :func:`asks_for_help`). Only the
    reply is inspected; the post contributes its network, so its text cannot change the rules.
    """
    normal = normalise(text)
    links = find_links(text)
    checks = (
        _promises(normal, voice),
        _banned_phrases(normal, voice),
        _links_outside(links, voice),
        _selling(normal, voice) if is_help_request else None,
        _over_length(text, post.network),
        _language(text, voice),
        _emoji(text, voice),
        _x_link_cost(links) if post.network is Network.X else None,
    )
    return tuple(finding for finding in checks if finding is not None)


def _promises(normal: str, voice: Voice) -> Finding | None:
    claims = matches(voice.banned_claims, normal)
    if not claims:
        return None
    message = _("Mentions {terms}: don't promise refunds, compensation or dates in public.")
    return Finding("promise", message.format(terms=quoted(claims)))


def _banned_phrases(normal: str, voice: Voice) -> Finding | None:
    phrases = matches(voice.banned_phrases, normal)
    if not phrases:
        return None
    message = _("Uses {terms}: the brand voice bans this wording.")
    return Finding("banned_phrase", message.format(terms=quoted(phrases)))


def _links_outside(links: list[str], voice: Voice) -> Finding | None:
    outside = [url for url in links if not link_allowed(url, voice)]
    if not outside:
        return None
    shown = ", ".join(f"“{_clip(url)}”" for url in dict.fromkeys(outside))
    rule = (
        _("Links to {links}: only help-centre links may be cited ({allowed}).")
        if voice.allowed_links
        else _("Links to {links}: replies may not contain links.")
    )
    return Finding("link_not_allowed", rule.format(links=shown, allowed=", ".join(voice.allowed_links)))


def _selling(normal: str, voice: Voice) -> Finding | None:
    selling = matches(voice.selling_words, normal)
    if not selling:
        return None
    message = _("Mentions {terms} to someone asking for help: don't sell here.")
    return Finding("selling", message.format(terms=quoted(selling)))


def _over_length(text: str, network: Network) -> Finding | None:
    used, most = weighted_length(network, text), limit(network)
    if used <= most:
        return None
    message = _("Too long for {network}: {used}/{most}. Shorten it by {over}.")
    return Finding(
        "over_length", message.format(network=network.label, used=used, most=most, over=used - most)
    )


def _language(text: str, voice: Voice) -> Finding | None:
    language = _foreign_language(text, voice)
    if not language:
        return None
    allowed = either([_(language_name(code)) for code in voice.languages])
    message = _("Looks like {language}; the team answers in {allowed}.")
    return Finding("language", message.format(language=_(language_name(language)), allowed=allowed))


def _emoji(text: str, voice: Voice) -> Finding | None:
    most = {"none": 0, "one": 1, "any": None}[voice.emoji]
    if most is None:
        return None
    count = _count_emoji(text)
    if count <= most:
        return None
    message = (
        _("Has {count} emoji; the brand voice allows no emoji.")
        if most == 0
        else _("Has {count} emoji; the brand voice allows at most one emoji.")
    )
    return Finding("emoji", message.format(count=count))


def _x_link_cost(links: list[str]) -> Finding | None:
    if not links:
        return None
    return Finding(
        "x_link_cost",
        _("Has a link: on X this reply costs ${with_link} to post instead of ${plain}.").format(
            with_link=f"{X_COST_WITH_LINK:.2f}", plain=f"{X_COST_PLAIN}"
        ),
    )


# A URL with any scheme (twitter-text misses "https://help.acme.com@evil.com/" and IP addresses).
_SCHEME_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>\"'”’»"


def find_links(text: str) -> list[str]:
    """Every link in `text`: explicit `scheme://` addresses, and bare domains X would link (`acme.com/x`)."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        found.append((match.start(), url))
        spans.append((match.start(), match.start() + len(url)))
    # twitter-text costs ~18 MiB (pkg_resources and its data): only processes that lint load it.
    from twitter_text import extract_urls_with_indices

    for entity in extract_urls_with_indices(text):
        start, end = entity["indices"]
        if not any(start < high and low < end for low, high in spans):
            found.append((int(start), str(entity["url"])))
    return [url for _, url in sorted(found)]


def link_allowed(url: str, voice: Voice) -> bool:
    """Whether `url` starts with one of the voice's allowed prefixes (host compared without case).

    A bare `help.acme.com/x` matches `https://help.acme.com/`; an explicit scheme must match too.
    `https://help.acme.com.evil.com/` and `https://help.acme.com@evil.com/` do not match.
    """
    target = _split(url)
    if target is None:
        return False
    scheme, rest = target
    for prefix in voice.allowed_links:
        allowed = _split(prefix)
        if allowed and rest.startswith(allowed[1]) and scheme in (None, allowed[0]):
            return True
    return False


def _split(url: str) -> tuple[str | None, str] | None:
    """(scheme or None, host[:port]/path?query) with the host lower-cased, or None when unparsable."""
    has_scheme = "://" in url
    try:
        parts = urlsplit(url if has_scheme else f"//{url}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or (parts.username is not None or parts.password is not None):
        return None
    rest = parts.hostname.rstrip(".") + (f":{port}" if port else "") + (parts.path or "/")
    rest += f"?{parts.query}" if parts.query else ""
    return (parts.scheme.lower() if has_scheme else None), rest


def _clip(url: str, most: int = 60) -> str:
    return url if len(url) <= most else url[: most - 1] + "…"


_TEXT_STYLE_SYMBOLS = frozenset("©®™")  # emoji only when followed by U+FE0F; usually plain text


def _count_emoji(text: str) -> int:
    from twitter_text import extract_emojis_with_indices  # ~18 MiB: see find_links

    return sum(1 for e in extract_emojis_with_indices(text) if e["emoji"] not in _TEXT_STYLE_SYMBOLS)


_ENGLISH_MARKERS = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "we",
        "our",
        "us",
        "to",
        "is",
        "are",
        "for",
        "with",
        "this",
        "that",
        "please",
        "sorry",
        "thanks",
        "thank",
        "can",
        "will",
    ]
)
_MIN_WORDS = 5


def _foreign_language(text: str, voice: Voice) -> str | None:
    """The reply's language when it is clearly not one the team answers in; None when fine or unsure.

    `detect_language` says "en" when unsure, so English is reported only with some English words.
    The sign-off is left out: "– Anna from Acme" says nothing about the reply's language.
    """
    if not voice.languages:
        return None
    body = text.replace(voice.sign_off, " ") if voice.sign_off else text
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*", body.lower())
    if len(words) < _MIN_WORDS:
        return None
    language = detect_language(body)
    if language in voice.languages:
        return None
    if language == "en" and sum(word in _ENGLISH_MARKERS for word in words) < 3:
        return None
    return language
