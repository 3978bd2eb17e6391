"""Offline triage: language, question, sentiment, urgency, kind, issue type and a one-line summary.

Pure and fast (well under a millisecond per post): small hand-written lexicons for English,
Italian, Spanish, French, German and Portuguese, no models, no network. It is a heuristic that
gets clear cases right and falls back to neutral answers ("en", "neutral", "normal", "other")
when unsure.

Language detection scores each language by its stop words (a word shared by several languages
counts for each a fraction of a point), by letters and elisions that only some languages use
(``ñ``, ``ã``, ``ß``, ``j'ai``, ``dell'``) and by typical word endings (``-zione``, ``-ción``,
``-ção``, ``-ung``). @handles, URLs, hashtags and numbers are ignored.

The kind (`Triage.kind`) is spam (promotion, crypto and giveaway scams, follow-for-follow, a bare
link, a run of one character), else question (asks something or for help), else praise (positive,
nothing wrong), else complaint (negative, or reports a problem), else other. The summary is the
post's most telling sentence without @handles, links or salutations (`summarize`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Post, Sentiment, Triage, Urgency

__all__ = [
    "KINDS",
    "LANGUAGES",
    "Issue",
    "classify_issue",
    "clean_text",
    "detect_language",
    "first_sentence",
    "summarize",
    "triage",
    "triage_and_issue",
]

LANGUAGES = ("en", "it", "es", "fr", "de", "pt")

# --- text normalisation --------------------------------------------------------------------------

_URL = re.compile(
    r"\b(?:https?://|www\.)\S+"  # links
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+(?:(?:\.|\[\.\])[\w-]+)*(?:\.|\[\.\])(?:com|net|org|io|co|info|app|me|ly|gl|be|tv|uk|de|it|es|fr)"
    r"\b(?:/\S*)?",  # bare and defanged domains: example.com/x, evil[.]com
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@])[@＠]\w+|\bu/\w+|\br/\w+", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*'?", re.UNICODE)
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str, *, hashtags: bool = False) -> str:
    """`text` without @handles, URLs and hashtags, HTML entities decoded, whitespace collapsed.

    With `hashtags=True` a hashtag's word stays ("#phishing" → "phishing"): it says what the post
    is about, though not which language it is in.
    """
    text = _INVISIBLE.sub("", html.unescape(text)).replace("’", "'").replace("`", "'")
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub((lambda m: m.group(0)[1:]) if hashtags else (lambda m: " "), text)
    return _SPACES.sub(" ", text).strip()


def _words(clean: str) -> list[str]:
    return _WORD.findall(clean.lower())


# --- language detection ----------------------------------------------------------------------------

_STOP_WORDS: dict[str, str] = {
    "en": """the and is are was were be been being my i me you your it this that these those to of for
        with not no can't cant don't dont doesn't didn't won't isn't haven't have has had what why how when
        where who which please help thanks thank hi hello hey just but we our us they their get got will
        would can could should still from on at an there do does did any all so if or out up about know
        need want i'm im it's its again working work order app account card since yet after my yesterday
        today anyone someone nothing anything always never really very even only also here because keep
        be are then after before now they them between waiting answer reply experience service customer
        support package card site write private message worst guys
        same twice new time times""",
    "it": """il lo gli la le di del dello della dei degli delle che è e non un una uno per con sono ho hai
        ha abbiamo avete hanno mi ti ci si mio mia miei mie tuo tua come perché perche quando dove cosa anche
        ancora grazie ciao buongiorno buonasera salve aiuto questo questa questi quello quella nel nella nei
        al alla allo ai da dal dalla sul sulla ma più piu molto tutto tutti niente nessuno funziona ordine
        pagato rimborso accedere riesco posso potete fatto sempre mai già gia solo oggi ieri qualcuno vostro
        vostra vostri essere stato stata fare voglio bisogno problema qui ne c'è è anzi però pero perchè
        giorni settimana ricevuto arrivato ancora nulla volta soldi addebito
        sei siete era erano fa molto poco bene male così cosi oppure allora poi dopo prima adesso ora
        subito ecco vi loro lui lei noi voi tra fra sto stai sta stiamo stanno aspettando aspetto
        risposta esperienza servizio clienti assistenza pacco carta sito scrivere privato messaggio
        stesso stessa due volte volta nuovo nuova""",
    "es": """el la los las de del que y en un una es por para con no mi mis me se lo al pero más mas muy
        ya está esta estoy tengo tiene hola gracias ayuda cómo como qué cuándo dónde donde porque pedido
        cuenta puedo funciona nada todo también tambien hace hay sí favor soy son sus su le les nos ustedes
        usted hoy ayer desde hasta sin sobre este esto eso otra otro reembolso cobro cobraron días dias
        buenos buenas llegó llega nunca siempre todavía todavia aún aun ningún ninguna tienen pueden dinero
        hice compré compra
        eres era eran bien mal así asi entonces luego después despues antes ahora ellos ella él
        nosotros entre estás estamos están sigo sigue esperando respuesta experiencia servicio cliente
        atención atencion paquete tarjeta sitio escribir privado mensaje pueden
        mismo misma dos veces vez nuevo nueva""",
    "fr": """le la les de des du un une et est en que qui ne pas je j'ai tu vous nous il elle mon ma mes
        votre vos ce cette ces pour avec sur dans au aux mais ou où plus très tres bonjour merci aide
        comment pourquoi quand commande compte ça ca c'est rien toujours encore depuis fait avoir être suis
        sont ai peux pouvez fonctionne marche remboursement svp s'il plaît plait déjà aujourd'hui hier bien
        aussi moi toi leur son sa ses jamais n'est j'arrive reçu recu argent on y a
        es êtes était étaient mal alors puis après apres avant maintenant ils elles eux entre attends
        attend réponse expérience service client colis carte site écrire privé message
        même deux fois nouveau nouvelle""",
    "de": """der die das den dem des ein eine einen einem einer und ist nicht ich du sie wir ihr mein meine
        meinen meinem mit für fur auf von zu im in an es aber oder auch noch schon kein keine wie warum wann
        wo was hallo danke bitte hilfe bestellung konto geht funktioniert habe hat haben bin sind war kann
        können konnen seit immer heute gestern wieder mehr sehr nur doch mal mich mir dich euch bei nach aus
        über uber guten tag geld zurück zuruck leider nichts jetzt wurde wird bekommen erhalten ihnen
        bist seid waren gut schlecht so dann danach vorher jetzt zwischen warte wartet antwort
        erfahrung service kunden kundenservice paket karte webseite schreiben privat nachricht
        gleiche gleichen zweimal neue neuen""",
    "pt": """o a os as de do da dos das que e em no na nos nas um uma é não nao com para por pra meu minha
        meus você voce vocês voces eu ele ela isso isto esse essa este esta mais muito já ja ainda sempre
        nunca olá ola oi obrigado obrigada ajuda como porque quando onde pedido conta consigo funciona nada
        tudo também tambem tenho tem estou está foi fiz hoje ontem reembolso cobrado dinheiro até sem sobre
        bom dia boa tarde recebi chegou alguém ninguém consegui
        és são era eram bem mal assim então entao depois antes agora eles elas nós entre espero
        esperando resposta experiência atendimento cliente pacote cartão site escrever privado mensagem
        podem cadê
        mesmo mesma duas vezes vez novo nova""",
}


# Letters, elisions and endings that point at one language (or two).
_MARKERS: tuple[tuple[re.Pattern[str], dict[str, float]], ...] = tuple(
    (re.compile(pattern), weights)
    for pattern, weights in (
        (r"[ñ¿¡]", {"es": 2.0}),
        (r"[ãõ]", {"pt": 2.0}),
        (r"ß", {"de": 2.0}),
        (r"[äöü]", {"de": 1.5}),
        (r"[òì]", {"it": 1.5}),
        (r"ù", {"it": 0.75, "fr": 0.75}),
        (r"[êôœ]", {"fr": 0.8, "pt": 0.4}),
        (r"[ç]", {"fr": 0.6, "pt": 0.6}),
        (r"[èà]", {"it": 0.6, "fr": 0.6}),
        (r"\b(?:j|qu|d|n|s|m|t)'[^\W\d_]", {"fr": 1.5}),
        (r"\b(?:dell|nell|all|dall|sull|un|quest|c)'[^\W\d_]", {"it": 1.5}),
        (r"[^\W\d_]n't\b|[^\W\d_]'(?:s|m|re|ll|ve|d)\b", {"en": 1.5}),
        (r"[^\W\d_]{2}(?:zione|zioni)\b", {"it": 1.5}),
        (r"[^\W\d_]{2}(?:ción|ciones|dad)\b", {"es": 1.5}),
        (r"[^\W\d_]{2}(?:ção|ções|mente)\b", {"pt": 1.0}),
        (r"[^\W\d_]{2}(?:ung|ungen|keit|heit|lich|chen)\b|sch", {"de": 1.0}),
        (r"[^\W\d_]{2}(?:ing|ed|ly)\b|\bth|wh", {"en": 0.5}),
        (r"[^\W\d_]{2}(?:eux|aux|ement|ée|ées)\b", {"fr": 1.0}),
        (r"[^\W\d_](?:tt|zz|cc|pp|gg|ll)[oaie]\b|\bgli\b|gn[aeiou]", {"it": 0.4}),
        (r"[^\W\d_](?:lh|nh)[aeiou]", {"pt": 0.8}),
        (r"[^\W\d_]{2}(?:eau|eaux|oir|ait|aient)\b|\bqu'", {"fr": 0.6}),
        (r"\bge[^\W\d_]{3,}t\b|[^\W\d_]tz|[^\W\d_]{2}ei[^\W\d_]", {"de": 0.4}),
    )
)

_MIN_SCORE = 0.9  # below this the text says too little: default to English


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` among :data:`LANGUAGES`; "en" when unsure."""
    clean = clean_text(text).lower()
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for word in _words(clean):
        for lang, weight in _WORD_WEIGHTS.get(word, {}).items():
            scores[lang] += weight
    for pattern, weights in _MARKERS:
        hits = len(pattern.findall(clean))
        if hits:
            for lang, weight in weights.items():
                scores[lang] += weight * min(hits, 3)
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] < _MIN_SCORE or scores[best] <= scores["en"]:
        return "en"
    return best


