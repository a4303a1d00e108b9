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
from veilleur.audit.account import ASSESSED_LANGS, OVERALL_WEIGHTS, AccountAudit
from veilleur.audit.promo import ADVICE_SHARE
from veilleur.audit.relevance import UNDER_COVERED
from veilleur.i18n import N_, gettext, ngettext
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
    # frequency | relevance | quality | promo | engagement | overall | replies | languages
    criterion: str
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
    for part in (_overall, _scope, _frequency, _relevance, _promo, _quality, _engagement):
        out.extend(part(audit, lang))
    if lang == "fr":
        for item in out:
            item.text = french_spacing(_apostrophes(item.text))
            item.figure = french_spacing(_apostrophes(item.figure))
    return out


def _apostrophes(text: str) -> str:
    """The typographic apostrophe of French print (« l’atelier »), hashtags left alone."""
    return " ".join(w if w.startswith("#") else w.replace("'", "’") for w in text.split(" "))


def _say(lang: str, message: str, **values: object) -> str:
    """``message`` (an English msgid) in ``lang``, formatted with ``values``."""
    return gettext(message, lang).format(**values)


Part = Callable[[AccountAudit, str], list[Finding]]

CRITERIA = {
    "relevance": N_("relevance"),
    "quality": N_("quality"),
    "frequency": N_("frequency"),
    "balance": N_("balance"),
}


def _overall(audit: AccountAudit, lang: str) -> list[Finding]:
    names = {key: gettext(message, lang) for key, message in CRITERIA.items()}
    weights = ", ".join(f"{names[k]} {fmt.percent(w, lang)}" for k, w in OVERALL_WEIGHTS.items())
    scores = audit.scores
    weakest = min(("relevance", "quality", "frequency"), key=lambda k: scores[k])
    score = fmt.number(audit.overall, lang, 0)
    level = "good" if audit.overall >= 70 else "warn" if audit.overall >= 50 else "bad"
    text = _say(
        lang,
        "Overall score: {score}/100 ({weights}). The first thing to work on: "
        "{weakest} ({weakest_score}/100).",
        score=score,
        weights=weights,
        weakest=names[weakest],
        weakest_score=fmt.number(scores[weakest], lang, 0),
    )
    return [Finding("overall", level, text, f"{score}/100")]


def _scope(audit: AccountAudit, lang: str) -> list[Finding]:
    """What the scores cover: the replies measured apart, the languages not assessed."""
    out: list[Finding] = []
    if audit.replies is not None:
        share = fmt.percent(audit.reply_share, lang)
        out.append(
            Finding(
                "replies",
                "good",
                _say(
                    lang,
                    "{share} of the posts are replies ({n}): they are scored apart "
                    "(relevance {relevance}/100, quality {quality}/100); the scores above "
                    "cover the {own} original posts.",
                    share=share,
                    n=len(audit.replies.posts),
                    relevance=fmt.number(audit.replies.relevance.score, lang, 0),
                    quality=fmt.number(audit.replies.quality.score, lang, 0),
                    own=len(audit.own),
                ),
                _say(lang, "{share} replies", share=share),
            )
        )
    labelled = sum(
        v.overridden
        for part in (audit.original, audit.replies)
        if part is not None
        for v in part.promo.verdicts
    )
    if labelled:
        out.append(
            Finding(
                "promo",
                "good",
                ngettext(
                    "{n} verdict was set by hand (veilleur audit label) and replaces the "
                    "classifier's.",
                    "{n} verdicts were set by hand (veilleur audit label) and replace the "
                    "classifier's.",
                    labelled,
                    lang,
                ).format(n=labelled),
                ngettext("{n} corrected verdict", "{n} corrected verdicts", labelled, lang).format(
                    n=labelled
                ),
            )
        )
    if audit.not_assessed_share > 0:
        share = fmt.percent(audit.not_assessed_share, lang)
        others = [code for code in audit.languages if code not in ASSESSED_LANGS]
        names = ", ".join(gettext("undetermined", lang) if c == "und" else c for c in others)
        out.append(
            Finding(
                "languages",
                "warn",
                _say(
                    lang,
                    "{share} of the posts are in a language the audit cannot judge "
                    "({languages}): their spelling, readability and topics were not "
                    "assessed; they count for the frequency and the promotion share.",
                    share=share,
                    languages=names,
                ),
                _say(lang, "{share} not assessed", share=share),
            )
        )
    return out


