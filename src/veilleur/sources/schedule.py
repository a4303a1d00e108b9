"""When to collect a source again: an interval that follows the source's posting rate.

Pure logic. A feed that posts ten times a day is read every hour or so; a blog that posts
once a month drifts towards once a day; a source that fails is retried later and later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
DEFAULT_INTERVAL = 3600
MAX_ERROR_INTERVAL = 6 * 3600
QUIET_GROWTH = 1.5


def clamp(seconds: float, low: float = MIN_INTERVAL, high: float = MAX_INTERVAL) -> int:
    return int(min(high, max(low, seconds)))


def typical_gap(dates: Sequence[datetime], recent: int = 10) -> float | None:
    """The average time between the ``recent`` newest posts, in seconds (None if unknown)."""
    newest = sorted(dates, reverse=True)[:recent]
    if len(newest) < 2:
        return None
    span = (newest[0] - newest[-1]).total_seconds()
    return span / (len(newest) - 1) if span > 0 else None


def next_interval(previous: int | None, dates: Sequence[datetime], found_new: bool) -> int:
    """Seconds until the next collection after a successful one.

    Half the typical gap between posts when new posts came in (so a new post waits half
    a gap on average); when nothing was new, the previous interval grows by half, never
    beyond a day nor below a quarter of an hour.
    """
    gap = typical_gap(dates)
    base = clamp(gap / 2) if gap is not None else (previous or DEFAULT_INTERVAL)
    if found_new or previous is None:
        return clamp(base)
    return clamp(max(base, previous * QUIET_GROWTH))


def error_interval(previous: int | None, failures: int) -> int:
    """Seconds until the next try after ``failures`` failures in a row (doubling)."""
    start = min(previous or DEFAULT_INTERVAL, DEFAULT_INTERVAL) / 4
    return clamp(start * 2 ** max(0, failures - 1), high=MAX_ERROR_INTERVAL)


def due_at(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