def _full_text(post: Post) -> str:
    return f"{post.title}\n{post.text}" if post.title else post.text


def _post_language(post: Post) -> str:
    lang = (post.lang or "").lower().split("-")[0]
    if lang and lang not in ("und", "qme", "qht", "zxx", "art", "qst", "qam"):
        return lang
    return detect_language(_full_text(post))


# --- lexicons per language ---------------------------------------------------------------------------
# Patterns are matched against the cleaned, lower-cased text with `re.search`.


def _set(blob: str) -> frozenset[str]:
    return frozenset(blob.split())


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_QUESTION_STARTS: dict[str, re.Pattern[str]] = {
    "en": _rx(r"^(?:what|why|how|when|where|who|which|is|are|can|could|do|does|did|will|would|should|any)\b"),
    "it": _rx(
        r"^(?:cosa|che cosa|perch[eé]|quando|dove|chi|quale|quanto|posso|potete|si può|è possibile|avete)\b",
        r"^come (?:mai|posso|faccio|si|devo|funziona|fate)\b|^qualcuno (?:sa|può)\b",
    ),
    "es": _rx(r"^(?:qu[eé]|por ?qu[eé]|c[oó]mo|cu[aá]ndo|d[oó]nde|qui[eé]n|cu[aá]l|puedo|pueden)\b"),
    "fr": _rx(r"^(?:que|quoi|pourquoi|comment|quand|où|qui|quel|quelle|est-ce|puis-je|pouvez-vous)\b"),
    "de": _rx(r"^(?:was|warum|wieso|weshalb|wie|wann|wo|wer|welche[rsn]?|kann|können|gibt es|ist|habt)\b"),
    "pt": _rx(r"^(?:o que|por ?que|como|quando|onde|quem|qual|posso|podem|tem como|é possível)\b"),
}

_HELP_REQUESTS: dict[str, re.Pattern[str]] = {
    "en": _rx(
        r"\b(?:please|pls|plz) (?:help|fix|assist|advise|look|check|respond|reply|get back|contact)",
        r"\bhelp me\b",
        r"\bneed (?:some |your |a little )?(?:help|assistance|support)\b",
        r"\b(?:can|could) (?:i|we) (?:have|get) (?:a little |some )?help\b",
        r"\b(?:how|when|where|what) (?:can|do|should|could|will) (?:i|we)\b",
        r"\b(?:idk|don't know|dont know|not sure) (?:what|how) to\b",
        r"\b(?:can't|cant|cannot|can not|unable to|couldn't|not able to) "
        r"(?:log ?in|sign ?in|login|access|get into|open|use|connect|download|install|update|play|pay)",
        r"\b(?:doesn't|doesnt|does not|isn't|isnt|is not|won't|wont|not) (?:work|load|open|working|loading)",
        r"\bwhat (?:do|should|can) i do\b",
        r"\bany (?:help|idea|ideas|update|news)\b",
        r"\bwondering (?:if|whether|why|how|when|where)\b|\bi(?:'d| would) like to know\b|\bi want to know\b",
        r"\b(?:can|could|would) you (?:please|pls|plz|kindly)\b",
        r"\bplease (?:add|make|bring|let|tell|explain)\b",
        r"\bhelp\s*!|\bhelp$|^help\b|\bhelp (?:please|pls|plz)\b",
    ),
    "it": _rx(
        r"\baiut(?:o|atemi|ateci|ami)\b",
        r"\bper favore\b",
        r"\bnon riesco\b",
        r"\bnon (?:funziona|va|si apre|carica)\b",
        r"\bcome (?:faccio|posso)\b",
        r"\bho bisogno\b|\bvorrei (?:sapere|capire|informazioni)\b|\bvolevo sapere\b",
        r"\b(?:potete|potreste|puoi) (?:aiutarmi|aiutarci|dirmi|spiegarmi|controllare|verificare)\b",
    ),
    "es": _rx(
        r"\bayud(?:a|enme|adme|ame)\b",
        r"\bpor favor\b",
        r"\bno (?:puedo|consigo|me deja)\b",
        r"\bno (?:funciona|carga|abre)\b",
        r"\bnecesito\b|\b(?:quisiera|quer[ií]a|me gustar[ií]a) saber\b",
    ),
    "fr": _rx(
        r"\baidez[- ]moi\b",
        r"\bs'il vous pla[iî]t\b",
        r"\bsvp\b",
        r"\bje n'arrive pas\b",
        r"\bje ne peux pas\b",
        r"\bne (?:fonctionne|marche) (?:pas|plus)\b",
        r"\bj'ai besoin\b|\bje (?:voudrais|souhaite|souhaiterais) savoir\b|\bj'aimerais savoir\b",
    ),
    "de": _rx(
        r"\b(?:brauche|benötige|bitte um) (?:eure |ihre |deine )?hilfe\b|^hilfe\b",
        r"\bbitte (?:helfen|melden)\b|\bhelft mir\b|\bkönnt ihr\b|\bkönnen sie\b",
        r"\bkann (?:mich )?nicht\b",
        r"\b(?:geht|funktioniert|klappt|lädt|ladt) (?:nicht|nicht mehr)\b",
        r"\bbrauche\b|\b(?:ich )?(?:möchte|würde gern|wüsste gern) (?:gern )?wissen\b",
    ),
    "pt": _rx(
        r"\bajud(?:a|em|ar)\b",
        r"\bpor favor\b",
        r"\bn[aã]o (?:consigo|d[aá])\b",
        r"\bn[aã]o (?:funciona|carrega|abre)\b",
        r"\bpreciso\b|\b(?:gostaria|queria) de saber\b|\bqueria saber\b",
    ),
}

