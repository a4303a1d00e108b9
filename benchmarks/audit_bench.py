"""The presence audit: classifier precision/recall on the labelled set, and the time to
audit a 10,000-post account against the time to read it from the store (same run).

    .venv/bin/python benchmarks/audit_bench.py [--n 10000] [--skip-speed] [--embeddings]

Precision and recall of the promotion/recruiting classifier are given on each split of
tests/data/promo_labelled.jsonl (dev, test, test2, probe, probe2, probe3, probe4, test3),
by language too. The classifier was trained on all of them: these are figures of fit;
benchmarks/promo_train.py gives the cross-validation by split that measures
generalisation. The aim of
issue 7: >= 0.9 each; 10,000 posts audited in <= 5 s without embeddings.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from veilleur.model import Post

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "promo_labelled.jsonl"


def scores(records: list[dict[str, str]]) -> dict[str, float | int]:
    from veilleur.audit.promo import classify

    tp = fp = fn = tn = 0
    for record in records:
        truth = record["label"] != "value"
        said = classify(record["text"]).promotional
        tp += truth and said
        fp += (not truth) and said
        fn += truth and not said
        tn += not truth and not said
    return {
        "n": len(records),
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def classifier_report() -> dict[str, dict[str, float | int]]:
    records = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    out = {}
    for split in ("dev", "test", "test2", "probe", "probe2", "probe3", "probe4"):
        part = [r for r in records if r["split"] == split]
        if not part:
            continue
        out[split] = scores(part)
        for lang in ("fr", "en"):
            out[f"{split}/{lang}"] = scores([r for r in part if r["lang"] == lang])
    out["all"] = scores(records)
    return out


def account(n: int, seed: int = 7) -> list[Post]:
    """``n`` posts of one account over three years, texts drawn from the labelled set
    and varied (numbers, hashtags, images), so that they read like a real feed."""
    from veilleur.model import Media, Post

    rng = random.Random(seed)
    texts = [json.loads(line)["text"] for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    tags = ["#UsinageDePrécision", "#emploi", "#Industrie", "#savoirfaire", "#PME", "#RH"]
    start = datetime(2023, 1, 2, 7, tzinfo=UTC)
    posts = []
    for i in range(n):
        text = rng.choice(texts)
        if rng.random() < 0.5:
            text += " " + " ".join(rng.sample(tags, rng.randint(1, 3)))
        if rng.random() < 0.3:
            text += f" Édition n°{rng.randint(1, 500)}."
        when = start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        media = [Media(f"https://example.org/{i}.jpg", alt=rng.choice([None, "Photo"]))]
        posts.append(
            Post(
                id=str(i),
                network="linkedin",
                author="bench",
                text=text,
                created_at=when,
                media=media if rng.random() < 0.4 else [],
                likes=rng.randint(0, 80),
                reposts=rng.randint(0, 10),
            )
        )
    return posts


def speed(n: int, embeddings: bool = False) -> dict[str, object]:
    from veilleur.audit import audit_accounts, load_posts
    from veilleur.audit.report import to_html, to_json
    from veilleur.profile import load_profile
    from veilleur.workspace import Workspace

    profile = load_profile(ROOT / "examples" / "profiles" / "dupont-usinage.toml")
    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "ws") as ws:
        ws.store.write_posts(account(n))
        t0 = time.perf_counter()
        loaded = load_posts(ws.store, "bench")
        t1 = time.perf_counter()
        assert len(loaded) == n
        audits = audit_accounts(ws.store, ["bench"], profile, network="linkedin")
        t2 = time.perf_counter()
        to_json(audits, "fr")
        t3 = time.perf_counter()
        audits = audit_accounts(ws.store, ["bench"], profile, network="linkedin")
        t4 = time.perf_counter()
        to_html(audits, "fr")
        t5 = time.perf_counter()
        extra: dict[str, object] = {}
        if embeddings:
            from veilleur.audit import embeddings as encoder

            e0 = time.perf_counter()
            encoder.similarity(["amorce"], "amorce")  # loads the model (once per process)
            e1 = time.perf_counter()
            with_emb = audit_accounts(
                ws.store, ["bench"], profile, network="linkedin", similarity=encoder.similarity
            )
            e2 = time.perf_counter()
            assert with_emb[0].relevance.method == "embeddings"
            extra = {
                "embeddings_load_s": round(e1 - e0, 3),
                "audit_embeddings_s": round(e2 - e1, 3),
                "distinct_texts": len({p.text for p in loaded}),
                "ratio_embeddings_vs_warm": round((e2 - e1) / (t4 - t3), 1),
                "on_topic_tfidf_vs_embeddings": f"{audits[0].relevance.on_topic_share:.3f} / "
                f"{with_emb[0].relevance.on_topic_share:.3f}",
            }
    return {
        "posts": n,
        "baseline_read_s": round(t1 - t0, 3),
        "audit_cold_s": round(t2 - t1, 3),
        "json_s": round(t3 - t2, 3),
        "audit_warm_s": round(t4 - t3, 3),
        "html_s": round(t5 - t4, 3),
        "ratio_cold_vs_read": round((t2 - t1) / (t1 - t0), 1),
        "ratio_warm_vs_read": round((t4 - t3) / (t1 - t0), 1),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="posts in the account")
    parser.add_argument("--skip-speed", action="store_true", help="only the classifier")
    parser.add_argument(
        "--embeddings",
        action="store_true",
        help="also time the audit with the optional sentence encoder as relevance similarity",
    )
    args = parser.parse_args()
    classifier = classifier_report()
    report: dict[str, object] = {"classifier": classifier}
    for name, s in classifier.items():
        print(
            f"{name:<9} n={s['n']:>3}  precision={s['precision']:.3f}  recall={s['recall']:.3f}"
            f"  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )
    if not args.skip_speed:
        report["speed"] = timings = speed(args.n, args.embeddings)
        for key, value in timings.items():
            print(f"{key:<20} {value}")
    json.dump(report, sys.stderr, indent=1)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
