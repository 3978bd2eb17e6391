"""What a post's words say about it: does it ask something, how does it feel, is it urgent.

Small hand-written lexicons for English, Italian, Spanish, French, German and Portuguese, matched
against the cleaned, lower-cased text (`bot.domain.words.clean_text`). A post is read with its own
language's lexicon and English's (mixed-language posts often use English terms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import Sentiment
from bot.domain.words import URL, words


def word_set(blob: str) -> frozenset[str]:
    return frozenset(blob.split())


def rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


_QUESTION_STARTS: dict[str, re.Pattern[str]] = {
    "en": rx(r"^(?:what|why|how|when|where|who|which|is|are|can|could|do|does|did|will|would|should|any)\b"),
    "it": rx(
        r"^(?:cosa|che cosa|perch[eé]|quando|dove|chi|quale|quanto|posso|potete|si può|è possibile|avete)\b",
        r"^come (?:mai|posso|faccio|si|devo|funziona|fate)\b|^qualcuno (?:sa|può)\b",
    ),
    "es": rx(r"^(?:qu[eé]|por ?qu[eé]|c[oó]mo|cu[aá]ndo|d[oó]nde|qui[eé]n|cu[aá]l|puedo|pueden)\b"),
    "fr": rx(r"^(?:que|quoi|pourquoi|comment|quand|où|qui|quel|quelle|est-ce|puis-je|pouvez-vous)\b"),
    "de": rx(r"^(?:was|warum|wieso|weshalb|wie|wann|wo|wer|welche[rsn]?|kann|können|gibt es|ist|habt)\b"),
    "pt": rx(r"^(?:o que|por ?que|como|quando|onde|quem|qual|posso|podem|tem como|é possível)\b"),
}

_HELP_REQUESTS: dict[str, re.Pattern[str]] = {
    "en": rx(
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
    "it": rx(
        r"\baiut(?:o|atemi|ateci|ami)\b",
        r"\bper favore\b",
        r"\bnon riesco\b",
        r"\bnon (?:funziona|va|si apre|carica)\b",
        r"\bcome (?:faccio|posso)\b",
        r"\bho bisogno\b|\bvorrei (?:sapere|capire|informazioni)\b|\bvolevo sapere\b",
        r"\b(?:potete|potreste|puoi) (?:aiutarmi|aiutarci|dirmi|spiegarmi|controllare|verificare)\b",
    ),
    "es": rx(
        r"\bayud(?:a|enme|adme|ame)\b",
        r"\bpor favor\b",
        r"\bno (?:puedo|consigo|me deja)\b",
        r"\bno (?:funciona|carga|abre)\b",
        r"\bnecesito\b|\b(?:quisiera|quer[ií]a|me gustar[ií]a) saber\b",
    ),
    "fr": rx(
        r"\baidez[- ]moi\b",
        r"\bs'il vous pla[iî]t\b",
        r"\bsvp\b",
        r"\bje n'arrive pas\b",
        r"\bje ne peux pas\b",
        r"\bne (?:fonctionne|marche) (?:pas|plus)\b",
        r"\bj'ai besoin\b|\bje (?:voudrais|souhaite|souhaiterais) savoir\b|\bj'aimerais savoir\b",
    ),
    "de": rx(
        r"\b(?:brauche|benötige|bitte um) (?:eure |ihre |deine )?hilfe\b|^hilfe\b",
        r"\bbitte (?:helfen|melden)\b|\bhelft mir\b|\bkönnt ihr\b|\bkönnen sie\b",
        r"\bkann (?:mich )?nicht\b",
        r"\b(?:geht|funktioniert|klappt|lädt|ladt) (?:nicht|nicht mehr)\b",
        r"\bbrauche\b|\b(?:ich )?(?:möchte|würde gern|wüsste gern) (?:gern )?wissen\b",
    ),
    "pt": rx(
        r"\bajud(?:a|em|ar)\b",
        r"\bpor favor\b",
        r"\bn[aã]o (?:consigo|d[aá])\b",
        r"\bn[aã]o (?:funciona|carrega|abre)\b",
        r"\bpreciso\b|\b(?:gostaria|queria) de saber\b|\bqueria saber\b",
    ),
}

_POSITIVE: dict[str, frozenset[str]] = {
    "en": word_set(
        """love loved loving great awesome amazing excellent fantastic wonderful perfect best brilliant
        happy glad thanks thank thx appreciate appreciated helpful superb incredible nice cool impressed
        smooth easy recommend fast beautiful fave favorite favourite kudos enjoy enjoying enjoyed
        delighted pleased solved resolved fixed good"""
    ),
    "it": word_set(
        """grazie ottimo ottima ottimi perfetto perfetta bellissimo bellissima fantastico fantastica
        eccellente adoro amo felice contento contenta soddisfatto soddisfatta gentilissimi gentili
        bravi bravissimi top super veloce velocissimi consiglio risolto complimenti buono buona
        bello"""
    ),
    "es": word_set(
        """gracias excelente genial perfecto perfecta increíble increible encanta encantó encanto feliz
        contento contenta satisfecho satisfecha maravilloso maravillosa rápido rapido amables bueno
        buena buenísimo recomiendo resuelto fantástico fantastico mejor geniales"""
    ),
    "fr": word_set(
        """merci excellent excellente génial genial parfait parfaite super adore j'adore heureux heureuse
        content contente satisfait satisfaite magnifique rapide top bravo résolu resolu merveilleux
        bien bon bonne formidable géniaux"""
    ),
    "de": word_set(
        """danke super toll klasse perfekt großartig grossartig hervorragend ausgezeichnet liebe glücklich
        zufrieden schnell schnelle schnellen prima spitze gelöst geloest empfehle wunderbar gut gute guten
        tolle toller tollen großartige genial"""
    ),
    "pt": word_set(
        """obrigado obrigada excelente ótimo otimo ótima otima perfeito perfeita incrível incrivel adoro
        amo feliz satisfeito satisfeita maravilhoso rápido rapido resolvido recomendo top bom boa
        parabéns parabens amei adorei demais lindo linda"""
    ),
}

_NEGATIVE: dict[str, frozenset[str]] = {
    "en": word_set(
        """terrible awful horrible worst bad poor useless ridiculous disgusting disappointed disappointing
        disappointment angry annoyed annoying frustrated frustrating furious hate hated sucks suck crap
        broken scam scammed fraud stolen hacked lost rude unacceptable pathetic joke never garbage trash
        fuck fucking shit bullshit wtf wth stupid nightmare error errors crash crashes crashed crashing
        fail failed failing failure issue issues problem problems bug bugs stuck wrong missing locked
        charged overcharged refund outage down slow lag lagging glitch glitched suspended banned
        deleted disabled unhappy upset sad worse ugh smh irritating irritated ignore ignored ignoring
        ignores clusterfuck mess shambles"""
    ),
    "it": word_set(
        """pessimo pessima pessimi schifo vergogna vergognoso inaccettabile deluso delusa delusione
        arrabbiato arrabbiata furioso odio inutile ridicolo truffa truffati rubato hackerato bloccato
        bloccata problema problemi errore errori guasto rotto rotta lento lenta peggio peggiore
        disservizio disastro assurdo scandaloso mai niente nessuno addebitato addebito rimborso"""
    ),
    "es": word_set(
        """pésimo pesimo pésima pesima horrible terrible vergüenza verguenza inaceptable decepcionado
        decepcionada enojado enojada furioso odio inútil inutil ridículo ridiculo estafa robado
        hackeada hackeado bloqueada bloqueado problema problemas error errores roto rota lento lenta
        peor desastre nunca nadie cobraron cobro reembolso mierda"""
    ),
    "fr": word_set(
        """nul nulle horrible terrible honte inacceptable déçu decu déçue decue énervé enerve furieux
        déteste deteste inutile ridicule arnaque volé vole piraté pirate bloqué bloque bloquée
        problème probleme problèmes erreur erreurs cassé casse lent lente pire catastrophe jamais
        personne débité debite remboursement merde scandaleux inadmissible honteux"""
    ),
    "de": word_set(
        """schlecht schlechteste furchtbar schrecklich katastrophe unverschämt unverschaemt inakzeptabel
        enttäuscht enttaeuscht wütend wuetend ärgerlich aergerlich hasse nutzlos lächerlich betrug
        gestohlen gehackt gesperrt problem probleme fehler kaputt langsam schlimmer nie niemand
        abgebucht erstattung scheiße scheisse mist"""
    ),
    "pt": word_set(
        """péssimo pessimo péssima pessima horrível horrivel terrível terrivel vergonha inaceitável
        inaceitavel decepcionado decepcionada irritado irritada odeio inútil inutil ridículo ridiculo
        golpe roubado roubada hackeado hackeada bloqueado bloqueada problema problemas erro erros
        quebrado quebrada lento lenta pior desastre nunca ninguém cobrado cobraram reembolso"""
    ),
}

# word -> {language: weight}: stop words and the sentiment words below; a word shared by n languages

# Words that mean "I have a problem" even without an angry word: negative but not furious.
_PROBLEM: dict[str, re.Pattern[str]] = {
    "en": rx(
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
    "it": rx(
        r"\bnon (?:funziona|riesco|mi fa|arriva|è arrivato|ho ricevuto|carica|va)\b",
        r"\bancora niente\b|\bnon (?:è |sono )?(?:ancora |mai )?arrivat\w*\b|\bmai (?:arrivat|ricevut)\w*\b",
    ),
    "es": rx(r"\bno (?:funciona|puedo|me deja|llega|ha llegado|he recibido|carga)\b", r"\btodavía no\b"),
    "fr": rx(
        r"\bne (?:fonctionne|marche) (?:pas|plus)\b",
        r"\bje n'arrive pas\b",
        r"\b(?:toujours )?pas (?:reçu|recu|arrivée?s?)\b",
    ),
    "de": rx(
        r"\b(?:geht|funktioniert|klappt) (?:nicht|nicht mehr)\b",
        r"\bnicht (?:erhalten|bekommen|angekommen|geliefert)\b",
    ),
    "pt": rx(r"\bn[aã]o (?:funciona|consigo|chegou|recebi|carrega)\b", r"\bainda n[aã]o\b"),
}

_NEGATIONS: dict[str, frozenset[str]] = {
    "en": word_set("not no never don't dont doesn't doesnt didn't didnt isn't isnt wasn't aren't nor"),
    "it": word_set("non né mai nessun nessuna"),
    "es": word_set("no ni nunca tampoco"),
    "fr": word_set("pas jamais ni plus"),
    "de": word_set("nicht kein keine keinen nie"),
    "pt": word_set("não nao nem nunca"),
}

# Problem words that alone make a post "a report", not "an angry post": half weight.
_MILD = word_set(
    """issue issues problem problems problema problemi problemas problème probleme problèmes probleme
    error errors errore errori errores erreur erreurs fehler erro erros bug bugs stuck missing wrong lag
    lagging slow lento lenta lente langsam glitch refund rimborso reembolso remboursement erstattung
    lost locked suspended banned down deleted disabled charged"""
)
_POLITE = word_set("thanks thank thx grazie gracias merci danke obrigado obrigada")
THANKS = re.compile(
    r"\b(?:thanks|thank you|thx|grazie|gracias|merci|danke|obrigad[oa])\b"
    r"(?! in advance)(?! for (?:any|your) help)"
)

# Thanks for something done: praise even when it names a topic ("thanks for fixing the login issue").
THANKS_FOR_HELP = re.compile(
    r"\b(?:thanks|thank you|thx|grazie|gracias|merci|danke|obrigad[oa]) (?:so much |a lot |again )?"
    r"(?:for|per|por|pour|f[üu]r|pela|pelo) (?:fixing|solving|resolving|sorting|helping|the help|your help|"
    r"the (?:quick|fast|speedy) (?:reply|response|fix|help|delivery)|aver risolto|l'aiuto|la ayuda|"
    r"votre aide|ihre hilfe|die hilfe|a ajuda)"
)
_POSITIVE_EMOJI = re.compile(r"[❤💕💖💯👍👏🙌😍🥰😊🙂😀😃😄😁🤩🎉✨]|<3|:\)|:-\)|:D")
_NEGATIVE_EMOJI = re.compile(r"[😡😠🤬👎😤😭😢😞😩😫🙄💩🤦🤨😒🙃😑]|:\(|:-\(|>:\(")

# Words that make a post urgent whatever its tone (any language: the lists are small).
URGENT = rx(
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


def lexicon_langs(lang: str) -> Iterable[str]:
    """The post's language first, then English (mixed-language posts often use English terms)."""
    return (lang, "en") if lang in _POSITIVE and lang != "en" else ("en",)


