"""The labelled set of value / promotional / recruiting / event posts, and the classifier
on it (categories: docs/audit.md).

The floors below guard against regressions; they are not the figures we claim (those are
in benchmarks/README.md). The word scores and the second stage are trained on every
split, so these are figures of fit: how well the classifier generalises is measured by
benchmarks/promo_train.py (cross-validation grouped by split) and by a blind set kept
outside the repository. "test3" was such a blind set (written by someone else, measured
once by the lead on the classifier frozen at afc938f) before it joined the set.
"test4" (tests/data/promo_blind_test4.jsonl) was the next blind set, measured once on the
classifier frozen at 9d545b4: precision 0.875, recall 0.992. It is kept apart so that
training does not use it; since issue 15 three of its posts are labelled event (two free
webinars, an organisation's own conference), and issue 15's classifier was tuned with its
errors in view, so it is now a development set, not a blind one. "test5" is issue 15's
blind set, measured once on the classifier frozen at d937044 (benchmarks/README.md), and
"test6" its second, measured once on the classifier frozen at fc1e535 (round 2), and
"test7" its third, measured once on the classifier frozen at ff2db63 (round 3). None of
them is trained or tuned on. "round3" (tests/data/promo_train_round3.jsonl) is training data
by a second writer, measured once before it was trained on.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from veilleur.audit.promo import classify

from .conftest import ROOT

LABELLED = ROOT / "tests" / "data" / "promo_labelled.jsonl"
# round 3: 320 posts by a second writer (tests/data/README.md), trained on like the others
ROUND3 = ROOT / "tests" / "data" / "promo_train_round3.jsonl"


def _records() -> list[dict[str, str]]:
    return [
        json.loads(line)
        for path in (LABELLED, ROUND3)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


ADS = ("promotional", "recruiting")


def _precision_recall(records: list[dict[str, str]]) -> tuple[float, float]:
    """On promotional+recruiting: an event or a value post is not an ad."""
    said = [classify(r["text"]).promotional for r in records]
    truth = [r["label"] in ADS for r in records]
    tp = sum(s and t for s, t in zip(said, truth, strict=True))
    return tp / max(sum(said), 1), tp / max(sum(truth), 1)


def test_the_set_is_large_varied_and_well_formed() -> None:
    records = _records()
    assert len(records) >= 200
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["text"] for r in records}) == len(records)
    counts = Counter((r["lang"], r["label"]) for r in records)
    for lang in ("fr", "en"):
        for label in ("recruiting", "promotional", "value"):
            assert counts[lang, label] >= 20, (lang, label)
        assert counts[lang, "event"] >= 15, lang
    assert {r["split"] for r in records} == {
        "dev",
        "test",
        "test2",
        "probe",
        "probe2",
        "probe3",
        "probe4",
        "test3",
        "issue15",
        "round2",
        "round3",
    }


@pytest.mark.parametrize(
    ("split", "precision_floor", "recall_floor"),
    [
        ("dev", 0.95, 0.95),
        # round 2 (an event stage without a gate): two job ads giving a day and an hour
        # read as events
        ("test", 0.95, 0.85),
        ("test2", 0.95, 0.9),
        ("probe", 0.9, 0.8),
        # round 3 (a second writer's 160 value posts, many about jobs, interns and prices,
        # trained on): indirect job ads of one hand's probes fall just under the threshold
        # (probe2 0.81, probe3 0.79, test3 0.92 recall; notes/promo3.md)
        ("probe2", 0.95, 0.8),
        ("probe3", 0.95, 0.75),
        ("probe4", 0.9, 0.9),
        ("test3", 0.95, 0.9),
        # issue 15's posts: 0.71 precision in round 1, when an event had to name a listed
        # kind of event; 0.94 / 0.94 since round 2 (notes/promo.md)
        # 0.886 / 1.000 in round 3 (its event-like value posts)
        ("issue15", 0.85, 0.9),
        # round 2's posts (56 events worded freely, value posts about jobs and prices)
        ("round2", 0.9, 0.9),
        # round 3: the second writer's 320 posts (0.955 / 0.955 fit; measured before being
        # trained on: 0.822 / 0.882, benchmarks/README.md)
        ("round3", 0.93, 0.93),
    ],
)
def test_classifier_fits_each_split(
    split: str, precision_floor: float, recall_floor: float
) -> None:
    precision, recall = _precision_recall([r for r in _records() if r["split"] == split])
    assert precision >= precision_floor and recall >= recall_floor, (precision, recall)


def _load(name: str) -> list[dict[str, str]]:
    path = ROOT / "tests" / "data" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_blind_test4_figures_hold() -> None:
    """The blind set written for the 9d545b4 classifier (a development set since issue
    15: 0.927 / 0.983 on d937044; 0.916 / 0.932 in round 2, where some job ads that give a
    day and an hour read as events; 0.918 / 0.957 in round 3, 8 / 120 value posts called
    ads)."""
    records = _load("promo_blind_test4.jsonl")
    assert len(records) == 240 and {r["split"] for r in records} == {"test4"}
    precision, recall = _precision_recall(records)
    assert precision >= 0.91 and recall >= 0.92, (precision, recall)


def test_blind_test5_figures_hold() -> None:
    """Issue 15's blind set (250 posts, another hand, four categories), measured once on
    the classifier frozen at d937044: precision 0.708, recall 0.941, value posts called
    ads 9.6 %. The aims (0.9, 0.9, 5 %) are NOT met: these floors are the honest current
    figures, so that a regression fails; raising them is the work left
    (benchmarks/README.md). Only aggregate figures are computed here, never a post."""
    records = _load("promo_blind_test5.jsonl")
    assert len(records) == 250
    assert Counter(r["label"] for r in records) == {
        "value": 125,
        "promotional": 43,
        "recruiting": 42,
        "event": 40,
    }
    precision, recall = _precision_recall(records)
    assert precision >= 0.70 and recall >= 0.94, (precision, recall)
    value = [r for r in records if r["label"] == "value"]
    called_ads = sum(classify(r["text"]).promotional for r in value) / len(value)
    assert called_ads <= 0.10, called_ads


def test_blind_test6_figures_hold() -> None:
    """Issue 15's second blind set (250 posts, another hand, four categories), measured
    once on the classifier frozen at fc1e535 (round 2): precision 0.884, recall 1.000,
    value posts called ads 6.4 % (8 / 125), 37 of 41 events found. Precision and value
    called ads miss their aims (0.9, 5 %) narrowly: these floors are the honest figures,
    so that a regression fails (benchmarks/README.md). Aggregates only, never a post."""
    records = _load("promo_blind_test6.jsonl")
    assert len(records) == 250 and {r["split"] for r in records} == {"test6"}
    assert Counter(r["label"] for r in records) == {
        "value": 125,
        "promotional": 42,
        "recruiting": 42,
        "event": 41,
    }
    precision, recall = _precision_recall(records)
    assert precision >= 0.88 and recall >= 0.99, (precision, recall)
    value = [r for r in records if r["label"] == "value"]
    called_ads = sum(classify(r["text"]).promotional for r in value) / len(value)
    assert called_ads <= 0.065, called_ads
    events = [r for r in records if r["label"] == "event"]
    # 37 on fc1e535; 36 since round 3, whose event stage weighs a job's cues (CDI, CV,
    # « à pourvoir »…) against an event (notes/promo3.md; the post is not read)
    assert sum(classify(r["text"]).category == "event" for r in events) >= 36


def test_blind_test7_figures_hold() -> None:
    """Issue 15's third blind set (300 posts, a third hand, four categories), measured once
    by the lead on the classifier frozen at ff2db63 (round 3): precision 0.934, recall
    0.990, value posts called ads 3.3 % (5 / 150), 41 of 50 events found — the first blind
    set on which the three aims (0.9, 0.9, 5 %) are met. These floors are those figures, so
    that a regression fails (benchmarks/README.md). Aggregates only, never a post."""
    records = _load("promo_blind_test7.jsonl")
    assert len(records) == 300 and {r["split"] for r in records} == {"test7"}
    assert Counter(r["label"] for r in records) == {
        "value": 150,
        "promotional": 50,
        "recruiting": 50,
        "event": 50,
    }
    precision, recall = _precision_recall(records)
    assert precision >= 0.93 and recall >= 0.99, (precision, recall)
    value = [r for r in records if r["label"] == "value"]
    called_ads = sum(classify(r["text"]).promotional for r in value) / len(value)
    assert called_ads <= 0.034, called_ads
    events = [r for r in records if r["label"] == "event"]
    assert sum(classify(r["text"]).category == "event" for r in events) >= 41


def test_recruiting_and_promotion_are_told_apart() -> None:
    records = [r for r in _records() if r["label"] in ADS]
    found = [(r["label"], classify(r["text"]).category) for r in records]
    caught = [(label, said) for label, said in found if said != "value"]
    agree = sum(label == said for label, said in caught)
    assert agree / len(caught) >= 0.9


def test_the_old_stock_phrases_alone_missed_most_fresh_wordings() -> None:
    """Why the word scores exist: the stock cues alone (weights of the TOML) catch few
    of the ads of test2 and probe, written in other words."""
    from veilleur.audit.promo import CUE_THRESHOLD, LEXICON

    fresh = [
        r
        for r in _records()
        if r["split"] in ("test2", "probe", "probe2", "probe3") and r["label"] != "value"
    ]
    caught = sum(
        sum(c.weight for c in LEXICON.found(r["text"]) if c.category != "value") >= CUE_THRESHOLD
        for r in fresh
    )
    assert caught / len(fresh) < 0.5
    # 0.85 until round 2; 0.82 since round 3 (the probes' indirect job ads, see above)
    assert sum(classify(r["text"]).promotional for r in fresh) / len(fresh) >= 0.8
