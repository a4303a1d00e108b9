"""The per-source interval follows the posting rate, and failures are retried later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veilleur.sources.schedule import (
    MAX_ERROR_INTERVAL,
    MAX_INTERVAL,
    MIN_INTERVAL,
    error_interval,
    next_interval,
    typical_gap,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def every(hours: float, n: int = 10) -> list[datetime]:
    return [T0 + timedelta(hours=hours * i) for i in range(n)]


def test_typical_gap_is_the_average_between_recent_posts() -> None:
    assert typical_gap(every(2)) == 2 * 3600
    assert typical_gap([T0]) is None
    assert typical_gap([T0, T0]) is None


def test_a_busy_feed_is_read_often_and_a_quiet_one_rarely() -> None:
    assert next_interval(None, every(2), found_new=True) == 3600  # half the gap
    assert next_interval(None, every(0.1), found_new=True) == MIN_INTERVAL
    assert next_interval(None, every(24 * 30), found_new=True) == MAX_INTERVAL


def test_nothing_new_makes_the_interval_grow_up_to_a_day() -> None:
    interval = 3600
    seen = []
    for _ in range(12):
        interval = next_interval(interval, [], found_new=False)
        seen.append(interval)
    assert seen[0] == 5400 and seen == sorted(seen) and seen[-1] == MAX_INTERVAL


def test_failures_back_off_and_are_capped() -> None:
    waits = [error_interval(3600, n) for n in range(1, 8)]
    assert waits[0] == MIN_INTERVAL and waits == sorted(waits)
    assert waits[-1] == MAX_ERROR_INTERVAL
