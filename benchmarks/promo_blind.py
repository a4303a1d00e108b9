"""Measure the promotion classifier on a labelled set, printing aggregate figures only.

    .venv/bin/python benchmarks/promo_blind.py tests/data/promo_blind_test6.jsonl

The set is the one argument (test5 was measured with it at d937044, test6 at the round 2
freeze: benchmarks/README.md); posts without "lang" are counted as "?" by language.

Made for a blind set (issue 15): it never prints a post, an id or a reason, only
- precision and recall on promotional+recruiting (a post is an ad when the classifier
  says promotional or recruiting; an event or a value post is not one),
- the share of value posts called ads (and called events),
- recruiting vs promotional agreement among the ads caught,
- the confusion matrix by category (rows: the label, columns: the classifier's verdict),
- the same figures by language.
Run it once on a blind set, after the classifier is frozen at a named commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from veilleur.audit.promo import CATEGORIES, PROMOTIONAL, RECRUITING, VALUE, classify  # noqa: E402

ADS = (PROMOTIONAL, RECRUITING)


def figures(pairs: list[tuple[str, str]]) -> dict[str, float | int]:
    """``pairs``: (label, verdict). The figures issue 15 asks for."""
    tp = sum(label in ADS and said in ADS for label, said in pairs)
    said_ads = sum(said in ADS for _, said in pairs)
    true_ads = sum(label in ADS for label, _ in pairs)
    value = [said for label, said in pairs if label == VALUE]
    caught = [(label, said) for label, said in pairs if label in ADS and said in ADS]
    return {
        "posts": len(pairs),
        "precision": round(tp / said_ads, 3) if said_ads else 0.0,
        "recall": round(tp / true_ads, 3) if true_ads else 0.0,
        "value_posts": len(value),
        "value_called_ads": round(sum(s in ADS for s in value) / len(value), 3) if value else 0.0,
        "value_called_events": round(value.count("event") / len(value), 3) if value else 0.0,
        "kind_agree": round(sum(a == b for a, b in caught) / len(caught), 3) if caught else 0.0,
    }


def confusion(pairs: list[tuple[str, str]]) -> list[str]:
    counts = Counter(pairs)
    head = f"{'label/said':<14}" + "".join(f"{c:>13}" for c in CATEGORIES)
    rows = [head]
    for label in CATEGORIES:
        rows.append(f"{label:<14}" + "".join(f"{counts[label, c]:>13}" for c in CATEGORIES))
    return rows


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: promo_blind.py SET.jsonl (one JSON object a line: text, label)")
    path = Path(sys.argv[1])
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(r["label"], classify(r["text"]).category) for r in records]
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"set: {path.name}; classifier at {commit}{' (src/ modified!)' if dirty else ''}")
    print(f"all: {json.dumps(figures(pairs))}")
    for lang in sorted({r.get("lang", "?") for r in records}):
        sub = [p for p, r in zip(pairs, records, strict=True) if r.get("lang", "?") == lang]
        print(f"{lang}: {json.dumps(figures(sub))}")
    print("confusion (rows: label, columns: verdict)")
    print("\n".join(confusion(pairs)))


if __name__ == "__main__":
    main()
