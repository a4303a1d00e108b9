"""Fréquence: volume and regularity of an account's posting, against a target cadence.

The score (0–100) rewards three things a consultant looks at, in this order of weight:
enough posts for the network (volume, 40 %), posts spread over the weeks rather than in
bursts (share of weeks with at least one post, 35 %), and steady gaps between posts
(coefficient of variation of the gaps, 25 %). Posting far beyond the target (more than
three times) costs volume points: a flood tires the audience as much as silence loses it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Target cadences, in posts per week, for an organisation's account. They are the middle
# of the ranges that community-management guides commonly give (LinkedIn: 2 to 5 a week;
# X: about one a working day; Instagram: 3 to 5; YouTube: 2 to 4 videos a month). The
# advisor (veilleur.advise) holds the detailed cadence facts; this table only sets the
# bar the audit measures against.
TARGETS: dict[str, float] = {
    "linkedin": 2.0,
    "x": 5.0,
    "mastodon": 3.0,
    "bluesky": 3.0,
    "threads": 3.0,
    "facebook": 3.0,
    "instagram": 3.0,
    "tiktok": 3.0,
    "youtube": 0.75,
    "viadeo": 1.0,
    "xing": 1.0,
    "website": 1.0,
    "rss": 1.0,
    "web": 1.0,
}
DEFAULT_TARGET = 2.0
WEIGHTS = {"volume": 0.40, "weeks": 0.35, "steadiness": 0.25}
DAYS = 7
HOURS = 24


@dataclass(slots=True)
class Frequency:
    """The posting rhythm of one account over one period."""

    posts: int
    start: date
    end: date
    weeks: int
    per_week: float
    active_week_share: float
    gap_cv: float | None
    longest_silence_days: float
    silence_from: date
    silence_to: date
    target_per_week: float
    components: dict[str, float]
    score: float
    # heatmap[weekday][hour], Monday = 0, in the report's time zone
    heatmap: list[list[int]] = field(default_factory=list)
    timezone: str = "Europe/Paris"  # the zone of the heatmap and the days, as used
    per_day: dict[date, int] = field(default_factory=dict)
    weekly: list[int] = field(default_factory=list)


def target_for(network: str | None) -> float:
    return TARGETS.get(network or "", DEFAULT_TARGET)


DEFAULT_TIMEZONE = "Europe/Paris"


def zone(name: str) -> tzinfo:
    """The named time zone, or UTC when the machine has no zone data for it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def measure(
    times: list[datetime],
    network: str | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    tz: str = "Europe/Paris",
) -> Frequency:
    """Measure the rhythm of posts published at ``times`` over [since, until].

    Without bounds the period runs from the first post to the last. Silences at both
    ends of an explicit period count: an account quiet for the last two months of the
    period audited is quiet.
    """
    local = zone(tz)
    stamps = sorted(t.astimezone(UTC) for t in times)
    first = since.astimezone(UTC) if since else (stamps[0] if stamps else datetime.now(UTC))
    last = until.astimezone(UTC) if until else (stamps[-1] if stamps else first)
    if last < first:
        last = first
    span_days = max((last - first).total_seconds() / 86400, 1.0)
    weeks = max(1, math.ceil(span_days / DAYS))
    weekly = [0] * weeks
    heatmap = [[0] * HOURS for _ in range(DAYS)]
    per_day: dict[date, int] = {}
    for stamp in stamps:
        index = min(weeks - 1, max(0, int((stamp - first).total_seconds() // (DAYS * 86400))))
        weekly[index] += 1
        moment = stamp.astimezone(local)
        heatmap[moment.weekday()][moment.hour] += 1
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    per_week = len(stamps) / (span_days / DAYS) if span_days >= DAYS else float(len(stamps))
    active = sum(1 for n in weekly if n) / weeks
    gaps = [(b - a).total_seconds() / 86400 for a, b in pairwise(stamps)]
    gap_cv: float | None = None
    if len(gaps) >= 2 and statistics.fmean(gaps) > 0:
        gap_cv = statistics.pstdev(gaps) / statistics.fmean(gaps)
    bounds = [first, *stamps, last] if stamps else [first, last]
    quiet_from, quiet_to = max(pairwise(bounds), key=lambda pair: pair[1] - pair[0])
    silence = (quiet_to - quiet_from).total_seconds() / 86400
    target = target_for(network)
    components = {
        "volume": _volume(per_week / target),
        "weeks": active,
        "steadiness": 1.0 / (1.0 + gap_cv) if gap_cv is not None else (1.0 if stamps else 0.0),
    }
    score = 100 * sum(WEIGHTS[k] * v for k, v in components.items()) if stamps else 0.0
    return Frequency(
        posts=len(stamps),
        start=first.astimezone(local).date(),
        end=last.astimezone(local).date(),
        weeks=weeks,
        per_week=per_week,
        active_week_share=active,
        gap_cv=gap_cv,
        longest_silence_days=silence,
        silence_from=quiet_from.astimezone(local).date(),
        silence_to=quiet_to.astimezone(local).date(),
        target_per_week=target,
        components=components,
        score=round(score, 1),
        heatmap=heatmap,
        per_day=per_day,
        weekly=weekly,
        timezone=str(local),
    )


def _volume(ratio: float) -> float:
    """1 at the target; proportional below it; slowly down past three times the target."""
    if ratio <= 1:
        return max(ratio, 0.0)
    if ratio <= 3:
        return 1.0
    return max(0.5, 1.0 - (ratio - 3) * 0.1)


def days(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end`` included (for the calendar)."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
