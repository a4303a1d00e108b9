"""Language at ingest (issue 15): precision and recall of the detector per language on
labelled posts, the effective language against declarations, and the cost, in one run.

    .venv/bin/python benchmarks/lang_bench.py [--lang-n 50000] [--ingest-n 20000]

Labelled material (nothing here was used to choose the word lists; the thresholds were set
on the planted posts and the Bluesky sample, so those two figures are optimistic):

* **planted**: tests/data/language/planted.tsv — posts and headlines written for issue 15,
  labelled by construction (es, de, it, pt, nl, fr, en, and ``und`` for Catalan, Danish,
  Romanian, Slovak, Swedish, Polish, Turkish: not one of ours).
* **feeds**: the real feeds in ../shared/data/feeds, each monolingual (every title read by
  hand): heise.de (RDF, German, no declared language), a French psychology magazine
  (ISO-8859-1, none declared), an English blog (RSS and Atom: the same 25 items, counted
  once), bash.org.ru quotes (declared ``ru``: ``und`` for the detector). Measured on the
  title alone and on title + summary (what the store reads).
* **bluesky**: ../shared/data/bluesky, the posts with one declared language, after the hand
  corrections of benchmarks/text_bench.py (``CORRECTIONS``).

Speed: ``detect_language`` now against the fr/en-only detector it replaces (rebuilt here from
the same word model: the best of the seven languages kept only when French or English,
py3langid deciding between fr and en), on the same texts, best of 3; and ``import jsonl``
of ``--ingest-n`` seeded posts with and without the effective language (the store's
``settle_language`` swapped for a no-op), each in a fresh workspace, same process.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from text_bench import BLUESKY, CORRECTIONS, _records  # noqa: E402
from veilleur.text import language as lang_module  # noqa: E402
from veilleur.text import resolve_language  # noqa: E402
from veilleur.text.language import detect_language  # noqa: E402

FEEDS = ROOT.parent / "shared" / "data" / "feeds"
PLANTED = ROOT / "tests" / "data" / "language" / "planted.tsv"
OURS = ("fr", "en", "es", "pt", "it", "de", "nl", "und")

Labelled = list[tuple[str, str]]  # (label, text)


def planted() -> Labelled:
    lines = PLANTED.read_text(encoding="utf-8").splitlines()
    return [(a, b) for a, b in (line.split("\t", 1) for line in lines if line and line[0] != "#")]


_TAGS = re.compile(r"<[^>]+>")


def _plain(value: str) -> str:
    return html.unescape(_TAGS.sub(" ", value))


def feeds() -> dict[str, tuple[Labelled, Labelled, list[tuple[str | None, str, str]]]]:
    """Per feed: (title only, title + summary, (declared, title, summary)) with its label."""
    import feedparser

    chosen = {
        "miniflux-rdf_UTF8.xml": "de",
        "miniflux-no_encoding_ISO-8859-1.xml": "fr",
        "miniflux-large_rss.xml": "en",
        "miniflux-encoding_WINDOWS-1251.xml": "und",
    }
    out = {}
    for name, label in chosen.items():
        path = FEEDS / name
        if not path.exists():
            print(f"note: {path} is absent, skipped", file=sys.stderr)
            continue
        parsed = feedparser.parse(path.read_bytes())
        declared = parsed.feed.get("language")
        items = [
            (declared, e.get("title") or "", _plain(e.get("summary") or ""))
            for e in parsed.entries
            if (e.get("title") or e.get("summary"))
        ]
        titles = [(label, t) for _, t, _ in items if t]
        full = [(label, f"{t}\n{s}") for _, t, s in items]
        out[name] = (titles, full, items)
    return out


def bluesky() -> Labelled:
    if not BLUESKY.exists():
        print(f"note: {BLUESKY} is absent, skipped", file=sys.stderr)
        return []
    seen: dict[str, tuple[str, str]] = {}
    for record in _records(json.loads(BLUESKY.read_text(encoding="utf-8"))):
        langs = record.get("langs") or []
        if len(langs) != 1:
            continue
        text = record["text"]
        label = lang_module.language_code(langs[0]) or "und"
        label = label if label in OURS else "und"  # ko, ja: not one of ours
        for prefix, (fixed, _why) in CORRECTIONS.items():
            if text.startswith(prefix):
                label = fixed
        seen[text] = (label, text)
    return list(seen.values())


def scores(rows: Labelled, detect: Callable[[str], str]) -> dict[str, Any]:
    """Accuracy, and precision / recall per language present (as label or as answer)."""
    guesses = [(label, detect(text)) for label, text in rows]
    labels = Counter(label for label, _ in guesses)
    said = Counter(guess for _, guess in guesses)
    hits = Counter(label for label, guess in guesses if label == guess)
    per = {
        lang: {
            "n": labels[lang],
            "precision": round(hits[lang] / said[lang], 3) if said[lang] else None,
            "recall": round(hits[lang] / labels[lang], 3) if labels[lang] else None,
        }
        for lang in OURS
        if labels[lang] or said[lang]
    }
    errors = [
        (label, guess, text[:60])
        for (label, guess), (_, text) in zip(guesses, rows, strict=True)
        if label != guess
    ]
    return {
        "posts": len(rows),
        "accuracy": round(sum(hits.values()) / len(rows), 3) if rows else None,
        "per_language": per,
        "errors": errors,
    }


def old_detect(text: str) -> str:
    """The detector before issue 15: fr, en or und (the same word model and py3langid)."""
    from veilleur.text.normalize import fold

    folded = fold(text)
    words = lang_module._words(folded)
    if lang_module._other_script(folded, words):
        return "und"
    langs = lang_module._model()[0]
    totals, known = lang_module._totals(words)
    if known == 0:
        return "und"
    if known >= lang_module._MIN_KNOWN:
        ranked = sorted(totals)
        if ranked[-1] - ranked[-2] >= lang_module._MARGIN:
            best = langs[totals.index(ranked[-1])]
            return best if best in ("fr", "en") else "und"
    ranked_ids = lang_module._identifier().rank(" ".join(lang_module._TOKENS_KEPT.findall(text)))
    probs = dict(ranked_ids)
    best_lang, best_p = ranked_ids[0]
    p_fr, p_en = float(probs.get("fr", 0.0)), float(probs.get("en", 0.0))
    if best_lang not in ("fr", "en") and best_p > 2.0 * (p_fr + p_en):
        return "und"
    total = p_fr + p_en
    if total <= 0.0:
        return "und"
    share = p_fr / total
    return "fr" if share >= 0.7 else "en" if share <= 0.3 else "und"


def timed(fn: Callable[[str], Any], texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def effective(items: Iterable[tuple[str | None, str, str]]) -> Counter[tuple[str, str]]:
    return Counter(
        (choice.lang, choice.source) for choice in (resolve_language(d, s, t) for d, t, s in items)
    )


def ingest(n: int) -> dict[str, float]:
    from unittest import mock

    from corpus import write_jsonl
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import ImportSummary, import_file
    from veilleur.store import sqlite as store_sqlite
    from veilleur.store.languages import settle_language as real
    from veilleur.workspace import Workspace

    def skip(post: Any) -> None:
        return None

    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "posts.jsonl"
        write_jsonl(src, n)
        sides = [("without", skip), ("with", real), ("without, again", skip), ("with, again", real)]
        for i, (kind, settle) in enumerate(sides):
            # The name SQLiteStore.write_posts calls, swapped for this run only.
            with (
                mock.patch.object(store_sqlite, "settle_language", settle),
                Workspace(Path(tmp) / f"ws{i}") as ws,
            ):
                start = time.perf_counter()
                summary = ImportSummary()
                import_file(ws.store, src, read_jsonl, summary)
                rates[kind] = n / (time.perf_counter() - start)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang-n", type=int, default=50_000, help="texts for detection speed")
    parser.add_argument("--ingest-n", type=int, default=20_000, help="posts for ingest (0: skip)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}, load average at start: {load:.2f}")
    corpora: dict[str, Labelled] = {
        "planted": planted(),
        "bluesky (declared, corrected)": bluesky(),
    }
    feed_sets = feeds()
    for name, (titles, full, _) in feed_sets.items():
        corpora[f"{name} titles"] = titles
        corpora[f"{name} title+summary"] = full
    pooled_titles = [row for titles, _, _ in feed_sets.values() for row in titles]
    pooled_full = [row for _, full, _ in feed_sets.values() for row in full]
    corpora["feeds pooled, titles"] = pooled_titles
    corpora["feeds pooled, title+summary"] = pooled_full
    report: dict[str, Any] = {}
    for name, rows in corpora.items():
        report[name] = {"now": scores(rows, detect_language), "before": scores(rows, old_detect)}
        for side in ("now", "before"):
            report[name][side].pop("errors") if side == "before" else None
    print(json.dumps({"accuracy": report}, ensure_ascii=False, indent=1))
    print(
        json.dumps(
            {
                "effective language of feed items (lang, source)": {
                    name: {f"{k[0]}/{k[1]}": v for k, v in effective(items).items()}
                    for name, (_, _, items) in feed_sets.items()
                }
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    detect_language("warm up")
    old_detect("warm up")
    pools = {
        "posts": [t for name, rows in corpora.items() if "summary" not in name for _, t in rows],
        "articles (title + summary)": [t for _, t in pooled_full],
    }
    speed: dict[str, Any] = {}
    for pool_name, pool in pools.items():
        texts = (pool * (args.lang_n // len(pool) + 1))[: args.lang_n]
        now_s, before_s = timed(detect_language, texts), timed(old_detect, texts)
        resolve_s = timed(lambda text: resolve_language("fr", text), texts)
        speed[pool_name] = {
            "texts": len(texts),
            "detect_now_per_s": round(len(texts) / now_s),
            "detect_before_per_s": round(len(texts) / before_s),
            "now_vs_before": round(before_s / now_s, 2),
            "resolve_declared_fr_per_s": round(len(texts) / resolve_s),
        }
    print(json.dumps({"speed": speed}, indent=1))
    if args.ingest_n:
        rates = ingest(args.ingest_n)
        print(json.dumps({"ingest_posts_per_s": {k: round(v) for k, v in rates.items()}}, indent=1))


if __name__ == "__main__":
    main()
