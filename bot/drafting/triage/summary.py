"""A one-line summary of a post: its most telling sentence, made readable alone."""

from __future__ import annotations

import html
import re

from bot.domain.words import INVISIBLE, LEADING_HANDLES, SPACES, URL, clean_text, words
from bot.drafting.triage.cues import is_question, sentiment, word_set
from bot.drafting.triage.language import detect_language
from bot.drafting.triage.topics import topic


def first_sentence(text: str, *, max_chars: int = 140) -> str:
    """The first sentence of `text`, without leading @handles, on one line, at most `max_chars`."""
    text = html.unescape(text)
    text = LEADING_HANDLES.sub("", text)
    text = SPACES.sub(" ", text).strip()
    match = re.search(r"(?<=[.!?…])\s+(?=\S)", text)
    sentence = text[: match.start()] if match and match.start() >= 12 else text
    return _clip(sentence, max_chars)


def _clip(sentence: str, max_chars: int) -> str:
    if len(sentence) > max_chars:
        cut = sentence[: max_chars - 1]
        space = cut.rfind(" ")
        sentence = (cut[:space] if space > max_chars // 2 else cut).rstrip(" ,;:-") + "…"
    return sentence


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*\n\s*")
# Handles that end a sentence after its punctuation ("..., @acme") address the brand; "sync my
# iPod with @iTunes?" keeps its word.
_TRAILING_HANDLES = re.compile(r"(?<=[,.!?:;…])(?:\s*[@＠]\w+)+(?=[\s.!?…]*$)")
_TRAILING_HASHTAGS = re.compile(r"(?:\s*#\w+)+(?=[\s.!?…]*$)")
# A third-person verb after a leading handle makes the handle the subject: "@yahoo needs to fix this".
_SUBJECT_VERB = re.compile(
    r"(?:has|needs|keeps|won't|wont|can't|cant|doesn't|doesnt|didn't|didnt|isn't|must|sucks|"
    r"is (?:down|not|broken|still|so|the|a|an|literally|really|always|never))\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|greetings|ciao|salve|buongiorno|"
    r"buonasera|gentile|hola|buenas|buenos d[ií]as|bonjour|bonsoir|salut|cher|ch[eè]re|hallo|"
    r"guten (?:tag|morgen|abend)|liebes?|sehr geehrte[rs]?|ol[aá]|oi|bom dia|boa (?:tarde|noite))\b",
    re.IGNORECASE,
)
_GREETING_ADDRESS = re.compile(r"^((?:\s+[^\s,.!?:;…]+){0,3})\s*(?:[,.!?:;…]+\s*|$)")
# Words that start the message itself, not the salutation: "Hi I can't log in", "Hey my order...".
_MESSAGE_STARTS = word_set(
    """i i'm im i've ive i'd my your is are can could the it this why how what please plz pls we our you
    u when where who for on in recently so after since just io il mio la mia non perché come yo mi no
    por je mon ma pas ich mein meine eu meu minha não"""
)


def _drop_greeting(fragment: str) -> str:
    """`fragment` without a salutation: "Hello dear support team, ...", "Hi!", "hey mojang on my...".

    The words after the greeting word are taken as the address when they end with punctuation, or
    (at most three of them) when the message visibly starts after them ("Hi Tucker I notice..."),
    unless a verb follows them: then they are the subject ("Hi Windows 10 won't update").
    """
    greeting = _GREETING.match(fragment)
    if not greeting:
        return fragment
    rest = fragment[greeting.end() :]
    address = _GREETING_ADDRESS.match(rest)
    if address and not any(_starts_message(w) for w in address.group(1).split()):
        return rest[address.end() :]
    words = rest.split()
    for k in range(min(3, len(words) - 1) + 1):
        if k and _SUBJECT_VERB.fullmatch(words[k].replace("’", "'")):
            return rest.lstrip(" ,")  # "Hi Microsoft 10 won't let me": the address is the subject
        if _starts_message(words[k]):
            if any(_starts_message(w) for w in words[:k]):
                break
            return rest.lstrip(" ,").split(maxsplit=k)[k] if k else rest.lstrip(" ,")
    return fragment


def _starts_message(word: str) -> bool:
    return word.lower().replace("’", "'").strip(",") in _MESSAGE_STARTS


def _summary_fragment(sentence: str) -> str:
    """A sentence made readable alone: no links, handles at either end, hashtags or salutation."""
    text = URL.sub(" ", sentence)
    text = re.sub(r"\bhttps?:\s*/*", " ", text)  # the rest of a broken link: "https: //www..."
    greeting = _GREETING.match(text)
    if greeting and LEADING_HANDLES.match(text[greeting.end() :]):  # "Hey @acme @AcmeHelp could you..."
        text = text[greeting.end() :]
    handles = LEADING_HANDLES.match(text)
    if handles and _SUBJECT_VERB.match(text[handles.end() :]):  # "@yahoo needs to fix this" keeps Yahoo
        text = text[: handles.end()].split()[-1].lstrip(".,:;@＠") + " " + text[handles.end() :]
    text = LEADING_HANDLES.sub("", text)
    text = _TRAILING_HANDLES.sub("", text)
    text = _TRAILING_HASHTAGS.sub("", text)
    text = SPACES.sub(" ", text).strip()
    for _ in range(2):  # "Hello ! Dear team, ..."
        text = _drop_greeting(text).lstrip(" .,:;!?…-–—")
    text = re.sub(r"(?<![\w@])[@＠#](\w+)", r"\1", text)  # "I love @acme" → "I love acme"
    text = re.sub(r"\s+([,.!?;:])(?=\s|$)", r"\1", text).rstrip(" ,;:-–—")
    text = re.sub(r"([.!?])…$", r"\1", text)
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


# Words that say nothing about the subject: "How do I fix this?", "Can you help me please?"
_GENERIC = word_set(
    """i me my you your we us it this that these those is are am was be do does did can could would will
    should how what why when where who which any anyone anybody someone somebody help please pls fix
    fixed sort out get going on go there here thing things something issue problem guys a an the to for
    of with about so just now again still idea ideas advice suggestions know let tell hi hello call
    contact reach speak talk respond reply answer dm email message someone asap support
    hey ok okay yes no not happen happened happening thanks thank"""
)


def _telling(fragment: str, lang: str) -> int:
    """How much `fragment` says about the post: 3 a topic, 2 a real question, 1 a feeling, else 0."""
    clean = clean_text(fragment, hashtags=True).lower()
    found = words(clean)
    if len(found) < 4 or all(w in _GENERIC for w in found):
        return 0  # "What do I do?" alone says little
    _, score, objections = sentiment(clean, lang)
    if topic(clean, troubled=objections > 0) is not None:
        return 3
    if len(found) >= 5 and is_question(fragment, clean, lang):
        return 2
    return 1 if objections > 0 or score != 0 else 0


def summarize(text: str, *, title: str | None = None, lang: str = "", max_chars: int = 140) -> str:
    """A one-line summary of a post: its most telling sentence, made readable alone.

    @handles, links and salutations ("Dear @acme ...", "Hello there.") are skipped; the first
    sentence that asks something or names a problem wins over background ("I'm a Plus subscriber.");
    a feeling ("Worst service ever.") comes next; else the first sentence of some length; else `title`.
    """
    lang = lang or detect_language(text)
    unescaped = INVISIBLE.sub("", html.unescape(text))
    sentences = [s for s in (SPACES.sub(" ", part).strip() for part in _SENTENCE_BREAK.split(unescaped)) if s]
    fragments = [f for f in map(_summary_fragment, sentences) if len(words(f.lower())) >= 2]
    if not fragments:  # "FIX. THE. APP." is one thought in several sentences
        fragments = [f for f in [_summary_fragment(" ".join(sentences))] if words(f.lower())]
    # The first sentence that says nearly as much as the most telling one: a later sentence wins
    # only when it says much more ("I'm a Plus subscriber. Can I get Smart Sync?").
    scores = [_telling(fragment, lang) for fragment in fragments[:5]]
    best = max(scores, default=0)
    chosen = next((f for f, score in zip(fragments, scores, strict=False) if score >= max(best - 1, 1)), None)
    long = [f for f in fragments if len(words(f.lower())) >= 4]
    chosen = chosen or next((f for f in long if not all(w in _GENERIC for w in words(f.lower()))), None)
    chosen = chosen or next(iter(long), None)
    chosen = chosen or (fragments[0] if fragments else _summary_fragment(SPACES.sub(" ", title or "")))
    return _clip(chosen, max_chars)
