"""Charts drawn on the server as SVG (no script, no inline style: the CSP allows neither),
each with a table that says the same for screen readers and for copying figures.

Only geometry is computed here; the templates draw it (``_rising_chart.html``) with
presentation attributes, and the numbers come from the pillars' doors unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from veilleur.report.dates import number

ROW = 30
"""Height of one term's band (two bars: the period's rate, the usual rate)."""
LABEL = 170
"""Width left for the terms' names."""
WIDTH = 640


class RisingTerm(Protocol):
    """What the chart reads of a rising term (the watch door's ``Trend``)."""

    @property
    def term(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def per_day(self) -> float: ...
    @property
    def usual_per_day(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Bar:
    term: str
    y: int
    now: float  # bar lengths, in SVG units
    usual: float
    now_text: str
    usual_text: str
    count: int


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label: int
    scale_text: str


def rising_chart(trends: Sequence[RisingTerm], lang: str) -> Chart | None:
    """Horizontal bars: each rising term's posts a day over the period beside its usual
    rate (None without a rising term)."""
    if not trends:
        return None
    most = max(max(t.per_day, t.usual_per_day) for t in trends) or 1.0
    room = WIDTH - LABEL - 60
    bars = [
        Bar(
            term=t.term,
            y=i * ROW + 4,
            now=round(room * t.per_day / most, 1),
            usual=round(room * t.usual_per_day / most, 1),
            now_text=number(t.per_day, lang),
            usual_text=number(t.usual_per_day, lang),
            count=t.count,
        )
        for i, t in enumerate(trends)
    ]
    return Chart(bars, WIDTH, len(bars) * ROW + 8, LABEL, number(most, lang))
