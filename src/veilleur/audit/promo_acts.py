"""What a post *does*, beside what it talks about: the second stage of the promotion
classifier.

Why: the learned word scores (:mod:`veilleur.audit.promo_words`) read the topic. A post
*about* recruitment or prices (« Offres d'emploi : la moitié des PME ne reçoivent aucune
candidature », "Recycling centre winter hours from 1 November") shares an ad's words and
was read as one (blind test3: precision 0.85; the demo corpus: 0.51). What tells them
apart is the act: an ad addresses the reader and asks for something — second person, an
imperative, a contact or a link, a price or a discount, the terms of a contract, a
deadline; a value post reports, explains or greets — a question of how or why, figures
and sources, thanks and congratulations, an institution's news, the past tense.

Each family below is one broad grammatical or pragmatic marker in French and English,
not a phrase from the labelled set; its weight is learned (``benchmarks/promo_train.py``
fits a logistic regression on the word logit, measured out of fold, and these families'
presence, and saves the weights with the word scores). A family found is also a reason
the consultant reads (« appel à agir : « postulez » »).

Speed: a post is split into words once; most families are sets of words and of phrases of
two or three words, looked up in one dictionary; the few that need an expression (a price,
an e-mail, a contract's hours, "we are looking") run it only when a cheap test on the post
allows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

AD = "ad"
VALUE = "value"
EVENT = "event"  # weighs in the first stage like the others, then tells an event apart

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…👉\n]\s*)(\w+(?:[ -]\w+)?)")


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: a dictionary key
class Act:
    name: str
    side: str  # ad | value | event: the side it is expected to weigh (its weight is learned)
    fr: str
    en: str


@dataclass(slots=True)
class Post:
    """A post read once: its lower-cased text, words, and phrases of two and three words
    (apostrophes and hyphens read as spaces: « jusqu'au » is "jusqu au")."""

    lower: str
    words: list[str]
    digits: bool

    @classmethod
    def read(cls, text: str) -> Post:
        lower = normalise(text).lower()
        return cls(lower, _WORD.findall(lower), _DIGIT.search(lower) is not None)

    def grams(self) -> list[str]:
        """Each word, and the phrases of two and three words that start with a word that
        starts a listed phrase (``_STARTS``)."""
        w = self.words
        out = list(w)
        for i, word in enumerate(w):
            if word in _STARTS:
                out.extend(" ".join(w[i : i + n]) for n in (2, 3) if i + n <= len(w))
        return out


# French typography puts a no-break space (U+00A0) or a narrow one (U+202F) before « : ; ! ? »,
# inside « guillemets », in « 18 h 30 » and « 30 % »: read as plain spaces, or the
# expressions below (written with plain spaces) miss a French hour or date (round 3).
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "’": "'"})


def normalise(text: str) -> str:
    """``text`` with typographic spaces as plain spaces and ’ as '."""
    return text.translate(_SPACES)


def _set(text: str) -> frozenset[str]:
    return frozenset(line.strip() for line in text.split("|") if line.strip())