def _frequency(audit: AccountAudit, lang: str) -> list[Finding]:
    f = audit.frequency
    out: list[Finding] = []
    net = fmt.network(audit.network, lang)
    per_week = fmt.number(f.per_week, lang)
    target = fmt.number(f.target_per_week, lang)
    figure = _say(lang, "{per_week} a week", per_week=per_week)
    ratio = f.per_week / f.target_per_week
    if ratio < LOW_VOLUME:
        out.append(
            Finding(
                "frequency",
                "bad",
                _say(
                    lang,
                    "The account posts {per_week} times a week on average where {network} "
                    "calls for about {target}: too little to stay in your followers' "
                    "feeds. An editorial calendar of a few recurring subjects is enough "
                    "to keep the pace.",
                    per_week=per_week,
                    network=net,
                    target=target,
                    posts=fmt.plural(f.per_week, gettext("post", lang), gettext("posts", lang)),
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
                    "At {per_week} posts a week, far beyond the {target} expected on "
                    "{network}, the account may tire its audience: fewer, better posts work "
                    "better.",
                    per_week=per_week,
                    target=target,
                    network=net,
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
                    "Volume is right: {per_week} posts a week against a target of about "
                    "{target} on {network}.",
                    per_week=per_week,
                    target=target,
                    network=net,
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
                    "Only {share} of the weeks have at least one post: regularity "
                    "matters more than volume. One post every week beats five in one week.",
                    share=share,
                ),
                _say(lang, "{share} of weeks", share=share),
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
                    "The longest silence lasted {n} days ({start} to {end}). Prepare a "
                    "few posts ahead for holidays and busy periods.",
                    n=n,
                    start=start,
                    end=end,
                ),
                _say(lang, "{n} days", n=n),
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
                    "Posts come in bursts followed by long gaps (coefficient of variation "
                    "of the gaps: {cv}). Scheduling posts ahead smooths the rhythm.",
                    cv=cv,
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
                    "The slot used most is {day} around {hour} ({zone} time).",
                    day=fmt.weekday(d, lang),
                    hour=fmt.hour(h, lang),
                    zone=f.timezone,
                ),
                f"{fmt.weekday(d, lang)} {fmt.hour(h, lang)} ({f.timezone})",
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
    figure = _say(lang, "{share} on topic", share=share)
    if r.on_topic_share < ON_TOPIC_LOW:
        level, message = (
            "bad",
            N_(
                "Only {share} of the posts speak about your positioning. Every post should "
                "tie to one of your themes: a reader should understand what you do after "
                "three posts."
            ),
        )
    elif r.on_topic_share < ON_TOPIC_GOOD:
        level, message = (
            "warn",
            N_(
                "{share} of the posts tie to your positioning: fair, but a good part of the "
                "feed drifts away from it."
            ),
        )
    else:
        level, message = (
            "good",
            N_("The feed is relevant: {share} of the posts tie to your positioning."),
        )
    out.append(Finding("relevance", level, _say(lang, message, share=share), figure))
    if r.under_covered and len(r.under_covered) < len(r.keywords) + 1:
        names = fmt.quoted(r.under_covered[:5], lang)
        floor = fmt.percent(UNDER_COVERED, lang)
        text = ngettext(
            "The theme {names} appears in fewer than {floor} of the posts "
            "although they are central to your positioning: subjects to cover.",
            "The themes {names} appear in fewer than {floor} of the posts "
            "although they are central to your positioning: subjects to cover.",
            len(r.under_covered),
            lang,
        )
        out.append(
            Finding(
                "relevance",
                "warn",
                text.format(names=names, floor=floor),
                _say(lang, "< {floor} of posts", floor=floor),
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
                    "Frequent subjects outside the positioning: {terms}. Ask what they "
                    "bring your readers.",
                    terms=terms,
                ),
                _say(lang, "“{top}”: {count} posts", top=top, count=count),
            )
        )
    return out


def _promo(audit: AccountAudit, lang: str) -> list[Finding]:
    if not audit.own:
        return []
    return _promo_share(audit, lang) + _events(audit, lang)


def _events(audit: AccountAudit, lang: str) -> list[Finding]:
    """Invitations to the organisation's own events: counted apart, neither value content
    nor promotion (docs/audit.md)."""
    share = audit.promo.event_share
    if not share:
        return []
    text = _say(
        lang,
        "{share} of the posts invite to the organisation's own events: counted apart, "
        "neither value content nor promotion.",
        share=fmt.percent(share, lang),
    )
    return [
        Finding("promo", "good", text, _say(lang, "{share} events", share=fmt.percent(share, lang)))
    ]


