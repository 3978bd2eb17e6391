"""What a post is about (`Issue`), and whether it is spam: topic patterns per language.

`classify_issue` (in `analysis`) documents the order in which the topics are tried.
"""

from __future__ import annotations

import html
import re
from enum import StrEnum

from bot.domain.routing import KINDS
from bot.domain.words import SPACES, URL, clean_text
from bot.drafting.triage.cues import rx

__all__ = ["KINDS", "PROBLEM_ISSUES", "REPORTS", "Issue", "is_spam", "topic"]

_LETTERS = re.compile(r"[^\W\d_]+")


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


# Issues that report a problem: without a question, their post is a complaint.
PROBLEM_ISSUES = frozenset(
    {Issue.SECURITY, Issue.LOGIN, Issue.BILLING, Issue.REFUND, Issue.DELIVERY, Issue.BUG, Issue.PURCHASE}
)
# Issues that are a problem whatever the tone ("my order number is 123" is not a complaint, "I was
# still charged" is).
REPORTS = frozenset({Issue.SECURITY, Issue.LOGIN, Issue.BILLING, Issue.BUG, Issue.COMPLAINT})

_SECURITY = rx(
    r"\bhack(?:ed|er|ers)?\b|\bcompromised\b|\bphishing\b|\bidentity theft\b|\bunauthori[sz]ed\b",
    r"\bsome(?:one|body) (?:\w+ )?(?:logged|logging|signed|signing|accessed|has access)\b",
    r"\bsome(?:one|body) (?:\w+ )?(?:changed my|is using my)\b",
    r"\b(?:logging|logged|signed|log|sign) into my\b",
    r"\bhackerat\w*\b|\bhackead\w*\b|\bpirat[ée]\w*\b|\bgehackt\b|\baccesso non autorizzato\b",
)

