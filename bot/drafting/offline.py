"""A reply drafter that needs no LLM: courteous templates per language and issue type.

The reply greets the author by a plausible first name, else anonymously ("Hi there"; never by
handle, never with a leading @), acknowledges the kind of issue (security, login, billing,
refund, purchase, delivery, bug, feedback, question, complaint, praise), asks for what the team
needs through a private channel (a DM on X, a private message on Reddit) without asking for
private data in public, and promises nothing but a look. Spam gets one short neutral line (the
team will reject it, but a card never has an empty draft). No sentence appears twice in a reply.
It is deterministic: the same post always gets the same reply; the greeting and closing are
picked from the post id, so replies vary and X does not refuse them as duplicates.
"""

from __future__ import annotations

import re
import zlib

from bot.domain import Draft, Network, Post
from bot.domain.conversation import Said
from bot.domain.text import limit
from bot.drafting.base import FIRST_DRAFT, Brief, Proposal, fit
from bot.drafting.templates import ENGLISH, TEMPLATES
from bot.drafting.triage import Issue, assess, classify_issue

__all__ = ["DEFAULT_BRAND", "OfflineDrafter", "first_name", "without_repeats"]

DEFAULT_BRAND = "the team"


_NAME = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)?$")
_NOT_NAMES = re.compile(
    r"(?:the|mr|mrs|ms|miss|dr|sir|team|official|support|help|news|store|shop|real|its|it's|im|i'm"
    r"|el|la|le|il|lo|los|las|les|der|die|das|dj|mc)",
    re.IGNORECASE,
)
_EMOJI_AND_SYMBOLS = re.compile(r"[^\w\s'’-]+")


def first_name(display_name: str) -> str | None:
    """A plausible first name from a display name ("Maria Rossi 🌻" → "Maria"), or None.

    Only a capitalised word of letters (2–20) that is not a title or a brand-ish word is taken:
    "JOHN", "xXgamerXx" and "Team Rocket" give None.
    """
    words = _EMOJI_AND_SYMBOLS.sub(" ", display_name).split()
    if not words:
        return None
    word = words[0]
    if not (2 <= len(word) <= 20) or not _NAME.match(word) or _NOT_NAMES.fullmatch(word):
        return None
    rest = re.sub(r"['’-].", "", word[1:])  # O'Brien, Jean-Luc
    if not word[0].isupper() or (rest and not rest.islower()):
        return None
    return word


def _real_name(post: Post) -> str | None:
    """The author's first name if their display name gives a plausible one, else None.

    A display name that is just the handle ("CinVakas", "hannahjep") says nothing about the person:
    greeting it reads like a bot, so the greeting is then anonymous.
    """
    handle = post.author.handle.lstrip("@").casefold()
    if re.sub(r"\s+", "", post.author.name).casefold() == handle:
        return None
    return first_name(post.author.name)


_SORRY = frozenset(
    {Issue.SECURITY, Issue.LOGIN, Issue.BILLING, Issue.PURCHASE, Issue.DELIVERY, Issue.BUG, Issue.COMPLAINT}
)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _key(sentence: str) -> str:
    return re.sub(r"[\W_]+", " ", sentence.casefold()).strip()