_POSITIVE: dict[str, frozenset[str]] = {
    "en": _set(
        """love loved loving great awesome amazing excellent fantastic wonderful perfect best brilliant
        happy glad thanks thank thx appreciate appreciated helpful superb incredible nice cool impressed
        smooth easy recommend fast beautiful fave favorite favourite kudos enjoy enjoying enjoyed
        delighted pleased solved resolved fixed good"""
    ),
    "it": _set(
        """grazie ottimo ottima ottimi perfetto perfetta bellissimo bellissima fantastico fantastica
        eccellente adoro amo felice contento contenta soddisfatto soddisfatta gentilissimi gentili
        bravi bravissimi top super veloce velocissimi consiglio risolto complimenti buono buona
        bello"""
    ),
    "es": _set(
        """gracias excelente genial perfecto perfecta increíble increible encanta encantó encanto feliz
        contento contenta satisfecho satisfecha maravilloso maravillosa rápido rapido amables bueno
        buena buenísimo recomiendo resuelto fantástico fantastico mejor geniales"""
    ),
    "fr": _set(
        """merci excellent excellente génial genial parfait parfaite super adore j'adore heureux heureuse
        content contente satisfait satisfaite magnifique rapide top bravo résolu resolu merveilleux
        bien bon bonne formidable géniaux"""
    ),
    "de": _set(
        """danke super toll klasse perfekt großartig grossartig hervorragend ausgezeichnet liebe glücklich
        zufrieden schnell schnelle schnellen prima spitze gelöst geloest empfehle wunderbar gut gute guten
        tolle toller tollen großartige genial"""
    ),
    "pt": _set(
        """obrigado obrigada excelente ótimo otimo ótima otima perfeito perfeita incrível incrivel adoro
        amo feliz satisfeito satisfeita maravilhoso rápido rapido resolvido recomendo top bom boa
        parabéns parabens amei adorei demais lindo linda"""
    ),
}

_NEGATIVE: dict[str, frozenset[str]] = {
    "en": _set(
        """terrible awful horrible worst bad poor useless ridiculous disgusting disappointed disappointing
        disappointment angry annoyed annoying frustrated frustrating furious hate hated sucks suck crap
        broken scam scammed fraud stolen hacked lost rude unacceptable pathetic joke never garbage trash
        fuck fucking shit bullshit wtf wth stupid nightmare error errors crash crashes crashed crashing
        fail failed failing failure issue issues problem problems bug bugs stuck wrong missing locked
        charged overcharged refund outage down slow lag lagging glitch glitched suspended banned
        deleted disabled unhappy upset sad worse ugh smh irritating irritated ignore ignored ignoring
        ignores clusterfuck mess shambles"""
    ),
    "it": _set(
        """pessimo pessima pessimi schifo vergogna vergognoso inaccettabile deluso delusa delusione
        arrabbiato arrabbiata furioso odio inutile ridicolo truffa truffati rubato hackerato bloccato
        bloccata problema problemi errore errori guasto rotto rotta lento lenta peggio peggiore
        disservizio disastro assurdo scandaloso mai niente nessuno addebitato addebito rimborso"""
    ),
    "es": _set(
        """pésimo pesimo pésima pesima horrible terrible vergüenza verguenza inaceptable decepcionado
        decepcionada enojado enojada furioso odio inútil inutil ridículo ridiculo estafa robado
        hackeada hackeado bloqueada bloqueado problema problemas error errores roto rota lento lenta
        peor desastre nunca nadie cobraron cobro reembolso mierda"""
    ),
    "fr": _set(
        """nul nulle horrible terrible honte inacceptable déçu decu déçue decue énervé enerve furieux
        déteste deteste inutile ridicule arnaque volé vole piraté pirate bloqué bloque bloquée
        problème probleme problèmes erreur erreurs cassé casse lent lente pire catastrophe jamais
        personne débité debite remboursement merde scandaleux inadmissible honteux"""
    ),
    "de": _set(
        """schlecht schlechteste furchtbar schrecklich katastrophe unverschämt unverschaemt inakzeptabel
        enttäuscht enttaeuscht wütend wuetend ärgerlich aergerlich hasse nutzlos lächerlich betrug
        gestohlen gehackt gesperrt problem probleme fehler kaputt langsam schlimmer nie niemand
        abgebucht erstattung scheiße scheisse mist"""
    ),
    "pt": _set(
        """péssimo pessimo péssima pessima horrível horrivel terrível terrivel vergonha inaceitável
        inaceitavel decepcionado decepcionada irritado irritada odeio inútil inutil ridículo ridiculo
        golpe roubado roubada hackeado hackeada bloqueado bloqueada problema problemas erro erros
        quebrado quebrada lento lenta pior desastre nunca ninguém cobrado cobraram reembolso"""
    ),
}

# word -> {language: weight}: stop words and the sentiment words below; a word shared by n languages
# weighs 1/n in each.
_WORD_WEIGHTS: dict[str, dict[str, float]] = {}
for _lang in LANGUAGES:
    for _word in {*_STOP_WORDS[_lang].split(), *_POSITIVE[_lang], *_NEGATIVE[_lang]}:
        _WORD_WEIGHTS.setdefault(_word, {})[_lang] = 1.0
for _weights in _WORD_WEIGHTS.values():
    for _lang in _weights:
        _weights[_lang] = 1.0 / len(_weights)

# Words that mean "I have a problem" even without an angry word: negative but not furious.
_PROBLEM: dict[str, re.Pattern[str]] = {
    "en": _rx(
        r"\b(?:can't|cant|cannot|can not|unable to|couldn't|could not|not able to) (?!wait\b|thank\b|"
        r"recommend\b|get enough\b|say enough\b|stop (?:smiling|listening|playing|watching)\b)\w+",
        r"\b(?:won't|wont|doesn't|doesnt|isn't|isnt|didn't|didnt|haven't|havent|hasn't|hasnt|not) (?:work|"
        r"working|load|loading|open|log|sign|access|receive|received|get|got|arrive|arrived|respond|"
        r"responding|play|connect)",
        r"\b(?:does not|doesn't|doesnt) exist\b|\bnothing (?:works|is working|loads)\b",
        r"\b(?:is|it's|its|now|has|have|are|all|just) (?:gone|disappeared|vanished)\b|\bdisappeared\b",
        r"\bstill (?:waiting|no|not|haven't|havent|can't|cant|getting|having)\b",
        r"\bno (?:answer|reply|response)\b|\bnon-?functioning\b|\bnot functioning\b",
        r"\b(?:don't|dont|doesn't|doesnt|won't|wont|not) (?:even )?(?:let|letting|tryna let) (?:me|us)\b",
        r"\bcharged twice\b|\bdouble charged\b",
        r"\b(?:tired|sick) of\b|\bfed up\b",
        r"\bnever (?:arrived|came|showed up|received|got (?:it|my|a|an|the))\b|\bnot (?:yet )?arrived\b",
    ),
    "it": _rx(
        r"\bnon (?:funziona|riesco|mi fa|arriva|è arrivato|ho ricevuto|carica|va)\b",
        r"\bancora niente\b|\bnon (?:è |sono )?(?:ancora |mai )?arrivat\w*\b|\bmai (?:arrivat|ricevut)\w*\b",
    ),
    "es": _rx(r"\bno (?:funciona|puedo|me deja|llega|ha llegado|he recibido|carga)\b", r"\btodavía no\b"),
    "fr": _rx(
        r"\bne (?:fonctionne|marche) (?:pas|plus)\b",
        r"\bje n'arrive pas\b",
        r"\b(?:toujours )?pas (?:reçu|recu|arrivée?s?)\b",
    ),
    "de": _rx(
        r"\b(?:geht|funktioniert|klappt) (?:nicht|nicht mehr)\b",
        r"\bnicht (?:erhalten|bekommen|angekommen|geliefert)\b",
    ),
    "pt": _rx(r"\bn[aã]o (?:funciona|consigo|chegou|recebi|carrega)\b", r"\bainda n[aã]o\b"),
}