# Each family: its words and phrases (lower-case, apostrophes and hyphens as spaces).
YOU = Act("you", AD, "s'adresse au lecteur", "addresses the reader")
IMPERATIVE = Act("imperative", AD, "appel à agir", "call to action")
CONTACT = Act("contact", AD, "contact direct", "direct contact")
PRICE = Act("price", AD, "prix ou remise", "price or discount")
FREE = Act("free", AD, "gratuit ou offert", "free or on the house")
TERMS = Act("terms", AD, "conditions d'un poste ou d'une offre", "terms of a job or an offer")
DEADLINE = Act("deadline", AD, "échéance", "deadline")
SEEK = Act("seek", AD, "cherche ou propose en son nom", "seeks or offers in its own name")
NOVELTY = Act(
    "novelty", AD, "annonce une nouveauté ou une disponibilité",
    "announces something new or available",
)  # fmt: skip
EXPLAIN = Act("explain", VALUE, "explique ou analyse", "explains or analyses")
SOCIAL = Act("social", VALUE, "remercie, félicite ou salue", "thanks, congratulates or greets")
NEWS = Act("news", VALUE, "rapporte une nouvelle ou une règle", "reports news or a rule")
GENERAL = Act("general", VALUE, "parle d'un groupe en général", "speaks of a group in general")
PAST = Act("past", VALUE, "raconte ce qui a eu lieu", "tells what happened")
CONVERSE = Act("converse", VALUE, "invite le public à échanger", "invites the audience to talk")
RELAY = Act("relay", VALUE, "relaie un article ou un contenu", "relays an article or content")
INVITE = Act("invite", EVENT, "invite à un événement", "invites to an event")
# round 2: what any invitation does, whatever the kind of event is called — asks the reader
# to come or sign up, and gives a day or an hour. Learned weights, not gates: job ads and
# offers do it too (a job dating, "until Saturday").
GATHER = Act("gather", EVENT, "invite à venir ou à s'inscrire", "asks to come or sign up")
WHEN = Act("when", EVENT, "donne un jour ou une heure", "gives a day or a time")
ACTS: tuple[Act, ...] = (
    YOU, IMPERATIVE, CONTACT, PRICE, FREE, TERMS, DEADLINE, SEEK, NOVELTY,
    EXPLAIN, SOCIAL, NEWS, GENERAL, PAST, CONVERSE, RELAY, INVITE, GATHER, WHEN,
)  # fmt: skip