def _promo_share(audit: AccountAudit, lang: str) -> list[Finding]:
    p = audit.promo
    share = fmt.percent(p.share, lang)
    rec = fmt.percent(p.recruiting_share, lang)
    pro = fmt.percent(p.promotional_share, lang)
    figure = _say(lang, "{share} promotion", share=share)
    if p.share > ADVICE_SHARE:
        return [
            Finding(
                "promo",
                "bad" if p.share > 0.5 else "warn",
                _say(
                    lang,
                    "{share} of the posts are job ads or promotion (recruiting: {rec}, "
                    "promotion: {pro}), more than a third of the feed. People follow an "
                    "account for what they learn from it: recruit “without seeming to”, "
                    "by showing the trades, the people and the know-how, and keep at "
                    "least two value posts for every announcement.",
                    share=share,
                    rec=rec,
                    pro=pro,
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
                "Promotion stays in proportion: {share} of the posts are job ads or "
                "promotion (recruiting: {rec}, promotion: {pro}).",
                share=share,
                rec=rec,
                pro=pro,
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
    # French says « 1,5 faute » but « 2 fautes »; the English texts always say "errors".
    mistakes = fmt.plural(
        q.errors_per_100_words, gettext("mistake", lang), gettext("mistakes", lang)
    )
    figure = _say(lang, "{rate} errors per 100 words", rate=rate, mistakes=mistakes)
    if q.errors_per_100_words > ERRORS_GOOD:
        words = fmt.quoted([w for w, _ in q.frequent_errors[:4]], lang)
        out.append(
            Finding(
                "quality",
                "bad" if q.errors_per_100_words > ERRORS_BAD else "warn",
                _say(
                    lang,
                    "There are {rate} spelling errors per 100 words ({errors} in all), "
                    "for instance {words}. Proofreading before posting, by a second "
                    "person if possible, keeps readers from doubting the company's care.",
                    rate=rate,
                    mistakes=mistakes,
                    errors=q.errors,
                    words=words,
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
                    "Spelling is careful ({rate} errors per 100 words).",
                    rate=rate,
                    mistakes=mistakes,
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
                    "Only {share} of the posts have a length that suits {network} "
                    "({low} to {high} characters): too short says nothing, too long is "
                    "not read.",
                    share=share,
                    network=net,
                    low=low,
                    high=high,
                ),
                _say(lang, "{share} of right length", share=share),
            )
        )
    if q.flat_hashtags:
        tags = ", ".join(f"#{t}" for t in q.flat_hashtags[:4])
        n = len(q.flat_hashtags)
        out.append(
            Finding(
                "quality",
                "warn",
                _say(
                    lang,
                    "Write hashtags of several words with a capital on each word "
                    "(#PrecisionMachining rather than #precisionmachining): screen "
                    "readers then read them word by word. To fix: {tags}.",
                    tags=tags,
                ),
                ngettext(
                    "{n} hashtag without capitals", "{n} hashtags without capitals", n, lang
                ).format(n=n),
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
                    "{over} of the posts carry more than {max} hashtags: "
                    "beyond that they blur the message without making it more visible.",
                    over=over,
                    max=q.max_hashtags,
                ),
                _say(lang, "{share} of posts", share=over),
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
                    "{missing} of the images have no alternative text: blind and "
                    "partially sighted readers cannot tell what they show. One sentence "
                    "describing the image is enough.",
                    missing=missing,
                ),
                _say(lang, "{missing} without alt text", missing=missing),
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
                    "{share} of the posts overuse capitals or exclamation marks (“!!!”): "
                    "on a network it reads as shouting. A short sentence catches the eye "
                    "better.",
                    share=share,
                ),
                _say(lang, "{share} of posts", share=share),
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
                    "The posts are hard to read (reading ease {score}/100): shorter "
                    "sentences and plainer words would help.",
                    score=score,
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
            "Value posts get {value} interactions on average, against {promo} for ads "
            "and promotion: your readers say so themselves.",
            value=value,
            promo=promo,
        )
        level = "good"
    else:
        text = _say(
            lang,
            "Ads and promotion get {promo} interactions on average, against {value} for "
            "value posts: your value posts would gain from being more concrete (examples, "
            "figures, people).",
            value=value,
            promo=promo,
        )
        level = "warn"
    return [Finding("engagement", level, text, f"{value} / {promo}")]
