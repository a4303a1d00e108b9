"""Réclame: is a post promotion or recruiting, or value content for its readers?

The method warns against a feed of job ads and special offers: people follow an account
for what they learn from it, and recruit best "without seeming to" — through the work,
the people and the know-how shown.

Two parts decide. The learned word scores of :mod:`veilleur.audit.promo_words` (a
sentence encoder distilled into one score per word, trained on the labelled set) give a
logit; a post is promotional or recruiting when it reaches ``THRESHOLD``. The stock
phrases of ``data/promo_cues.toml`` (« on recrute », CDI, « -20 % », "apply now"…, each
with a weight) also decide on their own when their sum reaches ``CUE_THRESHOLD``: a job ad
with « H/F » and « postulez » needs no model. Recruiting or promotional: the second word
score, plus the cues found (a stock cue with its weight, a general cue with
``GENERAL_WEIGHT``), for or against recruiting.

The reasons a consultant reads are the cues found (stock phrases and, for an ad, the
general cues of weight 0, which say what it shows: a trade sought, the terms, a price, a
gift…) and the words that weighed most towards an ad. ``benchmarks/audit_bench.py`` gives
precision and recall on the labelled set, ``benchmarks/promo_train.py`` the
cross-validation by split that measures how the words generalise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from veilleur.audit import cues, promo_words
from veilleur.audit.cues import Cue

THRESHOLD = 0.25  # on the word-score logit: chosen by the grouped cross-validation
CUE_THRESHOLD = 0.8  # on the sum of the stock cues' weights
WORDS_SHOWN = 4
GENERAL_WEIGHT = 0.5  # a general cue's say in recruiting vs promotional (as in training)
ADVICE_SHARE = 1 / 3  # above it, the findings advise rebalancing the feed

RECRUITING = "recruiting"
PROMOTIONAL = "promotional"
VALUE = "value"


LEXICON = cues.load()
CUES = LEXICON.cues
# The stock cues decide and are looked for in every post; the general cues (weight 0)
# only explain, so they are looked for in the posts found to be ads (cheaper).
STOCK = cues.Lexicon(tuple(c for c in CUES if c.weight != 0))
GENERAL = cues.Lexicon(tuple(c for c in CUES if c.weight == 0 and c.category != VALUE))


@dataclass(slots=True)
class Verdict:
    """The class of one post and why."""

    category: str  # recruiting | promotional | value
    score: float
    cues: list[Cue] = field(default_factory=list)

    def reasons(self, lang: str = "fr") -> list[str]:
        """The cues found, in ``lang``, strongest first."""
        return [cue.fr if lang == "fr" else cue.en for cue in self.cues]

    @property
    def promotional(self) -> bool:
        return self.category != VALUE


def word_cue(words: list[str], category: str) -> Cue:
    """The words that weighed most, as a reason."""
    quoted = ", ".join(f"« {w} »" for w in words)
    quoted_en = ", ".join(f"“{w}”" for w in words)
    return Cue(f"mots : {quoted}", f"words: {quoted_en}", category, 0.0, ())


def classify(text: str) -> Verdict:
    """Classify one post's text; reasons list the cues found, strongest first, then the
    words that weighed most towards an ad."""
    text = text.replace("’", "'")
    sums = {RECRUITING: 0.0, PROMOTIONAL: 0.0, VALUE: 0.0}
    found = STOCK.found(text)
    for cue in found:
        sums[cue.category] += cue.weight
    value = max(sums[VALUE], -1.0)
    cue_score = sums[RECRUITING] + sums[PROMOTIONAL] + value
    logit, recruiting_logit, shares = promo_words.model().logits(text)
    found.sort(key=lambda cue: -abs(cue.weight))
    if logit >= THRESHOLD or cue_score >= CUE_THRESHOLD:
        reasons = [cue for cue in found if cue.category != VALUE] + GENERAL.found(text)
        lean = sum(_LEAN[cue.category] * (cue.weight or GENERAL_WEIGHT) for cue in reasons)
        category = RECRUITING if recruiting_logit + lean >= 0 else PROMOTIONAL
        top = sorted({w: v for w, v in shares if v > 0 and len(w) > 1}.items(), key=_weight)
        if top:
            reasons.append(word_cue([w for w, _ in top[:WORDS_SHOWN]], category))
        return Verdict(category, round(max(logit, cue_score), 2), reasons)
    return Verdict(VALUE, round(logit, 2), [cue for cue in found if cue.category == VALUE])


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


def measure(texts: Sequence[str]) -> PromoSummary:
    verdicts = [classify(t) for t in texts]
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
    )