_NEGATIONS: dict[str, frozenset[str]] = {
    "en": _set("not no never don't dont doesn't doesnt didn't didnt isn't isnt wasn't aren't nor"),
    "it": _set("non né mai nessun nessuna"),
    "es": _set("no ni nunca tampoco"),
    "fr": _set("pas jamais ni plus"),
    "de": _set("nicht kein keine keinen nie"),
    "pt": _set("não nao nem nunca"),
}

# Problem words that alone make a post "a report", not "an angry post": half weight.
_MILD = _set(
    """issue issues problem problems problema problemi problemas problème probleme problèmes probleme
    error errors errore errori errores erreur erreurs fehler erro erros bug bugs stuck missing wrong lag
    lagging slow lento lenta lente langsam glitch refund rimborso reembolso remboursement erstattung
    lost locked suspended banned down deleted disabled charged"""
)
_POLITE = _set("thanks thank thx grazie gracias merci danke obrigado obrigada")
_THANKS = re.compile(
    r"\b(?:thanks|thank you|thx|grazie|gracias|merci|danke|obrigad[oa])\b"
    r"(?! in advance)(?! for (?:any|your) help)"
)

# Thanks for something done: praise even when it names a topic ("thanks for fixing the login issue").
_THANKS_FOR_HELP = re.compile(
    r"\b(?:thanks|thank you|thx|grazie|gracias|merci|danke|obrigad[oa]) (?:so much |a lot |again )?"
    r"(?:for|per|por|pour|f[üu]r|pela|pelo) (?:fixing|solving|resolving|sorting|helping|the help|your help|"
    r"the (?:quick|fast|speedy) (?:reply|response|fix|help|delivery)|aver risolto|l'aiuto|la ayuda|"
    r"votre aide|ihre hilfe|die hilfe|a ajuda)"
)
_POSITIVE_EMOJI = re.compile(r"[❤💕💖💯👍👏🙌😍🥰😊🙂😀😃😄😁🤩🎉✨]|<3|:\)|:-\)|:D")
_NEGATIVE_EMOJI = re.compile(r"[😡😠🤬👎😤😭😢😞😩😫🙄💩🤦🤨😒🙃😑]|:\(|:-\(|>:\(")

# Words that make a post urgent whatever its tone (any language: the lists are small).
_URGENT = _rx(
    # outages
    r"\b(?:outage|down for (?:me|everyone|hours)|(?:is|are|servers?|site|app|service) (?:still )?down|"
    r"servers? (?:are |is )?(?:offline|unreachable))\b",
    r"\b(?:disservizio|non funziona niente|caído|caida|en panne|störung|ausfall|fora do ar)\b",
    # security and account takeover
    r"\b(?:hack(?:ed|er|ers)?|compromised|stolen|phishing|scam\w*|fraud\w*|unauthori[sz]ed|"
    r"someone (?:logged|logging|is logging)|logging into my|breach|leak\w*|identity theft|2fa|two[- ]step)\b",
    r"\b(?:hackerat\w*|rubat\w*|truff\w*|frode|hackead\w*|robad\w*|estaf\w*|fraude|piraté\w*|pirate\w*|"
    r"arnaque\w*|volé\w*|gehackt|betrug|gestohlen|hackead\w*|roubad\w*|golpe)\b",
    # money
    r"\b(?:charged twice|double charged|overcharged|charged me|unauthori[sz]ed charge|refund\w*|chargeback|"
    r"money back|stole my money)\b",
    r"\b(?:rimbors\w*|addebitat\w*|doppio addebito|reembols\w*|cobr(?:aron|ado|o) dos veces|"
    r"rembours\w*|débité\w* deux fois|erstattung|zurückerstattung|doppelt abgebucht|cobrad\w* duas vezes)\b",
    # legal and safety
    r"\b(?:lawyer|lawsuit|sue you|suing|legal action|attorney|small claims|gdpr|police|"
    r"avvocato|denuncia|abogado|avocat|plainte|anwalt|klage|advogado)\b",
    r"\b(?:danger\w*|unsafe|injur\w*|caught fire|on fire|burn(?:ed|t|ing) (?:my|me)|explod\w*|overheat\w*|"
    r"smoke|hospital|emergency|urgent\w*|"
    r"asap|pericol\w*|urgente|peligro\w*|dangereux|gefährlich|gefahr|notfall|dringend|perigo\w*)\b",
)

# --- issue type ------------------------------------------------------------------------------------


class Issue(StrEnum):
    """What the post is about, for choosing a reply; `classify_issue` documents the order."""

    SECURITY = "security"
    LOGIN = "login"  # signing in, and accounts locked, suspended or lost
    BILLING = "billing"  # a problem with money taken: charged twice, wrong amount, refund overdue
    REFUND = "refund"  # a question or request about a refund: policy, eligibility
    DELIVERY = "delivery"
    BUG = "bug"
    PURCHASE = "purchase"  # bought something that did not come through
    FEEDBACK = "feedback"
    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    SPAM = "spam"
    OTHER = "other"


KINDS = ("question", "complaint", "praise", "spam", "other")  # `Triage.kind`, see `bot.routing.kind_of`

# Issues that report a problem: without a question, their post is a complaint.
_PROBLEM_ISSUES = frozenset(
    {Issue.SECURITY, Issue.LOGIN, Issue.BILLING, Issue.REFUND, Issue.DELIVERY, Issue.BUG, Issue.PURCHASE}
)
# Issues that are a problem whatever the tone ("my order number is 123" is not a complaint, "I was
# still charged" is).
_REPORTS = frozenset({Issue.SECURITY, Issue.LOGIN, Issue.BILLING, Issue.BUG, Issue.COMPLAINT})

_SECURITY = _rx(
    r"\bhack(?:ed|er|ers)?\b|\bcompromised\b|\bphishing\b|\bidentity theft\b|\bunauthori[sz]ed\b",
    r"\bsome(?:one|body) (?:\w+ )?(?:logged|logging|signed|signing|accessed|has access)\b",
    r"\bsome(?:one|body) (?:\w+ )?(?:changed my|is using my)\b",
    r"\b(?:logging|logged|signed|log|sign) into my\b",
    r"\bhackerat\w*\b|\bhackead\w*\b|\bpirat[ée]\w*\b|\bgehackt\b|\baccesso non autorizzato\b",
)