# Sentences after the first are questions only with a clearer start than the first one needs:
# "Will never buy again." is not a question, "Can I get a refund" is.
_LATER_QUESTION_STARTS: dict[str, re.Pattern[str]] = {
    "en": rx(
        r"^(?:can|could|will|would|should|do|does|did|is|are|was|have|has) (?:i|you|we|u|someone|anyone|"
        r"somebody|anybody|it|this|there|my|your)\b",
        r"^(?:how|why|what|when|where|who|which) (?:do|does|did|can|could|is|are|was|were|will|would|should|"
        r"to|long|much|many)\b",
    ),
}
_CLAUSE_BREAK = re.compile(r"[.!?…;\n]+\s*")


def is_question(raw: str, clean: str, lang: str) -> bool:
    if "?" in URL.sub(" ", raw) or "¿" in raw:
        return True
    for code in lexicon_langs(lang):
        if _HELP_REQUESTS[code].search(clean):
            return True
        if _QUESTION_STARTS[code].search(clean):
            # "Is it me or ..." and "How great is this" are questions enough for triage.
            return True
        later = _LATER_QUESTION_STARTS.get(code, _QUESTION_STARTS[code])
        if any(later.search(part) for part in _CLAUSE_BREAK.split(clean)[1:]):
            return True
    return False


def sentiment(clean: str, lang: str) -> tuple[Sentiment, float, int]:
    """Sentiment, its score, and how many objections (negative cues other than mild ones) it saw."""
    found = words(clean)
    score = 0.0
    objections = 0
    langs = tuple(lexicon_langs(lang))
    negations = frozenset().union(*(_NEGATIONS[c] for c in langs))
    positive = frozenset().union(*(_POSITIVE[c] for c in langs))
    negative = frozenset().union(*(_NEGATIVE[c] for c in langs))
    for i, word in enumerate(found):
        negated = any(w in negations for w in found[max(0, i - 3) : i])
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
