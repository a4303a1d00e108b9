"""The labelled set of promotional/recruiting vs value posts, and the classifier on it.

The floors below guard against regressions; they are not the figures we claim (those are
in benchmarks/README.md, from benchmarks/audit_bench.py). The "test" half was never read
while the cues were adjusted, so its floor is lower: it measures generalisation. "test2"
was written after the cues were frozen, in wordings without the trade's stock phrases: it
shows the lexicon's limit (recall 0.33) and is not used for any floor but precision.
"""

from __future__ import annotations

import json
from collections import Counter

from veilleur.audit.promo import classify

from .conftest import ROOT

LABELLED = ROOT / "tests" / "data" / "promo_labelled.jsonl"


def _records() -> list[dict[str, str]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def _precision_recall(records: list[dict[str, str]]) -> tuple[float, float]:
    said = [classify(r["text"]).promotional for r in records]
    truth = [r["label"] != "value" for r in records]
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
    assert {r["split"] for r in records} == {"dev", "test", "test2"}


def test_classifier_on_the_dev_half() -> None:
    precision, recall = _precision_recall([r for r in _records() if r["split"] == "dev"])
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


def test_classifier_on_the_held_out_half() -> None:
    precision, recall = _precision_recall([r for r in _records() if r["split"] == "test"])
    assert precision >= 0.9 and recall >= 0.65, (precision, recall)


def test_recruiting_and_promotion_are_told_apart() -> None:
    records = [r for r in _records() if r["label"] != "value"]
    found = [(r["label"], classify(r["text"]).category) for r in records]
    caught = [(label, said) for label, said in found if said != "value"]
    agree = sum(label == said for label, said in caught)
    assert agree / len(caught) >= 0.9


def test_precision_holds_on_posts_written_after_the_lexicon_was_frozen() -> None:
    precision, _ = _precision_recall([r for r in _records() if r["split"] == "test2"])
    assert precision >= 0.9