_LOGIN = _rx(
    r"\blog ?in\b|\blog(?:ged)? (?:me )?out\b|\bsign(?:ing|ed)? ?in\b|\bpassword\b|\bpasscode\b",
    r"\blocked out\b|\baccount (?:is |was |got |has been )?(?:locked|suspended|disabled|banned|"
    r"deleted|terminated)\b|\bverification code\b|\b2fa\b|\btwo[- ]step\b|\btwo[- ]factor\b",
    r"\b(?:can't|cant|cannot|unable to) (?:access|get into) my\b|\brecover\w* (?:my |the )?(?:own |old )?account\b",
    r"\b(?:get|getting|got) (?:back )?into my\b|\breset (?:my )?(?:password|pin)\b",
    r"\bapple ?id\b|\bsuspend\w*\b|\bbann?ed\b|\block(?:ed|ing)? (?:me |us )?out\b|\bauthenticator\b",
    r"\baccedere\b|\baccesso\b|\bpassword\b|\bcredenziali\b|\baccount (?:bloccato|sospeso)\b",
    r"\biniciar sesi[oó]n\b|\bcontraseña\b|\bacceder\b|\bcuenta (?:bloqueada|suspendida)\b",
    r"\bme connecter\b|\bconnexion\b|\bmot de passe\b|\bcompte (?:bloqu|suspendu)\w*\b",
    r"\banmelden\b|\banmeldung\b|\beinloggen\b|\bpasswort\b|\bkonto gesperrt\b",
    r"\bentrar na (?:minha )?conta\b|\bsenha\b|\blogin\b|\bconta (?:bloqueada|suspensa)\b",
)

# Money taken: always a billing problem.
_BILLING_TAKEN = _rx(
    r"\b(?:charged|billed|debited|overcharg\w*)\b|\b(?:took|taken|stole|stolen|take) (?:my |our )?money\b",
    r"\bwrong amount\b|\bdouble (?:charge|payment)\b|\b(?:payment|card) (?:was |got )?declined\b",
    r"\baddebitat\w*\b|\bdoppio addebito\b|\b(?:pagato|scalat[oi]) due volte\b|\bsoldi (?:presi|rubati)\b",
    r"\bcobr(?:aron|ado|ada|ó)\b|\bcobro (?:doble|indebido)\b|\bdoble cobro\b",
    r"\b(?:d[ée]bit[ée]|pr[ée]lev[ée]|factur[ée])e?s?\b",
    r"\babgebucht\b|\bdoppelt (?:abgebucht|berechnet)\b|\bberechnet\b",
    r"\bcobrad[oa]s?\b|\bcobraram\b|\bcobran[çc]a (?:duplicada|indevida)\b|\bdebitad[oa]s?\b",
)
# Words about money that make a billing problem only when the post reports one.
_BILLING_WORDS = _rx(
    r"\bcharges?\b|\bbill(?:ing)?\b|\binvoice\w*\b|\bpayments?\b|\bpaypal\b|\btransactions?\b",
    r"\bmy card\b|\bcredit card\b|\bcheckout\b|\bsubscription\b|\bmoney\b|\bfee\b",
    r"\baddebit\w*\b|\bpagament\w*\b|\bfattura\b|\babbonamento\b|\bsoldi\b|\bcarta di credito\b",
    r"\bcobr\w*\b|\bpago\b|\bcargo\b|\bfactura\b|\bsuscripci[oó]n\b|\bdinero\b|\btarjeta\b",
    r"\bpaiement\b|\bfacture\b|\babonnement\b|\bargent\b|\bpr[ée]l[èe]vement\b|\bcarte bancaire\b",
    r"\bzahlung\b|\brechnung\b|\babo\b|\babonnement\b|\bgeld\b|\babbuchung\b|\bkreditkarte\b",
    r"\bpagamento\b|\bfatura\b|\bassinatura\b|\bdinheiro\b|\bcart[aã]o\b|\bcobran[çc]a\b",
)
_REFUND = _rx(
    r"\brefund\w*\b|\bmoney back\b|\breimburs\w*\b|\bchargeback\b",
    r"\brimbors\w*\b|\bindietro i (?:miei )?soldi\b",
    r"\breembols\w*\b|\bdevoluci[oó]n del dinero\b|\bdevolver (?:el|mi) dinero\b",
    r"\brembours\w*\b",
    r"\berstatt\w*\b|\br[üu]ckerstatt\w*\b|\bgeld zur[üu]ck\b",
    r"\bestorno\b|\bdinheiro de volta\b",
)
# A refund already due and late is a billing problem, not a question about the policy.
_REFUND_OVERDUE = _rx(
    r"\b(?:still|yet|where(?:'s| is)|waiting|haven't|havent|hasn't|hasnt|not (?:received|got)|never "
    r"(?:got|received|came)|weeks?|days?|months?|ago)\b",
    r"\b(?:ancora|aspetto|attesa|non (?:ho )?ricevuto|settimane|giorni|mesi|fa)\b|\bdov'è\b",
    r"\b(?:todav[ií]a|a[uú]n|espero|esperando|no (?:he )?recibido|semanas|d[ií]as|meses|hace)\b",
    r"\b(?:toujours|attends|attente|pas (?:re[çc]u)|semaines|jours|mois|il y a)\b|\boù est\b",
    r"\b(?:immer noch|noch nicht|warte|nicht erhalten|wochen|tage|monate|vor)\b|\bwo (?:ist|bleibt)\b",
    r"\b(?:ainda|esperando|aguardando|n[aã]o recebi|semanas|dias|meses|cad[eê])\b",
)

_DELIVERY = _rx(
    r"(?<!in )\border(?:ed|s)?\b|(?<!do a )(?<!did a )(?<!doing a )(?<!make a )\bdeliver(?:y|ies|ed)\b",
    r"\bshipp\w*\b|\bpackage\b|\bparcel\b",
    r"\btracking\b|\bcourier\b|\byet to receive\b",
    r"\bnever (?:arrived|came|received)\b|\bhaven't (?:received|got)\b|\bdidn't (?:receive|get)\b",
    r"\bdidnt (?:receive|get)\b|\bstill (?:haven't|havent|not) (?:received|got)\b",
    r"\bordin(?:e|i|at[oaie])\b|\bconsegn\w*\b|\bspedizion\w*\b|\bpacc(?:o|hi)\b|\bcorriere\b",
    r"\bnon (?:è |sono )?(?:ancora |mai )?arrivat\w*\b",
    r"\bpedido\b|\bped[ií]\b|\benv[ií]o\b|\bentrega\b|\bpaquete\b|\bno (?:ha )?llegado\b|\bno lleg[oó]\b",
    r"\bcommande\b|\bcommand[ée]e?s?\b|\blivraison\b|\blivr[ée]\w*\b|\bcolis\b|\bpas (?:re[çc]u|arriv[ée])\b",
    r"\bbestellung\b|\bbestellt\b|\blieferung\b|\bpaket\b|\bversand\b",
    r"\bnicht (?:angekommen|geliefert|erhalten)\b",
    r"\bencomenda\b|\bencomendei\b|\bpedido\b|\bentrega\b|\bn[aã]o (?:chegou|recebi)\b",
)

