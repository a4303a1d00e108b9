"""Réclame: is a post promotion or recruiting, or value content for its readers?

The method warns against a feed of job ads and special offers: people follow an account
for what they learn from it, and recruit best "without seeming to" — through the work,
the people and the know-how shown. Each post gets a score from French and English cues,
each with a weight; a post whose score reaches ``THRESHOLD`` is promotional or
recruiting (whichever cues weigh more), and its reasons are the cues found. Cues of value
content (advice, explanations, questions, figures from a study) weigh against.

The lexicon was written from the trade's usual wording before the labelled evaluation
set; ``benchmarks/audit_bench.py`` reports precision and recall on the part of that set
used while adjusting weights ("dev") and on the part held out ("test").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from veilleur.audit import cues
from veilleur.audit.cues import Cue

THRESHOLD = 0.8
ADVICE_SHARE = 1 / 3  # above it, the findings advise rebalancing the feed

RECRUITING = "recruiting"
PROMOTIONAL = "promotional"
VALUE = "value"


LEXICON = cues.load()
CUES = LEXICON.cues


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


def classify(text: str) -> Verdict:
    """Classify one post's text; reasons list the cues found, strongest first."""
    text = text.replace("’", "'")
    sums = {RECRUITING: 0.0, PROMOTIONAL: 0.0, VALUE: 0.0}
    found = LEXICON.found(text)
    for cue in found:
        sums[cue.category] += cue.weight
    value = max(sums[VALUE], -1.0)
    score = sums[RECRUITING] + sums[PROMOTIONAL] + value
    found.sort(key=lambda cue: -abs(cue.weight))
    if score >= THRESHOLD:
        category = RECRUITING if sums[RECRUITING] >= sums[PROMOTIONAL] else PROMOTIONAL
        return Verdict(category, round(score, 2), found)
    return Verdict(VALUE, round(score, 2), found)


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
            if cue.category != VALUE:
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
