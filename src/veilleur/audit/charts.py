"""Charts as inline SVG: no script and no remote file, so the HTML report prints to PDF
as it shows on screen and can be sent as one file. Every chart has a title and a text
alternative (``role="img"`` and ``aria-label``) for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from veilleur.audit import fmt
from veilleur.audit.frequency import Frequency
from veilleur.i18n import gettext

if TYPE_CHECKING:
    from veilleur.audit.account import AccountAudit
    from veilleur.audit.relevance import KeywordShare

SCALE = ("#eef2f7", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
GOOD, WARN, BAD = "#2e7d32", "#ef6c00", "#c62828"


def _shade(n: int, top: int) -> str:
    if n <= 0 or top <= 0:
        return SCALE[0]
    return SCALE[min(len(SCALE) - 1, 1 + int((len(SCALE) - 2) * n / top + 0.5))]


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        'font-family="sans-serif" font-size="11">'
        f"<title>{escape(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _colour(score: float) -> str:
    return GOOD if score >= 70 else WARN if score >= 50 else BAD


def score_bars(scores: dict[str, float], labels: dict[str, str], lang: str) -> Markup:
    keys = ["overall", "relevance", "quality", "frequency", "balance"]
    row, left, width = 24, 190, 300
    body = []
    for i, key in enumerate(keys):
        y = i * row + 4
        value = scores[key]
        body.append(f'<text x="0" y="{y + 13}">{escape(labels[key])}</text>')
        body.append(f'<rect x="{left}" y="{y}" width="{width}" height="16" fill="{SCALE[0]}"/>')
        body.append(
            f'<rect x="{left}" y="{y}" width="{width * value / 100:.1f}" height="16" '
            f'fill="{_colour(value)}"/>'
        )
        body.append(
            f'<text x="{left + width + 6}" y="{y + 13}">{fmt.number(value, lang, 0)}/100</text>'
        )
    label = ", ".join(f"{labels[k]} {fmt.number(scores[k], lang, 0)}/100" for k in keys)
    return _svg(left + width + 60, len(keys) * row + 8, label, body)


def calendar(freq: Frequency, lang: str) -> Markup:
    """One square per day, one column per week (Monday on top), darker when busier."""
    cell, top, left = 12, 16, 30
    start = freq.start - timedelta(days=freq.start.weekday())
    total_days = (freq.end - start).days + 1
    weeks = (total_days + 6) // 7
    busiest = max(freq.per_day.values(), default=0)
    body = []
    for d in (0, 2, 4):
        body.append(
            f'<text x="0" y="{top + d * cell + 10}">{escape(fmt.weekday(d, lang)[:3])}</text>'
        )
    month = None
    for w in range(weeks):
        for d in range(7):
            day = start + timedelta(days=w * 7 + d)
            if day < freq.start or day > freq.end:
                continue
            if day.day <= 7 and d == 0 and day.month != month:
                month = day.month
                name = (fmt.MONTHS_FR if lang == "fr" else fmt.MONTHS_EN)[day.month - 1][:4]
                body.append(f'<text x="{left + w * cell}" y="10">{escape(name)}</text>')
            n = freq.per_day.get(day, 0)
            body.append(
                f'<rect x="{left + w * cell}" y="{top + d * cell}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="{_shade(n, busiest)}"><title>'
                f"{escape(fmt.day(day, lang))} : {n}</title></rect>"
            )
    label = (
        f"Calendrier : {freq.posts} messages du {fmt.day(freq.start, lang)} au "
        f"{fmt.day(freq.end, lang)}"
        if lang == "fr"
        else f"Calendar: {freq.posts} posts from {fmt.day(freq.start, lang)} to "
        f"{fmt.day(freq.end, lang)}"
    )
    return _svg(left + weeks * cell + 4, top + 7 * cell + 4, label, body)


def heatmap(grid: list[list[int]], lang: str, timezone: str = "") -> Markup:
    cell, top, left = 16, 14, 34
    busiest = max((n for row in grid for n in row), default=0)
    body = []
    for h in range(0, 24, 3):
        body.append(f'<text x="{left + h * cell}" y="10">{h}</text>')
    for d, row in enumerate(grid):
        body.append(
            f'<text x="0" y="{top + d * cell + 11}">{escape(fmt.weekday(d, lang)[:3])}</text>'
        )
        for h, n in enumerate(row):
            body.append(
                f'<rect x="{left + h * cell}" y="{top + d * cell}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="{_shade(n, busiest)}"><title>'
                f"{escape(fmt.weekday(d, lang))} {fmt.hour(h, lang)} : {n}</title></rect>"
            )
    label = gettext("Day and hour of posting", lang)
    if timezone:
        label = f"{label} ({timezone})"
    return _svg(left + 24 * cell, top + 7 * cell + 4, label, body)


def topics(keywords: Sequence[KeywordShare], lang: str) -> Markup:
    row, left, width = 20, 170, 260
    body = []
    top = max((k.share for k in keywords), default=0) or 1
    for i, k in enumerate(keywords):
        y = i * row + 2
        body.append(f'<text x="0" y="{y + 12}">{escape(k.keyword)}</text>')
        body.append(
            f'<rect x="{left}" y="{y}" width="{width * k.share / top:.1f}" height="14" '
            f'fill="{SCALE[4] if k.share >= 0.05 else WARN}"/>'
        )
        body.append(
            f'<text x="{left + width * k.share / top + 4:.1f}" y="{y + 12}">'
            f"{fmt.percent(k.share, lang)}</text>"
        )
    label = ", ".join(f"{k.keyword} {fmt.percent(k.share, lang)}" for k in keywords)
    return _svg(left + width + 50, max(len(keywords), 1) * row + 4, label, body)


def benchmark(audits: Sequence[AccountAudit], labels: dict[str, str], lang: str) -> Markup:
    keys = ["overall", "relevance", "quality", "frequency"]
    colours = ("#08306b", "#4292c6", "#ef6c00", "#2e7d32", "#6a1b9a", "#9e9d24")
    group, bar, left, height = 150, 14, 10, 120
    body = []
    for g, key in enumerate(keys):
        x0 = left + g * group
        body.append(f'<text x="{x0}" y="{height + 30}">{escape(labels[key])}</text>')
        for i, audit in enumerate(audits):
            value = audit.scores[key]
            h = height * value / 100
            x = x0 + i * (bar + 4)
            body.append(
                f'<rect x="{x}" y="{height + 14 - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colours[i % len(colours)]}"><title>@{escape(audit.author)} : '
                f"{fmt.number(value, lang, 0)}</title></rect>"
            )
    for i, audit in enumerate(audits):
        y = height + 50 + i * 16
        body.append(
            f'<rect x="{left}" y="{y - 10}" width="10" height="10" '
            f'fill="{colours[i % len(colours)]}"/>'
        )
        body.append(f'<text x="{left + 16}" y="{y}">@{escape(audit.author)}</text>')
    label = "; ".join(
        f"@{a.author}: "
        + ", ".join(f"{labels[k]} {fmt.number(a.scores[k], lang, 0)}" for k in keys)
        for a in audits
    )
    return _svg(left + len(keys) * group, height + 56 + len(audits) * 16, label, body)