_BUG = _rx(
    r"\bcrash\w*\b|\bbug\w*\b|\bglitch\w*\b|\berror\w*\b|\bfreez\w*\b|\bfroze\b|\bstuck\b|\blag\w*\b",
    r"\b(?:doesn't|doesnt|does not|isn't|isnt|won't|wont|not|stopped) (?:work|working|load|loading|"
    r"open|opening|start|starting|connect|connecting|sync|syncing|play|playing)\b",
    r"\bbroken\b|\bkeeps? (?:crashing|closing|freezing|disconnecting)\b|\b(?:black|loading) screen\b",
    r"\b(?:can't|cant|cannot|unable to) get (?:\w+ ){0,3}to (?:load|work|open|connect|start|play)\b",
    r"\b(?:cuts?|cutting|drops?|dropping) out\b|\bsince the (?:last |latest |new )?(?:\w+ )?(?:update|patch)\b",
    r"\b(?:is|are|was|went) down\b|\bnot (?:letting|allowing) me\b|\bwon't let me\b",
    r"\bfix (?:this|it|the|your|my)\b|(?:^|[.!?] ?)fix\b|\bplease fix\b|\bunable to\b|\brefuses? to\b",
    r"\b(?:having|experiencing|have|had|got|facing) (?:an? |some |this |the )?"
    r"(?:issues?|problems?|trouble)\b",
    r"\b(?:not|aren't|isn't|stopped) (?:getting|appearing|showing|receiving|playing|responding)\b",
    r"\bdisconnect\w*\b|\b(?:can't|cant|cannot|could not|couldn't|unable to|not able to) (?:be )?"
    r"(?:go online|get online|play online|play|join|connect|download|load|stream|upload|install|update)\w*",
    r"\b(?:issues?|problems?|trouble) (?:with )?(?:connecting|loading|streaming|downloading|"
    r"installing|updating|syncing)\b|\b(?:doesn't|does not|won't|didn't) (?:show|appear)\b",
    r"\bnon funziona\b|\bnon si apre\b|\bsi blocca\b|\berrore\b|\bcrasha\b|\bbloccat\w*\b",
    r"\bno funciona\b|\bno abre\b|\bse cierra\b|\bse cuelga\b|\bfallo\b",
    r"\bne (?:fonctionne|marche) (?:pas|plus)\b|\bplant\w*\b|\bbeug\w*\b|\berreur\b",
    r"\bfunktioniert nicht\b|\bgeht nicht\b|\bst[üu]rzt\b|\babsturz\b|\bfehler\b",
    r"\bn[aã]o funciona\b|\btrava\w*\b|\bfecha sozinho\b",
)

_PURCHASE = _rx(
    r"\bbought\b|\bpurchas\w*\b|\bpaid\b|\bpre-?order\w*\b",
    r"\bcomprat[oaie]\b|\bacquist\w*\b|\bho pagato\b",
    r"\bcompr[eé]\b|\bcomprado\b|\bhe pagado\b|\bpagu[eé]\b",
    r"\bachet[ée]\w*\b|\bachat\b|\bj'ai pay[ée]\b",
    r"\bgekauft\b|\bbezahlt\b",
    r"\bcomprei\b|\bpaguei\b",
)

_MISSING = _rx(
    r"\bexcept\b|\bmissing\b|\bnot there\b|\bnever (?:got|received)\b|\bdidn't (?:get|receive)\b",
    r"\bmanca\b|\bmancano\b|\bnon (?:ho )?ricevuto\b|\bfalta\b|\bmanque\b|\bfehlt\b|\bfaltando\b",
)

_FEEDBACK = _rx(
    r"(?<!any )\bsuggestions?\b(?!\s*\?)|\bfeature request\b|\bfeedback\b",
    r"\bwould be (?:nice|great|cool|awesome) (?:if|to have)\b",
    r"\bplease (?:add|provide an option|bring back|consider)\b|\bgive us\b",
    r"\bi wish\b|\bwish (?:you|there)\b",
    r"\b(?:can|could|would) you (?:please |pls |plz )?(?:add|bring back|consider|get)\b",
    r"\bsuggeriment\w*\b|\bsarebbe (?:bello|utile)\b|\bpotreste aggiungere\b",
    r"\bsugerencia\w*\b|\bestaría bien\b|\bpodríais añadir\b|\bpodrían (?:añadir|agregar)\b",
    r"\bce serait (?:bien|top|génial)\b|\bpourriez-vous ajouter\b",
    r"\bvorschl(?:ag|äge)\b|\bwäre (?:schön|toll|super)\b|\bbitte (?:fügt|fügen)\b",
    r"\bsugest(?:ão|ões)\b|\bseria (?:legal|bom|ótimo)\b|\bpoderiam adicionar\b",
)

# --- spam --------------------------------------------------------------------------------------------

# One of these is enough: follow-for-follow, crypto and giveaway scams, self-promotion.
_SPAM_STRONG = _rx(
    r"\bf4f\b|\bl4l\b|\bfollow ?(?:4|for) ?follow\b|\bfollowback\b|\bteamfollowback\b|\bsub ?(?:4|for) ?sub\b",
    r"\bfollow me (?:and|&) i(?:'ll| will) follow (?:you )?back\b|\bi follow back\b",
    r"\b(?:buy|gain) (?:\d+k? )?(?:real )?(?:followers|likes|subscribers|views)\b",
    r"\b(?:free|cheap) (?:followers|likes|subscribers|views|robux|v-?bucks)\b",
    r"\b(?:double|multiply) your (?:bitcoin|btc|eth|crypto|money|investment)\b",
    r"\bsend (?:me )?\d+(?:\.\d+)? ?(?:btc|eth|bnb|usdt)\b|\bairdrop\w*\b",
    r"\b(?:crypto|bitcoin|btc|eth|nft|forex) (?:giveaway|signals|investment|profits?)\b",
    r"\bfree (?:bitcoin|btc|eth|crypto|nfts?|iphones?|gift ?cards?|money|cash)\b|\bpassive income\b",
    r"\b(?:earn|make) \$?\d[\d,.]*k?\$? (?:a|per|every|each) (?:day|week|hour|month)\b",
    r"\bguaranteed (?:profits?|returns?|income)\b|\binvest (?:with me|now)\b|\bwhats ?app (?:me|\+?\d)",
    r"\buse (?:my )?(?:promo |discount |coupon )?code\b|\bmy (?:promo|discount|referral|coupon) (?:code|link)\b",
    r"\blink in (?:my )?bio\b|\bclick (?:here|the link|link below|my link)\b|\bonlyfans\b",
    r"\bcheck out my (?:page|channel|profile|store|shop|music|song|mixtape|video|new)\b",
    r"\bdm (?:me )?for (?:promo|promotion|collab|paid|shout ?outs?)\b|\bsubscribe to my\b",
    # Italian, Spanish, French, German, Portuguese
    r"\bseguimi (?:e )?ricambio\b|\bsegui e ricambio\b|\bricambio (?:follow|tutti|sempre)\b",
    r"\bguadagna(?:re)? \d+|\bguadagni (?:facili|garantiti)\b|\b(?:bitcoin|cripto\w*) (?:gratis|in regalo)\b",
    r"\busa (?:il )?(?:mio )?codice\b|\bclicca (?:qui|sul link|il link)\b|\bvisita il mio (?:profilo|canale)\b",
    r"\bs[ií]gueme y te sigo\b|\bte sigo de vuelta\b|\bdinero f[aá]cil\b|\bgana(?:r)? dinero\b",
    r"\busa (?:mi )?c[oó]digo\b|\bhaz clic aqu[ií]\b|\blink en (?:mi )?bio\b|\bbitcoin gratis\b",
    r"\bfollow en retour\b|\bargent facile\b|\bgagne[zr]? \d+|\bcliquez ici\b|\blien en bio\b",
    r"\bfolge mir\b|\bfolge zur[üu]ck\b|\bschnelles geld\b|\bverdiene \d+|\bhier klicken\b",
    r"\bsigo de volta\b|\bme segue que eu sigo\b|\bdinheiro f[aá]cil\b|\bganhe \d+|\bclique aqui\b",
    r"\blink na bio\b|\bbitcoin gr[aá]tis\b",
)
# Two different ones of these, in a post that asks nothing of the brand.
_SPAM_WEAK = re.compile(
    r"\b(?:giveaway|win|winners?|prizes?|claim|free|limited (?:time )?offer|discount|promo|\d+% off|"
    r"buy now|shop now|order now|follow (?:me|back|us)|retweet|rt to win|dm me|crypto|bitcoin|btc|nft|"
    r"investment|profit|omaggio|gratis|regalo|vinci|concorso|sconto|offerta|seguimi|gana|oferta|"
    r"descuento|sorteo|gratuit|concours|gagnez|remise|gewinnspiel|kostenlos|rabatt|gewinne|gr[aá]tis|"
    r"sorteio|desconto|promo[çc][aã]o)\b"
)
# A post reporting a scam, or talking about its own order or account, is not spam.
_NOT_SPAM = _rx(
    r"\b(?:scam\w*|fraud\w*|fake|impersonat\w*|report\w*|hack\w*|stole\w*|phishing)\b",
    r"\b(?:truff\w*|segnal\w*|estaf\w*|denunci\w*|arnaque\w*|betrug\w*|golpe\w*)\b",
    r"\b(?:my|mio|mia|mi|mon|ma|mein|meine|meu|minha) (?:order|account|ordine|account|pedido|cuenta|"
    r"commande|compte|bestellung|konto|conta)\b",
)


