"""The words of a post, the same way for every helper: cleaning, folding, stop words and stems.

Triage, the past-answers index and the statistics' topics all read posts through these
functions, so "@acme" or a link is ignored, and "Perché" matches "perche", the same way
everywhere. Pure: no I/O.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from functools import cache, lru_cache
from typing import Any

__all__ = [
    "HANDLE",
    "HASHTAG",
    "INVISIBLE",
    "LANGUAGES",
    "LEADING_HANDLES",
    "LINK",
    "SPACES",
    "STOP_WORDS",
    "URL",
    "clean_text",
    "fold",
    "is_stop_word",
    "stem",
    "words",
]

LANGUAGES = ("en", "it", "es", "fr", "de", "pt")

LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)  # an explicit link
# Anything that reads as an address: links, e-mail addresses, bare and defanged domains
# (example.com/x, evil[.]com).
URL = re.compile(
    LINK.pattern + r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:(?:\.|\[\.\])[\w-]+)*(?:\.|\[\.\])(?:com|net|org|io|co|info|app|me|ly|gl|be|tv|uk|de|it|es|fr)"
    r"\b(?:/\S*)?",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w@])[@＠]\w+|\bu/\w+|\br/\w+", re.IGNORECASE)  # @x handles, Reddit u/ and r/
LEADING_HANDLES = re.compile(r"^(?:[\s.,:;]*[@＠]\w+)+[\s,:;]*")  # ".@acme @help, " opening a reply
HASHTAG = re.compile(r"(?<![\w#])#\w+")
SPACES = re.compile(r"\s+")
# Characters a reader cannot see: zero-width spaces and joiners, direction marks, BOM.
# Hidden characters removed before matching words (joiners too, unlike bot.domain.text.neutralise,
# which keeps them for display): a soft hyphen or a zero-width space must not hide a banned word.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*'?", re.UNICODE)


def clean_text(text: str, *, hashtags: bool = False) -> str:
    """`text` without @handles, URLs and hashtags, HTML entities decoded, whitespace collapsed.

    With `hashtags=True` a hashtag's word stays ("#phishing" → "phishing"): it says what the post
    is about, though not which language it is in.
    """
    text = INVISIBLE.sub("", html.unescape(text)).replace("’", "'").replace("`", "'")
    text = URL.sub(" ", text)
    text = HANDLE.sub(" ", text)
    text = HASHTAG.sub((lambda m: m.group(0)[1:]) if hashtags else (lambda m: " "), text)
    return SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, elisions kept together ("l'abbonamento", "don't")."""
    return _WORD.findall(text.lower())


def fold(text: str) -> str:
    """Lower case without accents ("Perché" → "perche", "ß" → "ss")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(blob: str) -> frozenset[str]:
    return frozenset(fold(word) for word in blob.split())


# Function words per language, folded (no accents), with the greetings and thanks that open a post
# and the apostrophe-less spellings of contractions ("dont", "cest"): they say nothing about what a
# post is about.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _folded(
        """a an the and or but if so as at by for from in into of on onto to with without about over
        under above below after before against between during through until while further
        i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
        himself she her hers herself it its itself they them their theirs themselves this that these
        those there here what which who whom whose why how when where am is are was were be been being
        do does did doing done have has had having can cannot could will would shall should may might
        must ought not no nor yes just also too very really still yet again even only ever never any
        all some each every both few more most much many other such than then now out up down off once
        own same hi hello hey dear please pls plz thanks thank thx guys im ive id dont doesnt didnt
        cant wont isnt arent wasnt werent havent hasnt hadnt couldnt wouldnt shouldnt don doesn didn
        won isn aren wasn weren haven hasn hadn couldn wouldn shouldn ll ve re let lets get gets got
        getting one"""
    ),
    "it": _folded(
        """il lo la i gli le un uno una di da del dello della dei degli delle dal dallo dalla dai dagli
        dalle a al allo alla ai agli alle in nel nello nella nei negli nelle su sul sullo sulla sui
        sugli sulle con per tra fra che chi cui non ne ed e o ma se come anche ancora gia piu meno
        molto poco tutto tutti tutta tutte sono sei siamo siete era erano sara essere stato stata stati
        state ho hai ha abbiamo avete hanno avere aveva fare fatto faccio fa mi ti ci vi si mio mia
        miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra vostro vostra loro questo questa
        questi queste quello quella quelli quelle qui qua li dove quando perche cosa quale quali quanto
        quanta ciao salve grazie buongiorno buonasera prego dell nell all dall sull quest po solo
        sempre mai oggi ieri domani qualcuno qualcosa niente nulla vorrei volevo posso puoi potete devo
        dovete voglio sapere"""
    ),
    "es": _folded(
        """el la los las lo del al en pero porque por para con sin sobre es soy eres somos son esta este
        esto estos estas ese esa eso estoy estan tengo tiene tienen mi mis tu tus su sus nos les me te
        se que quien cual como cuando donde ya muy mas hola gracias buenos buenas dias hay he han"""
    ),
    "fr": _folded(
        """le la les des du de un une et ou mais donc car ne pas plus qui quoi dont je tu il elle nous
        vous ils elles mon ma mes ton ta tes son sa ses notre votre vos ce cet cette ces est sont suis
        etes ai as avons avez ont fait dans sur avec sans pour chez au aux bonjour bonsoir merci salut
        svp tres toujours encore deja ca cest jai quil"""
    ),
    "de": _folded(
        """der die das den dem des ein eine einen einem einer eines und oder aber denn wenn dass ich du
        er sie wir ihr mein meine meinen meinem dein deine euer eure sein seine ist bin bist sind seid
        war waren habe hast hat haben hatte wird werden kann konnen mit fur auf von zu zum zur im an am
        aus bei nach uber unter vor nicht kein keine noch schon auch nur sehr hallo danke bitte was wie
        warum wann wo wer welche welcher dies diese dieser mal doch"""
    ),
    "pt": _folded(
        """o a os as um uma uns umas do dos da das no na nos nas ao aos pelo pela com sem em que nao sim
        eu voce voces ele ela eles elas meu minha meus minhas seu seus suas nosso nossa isso isto esse
        essa este esta estou estao tenho tem temos sou foi ser estar muito ja ainda ola oi obrigado
        obrigada bom boa dia tarde noite pra"""
    ),
}
_ANY_STOP_WORD = frozenset().union(*STOP_WORDS.values())


def is_stop_word(folded: str) -> bool:
    """Whether `folded` (a word passed through :func:`fold`) is a stop word in any of the languages.

    Any, not only the post's: mixed-language posts are common, and a short post's language is a guess.
    """
    return folded in _ANY_STOP_WORD


_SNOWBALL = {"en": "english", "it": "italian", "es": "spanish", "fr": "french", "de": "german"}
_SNOWBALL["pt"] = "portuguese"


_STEMMING = threading.Lock()  # a Snowball stemmer keeps the word in progress: one thread at a time


@lru_cache(maxsize=65_536)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a lower-case `word` in `language` (English for any other language)."""
    with _STEMMING:
        stemmed: str = _stemmer(language).stemWord(word)
    return stemmed


@cache
def _stemmer(language: str) -> Any:
    # Imported here: snowballstemmer loads its 30 languages at import; only processes that stem pay.
    import snowballstemmer

    return snowballstemmer.stemmer(_SNOWBALL.get(language, "english"))