_LOGIN = rx(
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
_BILLING_TAKEN = rx(
    r"\b(?:charged|billed|debited|overcharg\w*)\b|\b(?:took|taken|stole|stolen|take) (?:my |our )?money\b",
    r"\bwrong amount\b|\bdouble (?:charge|payment)\b|\b(?:payment|card) (?:was |got )?declined\b",
    r"\baddebitat\w*\b|\bdoppio addebito\b|\b(?:pagato|scalat[oi]) due volte\b|\bsoldi (?:presi|rubati)\b",
    r"\bcobr(?:aron|ado|ada|ó)\b|\bcobro (?:doble|indebido)\b|\bdoble cobro\b",
    r"\b(?:d[ée]bit[ée]|pr[ée]lev[ée]|factur[ée])e?s?\b",
    r"\babgebucht\b|\bdoppelt (?:abgebucht|berechnet)\b|\bberechnet\b",
    r"\bcobrad[oa]s?\b|\bcobraram\b|\bcobran[çc]a (?:duplicada|indevida)\b|\bdebitad[oa]s?\b",
)
# Words about money that make a billing problem only when the post reports one.
_BILLING_WORDS = rx(
    r"\bcharges?\b|\bbill(?:ing)?\b|\binvoice\w*\b|\bpayments?\b|\bpaypal\b|\btransactions?\b",
    r"\bmy card\b|\bcredit card\b|\bcheckout\b|\bsubscription\b|\bmoney\b|\bfee\b",
    r"\baddebit\w*\b|\bpagament\w*\b|\bfattura\b|\babbonamento\b|\bsoldi\b|\bcarta di credito\b",
    r"\bcobr\w*\b|\bpago\b|\bcargo\b|\bfactura\b|\bsuscripci[oó]n\b|\bdinero\b|\btarjeta\b",
    r"\bpaiement\b|\bfacture\b|\babonnement\b|\bargent\b|\bpr[ée]l[èe]vement\b|\bcarte bancaire\b",
    r"\bzahlung\b|\brechnung\b|\babo\b|\babonnement\b|\bgeld\b|\babbuchung\b|\bkreditkarte\b",
    r"\bpagamento\b|\bfatura\b|\bassinatura\b|\bdinheiro\b|\bcart[aã]o\b|\bcobran[çc]a\b",
)
_REFUND = rx(
    r"\brefund\w*\b|\bmoney back\b|\breimburs\w*\b|\bchargeback\b",
    r"\brimbors\w*\b|\bindietro i (?:miei )?soldi\b",
    r"\breembols\w*\b|\bdevoluci[oó]n del dinero\b|\bdevolver (?:el|mi) dinero\b",
    r"\brembours\w*\b",
    r"\berstatt\w*\b|\br[üu]ckerstatt\w*\b|\bgeld zur[üu]ck\b",
    r"\bestorno\b|\bdinheiro de volta\b",
)
# A refund already due and late is a billing problem, not a question about the policy.
_REFUND_OVERDUE = rx(
    r"\b(?:still|yet|where(?:'s| is)|waiting|haven't|havent|hasn't|hasnt|not (?:received|got)|never "
    r"(?:got|received|came)|weeks?|days?|months?|ago)\b",
    r"\b(?:ancora|aspetto|attesa|non (?:ho )?ricevuto|settimane|giorni|mesi|fa)\b|\bdov'è\b",
    r"\b(?:todav[ií]a|a[uú]n|espero|esperando|no (?:he )?recibido|semanas|d[ií]as|meses|hace)\b",
    r"\b(?:toujours|attends|attente|pas (?:re[çc]u)|semaines|jours|mois|il y a)\b|\boù est\b",
    r"\b(?:immer noch|noch nicht|warte|nicht erhalten|wochen|tage|monate|vor)\b|\bwo (?:ist|bleibt)\b",
    r"\b(?:ainda|esperando|aguardando|n[aã]o recebi|semanas|dias|meses|cad[eê])\b",
)

_DELIVERY = rx(
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

_BUG = rx(
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

_PURCHASE = rx(
    r"\bbought\b|\bpurchas\w*\b|\bpaid\b|\bpre-?order\w*\b",
    r"\bcomprat[oaie]\b|\bacquist\w*\b|\bho pagato\b",
    r"\bcompr[eé]\b|\bcomprado\b|\bhe pagado\b|\bpagu[eé]\b",
    r"\bachet[ée]\w*\b|\bachat\b|\bj'ai pay[ée]\b",
    r"\bgekauft\b|\bbezahlt\b",
    r"\bcomprei\b|\bpaguei\b",
)

_MISSING = rx(
    r"\bexcept\b|\bmissing\b|\bnot there\b|\bnever (?:got|received)\b|\bdidn't (?:get|receive)\b",
    r"\bmanca\b|\bmancano\b|\bnon (?:ho )?ricevuto\b|\bfalta\b|\bmanque\b|\bfehlt\b|\bfaltando\b",
)

_FEEDBACK = rx(
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
_SPAM_STRONG = rx(
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
_NOT_SPAM = rx(
    r"\b(?:scam\w*|fraud\w*|fake|impersonat\w*|report\w*|hack\w*|stole\w*|phishing)\b",
    r"\b(?:truff\w*|segnal\w*|estaf\w*|denunci\w*|arnaque\w*|betrug\w*|golpe\w*)\b",
    r"\b(?:my|mio|mia|mi|mon|ma|mein|meine|meu|minha) (?:order|account|ordine|account|pedido|cuenta|"
    r"commande|compte|bestellung|konto|conta)\b",
)


def is_spam(raw: str, clean: str, is_question: bool) -> bool:
    """Obvious spam: promotion, scams, follow-for-follow, a bare link, or a run of one character."""
    if _NOT_SPAM.search(clean):
        return False
    if _SPAM_STRONG.search(clean):
        return True
    if not is_question and len(set(_SPAM_WEAK.findall(clean))) >= 2:
        return True
    content = SPACES.sub("", clean_text(raw))
    if len(content) >= 6 and len(set(content.lower())) <= 2:
        return True  # "hahahaha", "aaaaaaaa", "😂😂😂😂😂😂"
    run = re.search(r"(.)\1{9,}", content)
    if run and 2 * len(run.group(0)) >= len(content):
        return True
    return not _LETTERS.search(content) and URL.search(html.unescape(raw)) is not None  # a bare link


def topic(clean: str, *, troubled: bool) -> Issue | None:
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