_LEXICON: dict[Act, frozenset[str]] = {
    YOU: _set("vous|votre|vos|tu|toi|ton|ta|tes|you|your|yours"),
    IMPERATIVE: _set(
        "viens|écris|ecris|rejoins|postule|fonce|foncez|hésitez|hesitez|faites suivre"
        "|inscrivez vous|dépêchez vous|depechez vous|venez"
    ),
    CONTACT: _set("dm|mp|message privé|inbox|billetterie|ticket|tickets|devis|quote|quotes"),
    PRICE: _set(
        "off|remise|réduction|reduction|soldes|promo|promos|promotion|discount|tarif|tarifs"
        "|moitié prix|half price|à partir de|from only|euro|euros"
    ),
    # apart from a price: free entry is what an invitation says, a price what an ad does
    FREE: _set(
        "gratuit|gratuite|gratuits|gratuites|offert|offerte|offerts|offertes|free"
        "|sans engagement|no obligation"
    ),
    TERMS: _set(
        "cdi|cdd|alternance|intérim|interim|temps plein|temps partiel|mi temps|full time"
        "|part time|permanent|fixed term|salaire|salary|rémunération|remuneration|per hour"
        "|an hour|shift|shifts|immediate start|poste basé|based in|en stock|in stock"
        "|livraison|delivery|dispatched|sur mesure"
    ),
    DEADLINE: _set(
        "jusqu au|jusqu à|avant le|dès|plus que|dernière|dernières|il reste|until|till|ends"
        "|last chance|while stocks last|before|this week|this weekend|ce week end|ce samedi"
        "|ce dimanche|cette semaine"
    ),
    NOVELTY: _set(
        "nouveau|nouvelle|nouveaux|nouvelles|de retour|disponible|disponibles|ouverture"
        "|lancement|sortie|arrivée|en vente|new|is back|are back|back in|available|now open"
        "|launch|launches|launched|launching|out now|just landed|has landed|preorder"
        "|pre order|pre orders|précommande|précommander|en précommande"
    ),
    SEEK: _set("recrute|embauche|is hiring|are hiring|now hiring|hiring now"),
    EXPLAIN: _set(
        "comment|pourquoi|voici|quel|quels|quelle|quelles|conseil|conseils|astuce|astuces"
        "|guide|étude|etude|enquête|enquete|selon|repères|leçon|leçons|ce que|how|why|what"
        "|which|here s|tip|tips|case study|study|survey|according to|lesson|lessons"
        "|checklist|explained|expliqué|expliquée|expliqués|combien|how much|saviez vous"
        "|did you know|coulisses|behind the scenes|en chiffres|in numbers|by the numbers"
        "|avantages et limites|avantages et inconvénients|pour et contre|pros and cons"
        "|erreurs à éviter|mistakes to avoid|à éviter|to avoid"
    ),
    SOCIAL: _set(
        "merci|bravo|félicitations|felicitations|bienvenue|joyeux|joyeuses|bonne année"
        "|bonnes fêtes|bonnes vacances|bon courage|thanks|thank|congratulations|congrats"
        "|well done|welcome to|welcome back|happy|merry|good luck|fier|fière|fiers|fières"
        "|proud"
    ),
    NEWS: _set(
        "mairie|commune|préfecture|prefecture|council|loi|décret|decret|réglementation"
        "|reglementation|règle|règles|regle|regles|rule|rules|law|regulation|regulations"
        "|gouvernement|government|ministère|ministere|urssaf|insee|statistics|chiffres"
        "|figures|marché du travail|marché de l emploi|job market|labour market|labor market"
        "|rappel|reminder|warning|vigilance|alerte|publie|publishes|published|annonce"
        "|announced|reported|arnaque|arnaques|scam|scams|fraude|fraud|fermeture|fermé"
        "|fermée|closed|closure|congés|réouverture|reopens|reopening|horaires d été"
        "|horaires d hiver|opening hours|summer hours|winter hours"
    ),
    # besides the tenses ``_past`` finds: a look back at what took place
    PAST: _set("retour sur|look back|looking back|recap"),
    CONVERSE: _set(
        "vos questions|votre question|votre avis|vos avis|votre expérience|vos retours|et vous"
        "|qu en pensez vous|dites nous|racontez nous|en commentaire|en commentaires"
        "|your questions|your question|your thoughts|your experience|your views|and you"
        "|what do you think|tell us|in the comments|below|question du|question for"
        "|question to|question à"
    ),
    RELAY: _set(
        "article|articles|blog|billet|podcast|épisode|episode|lisez|lire|relire|à lire"
        "|à écouter|read|reading|write up|listen|newsletter|replay"
    ),
    INVITE: _set(
        "webinaire|webinaires|webinar|webinars|portes ouvertes|porte ouverte|open day"
        "|open days|open evening|open house|salon|conférence|conference|table ronde"
        "|panel|masterclass|save the date|assemblée générale|general meeting|agm|en direct"
        "|journée découverte|taster day|afterwork|meetup"
        "|entrée libre|free entry|ouvert à tous|open to all|all welcome|inauguration"
        "|vernissage|launch evening|soirée de lancement|drop in|café conseil|visite guidée"
        "|guided tour|rencontrons nous|come and see"
    ),
    GATHER: _set(
        "rejoignez nous|retrouvez nous|rencontrons nous|venez|venez nombreux|on se retrouve"
        "|nous vous attendons|on vous attend|vous y attendons|inscrivez vous|inscription"
        "|inscriptions|sur inscription|sur réservation|places limitées|participez|invités"
        "|invitées|bienvenus|bienvenues|ouvert au public|ouverte au public|ouvre ses portes"
        "|ouvrons|accueillons|join us|come along|see you there|sign up|sign ups|register"
        "|registration|book your seat|book your place|all welcome|we re hosting"
        "|hosting|invited|turn up|drop by|meet us|say hello|bring your"
    ),
}
_BY_GRAM: dict[str, list[Act]] = {}
for _act, _grams in _LEXICON.items():
    for _gram in _grams:
        _BY_GRAM.setdefault(_gram, []).append(_act)
_STARTS = frozenset(gram.split()[0] for gram in _BY_GRAM if " " in gram)

