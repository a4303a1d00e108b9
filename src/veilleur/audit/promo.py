"""Réclame: is a post promotion or recruiting, an invitation to an event, or value
content for its readers? The four categories are defined for users in docs/audit.md.

The method warns against a feed of job ads and special offers: people follow an account
for what they learn from it, and recruit best "without seeming to" — through the work,
the people and the know-how shown. What the method asks for — advice, relays of the
organisation's own articles, questions to the audience, thanks — is value, whatever link,
« vous » or call to comment it carries (issue 15). An invitation to the organisation's own
event is counted apart: neither value nor advertising.

Two stages decide. First, the learned word scores of :mod:`veilleur.audit.promo_words` (a
sentence encoder distilled into one score per word) give a logit: what the post talks
about. Alone they read a post *about* hiring or prices as an ad (blind test3: precision
0.85). So, second, :mod:`veilleur.audit.promo_acts` finds what the post does — addresses
the reader, asks for something, gives a price, a contract, a deadline, a contact; or
explains, greets, reports news or the past — and a linear score weighs the logit, those
acts and the stock phrases of ``data/promo_cues.toml`` (« on recrute », CDI, « -20 % »…),
with weights learned by ``benchmarks/promo_train.py``. A post is promotional or recruiting
when that score reaches ``THRESHOLD``. Recruiting or promotional: the second word score,
plus the cues found (a stock cue with its weight, a general cue with ``GENERAL_WEIGHT``),
for or against recruiting.

Among the posts that are not value, :func:`event_score` (the third word score and the act
families: an invitation to come or sign up, a date or an hour, a kind of event named; against
it a price, a deadline, a search for staff) tells an event from an ad.

The reasons a consultant reads are the cues found (stock phrases and, for an ad, the
general cues of weight 0, which say what it shows: a trade sought, the terms, a price, a
gift…), the acts found (for an ad those of an ad, for value content those of value) and
the words that weighed most towards an ad. ``benchmarks/audit_bench.py`` gives
precision and recall on the labelled set, ``benchmarks/promo_train.py`` the
cross-validation by split that measures how the words generalise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from veilleur.audit import cues, promo_acts, promo_words
from veilleur.audit.cues import Cue
from veilleur.audit.promo_acts import Act
from veilleur.i18n import N_, gettext

THRESHOLD = 0.5  # on the second stage's score (grouped cross-validation, benchmarks/README)
# an event rather than an ad when ``event_score`` reaches this: chosen on the grouped
# cross-validation of round 2 (0 → 1: 8 events fewer found, 19 ads fewer read as events)
EVENT_THRESHOLD = 1.0
CUE_THRESHOLD = 0.8  # the first version's rule: stock cues alone (kept to show why it failed)
CUE_CAP = 3.0  # the stock cues' sum enters the second stage capped: a pile of them is one ad
WORDS_SHOWN = 4
GENERAL_WEIGHT = 0.5  # a general cue's say in recruiting vs promotional (as in training)
ADVICE_SHARE = 1 / 3  # above it, the findings advise rebalancing the feed

RECRUITING = "recruiting"
PROMOTIONAL = "promotional"
VALUE = "value"
EVENT = "event"  # an invitation to the organisation's own event: neither value nor an ad
CATEGORIES = (VALUE, PROMOTIONAL, RECRUITING, EVENT)
"""The categories a consultant may give a post (``veilleur audit label``)."""


LEXICON = cues.load()
CUES = LEXICON.cues
# The stock cues weigh in the second stage and are looked for in every post; the general
# cues (weight 0) only explain, so they are looked for in the posts found to be ads.
STOCK = cues.Lexicon(tuple(c for c in CUES if c.weight != 0))
GENERAL = cues.Lexicon(tuple(c for c in CUES if c.weight == 0 and c.category != VALUE))


# The categories as a reader says them (English msgids, translated where shown).
CATEGORY_NAMES = {
    VALUE: N_("value content"),
    PROMOTIONAL: N_("promotional"),
    RECRUITING: N_("recruiting"),
    EVENT: N_("event"),
}


@dataclass(slots=True)
class Verdict:
    """The class of one post and why."""

    category: str  # recruiting | promotional | event | value (docs/audit.md)
    score: float
    cues: list[Cue] = field(default_factory=list)
    overridden: bool = False  # the category was set by a consultant, not the classifier
    machine: str | None = None  # the classifier's category, when a consultant set another

    def category_name(self, lang: str = "fr", category: str | None = None) -> str:
        """``category`` (this verdict's by default) as a reader says it, in ``lang``."""
        return gettext(CATEGORY_NAMES[category or self.category], lang)

    def reasons(self, lang: str = "fr") -> list[str]:
        """The cues found, in ``lang``, strongest first."""
        return [cue.fr if lang == "fr" else cue.en for cue in self.cues]

    @property
    def confirmed(self) -> bool:
        """Set by a consultant to the category the classifier had given: a check, not a
        correction (the report says « confirmé » rather than showing it twice)."""
        return self.overridden and self.machine == self.category

    @property
    def promotional(self) -> bool:
        return self.category in (RECRUITING, PROMOTIONAL)


def word_cue(words: list[str], category: str) -> Cue:
    """The words that weighed most, as a reason."""
    quoted = ", ".join(f"« {w} »" for w in words)
    quoted_en = ", ".join(f"“{w}”" for w in words)
    return Cue(f"mots : {quoted}", f"words: {quoted_en}", category, 0.0, ())


def cue_sum(found: list[Cue]) -> float:
    """The stock cues' weights added up (value cues, negative, count down to -1 at most)."""
    sums = {RECRUITING: 0.0, PROMOTIONAL: 0.0, VALUE: 0.0}
    for cue in found:
        sums[cue.category] += cue.weight
    return sums[RECRUITING] + sums[PROMOTIONAL] + max(sums[VALUE], -1.0)


def stage_score(logit: float, acts: list[tuple[Act, str]], cue_score: float) -> float:
    """The second stage: a linear score over the word logit, the act families found and
    the stock cues (weights learned by ``benchmarks/promo_train.py``, shipped with the
    word scores). An ad when it reaches ``THRESHOLD``."""
    weights = promo_words.model().acts
    score = weights.get("_bias", 0.0) + weights.get("_logit", 1.0) * logit
    score += weights.get("_cues", 0.0) * min(cue_score, CUE_CAP)
    return score + sum(weights.get(act.name, 0.0) for act, _ in acts)


# Recruiting cues that ask to join: an invitation says it as often as a job ad (« rejoignez-
# nous samedi », "join us on 4 March"), so they do not count against an event.
JOIN_CUES = frozenset({"« rejoignez-nous »", "« join our team »"})


def recruiting_cues(found: list[Cue]) -> float:
    """The recruiting stock cues' weights added up, capped, except ``JOIN_CUES``: an input
    of the event stage (what says a job)."""
    jobs = (c.weight for c in found if c.category == RECRUITING and c.fr not in JOIN_CUES)
    return min(sum(jobs), CUE_CAP)


def event_score(
    logit: float,
    acts: list[tuple[Act, str]],
    recruiting_logit: float = 0.0,
    recruiting_cue: float = 0.0,
) -> float:
    """Among posts that are not value: an invitation to the organisation's own event
    rather than an ad when this reaches ``EVENT_THRESHOLD`` — the event word logit and
    the act families found, weighed by a logistic regression (``benchmarks/promo_train.py``, key
    ``event_stage`` of the shipped file). No word list decides: naming a kind of event
    (family ``promo_acts.INVITE``) weighs like any other family, so « rejoignez-nous
    jeudi à l'atelier » may be an event without the word « webinaire » (round 1 required
    one, and read 21 of test5's 40 events as ads; notes/promo.md).

    Round 3: what says a job — the recruiting word logit and the recruiting stock cues
    (:func:`recruiting_cues`: CDI, H/F, « postes à pourvoir », CV…) — weighs too: a job
    dating or a job ad giving a day and an hour is recruiting, not an invitation."""
    weights = promo_words.model().event
    score = weights.get("_bias", 0.0) + weights.get("_logit", 1.0) * logit
    score += weights.get("_recruiting", 0.0) * recruiting_logit
    score += weights.get("_recruiting_cues", 0.0) * recruiting_cue
    return score + sum(weights.get(act.name, 0.0) for act, _ in acts)


def act_cue(act: Act, match: str, category: str) -> Cue:
    """An act found, as a reason: the family and what was matched."""
    return Cue(f"{act.fr} : « {match} »", f"{act.en}: “{match}”", category, 0.0, ())


def classify(text: str) -> Verdict:
    """Classify one post's text; reasons list the cues found, strongest first, the acts
    found, then the words that weighed most towards an ad."""
    text = promo_acts.normalise(text)
    found = STOCK.found(text)
    cue_score = cue_sum(found)
    logit, recruiting_logit, event_logit, shares = promo_words.model().logits(text)
    acts = promo_acts.found(text)
    score = stage_score(logit, acts, cue_score)
    found.sort(key=lambda cue: -abs(cue.weight))
    if score >= THRESHOLD:
        top = sorted({w: v for w, v in shares if v > 0 and len(w) > 1}.items(), key=_weight)
        if event_score(event_logit, acts, recruiting_logit, recruiting_cues(found)) >= (
            EVENT_THRESHOLD
        ):
            reasons = [act_cue(a, m, EVENT) for a, m in acts if a.side == promo_acts.EVENT]
            if top:
                reasons.append(word_cue([w for w, _ in top[:WORDS_SHOWN]], EVENT))
            return Verdict(EVENT, round(score, 2), reasons)
        reasons = [cue for cue in found if cue.category != VALUE] + GENERAL.found(text)
        lean = sum(_LEAN[cue.category] * (cue.weight or GENERAL_WEIGHT) for cue in reasons)
        category = RECRUITING if recruiting_logit + lean >= 0 else PROMOTIONAL
        reasons += [act_cue(a, m, category) for a, m in acts if a.side == promo_acts.AD]
        if top:
            reasons.append(word_cue([w for w, _ in top[:WORDS_SHOWN]], category))
        return Verdict(category, round(score, 2), reasons)
    reasons = [cue for cue in found if cue.category == VALUE]
    reasons += [act_cue(a, m, VALUE) for a, m in acts if a.side == promo_acts.VALUE]
    return Verdict(VALUE, round(score, 2), reasons)


_LEAN = {RECRUITING: 1.0, PROMOTIONAL: -1.0, VALUE: 0.0}


def _weight(item: tuple[str, float]) -> float:
    return -item[1]


@dataclass(slots=True)
class PromoSummary:
    verdicts: list[Verdict]
    share: float
    recruiting_share: float
    promotional_share: float
    top_reasons: list[tuple[Cue, int]]
    too_much: bool
    # invitations to the organisation's own events: counted apart, neither value nor ads
    event_share: float = 0.0


def measure(texts: Sequence[str], labels: Sequence[str | None] = ()) -> PromoSummary:
    """Classify ``texts``; ``labels`` (same order, may be shorter) are the categories a
    consultant set, which replace the classifier's (the verdict is marked overridden)."""
    # a text met again (a recurring greeting, the same offer reposted) is classified once;
    # verdicts are never changed after, so sharing one is safe
    seen: dict[str, Verdict] = {}
    verdicts = [seen[t] if t in seen else seen.setdefault(t, classify(t)) for t in texts]
    for i, label in enumerate(labels):
        if label is not None:
            machine = verdicts[i]
            verdicts[i] = Verdict(
                label, machine.score, machine.cues, overridden=True, machine=machine.category
            )
    n = len(verdicts) or 1
    promo = [v for v in verdicts if v.promotional]
    counts: dict[Cue, int] = {}
    for verdict in promo:
        for cue in verdict.cues:
            # a post's own words (``word_cue``) are not a reason shared by several posts
            if cue.category != VALUE and (cue.patterns or cue.words or cue.prefixes):
                counts[cue] = counts.get(cue, 0) + 1
    share = len(promo) / n
    return PromoSummary(
        verdicts=verdicts,
        share=share,
        recruiting_share=sum(1 for v in promo if v.category == RECRUITING) / n,
        promotional_share=sum(1 for v in promo if v.category == PROMOTIONAL) / n,
        top_reasons=sorted(counts.items(), key=lambda kv: -kv[1])[:6],
        too_much=share > ADVICE_SHARE,
        event_share=sum(1 for v in verdicts if v.category == EVENT) / n,
    )