def without_repeats(text: str) -> str:
    """`text` with every sentence that already appeared in it (ignoring case and punctuation) removed."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE.split(text.strip()):
        key = _key(sentence)
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(sentence)
    return " ".join(kept)


CLOSE_WITHOUT_REPLY = "a thank-you after our answer: you may also close the case without replying"
_THANKS = re.compile(
    r"\b(thanks?|thank you|thx|ty|cheers|grazie|gracias|merci|danke|obrigad[oa]|sorted|solved|"
    r"that worked|it works( now)?|funziona|risolto)\b",
    re.IGNORECASE,
)


def is_thanks(text: str, conversation: tuple[Said, ...]) -> bool:
    """A short thank-you, with no new question, after the brand has answered: the conversation can end."""
    answered = any(said.by == "brand" for said in conversation)
    return answered and len(text) <= 140 and "?" not in text and bool(_THANKS.search(text))


class OfflineDrafter:
    """Drafts a reply from templates, in the post's language (en, it, es, fr, de, pt; else English)."""

    name = "offline"

    def __init__(self, brand: str = DEFAULT_BRAND) -> None:
        self.brand = brand.strip() or DEFAULT_BRAND

    def propose(self, post: Post, brief: Brief = FIRST_DRAFT) -> Proposal:
        """`examples` are not used here: bot.drafting.history adapts a past answer itself."""
        assessment = brief.assessment or assess(post)
        result, instruction = assessment.triage, brief.instruction
        answered = any(said.by == "brand" for said in brief.conversation)
        if not instruction and is_thanks(post.text, brief.conversation):
            return Proposal(triage=result, draft=self._welcome(post, result.language))
        if not instruction and answered:  # not the same first answer again: the person has it
            return Proposal(triage=result, draft=self._again(post, result.language))
        text, note = self.reply(post, language=result.language, issue=assessment.issue, variant=instruction)
        if instruction:
            text, done = follow(instruction, text)
            note = "; ".join(n for n in (note, done) if n)
        return Proposal(triage=result, draft=Draft(text=text, drafter=self.name, note=note))

    def _welcome(self, post: Post, language: str) -> Draft:
        lang = TEMPLATES.get(language, ENGLISH)
        name = _real_name(post)
        text = lang.welcome[zlib.crc32(post.id.encode()) % len(lang.welcome)].format(
            name=f" {name}" if name else ""
        )
        return Draft(text=text, drafter=self.name, note=CLOSE_WITHOUT_REPLY)

    def _again(self, post: Post, language: str) -> Draft:
        lang = TEMPLATES.get(language, ENGLISH)
        name = _real_name(post)
        text = lang.again[zlib.crc32(post.id.encode()) % len(lang.again)].format(
            name=f", {name}" if name else ""
        )
        return Draft(
            text=fit(post.network, text)[0], drafter=self.name, note="a follow-up: answer what is new"
        )

    def reply(
        self, post: Post, *, language: str, issue: Issue | None = None, variant: str = ""
    ) -> tuple[str, str]:
        """The reply text for `post` in `language`, and a note ("" unless it had to be shortened).

        `issue` defaults to `classify_issue(post)`.
        """
        lang = TEMPLATES.get(language, ENGLISH)
        issue = classify_issue(post) if issue is None else issue
        # `variant` (a regeneration request) changes the pick, so a new draft reads differently.
        seed = zlib.crc32(f"{post.network.value}:{post.id}:{variant}".encode())
        name = _real_name(post)
        anonymous = lang.hello_anonymous
        greeting = lang.hello.format(name=name) if name else anonymous[seed % len(anonymous)]
        closings: tuple[str, ...] = ()
        if issue is Issue.PRAISE:
            body = lang.praise[seed % len(lang.praise)]
        else:
            # X says "DM"; every other network a private message, as Reddit does; in a private
            # conversation the person is asked to answer there.
            dm = lang.here if post.private else lang.dm.get(post.network, lang.dm[Network.REDDIT])
            reach = (
                lang.reach
                if self.brand == DEFAULT_BRAND and lang is not ENGLISH
                else lang.reach_brand.format(brand=self.brand)
            )
            body = lang.bodies[issue].format(dm=dm, Dm=dm[:1].upper() + dm[1:], reach=reach)
            if issue is not Issue.SPAM:  # spam gets a short, neutral line: the team will reject it
                closings = lang.closings_sorry if issue in _SORRY else lang.closings
        text = without_repeats(greeting + body)
        said = {_key(s) for s in _SENTENCE.split(text)}
        # The closing (or none) is picked from the post id, so that replies differ: X refuses a text
        # the account already posted. One the body already says is skipped.
        options = (*closings, "") if closings else ("",)
        start = (seed // 7) % len(options)
        closing = next((c for c in options[start:] + options[:start] if _key(c) not in said), "")
        fitted, shortened = fit(post.network, f"{text} {closing}" if closing else text)
        if shortened and closing:
            fitted, shortened = fit(post.network, text)
        note = f"shortened to fit {limit(post.network, post)}" if shortened else ""
        return fitted, note


_FORMAL_GREETINGS = (
    ("Hi ", "Hello "),
    ("Hey ", "Hello "),
    ("Ciao ", "Buongiorno "),
    ("Hola ", "Buenos días "),
)


_ASK = re.compile(r"\b(DM|message|messaggio|mensaje|privé|Nachricht|mensagem)\b", re.IGNORECASE)


def _shorter(text: str) -> str:
    """The greeting and apology up to its second comma, plus the sentence that asks for something."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if not sentences:
        return text
    first, *rest = sentences
    parts = first.split(", ")
    opening = ", ".join(parts[:2]).rstrip(".!") + "." if len(parts) > 2 else first
    ask = next((s for s in rest if _ASK.search(s)), "")
    return " ".join(p for p in (opening, ask) if p)


def follow(instruction: str, text: str) -> tuple[str, str]:
    """Apply what the offline drafter can of a team's instruction; returns the text and a note."""
    wanted = instruction.casefold()
    done: list[str] = []
    if any(w in wanted for w in ("short", "brief", "concise", "breve", "corto")):
        text = _shorter(text)
        done.append("shorter")
    if any(w in wanted for w in ("formal", "formale")):
        for casual, formal in _FORMAL_GREETINGS:
            if text.startswith(casual):
                text = formal + text[len(casual) :]
        text = text.replace("!", ".")
        done.append("more formal")
    if not done:
        return text, "the offline drafter cannot follow free instructions: a different wording"
    return text, ", ".join(done)


def public_note(post: Post, language: str) -> str:
    """The short public reply that follows a private answer, in the post's language."""
    name = _real_name(post)
    return TEMPLATES.get(language, ENGLISH).sent.format(name=f" {name}" if name else "")
