"""Reusing a past answer for a new author: leading @handles go, the greeting gets the new name.

"Hi Amir." / "Ciao Marco!" / "Hola Juan," become the new author's first name; pure, no I/O.
"""

from __future__ import annotations

import re

from bot.domain.words import LEADING_HANDLES

__all__ = ["adapt", "first_name"]

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
    leading = LEADING_HANDLES.match(answer_text)
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
