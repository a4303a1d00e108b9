"""Fréquence: rhythm figures computed by hand on small planted timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from veilleur.audit import frequency

from .audit_planted import bursty, regular

MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_regular_beats_bursty_with_the_same_number_of_posts() -> None:
    steady = frequency.measure([p.created_at for p in regular()], "linkedin")
    bursts = frequency.measure([p.created_at for p in bursty()], "linkedin")
    assert steady.posts == bursts.posts == 40
    assert steady.active_week_share == 1.0
    assert bursts.active_week_share < 0.2
    assert steady.gap_cv is not None and bursts.gap_cv is not None
    assert steady.gap_cv < 0.5 < 1.0 < bursts.gap_cv
    assert steady.score > bursts.score + 25


def test_one_post_a_week_figures() -> None:
    times = [MONDAY + timedelta(weeks=w) for w in range(10)]  # 9 weeks from first to last
    f = frequency.measure(times, "linkedin", tz="UTC")
    assert f.per_week == pytest.approx(10 / 9)
    assert f.gap_cv == pytest.approx(0.0)
    assert f.longest_silence_days == pytest.approx(7.0)
    assert f.heatmap[0][8] == 10  # Mondays at 8
    assert sum(map(sum, f.heatmap)) == 10
    assert f.target_per_week == frequency.TARGETS["linkedin"]
    # volume 10/9 / 2 of the target, every week active, perfectly steady
    expected = 100 * (0.40 * (10 / 9) / 2 + 0.35 * 1.0 + 0.25 * 1.0)
    assert f.score == pytest.approx(expected, abs=0.1)


def test_explicit_period_counts_the_silence_at_its_end() -> None:
    times = [MONDAY + timedelta(days=d) for d in (0, 2, 4)]
    until = MONDAY + timedelta(days=60)
    f = frequency.measure(times, "x", since=MONDAY, until=until, tz="UTC")
    assert f.longest_silence_days == pytest.approx(56.0)
    assert f.silence_from == (MONDAY + timedelta(days=4)).date()
    assert f.silence_to == until.date()
    assert f.weeks == 9
    assert f.active_week_share == pytest.approx(1 / 9)


def test_heat_map_uses_the_report_time_zone() -> None:
    # 22:30 UTC on a Monday in summer is 00:30 on Tuesday in Paris
    late = datetime(2026, 7, 6, 22, 30, tzinfo=UTC)
    f = frequency.measure([late], "linkedin", tz="Europe/Paris")
    assert f.heatmap[1][0] == 1


def test_flooding_costs_volume_points() -> None:
    assert frequency._volume(1.0) == 1.0
    assert frequency._volume(0.5) == 0.5
    assert frequency._volume(3.0) == 1.0
    assert frequency._volume(6.0) < 1.0


def test_no_post_scores_zero() -> None:
    f = frequency.measure([], "linkedin", since=MONDAY, until=MONDAY + timedelta(days=30))
    assert f.score == 0.0
    assert f.posts == 0


def test_unknown_network_gets_the_default_target() -> None:
    assert frequency.target_for("gopher") == frequency.DEFAULT_TARGET
    assert frequency.target_for(None) == frequency.DEFAULT_TARGET