# French imperatives of asking: a stem + "ez" (postulez, réservez, contactez…).
_FR_IMPERATIVE_STEMS = _set(
    "postul|candidat|rejoign|réserv|reserv|command|contact|écriv|ecriv|envoy|découvr|decouvr"
    "|profit|inscriv|appel|pass|demand|parrain|précommand|precommand"
    "|tagu|identifi|vis|craqu|offr|retrouv|abonn|télécharg|telecharg|cliqu|achet|goût|gout"
)
# English imperatives: these verbs first in a sentence or after a colon.
_EN_IMPERATIVE = _set(
    "apply|join|book|order|contact|call|email|message|dm|visit|shop|grab|register|sign up"
    "|come|send|tag|get|pre order|enquire|discover|subscribe|download"
    "|click|buy|hurry|don t|pop in|drop us|head to|treat yourself|stock up"
)
_EN_IMPERATIVE_WORDS = frozenset(phrase.split()[0] for phrase in _EN_IMPERATIVE)
# an address: a name, @, a domain with a dot (« y@i » in a word is not one)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b")
_PHONE = re.compile(r"\+?\d[\d .]{8,}\d")
# an amount of money, or a percentage taken off (« -20 % », "20% off"): a percentage alone
# is a figure (« 80 % de produits bio », "up to 3% more fuel"), which value posts give
_MONEY = re.compile(
    r"\d[\d ,.]*\s?(?:€|k€|£|\$)|[€£$]\s?\d|(?:^|[\s(])[-–−]\s?\d{1,2}(?:[.,]\d)?\s?%"
    r"|\d\s?% off\b"
)
_HOURS = re.compile(r"\d\s?h(?:eures)?\b|\d hours\b|\b[hf] ?/ ?[fh]\b")
_ONLY = re.compile(r"\bonly \d")
# a time of day (« 18 h 30 », "6.30pm") or a day of a month (« le 12 mars », "4 March")
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre"
    "|novembre|décembre|decembre|january|february|march|april|may|june|july|august"
    "|september|october|november|december"
)
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday"
    "|friday|saturday|sunday"
)
# a day of a month (« le 12 mars », « jeudi 9 », "4 March", "March 4th") or an hour one comes
# at (« à 18 h 30 », "at 6.30pm"); not a weekday alone nor a span of hours (« du lundi au
# vendredi », « de 22 h à 7 h » are a job's hours as often as an event's)
_CLOCK = re.compile(
    rf"\b\d{{1,2}}(?:er|st|nd|rd|th)? (?:{_MONTHS})\b|\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b(?:{_WEEKDAYS}) \d{{1,2}}\b"
    r"|(?<![\w-])(?:à|at) \d{1,2}(?: ?h ?\d{0,2}\b|[.:]\d{2}| ?[ap]m\b)(?! ?(?:à|to|-|–) ?\d)"
)
# "we are looking", « notre atelier recherche »: a subject, then within four words a verb
# of seeking or offering (its stem).
_SEEK_STEMS = tuple(
    _set(
        "cherch|recherch|recrut|embauch|propos|lanc|accueill|ouvr|renforc|étoff|etoff|complét"
        "|complet|pren|besoin|need|look|seek|hir|offer|launch|open|welcom|take|after|love|add"
        "|strengthen|expand|grow|want"
    )
)
_SEEK_SUBJECTS = _set("nous|on|we|notre|our|qui")
_GENERAL = re.compile(
    r"(?:^|(?<=[.:!?;]\s))(?:la plupart des|la moitié des|beaucoup de|trop de|"
    r"peu de|most|many|few|half of|too many|\d+ ?% (?:des|of))\s"
    r"|(?<!\w)(?:candidats|candidates|applicants|employeurs|employers|recruteurs|"
    r"recruiters|pme|smes|small firms|entreprises|companies|businesses|salariés|"
    r"employees|consommateurs|consumers|clients|customers|commerçants|traders)\s+"
    r"(?:\w+\s+)?(?:sont|ont|lisent|veulent|cherchent|préfèrent|restent|"
    r"reçoivent|are|read|want|get|take|prefer|look|need|still|often|tend)(?!\w)"
)
_GENERAL_WORDS = _set(
    "plupart|moitié|beaucoup|trop|peu|most|many|few|half|candidats|candidates|applicants"
    "|employeurs|employers|recruteurs|recruiters|pme|smes|firms|entreprises|companies"
    "|businesses|salariés|employees|consommateurs|consumers|clients|customers|commerçants"
    "|traders"
)
_FR_AUX = _set("a|ont|avons|avez|as|ai")
_FR_AUX_I = _set("ont|avons|avez|ai")
_EN_PAST_RE = re.compile(r"\b(?:was|were|had|been|\w{3,}ed)\b")
_FR_EZ = re.compile(r"\b(\w+)ez\b")