def _is_spam(raw: str, clean: str, is_question: bool) -> bool:
    """Obvious spam: promotion, scams, follow-for-follow, a bare link, or a run of one character."""
    if _NOT_SPAM.search(clean):
        return False
    if _SPAM_STRONG.search(clean):
        return True
    if not is_question and len(set(_SPAM_WEAK.findall(clean))) >= 2:
        return True
    content = _SPACES.sub("", clean_text(raw))
    if len(content) >= 6 and len(set(content.lower())) <= 2:
        return True  # "hahahaha", "aaaaaaaa", "😂😂😂😂😂😂"
    run = re.search(r"(.)\1{9,}", content)
    if run and 2 * len(run.group(0)) >= len(content):
        return True
    return not _WORD.search(content) and _URL.search(html.unescape(raw)) is not None  # a bare link


# --- analysis ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Analysis:
    language: str
    is_question: bool
    sentiment: Sentiment
    score: float
    issue: Issue
    kind: str


def _topic(clean: str, *, troubled: bool) -> Issue | None:
    """The issue named by the post's words, if any; see `classify_issue` for the order."""
    if _SECURITY.search(clean):
        return Issue.SECURITY
    if _LOGIN.search(clean):
        return Issue.LOGIN
    if _BILLING_TAKEN.search(clean):
        return Issue.BILLING
    refund = _REFUND.search(clean)
    if refund:
        near = clean[max(0, refund.start() - 40) : refund.end() + 40]
        if _REFUND_OVERDUE.search(near):
            return Issue.BILLING
        # "It keeps cutting out. Any fix, or should I ask for a refund?": the defect comes first.
        return Issue.BUG if _BUG.search(clean) else Issue.REFUND
    if _BILLING_WORDS.search(clean) and troubled:
        return Issue.BILLING
    for issue, pattern in ((Issue.DELIVERY, _DELIVERY), (Issue.BUG, _BUG)):
        if pattern.search(clean):
            return issue
    if _PURCHASE.search(clean) and (troubled or _MISSING.search(clean)):
        return Issue.PURCHASE
    if _FEEDBACK.search(clean):
        return Issue.FEEDBACK
    return None


def _analyse(raw: str, lang: str) -> _Analysis:
    clean = clean_text(raw, hashtags=True).lower()
    is_question = _is_question(raw, clean, lang)
    sentiment, score, objections = _sentiment(clean, lang)
    if _is_spam(raw, clean, is_question):
        return _Analysis(lang, False, sentiment, score, Issue.SPAM, "spam")
    thanks = sentiment == "neutral" and _THANKS.search(clean) is not None
    # Praise is positive without a question and without a single objection: "thanks for another
    # fantastic day of non-functioning mail" must not get "this made our day!".
    praise = not is_question and objections == 0 and (sentiment == "positive" or thanks)
    topic = _topic(clean, troubled=objections > 0 or sentiment == "negative")
    thanked = praise and (sentiment == "positive" or _THANKS_FOR_HELP.search(clean) is not None)
    if topic is Issue.FEEDBACK or (topic is not None and not thanked):
        issue = topic
    elif praise:
        issue = Issue.PRAISE
    elif sentiment == "negative" or (objections > 0 and not is_question):
        issue = Issue.COMPLAINT  # negative, or something is wrong and nothing is asked
    elif is_question:
        issue = Issue.QUESTION
    else:
        issue = Issue.OTHER
    if is_question:
        kind = "question"
    elif issue is Issue.PRAISE or (praise and issue is Issue.FEEDBACK):
        kind = "praise"
    elif (
        sentiment == "negative"
        or issue in _REPORTS
        or (issue in _PROBLEM_ISSUES and (objections > 0 or score < 0))
    ):
        kind = "complaint"
    else:
        kind = "other"
    return _Analysis(lang, is_question, sentiment, score, issue, kind)


def classify_issue(post_or_text: Post | str) -> Issue:
    """The kind of issue a post raises, for an offline reply.

    Spam first. Then the first topic the words name: security; login; billing (money taken, or a
    refund overdue); refund (a question or request, unless a defect is reported: bug); billing
    (money words and something wrong); delivery; bug; purchase (something missing); feedback. Praise
    (positive, nothing wrong, no question) wins over every topic but feedback. Else complaint
    (negative, or something wrong and nothing asked), question, praise (thanks), other.
    """
    if isinstance(post_or_text, str):
        return _analyse(post_or_text, detect_language(post_or_text)).issue
    return _analyse(_full_text(post_or_text), _post_language(post_or_text)).issue


# --- triage ----------------------------------------------------------------------------------------


def _lexicon_langs(lang: str) -> Iterable[str]:
    """The post's language first, then English (mixed-language posts often use English terms)."""
    return (lang, "en") if lang in _POSITIVE and lang != "en" else ("en",)


# Sentences after the first are questions only with a clearer start than the first one needs:
# "Will never buy again." is not a question, "Can I get a refund" is.
_LATER_QUESTION_STARTS: dict[str, re.Pattern[str]] = {
    "en": _rx(
        r"^(?:can|could|will|would|should|do|does|did|is|are|was|have|has) (?:i|you|we|u|someone|anyone|"
        r"somebody|anybody|it|this|there|my|your)\b",
        r"^(?:how|why|what|when|where|who|which) (?:do|does|did|can|could|is|are|was|were|will|would|should|"
        r"to|long|much|many)\b",
    ),
}
_CLAUSE_BREAK = re.compile(r"[.!?…;\n]+\s*")


def _is_question(raw: str, clean: str, lang: str) -> bool:
    if "?" in _URL.sub(" ", raw) or "¿" in raw:
        return True
    for code in _lexicon_langs(lang):
        if _HELP_REQUESTS[code].search(clean):
            return True
        if _QUESTION_STARTS[code].search(clean):
            # "Is it me or ..." and "How great is this" are questions enough for triage.
            return True
        later = _LATER_QUESTION_STARTS.get(code, _QUESTION_STARTS[code])
        if any(later.search(part) for part in _CLAUSE_BREAK.split(clean)[1:]):
            return True
    return False


