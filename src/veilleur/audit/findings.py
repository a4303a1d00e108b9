"""Findings: what the audit says, as advice a consultant can read aloud to a client.

Each finding belongs to one criterion, has a level (``good``, ``warn``, ``bad``), a
sentence in French or English, and the figure it rests on, so that nobody has to take
a piece of advice on trust. Thresholds are named constants below: they are the
judgement calls of the method, kept in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from veilleur.audit import fmt
from veilleur.audit.account import OVERALL_WEIGHTS, AccountAudit
from veilleur.audit.promo import ADVICE_SHARE
from veilleur.audit.relevance import UNDER_COVERED
from veilleur.report.typography import french_spacing

LOW_VOLUME = 0.5  # below half the target cadence
FLOOD = 3.0  # above three times the target cadence
FEW_ACTIVE_WEEKS = 0.6
LONG_SILENCE_DAYS = 21
BURSTY_CV = 1.0
ON_TOPIC_LOW = 0.5
ON_TOPIC_GOOD = 0.7
ERRORS_BAD = 1.0  # errors per 100 words
ERRORS_GOOD = 0.3
LENGTH_FIT_LOW = 0.6
ALT_LOW = 0.8
SHOUTING_HIGH = 0.05
READABILITY_LOW = 40.0


@dataclass(slots=True)
class Finding:
    criterion: str  # frequency | relevance | quality | promo | engagement | overall
    level: str  # good | warn | bad
    text: str
    figure: str

    def to_json(self) -> dict[str, str]:
        return {
            "criterion": self.criterion,
            "level": self.level,
            "text": self.text,
            "figure": self.figure,
        }


def findings(audit: AccountAudit, lang: str = "fr") -> list[Finding]:
    """Every finding of one audit, most important first within each criterion."""
    out: list[Finding] = []
    for part in (_overall, _frequency, _relevance, _promo, _quality, _engagement):
        out.extend(part(audit, lang))
    if lang == "fr":
        for item in out:
            item.text = french_spacing(_apostrophes(item.text))
            item.figure = french_spacing(_apostrophes(item.figure))
    return out


def _apostrophes(text: str) -> str:
    """The typographic apostrophe of French print (« l’atelier »), hashtags left alone."""
    return " ".join(w if w.startswith("#") else w.replace("'", "’") for w in text.split(" "))


def _say(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


Part = Callable[[AccountAudit, str], list[Finding]]


def _overall(audit: AccountAudit, lang: str) -> list[Finding]:
    names = {
        "fr": {
            "relevance": "pertinence",
            "quality": "qualité",
            "frequency": "fréquence",
            "balance": "équilibre",
        },
        "en": {
            "relevance": "relevance",
            "quality": "quality",
            "frequency": "frequency",
            "balance": "balance",
        },
    }[lang]
    weights = ", ".join(f"{names[k]} {fmt.percent(w, lang)}" for k, w in OVERALL_WEIGHTS.items())
    scores = audit.scores
    weakest = min(("relevance", "quality", "frequency"), key=lambda k: scores[k])
    score = fmt.number(audit.overall, lang, 0)
    level = "good" if audit.overall >= 70 else "warn" if audit.overall >= 50 else "bad"
    text = _say(
        lang,
        f"Note globale : {score}/100 ({weights}). Le point à travailler en premier : "
        f"la {names[weakest]} ({fmt.number(scores[weakest], lang, 0)}/100).",
        f"Overall score: {score}/100 ({weights}). The first thing to work on: "
        f"{names[weakest]} ({fmt.number(scores[weakest], lang, 0)}/100).",
    )
    return [Finding("overall", level, text, f"{score}/100")]


def _frequency(audit: AccountAudit, lang: str) -> list[Finding]:
    f = audit.frequency
    out: list[Finding] = []
    net = fmt.network(audit.network, lang)
    per_week = fmt.number(f.per_week, lang)
    target = fmt.number(f.target_per_week, lang)
    figure = _say(lang, f"{per_week} par semaine", f"{per_week} a week")
    ratio = f.per_week / f.target_per_week
    if ratio < LOW_VOLUME:
        out.append(
            Finding(
                "frequency",
                "bad",
                _say(
                    lang,
                    f"Le compte publie {per_week} "
                    f"{fmt.plural(f.per_week, 'message', 'messages')} par semaine en "
                    "moyenne, quand "
                    f"{net} demande environ {target} : trop peu pour rester dans le fil de "
                    "vos abonnés. Un calendrier éditorial de quelques sujets récurrents "
                    "suffit à tenir le rythme.",
                    f"The account posts {per_week} times a week on average where {net} "
                    f"calls for about {target}: too little to stay in your followers' "
                    "feeds. An editorial calendar of a few recurring subjects is enough "
                    "to keep the pace.",
                ),
                figure,
            )
        )
    elif ratio > FLOOD:
        out.append(
            Finding(
                "frequency",
                "warn",
                _say(
                    lang,
                    f"Avec {per_week} messages par semaine, bien au-delà des {target} "
                    f"attendus sur {net}, le compte risque de lasser : mieux vaut moins "
                    "de messages, plus travaillés.",
                    f"At {per_week} posts a week, far beyond the {target} expected on "
                    f"{net}, the account may tire its audience: fewer, better posts work "
                    "better.",
                ),
                figure,
            )
        )
    else:
        out.append(
            Finding(
                "frequency",
                "good",
                _say(
                    lang,
                    f"Le volume est bon : {per_week} messages par semaine pour une cible "
                    f"d'environ {target} sur {net}.",
                    f"Volume is right: {per_week} posts a week against a target of about "
                    f"{target} on {net}.",
                ),
                figure,
            )
        )
    if f.active_week_share < FEW_ACTIVE_WEEKS:
        share = fmt.percent(f.active_week_share, lang)
        out.append(
            Finding(
                "frequency",
                "bad" if f.active_week_share < 0.4 else "warn",
                _say(
                    lang,
                    f"Seules {share} des semaines comptent au moins une publication : "
                    "la régularité compte plus que le volume. Mieux vaut un message "
                    "chaque semaine que cinq la même semaine.",
                    f"Only {share} of the weeks have at least one post: regularity "
                    "matters more than volume. One post every week beats five in one week.",
                ),
                _say(lang, f"{share} des semaines", f"{share} of weeks"),
            )
        )
    if f.longest_silence_days >= LONG_SILENCE_DAYS:
        n = fmt.number(f.longest_silence_days, lang, 0)
        start, end = fmt.day(f.silence_from, lang), fmt.day(f.silence_to, lang)
        out.append(
            Finding(
                "frequency",
                "warn",
                _say(
                    lang,
                    f"Le plus long silence a duré {n} jours (du {start} au {end}). "
                    "Préparez quelques messages d'avance pour les congés et les périodes "
                    "chargées.",
                    f"The longest silence lasted {n} days ({start} to {end}). Prepare a "
                    "few posts ahead for holidays and busy periods.",
                ),
                _say(lang, f"{n} jours", f"{n} days"),
            )
        )
    if f.gap_cv is not None and f.gap_cv > BURSTY_CV:
        cv = fmt.number(f.gap_cv, lang)
        out.append(
            Finding(
                "frequency",
                "warn",
                _say(
                    lang,
                    "Les publications arrivent par rafales, suivies de longs creux "
                    f"(coefficient de variation des intervalles : {cv}). Programmer les "
                    "messages à l'avance lisse le rythme.",
                    "Posts come in bursts followed by long gaps (coefficient of variation "
                    f"of the gaps: {cv}). Scheduling posts ahead smooths the rhythm.",
                ),
                f"CV {cv}",
            )
        )
    best = _busiest(f.heatmap)
    if best is not None and f.posts >= 10:
        d, h = best
        out.append(
            Finding(
                "frequency",
                "good",
                _say(
                    lang,
                    "Le créneau le plus utilisé est le "
                    f"{fmt.weekday(d, lang)} vers {fmt.hour(h, lang)}.",
                    f"The slot used most is {fmt.weekday(d, lang)} around {fmt.hour(h, lang)}.",
                ),
                f"{fmt.weekday(d, lang)} {fmt.hour(h, lang)}",
            )
        )
    return out


def _busiest(heatmap: list[list[int]]) -> tuple[int, int] | None:
    cells = [(n, d, h) for d, row in enumerate(heatmap) for h, n in enumerate(row) if n]
    if not cells:
        return None
    _, d, h = max(cells)
    return d, h


def _relevance(audit: AccountAudit, lang: str) -> list[Finding]:
    r = audit.relevance
    out: list[Finding] = []
    if not audit.own:
        return out
    share = fmt.percent(r.on_topic_share, lang)
    figure = _say(lang, f"{share} dans le sujet", f"{share} on topic")
    if r.on_topic_share < ON_TOPIC_LOW:
        level, fr, en = (
            "bad",
            f"Seuls {share} des messages parlent de ce qui fait votre positionnement. "
            "Chaque message devrait pouvoir se rattacher à l'un de vos thèmes : un "
            "lecteur doit comprendre en trois messages ce que vous faites.",
            f"Only {share} of the posts speak about your positioning. Every post should "
            "tie to one of your themes: a reader should understand what you do after "
            "three posts.",
        )
    elif r.on_topic_share < ON_TOPIC_GOOD:
        level, fr, en = (
            "warn",
            f"{share} des messages se rattachent à votre positionnement : c'est correct, "
            "mais une part notable du fil s'en éloigne.",
            f"{share} of the posts tie to your positioning: fair, but a good part of the "
            "feed drifts away from it.",
        )
    else:
        level, fr, en = (
            "good",
            f"Le fil est pertinent : {share} des messages se rattachent à votre positionnement.",
            f"The feed is relevant: {share} of the posts tie to your positioning.",
        )
    out.append(Finding("relevance", level, _say(lang, fr, en), figure))
    if r.under_covered and len(r.under_covered) < len(r.keywords) + 1:
        names = fmt.quoted(r.under_covered[:5], lang)
        floor = fmt.percent(UNDER_COVERED, lang)
        several = len(r.under_covered) > 1
        out.append(
            Finding(
                "relevance",
                "warn",
                _say(
                    lang,
                    f"{'Les thèmes' if several else 'Le thème'} {names} "
                    f"{'apparaissent' if several else 'apparaît'} dans moins de {floor} des "
                    "messages alors qu'"
                    f"{'ils sont' if several else 'il est'} au cœur de votre "
                    "positionnement : voilà des sujets à traiter.",
                    f"{'The themes' if several else 'The theme'} {names} "
                    f"{'appear' if several else 'appears'} in fewer than {floor} of the posts "
                    "although they are central to your positioning: subjects to cover.",
                ),
                _say(lang, f"< {floor} des messages", f"< {floor} of posts"),
            )
        )
    if r.off_profile_terms and r.on_topic_share < ON_TOPIC_GOOD:
        terms = fmt.quoted([t for t, _ in r.off_profile_terms[:4]], lang)
        top, count = r.off_profile_terms[0]
        out.append(
            Finding(
                "relevance",
                "warn",
                _say(
                    lang,
                    f"Sujets fréquents hors positionnement : {terms}. Demandez-vous ce "
                    "qu'ils apportent à vos lecteurs.",
                    f"Frequent subjects outside the positioning: {terms}. Ask what they "
                    "bring your readers.",
                ),
                _say(lang, f"« {top} » : {count} messages", f"“{top}”: {count} posts"),
            )
        )
    return out


def _promo(audit: AccountAudit, lang: str) -> list[Finding]:
    p = audit.promo
    if not audit.own:
        return []
    share = fmt.percent(p.share, lang)
    rec = fmt.percent(p.recruiting_share, lang)
    pro = fmt.percent(p.promotional_share, lang)
    figure = _say(lang, f"{share} de réclame", f"{share} promotion")
    if p.share > ADVICE_SHARE:
        return [
            Finding(
                "promo",
                "bad" if p.share > 0.5 else "warn",
                _say(
                    lang,
                    f"{share} des messages sont des offres d'emploi ou de la promotion "
                    f"(recrutement : {rec}, promotion : {pro}), plus d'un tiers du fil. "
                    "On suit un compte pour ce qu'on y apprend : recrutez « sans en avoir "
                    "l'air », en montrant les métiers, les personnes et le savoir-faire, "
                    "et gardez au moins deux messages de fond pour une annonce.",
                    f"{share} of the posts are job ads or promotion (recruiting: {rec}, "
                    f"promotion: {pro}), more than a third of the feed. People follow an "
                    "account for what they learn from it: recruit “without seeming to”, "
                    "by showing the trades, the people and the know-how, and keep at "
                    "least two value posts for every announcement.",
                ),
                figure,
            )
        ]
    return [
        Finding(
            "promo",
            "good",
            _say(
                lang,
                f"La réclame reste mesurée : {share} des messages sont des offres "
                f"d'emploi ou de la promotion (recrutement : {rec}, promotion : {pro}).",
                f"Promotion stays in proportion: {share} of the posts are job ads or "
                f"promotion (recruiting: {rec}, promotion: {pro}).",
            ),
            figure,
        )
    ]


def _quality(audit: AccountAudit, lang: str) -> list[Finding]:
    q = audit.quality
    out: list[Finding] = []
    if not audit.own:
        return out
    rate = fmt.number(q.errors_per_100_words, lang)
    faute = fmt.plural(q.errors_per_100_words, "faute", "fautes")
    figure = _say(lang, f"{rate} {faute} pour 100 mots", f"{rate} errors per 100 words")
    if q.errors_per_100_words > ERRORS_GOOD:
        words = fmt.quoted([w for w, _ in q.frequent_errors[:4]], lang)
        out.append(
            Finding(
                "quality",
                "bad" if q.errors_per_100_words > ERRORS_BAD else "warn",
                _say(
                    lang,
                    f"On relève {rate} {faute} d'orthographe pour 100 mots ({q.errors} en "
                    f"tout), par exemple {words}. Une relecture avant publication, à "
                    "deux si possible, évite de faire douter du sérieux de l'entreprise.",
                    f"There are {rate} spelling errors per 100 words ({q.errors} in all), "
                    f"for instance {words}. Proofreading before posting, by a second "
                    "person if possible, keeps readers from doubting the company's care.",
                ),
                figure,
            )
        )
    else:
        out.append(
            Finding(
                "quality",
                "good",
                _say(
                    lang,
                    f"L'orthographe est soignée ({rate} {faute} pour 100 mots).",
                    f"Spelling is careful ({rate} errors per 100 words).",
                ),
                figure,
            )
        )
    if q.length_fit < LENGTH_FIT_LOW:
        low, high = (fmt.number(v, lang, 0) for v in q.length_range)
        share = fmt.percent(q.length_fit, lang)
        net = fmt.network(audit.network, lang)
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    f"Seuls {share} des messages ont une longueur adaptée à {net} "
                    f"(entre {low} et {high} caractères) : un message trop court ne dit "
                    "rien, un message trop long n'est pas lu.",
                    f"Only {share} of the posts have a length that suits {net} "
                    f"({low} to {high} characters): too short says nothing, too long is "
                    "not read.",
                ),
                _say(lang, f"{share} à la bonne longueur", f"{share} of right length"),
            )
        )
    if q.flat_hashtags:
        tags = ", ".join(f"#{t}" for t in q.flat_hashtags[:4])
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    "Écrivez les mots-dièse de plusieurs mots avec une capitale à chaque "
                    f"mot (#UsinageDePrécision plutôt que #usinagedeprecision) : les "
                    f"lecteurs d'écran les lisent alors mot à mot. À reprendre : {tags}.",
                    "Write hashtags of several words with a capital on each word "
                    "(#PrecisionMachining rather than #precisionmachining): screen "
                    f"readers then read them word by word. To fix: {tags}.",
                ),
                _say(
                    lang,
                    f"{len(q.flat_hashtags)} "
                    f"{fmt.plural(len(q.flat_hashtags), 'mot-dièse', 'mots-dièse')} "
                    "sans capitales",
                    f"{len(q.flat_hashtags)} "
                    f"{fmt.plural(len(q.flat_hashtags), 'hashtag', 'hashtags')} without capitals",
                ),
            )
        )
    if q.hashtag_count_ok < 0.9:
        over = fmt.percent(1 - q.hashtag_count_ok, lang)
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    f"{over} des messages portent plus de {q.max_hashtags} mots-dièse : "
                    "au-delà, ils brouillent le message sans le rendre plus visible.",
                    f"{over} of the posts carry more than {q.max_hashtags} hashtags: "
                    "beyond that they blur the message without making it more visible.",
                ),
                _say(lang, f"{over} des messages", f"{over} of posts"),
            )
        )
    if q.alt_share is not None and q.alt_share < ALT_LOW:
        missing = fmt.percent(1 - q.alt_share, lang)
        out.append(
            Finding(
                "quality",
                "bad" if q.alt_share < 0.5 else "warn",
                _say(
                    lang,
                    f"{missing} des images n'ont pas de texte alternatif : les personnes "
                    "aveugles ou malvoyantes ne savent pas ce qu'elles montrent. Une "
                    "phrase qui décrit l'image suffit.",
                    f"{missing} of the images have no alternative text: blind and "
                    "partially sighted readers cannot tell what they show. One sentence "
                    "describing the image is enough.",
                ),
                _say(lang, f"{missing} sans texte alternatif", f"{missing} without alt text"),
            )
        )
    if q.shouting_share > SHOUTING_HIGH:
        share = fmt.percent(q.shouting_share, lang)
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    f"{share} des messages abusent des capitales ou des points "
                    "d'exclamation (« !!! ») : sur un réseau, cela se lit comme un cri. "
                    "Un mot en gras ou une phrase courte attire mieux l'œil.",
                    f"{share} of the posts overuse capitals or exclamation marks (“!!!”): "
                    "on a network it reads as shouting. A short sentence catches the eye "
                    "better.",
                ),
                _say(lang, f"{share} des messages", f"{share} of posts"),
            )
        )
    if q.readability is not None and q.readability < READABILITY_LOW:
        score = fmt.number(q.readability, lang, 0)
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    f"Les messages sont difficiles à lire (lisibilité {score}/100) : "
                    "des phrases plus courtes et des mots plus simples aideraient.",
                    f"The posts are hard to read (reading ease {score}/100): shorter "
                    "sentences and plainer words would help.",
                ),
                f"{score}/100",
            )
        )
    return out


def _engagement(audit: AccountAudit, lang: str) -> list[Finding]:
    e = audit.engagement
    if e is None or e.value_mean is None or e.promo_mean is None:
        return []
    value = fmt.number(e.value_mean, lang)
    promo = fmt.number(e.promo_mean, lang)
    if e.value_mean > e.promo_mean:
        text = _say(
            lang,
            f"Les messages de fond obtiennent en moyenne {value} interactions, contre "
            f"{promo} pour les annonces et la promotion : vos lecteurs le disent eux-mêmes.",
            f"Value posts get {value} interactions on average, against {promo} for ads "
            "and promotion: your readers say so themselves.",
        )
        level = "good"
    else:
        text = _say(
            lang,
            f"Les annonces et la promotion obtiennent en moyenne {promo} interactions, "
            f"contre {value} pour les messages de fond : vos contenus de fond gagneraient "
            "à être plus concrets (exemples, chiffres, personnes).",
            f"Ads and promotion get {promo} interactions on average, against {value} for "
            "value posts: your value posts would gain from being more concrete (examples, "
            "figures, people).",
        )
        level = "warn"
    return [Finding("engagement", level, text, f"{value} / {promo}")]
