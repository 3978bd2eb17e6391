"""The offline drafter's reply templates: one set per language (en, it, es, fr, de, pt) and issue.

Bodies follow the greeting ("Hi Maria, "): they start in lower case unless the word needs a
capital. "{dm}" / "{Dm}" is the private-channel request; "{reach}" the thanks for writing. No
body may contain a sentence of the closings: the closing is added after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Network
from bot.drafting.triage import Issue

__all__ = ["ENGLISH", "TEMPLATES", "Language"]


@dataclass(frozen=True)
class Language:
    hello: str  # "{name}" is replaced by the author's name; one of `hello_anonymous` when there is none
    hello_anonymous: tuple[str, ...]
    dm: dict[Network, str]  # how to ask for a private message, as an imperative
    here: str  # the same request inside a private conversation
    welcome: tuple[str, ...]  # a short closing answer to a thank-you ("{name}": see `hello`)
    sent: str  # the public note after a private answer ("{name}": see `welcome`)
    again: tuple[str, ...]  # answering a follow-up once we have replied ("{name}": see `welcome`)
    reach: str  # "thanks for writing to us"
    reach_brand: str  # "thanks for writing to {brand}"
    bodies: dict[Issue, str]  # every issue but praise
    praise: tuple[str, ...]
    closings: tuple[str, ...]  # after a question, a suggestion or a remark
    closings_sorry: tuple[str, ...]  # after a problem


_EN = Language(
    hello="Hi {name}, ",
    hello_anonymous=("Hi there, ", "Hello, ", "Hi, "),
    dm={Network.X: "send us a DM", Network.REDDIT: "send us a private message"},
    here="reply here",
    again=(
        "Thanks for getting back to us{name}. We're looking into it and will follow up here as soon as we know more.",
        "Thanks for the update{name}. We've passed it on to the team and will get back to you here shortly.",
    ),
    sent="Hi{name}, we've sent you a private message.",
    welcome=("You're welcome{name}! Glad we could help.", "Happy to help{name}! Have a great day."),
    reach="thanks for reaching out",
    reach_brand="thanks for reaching out to {brand}",
    bodies={
        Issue.SECURITY: "thanks for letting us know, we take this seriously. If your account may be "
        "affected, please change your password now, then {dm} with the username on it (not here, please) "
        "so we can help secure it.",
        Issue.LOGIN: "sorry about the trouble with your account, we know that's frustrating. Please {dm} "
        "with the username on the account and what's happening (an error message helps); please don't "
        "share private details here.",
        Issue.BILLING: "sorry about the trouble with this payment. We'd like to look into it with you: "
        "please {dm} with the date and amount involved. For your safety, never share card details.",
        Issue.REFUND: "we'd be glad to look into this for you. What's possible depends on the purchase, so "
        "please {dm} with the details (what it was and when) and we'll check the options in your case.",
        Issue.PURCHASE: "sorry your purchase didn't come through as expected. Please {dm} with what you "
        "bought, when, and what's missing, so we can look into it.",
        Issue.DELIVERY: "sorry for the trouble with your order, we know you're waiting for it. Please {dm} "
        "with your order number so we can check what's going on.",
        Issue.BUG: "sorry it isn't working as it should. Please {dm} with what happens exactly and the device "
        "or platform you're on; a screenshot or error code helps too.",
        Issue.FEEDBACK: "thanks for the suggestion, we really appreciate the feedback! We'll pass it on to "
        "the team.",
        Issue.QUESTION: "{reach}! Please {dm} with a few more details so we can give you the right answer.",
        Issue.COMPLAINT: "we're sorry to hear this, it's not the experience we want you to have. Please "
        "{dm} with a few details so we can look into it.",
        Issue.SPAM: "thanks for the mention.",
        Issue.OTHER: "{reach}! If there's anything we can help with, just {dm}.",
    },
    praise=(
        "thank you so much, this made our day! We'll pass it on to the whole team.",
        "thanks a lot for the kind words, they mean a lot to us!",
    ),
    closings=("Have a great day!", "Talk soon!", "We're happy to help."),
    closings_sorry=("Thanks for your patience.", "We're here to help.", "Thanks for bearing with us."),
)

_IT = Language(
    hello="Ciao {name}, ",
    hello_anonymous=("Ciao, ", "Salve, "),
    dm={Network.X: "scrivici in DM", Network.REDDIT: "mandaci un messaggio privato"},
    here="rispondici qui",
    again=(
        "Grazie per averci riscritto{name}. Stiamo verificando e ti aggiorniamo qui appena possibile.",
        "Grazie dell'aggiornamento{name}. L'abbiamo girato al team e ti rispondiamo qui a breve.",
    ),
    sent="Ciao{name}, ti abbiamo scritto in privato.",
    welcome=("Figurati{name}! Felici di esserti stati utili.", "Di nulla{name}! Buona giornata."),
    reach="grazie per il messaggio",
    reach_brand="grazie per aver contattato {brand}",
    bodies={
        Issue.SECURITY: "grazie per la segnalazione, la prendiamo sul serio. Se il tuo account potrebbe "
        "essere coinvolto, cambia subito la password e poi {dm} con il nome utente (non qui, per favore): "
        "ti aiutiamo a proteggerlo.",
        Issue.LOGIN: "ci dispiace per i problemi con il tuo account, sappiamo quanto sia frustrante. {Dm} "
        "con il nome utente e cosa succede (un messaggio di errore ci aiuta); per favore, non condividere "
        "dati personali qui.",
        Issue.BILLING: "ci dispiace per il problema con questo pagamento. Vogliamo verificarlo insieme a "
        "te: {dm} con la data e l'importo. Per sicurezza, non condividere mai i dati della carta.",
        Issue.REFUND: "ce ne occupiamo volentieri. Le opzioni dipendono dall'acquisto: {dm} con i dettagli "
        "(cosa hai acquistato e quando) e verifichiamo cosa è possibile nel tuo caso.",
        Issue.PURCHASE: "ci dispiace che il tuo acquisto non sia andato come previsto. {Dm} indicando cosa "
        "hai acquistato, quando e cosa manca, così verifichiamo.",
        Issue.DELIVERY: "ci dispiace per il problema con il tuo ordine, sappiamo che lo stai aspettando. "
        "{Dm} con il numero d'ordine, così controlliamo cosa sta succedendo.",
        Issue.BUG: "ci dispiace che qualcosa non funzioni come dovrebbe. {Dm} indicando cosa succede "
        "esattamente e il dispositivo o la piattaforma che usi; uno screenshot o un codice di errore ci "
        "aiuta molto.",
        Issue.FEEDBACK: "grazie per il suggerimento, apprezziamo molto il tuo feedback! Lo condivideremo "
        "con il team.",
        Issue.QUESTION: "{reach}! {Dm} con qualche dettaglio in più, così ti diamo la risposta giusta.",
        Issue.COMPLAINT: "ci dispiace molto, non è l'esperienza che vogliamo offrirti. {Dm} con qualche "
        "dettaglio, così possiamo verificare.",
        Issue.SPAM: "grazie per la menzione.",
        Issue.OTHER: "{reach}! Se possiamo aiutarti in qualcosa, {dm}.",
    },
    praise=(
        "grazie di cuore, ci hai fatto felici! Lo condivideremo con tutto il team.",
        "grazie mille per le belle parole, significano molto per noi!",
    ),
    closings=("Buona giornata!", "A presto!", "Siamo qui per aiutarti."),
    closings_sorry=("Grazie per la pazienza.", "Siamo qui per aiutarti.", "Grazie per la comprensione."),
)

_ES = Language(
    hello="Hola {name}, ",
    hello_anonymous=("Hola, ", "Buenas, "),
    dm={Network.X: "escríbenos por DM", Network.REDDIT: "envíanos un mensaje privado"},
    here="respóndenos aquí",
    again=(
        "Gracias por escribirnos de nuevo{name}. Lo estamos revisando y te responderemos aquí lo antes posible.",
        "Gracias por la actualización{name}. Se lo hemos pasado al equipo y te responderemos aquí pronto.",
    ),
    sent="Hola{name}, te hemos enviado un mensaje privado.",
    welcome=("¡De nada{name}! Nos alegra haberte ayudado.", "¡Un placer{name}! Que tengas un buen día."),
    reach="¡gracias por tu mensaje",
    reach_brand="¡gracias por contactar con {brand}",
    bodies={
        Issue.SECURITY: "gracias por avisarnos, nos lo tomamos muy en serio. Si tu cuenta puede estar "
        "afectada, cambia tu contraseña cuanto antes y luego {dm} con tu usuario (aquí no, por favor): te "
        "ayudamos a protegerla.",
        Issue.LOGIN: "sentimos los problemas con tu cuenta, sabemos lo frustrante que es. {Dm} con tu "
        "usuario y qué ocurre (un mensaje de error nos ayuda); por favor, no compartas datos personales "
        "aquí.",
        Issue.BILLING: "sentimos el problema con este pago. Queremos revisarlo contigo: {dm} con la fecha "
        "y el importe. Por seguridad, no compartas nunca los datos de tu tarjeta.",
        Issue.REFUND: "lo revisamos con gusto. Las opciones dependen de la compra: {dm} con los detalles "
        "(qué compraste y cuándo) y vemos qué es posible en tu caso.",
        Issue.PURCHASE: "sentimos que tu compra no haya ido como esperabas. {Dm} indicando qué compraste, "
        "cuándo y qué falta, y lo revisamos.",
        Issue.DELIVERY: "sentimos el problema con tu pedido, sabemos que lo estás esperando. {Dm} con el "
        "número de pedido y revisamos qué está pasando.",
        Issue.BUG: "sentimos que algo no funcione como debería. {Dm} indicando qué ocurre exactamente y el "
        "dispositivo o la plataforma que usas; una captura de pantalla o un código de error nos ayuda mucho.",
        Issue.FEEDBACK: "¡gracias por la sugerencia, valoramos mucho tus comentarios! Se la haremos llegar "
        "al equipo.",
        Issue.QUESTION: "{reach}! {Dm} con algunos detalles más para darte la respuesta correcta.",
        Issue.COMPLAINT: "lamentamos mucho lo ocurrido, no es la experiencia que queremos ofrecerte. {Dm} "
        "con algunos detalles y lo revisamos.",
        Issue.SPAM: "gracias por la mención.",
        Issue.OTHER: "{reach}! Si podemos ayudarte en algo, {dm}.",
    },
    praise=(
        "¡muchísimas gracias, nos has alegrado el día! Se lo haremos llegar a todo el equipo.",
        "¡gracias por tus palabras, significan mucho para nosotros!",
    ),
    closings=("¡Que tengas un buen día!", "¡Hasta pronto!", "Estamos aquí para ayudarte."),
    closings_sorry=(
        "Gracias por tu paciencia.",
        "Estamos aquí para ayudarte.",
        "Gracias por tu comprensión.",
    ),
)

_FR = Language(
    hello="Bonjour {name}, ",
    hello_anonymous=("Bonjour, ", "Bonjour à vous, "),
    dm={Network.X: "écrivez-nous en DM", Network.REDDIT: "envoyez-nous un message privé"},
    here="répondez-nous ici",
    again=(
        "Merci pour votre retour{name}. Nous regardons cela et revenons vers vous ici dès que possible.",
        "Merci pour la précision{name}. Nous l'avons transmise à l'équipe et vous répondons ici rapidement.",
    ),
    sent="Bonjour{name}, nous vous avons envoyé un message privé.",
    welcome=("Avec plaisir{name} ! Ravis d'avoir pu vous aider.", "De rien{name} ! Belle journée à vous."),
    reach="merci pour votre message",
    reach_brand="merci d'avoir contacté {brand}",
    bodies={
        Issue.SECURITY: "merci de nous avoir prévenus, nous prenons cela au sérieux. Si votre compte est "
        "concerné, changez vite votre mot de passe, puis {dm} avec votre identifiant (pas ici, merci) pour "
        "que nous vous aidions à le sécuriser.",
        Issue.LOGIN: "désolés pour ce souci avec votre compte, nous savons que c'est frustrant. {Dm} avec "
        "votre identifiant et ce qui se passe (un message d'erreur nous aide) ; merci de ne pas partager de "
        "données personnelles ici.",
        Issue.BILLING: "désolés pour ce souci de paiement. Nous voulons le vérifier avec vous : {dm} avec "
        "la date et le montant. Par sécurité, ne partagez jamais vos données bancaires.",
        Issue.REFUND: "nous regardons cela volontiers. Les options dépendent de l'achat : {dm} avec les "
        "détails (quoi et quand) et nous vérifierons ce qui est possible dans votre cas.",
        Issue.PURCHASE: "désolés que votre achat ne se soit pas passé comme prévu. {Dm} en précisant ce que "
        "vous avez acheté, quand, et ce qui manque, pour que nous puissions vérifier.",
        Issue.DELIVERY: "désolés pour ce souci avec votre commande, nous savons que vous l'attendez. {Dm} "
        "avec votre numéro de commande et nous regardons ce qui se passe.",
        Issue.BUG: "désolés que quelque chose ne fonctionne pas comme prévu. {Dm} en précisant ce qui se "
        "passe exactement et l'appareil ou la plateforme utilisés ; une capture d'écran ou un code d'erreur "
        "nous aide beaucoup.",
        Issue.FEEDBACK: "merci pour cette suggestion, nous apprécions beaucoup votre retour ! Nous la "
        "transmettrons à l'équipe.",
        Issue.QUESTION: "{reach} ! {Dm} avec quelques détails de plus pour que nous puissions bien vous "
        "répondre.",
        Issue.COMPLAINT: "nous sommes vraiment désolés, ce n'est pas l'expérience que nous voulons vous "
        "offrir. {Dm} avec quelques détails pour que nous puissions regarder cela.",
        Issue.SPAM: "merci pour la mention.",
        Issue.OTHER: "{reach} ! Si nous pouvons vous aider, {dm}.",
    },
    praise=(
        "merci beaucoup, vous avez illuminé notre journée ! Nous transmettrons à toute l'équipe.",
        "merci pour ces mots, ils nous touchent beaucoup !",
    ),
    closings=("Belle journée à vous !", "À bientôt !", "Nous sommes là pour vous aider."),
    closings_sorry=(
        "Merci de votre patience.",
        "Nous sommes là pour vous aider.",
        "Merci de votre compréhension.",
    ),
)

_DE = Language(
    hello="Hallo {name}, ",
    hello_anonymous=("Hallo, ", "Guten Tag, "),
    dm={Network.X: "schreiben Sie uns eine DM", Network.REDDIT: "schreiben Sie uns eine private Nachricht"},
    here="antworten Sie uns hier",
    again=(
        "Danke für Ihre Rückmeldung{name}. Wir sehen uns das an und melden uns hier, sobald wir mehr wissen.",
        "Danke für das Update{name}. Wir haben es an das Team weitergegeben und melden uns hier in Kürze.",
    ),
    sent="Hallo{name}, wir haben Ihnen eine private Nachricht geschickt.",
    welcome=(
        "Gern geschehen{name}! Schön, dass wir helfen konnten.",
        "Sehr gern{name}! Einen schönen Tag noch.",
    ),
    reach="danke für Ihre Nachricht",
    reach_brand="danke für Ihre Nachricht an {brand}",
    bodies={
        Issue.SECURITY: "danke für den Hinweis, wir nehmen das ernst. Falls Ihr Konto betroffen ist, "
        "ändern Sie bitte sofort Ihr Passwort. Danach {dm} mit Ihrem Benutzernamen (nicht hier), dann "
        "helfen wir beim Absichern.",
        Issue.LOGIN: "es tut uns leid, dass es Probleme mit Ihrem Konto gibt, das ist ärgerlich. Bitte "
        "{dm} mit Ihrem Benutzernamen und dem, was passiert (eine Fehlermeldung hilft); bitte keine "
        "persönlichen Daten öffentlich teilen.",
        Issue.BILLING: "es tut uns leid, dass es mit dieser Zahlung Probleme gibt. Wir sehen uns das gern "
        "an: Bitte {dm} mit Datum und Betrag. Teilen Sie zu Ihrer Sicherheit nie Ihre Kartendaten.",
        Issue.REFUND: "wir prüfen das gern für Sie. Was möglich ist, hängt vom Kauf ab: Bitte {dm} mit den "
        "Details (was und wann), dann prüfen wir die Möglichkeiten in Ihrem Fall.",
        Issue.PURCHASE: "es tut uns leid, dass bei Ihrem Kauf etwas nicht geklappt hat. Bitte {dm} und "
        "nennen Sie uns, was Sie wann gekauft haben und was fehlt; dann sehen wir uns das an.",
        Issue.DELIVERY: "es tut uns leid, dass es mit Ihrer Bestellung Probleme gibt. Bitte {dm} mit Ihrer "
        "Bestellnummer, dann prüfen wir, was los ist.",
        Issue.BUG: "es tut uns leid, dass etwas nicht wie gewünscht funktioniert. Bitte {dm} und beschreiben "
        "Sie, was genau passiert und welches Gerät oder welche Plattform Sie nutzen; ein Screenshot oder "
        "Fehlercode hilft uns sehr.",
        Issue.FEEDBACK: "danke für den Vorschlag, wir freuen uns über Ihr Feedback! Wir geben ihn gern an "
        "das Team weiter.",
        Issue.QUESTION: "{reach}! Bitte {dm} mit ein paar Details mehr, damit wir Ihnen richtig antworten "
        "können.",
        Issue.COMPLAINT: "das tut uns sehr leid, so soll Ihre Erfahrung mit uns nicht sein. Bitte {dm} mit "
        "ein paar Details, dann sehen wir uns das an.",
        Issue.SPAM: "danke für die Erwähnung.",
        Issue.OTHER: "{reach}! Wenn wir Ihnen helfen können, {dm}.",
    },
    praise=(
        "vielen Dank, Sie haben uns den Tag versüßt! Wir geben das gern ans ganze Team weiter.",
        "danke für die netten Worte, das bedeutet uns viel!",
    ),
    closings=("Einen schönen Tag noch!", "Bis bald!", "Wir helfen gern."),
    closings_sorry=("Danke für Ihre Geduld.", "Wir sind für Sie da.", "Danke für Ihr Verständnis."),
)

_PT = Language(
    hello="Olá {name}, ",
    hello_anonymous=("Olá, ", "Oi, "),
    dm={Network.X: "mande uma DM para a gente", Network.REDDIT: "mande uma mensagem privada para a gente"},
    here="responda aqui",
    again=(
        "Obrigado por responder{name}. Estamos verificando e voltamos a falar aqui assim que possível.",
        "Obrigado pela atualização{name}. Passamos para a equipe e respondemos aqui em breve.",
    ),
    sent="Oi{name}, enviamos uma mensagem privada para você.",
    welcome=("Por nada{name}! Que bom que ajudamos.", "Disponha{name}! Tenha um ótimo dia."),
    reach="obrigado pelo contato",
    reach_brand="obrigado por falar com {brand}",
    bodies={
        Issue.SECURITY: "obrigado por avisar, levamos isso a sério. Se a sua conta foi afetada, troque a "
        "senha agora mesmo e depois {dm} com o seu usuário (aqui não, por favor): vamos ajudar a "
        "protegê-la.",
        Issue.LOGIN: "sentimos muito pelos problemas com a sua conta, sabemos como é frustrante. {Dm} com "
        "o seu usuário e o que está acontecendo (uma mensagem de erro ajuda); por favor, não compartilhe "
        "dados pessoais aqui.",
        Issue.BILLING: "sentimos muito pelo problema com esse pagamento. Queremos verificar com você: {dm} "
        "com a data e o valor. Por segurança, nunca compartilhe os dados do seu cartão.",
        Issue.REFUND: "vamos verificar com prazer. As opções dependem da compra: {dm} com os detalhes (o que "
        "foi e quando) e vemos o que é possível no seu caso.",
        Issue.PURCHASE: "sentimos muito que a sua compra não tenha saído como esperado. {Dm} contando o que "
        "você comprou, quando e o que está faltando, para verificarmos.",
        Issue.DELIVERY: "sentimos muito pelo problema com o seu pedido, sabemos que você está esperando. "
        "{Dm} com o número do pedido para verificarmos o que está acontecendo.",
        Issue.BUG: "sentimos muito que algo não esteja funcionando como deveria. {Dm} contando o que "
        "acontece exatamente e o dispositivo ou a plataforma que você usa; um print da tela ou um código de "
        "erro ajuda muito.",
        Issue.FEEDBACK: "obrigado pela sugestão, valorizamos muito o seu feedback! Vamos repassar para o "
        "time.",
        Issue.QUESTION: "{reach}! {Dm} com mais alguns detalhes para darmos a resposta certa.",
        Issue.COMPLAINT: "sentimos muito, essa não é a experiência que queremos oferecer. {Dm} com alguns "
        "detalhes para verificarmos.",
        Issue.SPAM: "obrigado pela menção.",
        Issue.OTHER: "{reach}! Se pudermos ajudar em algo, {dm}.",
    },
    praise=(
        "muito obrigado, você fez o nosso dia! Vamos compartilhar com todo o time.",
        "obrigado pelas palavras, significam muito para nós!",
    ),
    closings=("Tenha um ótimo dia!", "Até logo!", "Estamos aqui para ajudar."),
    closings_sorry=("Obrigado pela paciência.", "Estamos aqui para ajudar.", "Obrigado pela compreensão."),
)

TEMPLATES: dict[str, Language] = {"en": _EN, "it": _IT, "es": _ES, "fr": _FR, "de": _DE, "pt": _PT}
ENGLISH = _EN  # for any other language