def _sentiment(clean: str, lang: str) -> tuple[Sentiment, float, int]:
    """Sentiment, its score, and how many objections (negative cues other than mild ones) it saw."""
    words = _words(clean)
    score = 0.0
    objections = 0
    langs = tuple(_lexicon_langs(lang))
    negations = frozenset().union(*(_NEGATIONS[c] for c in langs))
    positive = frozenset().union(*(_POSITIVE[c] for c in langs))
    negative = frozenset().union(*(_NEGATIVE[c] for c in langs))
    for i, word in enumerate(words):
        negated = any(w in negations for w in words[max(0, i - 3) : i])
        if word in positive:
            # Politeness ("thanks", "grazie") is weak evidence; "not good" is negative.
            weight = 0.5 if word in _POLITE else 1.0
            score += -weight if negated else weight
            objections += negated and word not in _POLITE
        elif word in negative and word not in negations:
            weight = 0.5 if word in _MILD else 1.0
            score += -0.3 * weight if negated else -weight
            objections += not negated and word not in _MILD
    for code in langs:
        problems = len(_PROBLEM[code].findall(clean))
        score -= 0.6 * problems
        objections += problems
    score += 0.8 * len(_POSITIVE_EMOJI.findall(clean))
    sad = len(_NEGATIVE_EMOJI.findall(clean))
    score -= 1.0 * sad
    objections += sad
    letters = [c for c in clean if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score -= 0.5  # SHOUTING
    if score >= 0.75:
        return "positive", score, objections
    if score <= -0.75:
        return "negative", score, objections
    return "neutral", score, objections


def first_sentence(text: str, *, max_chars: int = 140) -> str:
    """The first sentence of `text`, without leading @handles, on one line, at most `max_chars`."""
    text = html.unescape(text)
    text = re.sub(r"^(?:\s*[.]?[@＠]\w+[,:]?)+\s*", "", text)
    text = _SPACES.sub(" ", text).strip()
    match = re.search(r"(?<=[.!?…])\s+(?=\S)", text)
    sentence = text[: match.start()] if match and match.start() >= 12 else text
    return _clip(sentence, max_chars)


def _clip(sentence: str, max_chars: int) -> str:
    if len(sentence) > max_chars:
        cut = sentence[: max_chars - 1]
        space = cut.rfind(" ")
        sentence = (cut[:space] if space > max_chars // 2 else cut).rstrip(" ,;:-") + "…"
    return sentence


# --- summary ------------------------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*\n\s*")
_LEADING_HANDLES = re.compile(r"^(?:[\s.,:;]*[@＠]\w+)+[\s,:;]*")
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
_MESSAGE_STARTS = _set(
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
    text = _URL.sub(" ", sentence)
    text = re.sub(r"\bhttps?:\s*/*", " ", text)  # the rest of a broken link: "https: //www..."
    greeting = _GREETING.match(text)
    if greeting and _LEADING_HANDLES.match(text[greeting.end() :]):  # "Hey @acme @AcmeHelp could you..."
        text = text[greeting.end() :]
    handles = _LEADING_HANDLES.match(text)
    if handles and _SUBJECT_VERB.match(text[handles.end() :]):  # "@yahoo needs to fix this" keeps Yahoo
        text = text[: handles.end()].split()[-1].lstrip(".,:;@＠") + " " + text[handles.end() :]
    text = _LEADING_HANDLES.sub("", text)
    text = _TRAILING_HANDLES.sub("", text)
    text = _TRAILING_HASHTAGS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    for _ in range(2):  # "Hello ! Dear team, ..."
        text = _drop_greeting(text).lstrip(" .,:;!?…-–—")
    text = re.sub(r"(?<![\w@])[@＠#](\w+)", r"\1", text)  # "I love @acme" → "I love acme"
    text = re.sub(r"\s+([,.!?;:])(?=\s|$)", r"\1", text).rstrip(" ,;:-–—")
    text = re.sub(r"([.!?])…$", r"\1", text)
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


# Words that say nothing about the subject: "How do I fix this?", "Can you help me please?"
_GENERIC = _set(
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
    words = _words(clean)
    if len(words) < 4 or all(w in _GENERIC for w in words):
        return 0  # "What do I do?" alone says little
    _, score, objections = _sentiment(clean, lang)
    if _topic(clean, troubled=objections > 0) is not None:
        return 3
    if len(words) >= 5 and _is_question(fragment, clean, lang):
        return 2
    return 1 if objections > 0 or score != 0 else 0


def summarize(text: str, *, title: str | None = None, lang: str = "", max_chars: int = 140) -> str:
    """A one-line summary of a post: its most telling sentence, made readable alone.

    @handles, links and salutations ("Dear @acme ...", "Hello there.") are skipped; the first
    sentence that asks something or names a problem wins over background ("I'm a Plus subscriber.");
    a feeling ("Worst service ever.") comes next; else the first sentence of some length; else `title`.
    """
    lang = lang or detect_language(text)
    unescaped = _INVISIBLE.sub("", html.unescape(text))
    sentences = [
        s for s in (_SPACES.sub(" ", part).strip() for part in _SENTENCE_BREAK.split(unescaped)) if s
    ]
    fragments = [f for f in map(_summary_fragment, sentences) if len(_words(f.lower())) >= 2]
    if not fragments:  # "FIX. THE. APP." is one thought in several sentences
        fragments = [f for f in [_summary_fragment(" ".join(sentences))] if _words(f.lower())]
    # The first sentence that says nearly as much as the most telling one: a later sentence wins
    # only when it says much more ("I'm a Plus subscriber. Can I get Smart Sync?").
    scores = [_telling(fragment, lang) for fragment in fragments[:5]]
    best = max(scores, default=0)
    chosen = next((f for f, score in zip(fragments, scores, strict=False) if score >= max(best - 1, 1)), None)
    long = [f for f in fragments if len(_words(f.lower())) >= 4]
    chosen = chosen or next((f for f in long if not all(w in _GENERIC for w in _words(f.lower()))), None)
    chosen = chosen or next(iter(long), None)
    chosen = chosen or (fragments[0] if fragments else _summary_fragment(_SPACES.sub(" ", title or "")))
    return _clip(chosen, max_chars)


def triage(post: Post) -> Triage:
    """Classify `post` without any network call."""
    return triage_and_issue(post)[0]


def triage_and_issue(post: Post) -> tuple[Triage, Issue]:
    """`triage(post)` and `classify_issue(post)` in one pass."""
    lang = _post_language(post)
    analysis = _analyse(_full_text(post), lang)
    clean = clean_text(_full_text(post), hashtags=True).lower()
    urgency: Urgency = "normal"
    if analysis.kind == "spam":
        urgency = "low"
    elif (
        _URGENT.search(clean)
        or (analysis.sentiment == "negative" and analysis.is_question)
        or analysis.score <= -3
    ):
        urgency = "high"
    elif (
        not analysis.is_question
        and analysis.sentiment != "negative"
        and analysis.issue in (Issue.PRAISE, Issue.OTHER)
    ):
        urgency = "low"
    result = Triage(
        is_question=analysis.is_question,
        sentiment=analysis.sentiment,
        urgency=urgency,
        language=lang,
        summary=summarize(post.text, title=post.title, lang=lang),
        kind=analysis.kind,
    )
    return result, analysis.issue