def _imperative(post: Post) -> str | None:
    for stem in _FR_EZ.findall(post.lower):
        if stem in _FR_IMPERATIVE_STEMS:
            return f"{stem}ez"
    if _EN_IMPERATIVE_WORDS.isdisjoint(post.words):
        return None  # none of the verbs anywhere: no need to find the sentences' starts
    start: str
    for start in _SENTENCE_START.findall(post.lower):
        first = start.split()[0] if " " in start else start.split("-")[0]
        if start.replace("-", " ") in _EN_IMPERATIVE or first in _EN_IMPERATIVE:
            return first
    return None


def _contact(post: Post) -> str | None:
    """An e-mail address or a phone number: a way to reach the organisation directly. A
    web link is not one (``_link``): relaying an article is what the method asks for."""
    match = _EMAIL.search(post.lower) if "@" in post.lower else None
    if match is None and post.digits:
        match = _PHONE.search(post.lower)
    return match.group(0) if match else None


def _search(
    pattern: re.Pattern[str], wanted: Callable[[Post], bool]
) -> Callable[[Post], str | None]:
    def find(post: Post) -> str | None:
        if not wanted(post):
            return None
        match = pattern.search(post.lower)
        return match.group(0).strip() if match else None

    return find


def _has_digit(post: Post) -> bool:
    return post.digits


def _seek(post: Post) -> str | None:
    words = post.words
    for i, word in enumerate(words):
        if word in _SEEK_SUBJECTS:
            for nxt in words[i + 1 : i + 5]:
                if nxt.startswith(_SEEK_STEMS):
                    return f"{word} … {nxt}"
    return None


def _past(post: Post) -> str | None:
    words = post.words
    if not _FR_AUX.isdisjoint(words):
        for i, word in enumerate(words):
            if word in _FR_AUX:
                for nxt in words[i + 1 : i + 3]:
                    if len(nxt) > 3 and nxt.endswith(("é", "ée", "és", "ées")):
                        return f"{word} {nxt}"
                    if (
                        word in _FR_AUX_I
                        and len(nxt) > 3
                        and nxt.endswith(("i", "is", "it", "u", "us"))
                    ):
                        return f"{word} {nxt}"
    match = _EN_PAST_RE.search(post.lower)
    return match.group(0) if match else None


# Families found by a function of the post (besides, or instead of, their words).
_FINDERS: dict[Act, Callable[[Post], str | None]] = {
    IMPERATIVE: _imperative,
    CONTACT: _contact,
    PRICE: _search(_MONEY, _has_digit),
    TERMS: _search(_HOURS, lambda post: _has_digit(post) or "/" in post.lower),
    DEADLINE: _search(_ONLY, lambda post: "only" in post.words and _has_digit(post)),
    SEEK: _seek,
    WHEN: _search(_CLOCK, _has_digit),
    GENERAL: _search(_GENERAL, lambda post: bool(_GENERAL_WORDS.intersection(post.words))),
    PAST: _past,
}


def found(text: str) -> list[tuple[Act, str]]:
    """The families found in ``text``, in the order of ``ACTS``, each with what was found
    first (the reason shown)."""
    post = Post.read(text)
    first: dict[Act, str] = {}
    get = _BY_GRAM.get
    for gram in post.grams():
        acts = get(gram)
        if acts is not None:
            for act in acts:
                first.setdefault(act, gram)
    for act, finder in _FINDERS.items():
        if act not in first and (hit := finder(post)) is not None:
            first[act] = hit
    return [(act, first[act]) for act in ACTS if act in first]
