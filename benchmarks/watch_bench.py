"""The watch's figures: quality on the evaluation set, speed and memory at scale.

    .venv/bin/python benchmarks/watch_bench.py eval            # pairwise precision / recall
    .venv/bin/python benchmarks/watch_bench.py scale --n 100000 [--incremental 10000]

``eval`` indexes benchmarks/watch_eval.py's labelled posts in a fresh store and reports
pairwise precision and recall of the near-duplicate groups and of the stories.

``scale`` writes N synthetic posts (French- and English-like words drawn from a Zipf law
over a 20,000-word vocabulary, with planted copies: "RT @" prefixes, cuts with « … »,
"via @" credits and cross-posts) into a store, then times, each in a child process so
that its peak memory is its own:

* the baseline — read every post's text back and group exact copies with a dict (the least
  any dedup must do);
* ``update_index`` over all N posts (near-duplicates + stories, persisted);
* then ``--incremental`` more posts added and indexed against the persisted index.

It also reports the recall of the planted copies at scale.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import math
import pstats
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from veilleur.model import Post
from veilleur.store import SQLiteStore
from veilleur.store.prepared import Prepared
from veilleur.watch.index import update_index


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(truth: list[str], predicted: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against labels."""
    both = Counter(zip(truth, predicted, strict=True))
    tp = sum(_pairs(n) for n in both.values())
    pred = sum(_pairs(n) for n in Counter(predicted).values())
    true = sum(_pairs(n) for n in Counter(truth).values())
    return (tp / pred if pred else 1.0), (tp / true if true else 1.0)


def run_eval() -> dict[str, object]:
    import watch_eval

    items = watch_eval.build()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "eval.sqlite")
        store.write_posts([i.post for i in items])
        update_index(store)
        found = {
            (r[0], r[1]): (r[2], r[3])
            for r in store.conn.execute(
                "SELECT p.network, p.id, s.grp, s.story FROM posts p JOIN story_posts s "
                "ON s.pk = p.pk"
            )
        }
        store.close()
    groups = [found[(i.post.network, i.post.id)][0] for i in items]
    stories = [found[(i.post.network, i.post.id)][1] for i in items]
    dup_p, dup_r = pairwise([i.dup for i in items], groups)
    story_p, story_r = pairwise([i.story for i in items], stories)
    langs = Counter(i.post.lang for i in items)
    result = {
        "posts": len(items),
        "languages": dict(langs),
        "dup_groups": len({i.dup for i in items}),
        "stories": len({i.story for i in items}),
        "dup_precision": round(dup_p, 4),
        "dup_recall": round(dup_r, 4),
        "story_precision": round(story_p, 4),
        "story_recall": round(story_r, 4),
    }
    # Where it goes wrong: the labelled groups split, and the predicted groups mixed.
    errors = []
    by_dup: dict[str, set[int]] = {}
    for item, g in zip(items, groups, strict=True):
        by_dup.setdefault(item.dup, set()).add(g)
    for dup, gs in by_dup.items():
        if len(gs) > 1:
            errors.append(f"split {dup}: {len(gs)} groups")
    by_group: dict[int, set[str]] = {}
    for item, g in zip(items, groups, strict=True):
        by_group.setdefault(g, set()).add(item.dup)
    for dups in by_group.values():
        if len(dups) > 1:
            errors.append(f"merged {sorted(dups)}")
    result["errors"] = errors
    return result


# -- scale -------------------------------------------------------------------------------

SYLLABLES = ("ra", "te", "lo", "mi", "ne", "su", "ka", "do", "pi", "ve", "ri", "an", "on",
             "er", "ti", "ma", "co", "re", "in", "ul", "ba", "se", "fo", "gu")  # fmt: skip


def _vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def synthetic(n: int, seed: int = 7, start_id: int = 0, total: int | None = None) -> list[Post]:
    """N posts, about 20 % of them copies of an earlier post.

    Post number ``k`` (counting from ``start_id``) is dated ``k * 60 days / total``: ``total``
    posts written in batches spread evenly over 60 days, and later ones (an incremental run)
    continue at the same rate.
    """
    rng = random.Random(seed + start_id)
    vocab = _vocabulary(random.Random(seed))
    weights = [1 / (r + 1) for r in range(len(vocab))]
    cum = list(itertools.accumulate(weights))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    span = 60 * 86400
    posts: list[Post] = []
    for i in range(n):
        when = t0 + timedelta(seconds=int(span * (start_id + i) / max(total or n, 1)))
        if posts and rng.random() < 0.2:
            source = posts[-rng.randint(1, min(len(posts), 5000))]
            kind = rng.random()
            if kind < 0.4:
                text = f"RT @{source.author}: {source.text}"
            elif kind < 0.6:
                cut = source.text[: int(len(source.text) * 0.75)].rsplit(" ", 1)[0]
                text = cut + " …"
            elif kind < 0.8:
                text = f"{source.text} via @{source.author}"
            else:
                text = source.text
            network = rng.choice(("x", "mastodon", "bluesky"))
            posts.append(Post(f"c{start_id + i}", network, f"u{rng.randint(0, 50_000)}", text,
                              when, raw={"copy_of": source.id}))  # fmt: skip
            continue
        length = rng.randint(12, 40)
        words = rng.choices(vocab, cum_weights=cum, k=length)
        posts.append(
            Post(f"p{start_id + i}", rng.choice(("x", "mastodon", "bluesky", "rss")),
                 f"u{rng.randint(0, 50_000)}", " ".join(words), when)
        )  # fmt: skip
    return posts


class _UnsearchableStore(SQLiteStore):
    """Writes posts without indexing them for the query language.

    The watch's index reads only the posts table; the query index took most of the fill
    (200,000 posts had not been written after 6 CPU minutes; without it, 20,000 posts take
    2.6 CPU s). ``--search-index`` fills through it as before.
    """

    def _index_new(
        self, conn: sqlite3.Connection, after_pk: int, prepared: Prepared | None = None
    ) -> None:
        return None


def _fill(
    db: Path, n: int, start_id: int = 0, total: int | None = None, search_index: bool = False
) -> None:
    store = SQLiteStore(db) if search_index else _UnsearchableStore(db)
    batch = 20_000
    for start in range(0, n, batch):
        store.write_posts(
            synthetic(min(batch, n - start), start_id=start_id + start, total=total or n)
        )
    store.close()


def _child(mode: str, db: str, profile: str | None = None) -> None:
    """Run one measured step and print its timing and peak memory as JSON.

    ``profile``: a file where cProfile's statistics of this process are written, in CPU
    seconds (the worker process is not profiled; the profiler slows this one down by about
    half, more for the many small calls of the clusterer).
    """
    store = SQLiteStore(db)
    # CPU time, not wall time: on a shared machine waiting for a core is not this code's cost.
    profiler = cProfile.Profile(time.process_time) if profile else None
    t = time.perf_counter()
    if mode == "baseline":
        seen: dict[str, int] = {}
        copies = 0
        for pk, text in store.conn.execute("SELECT pk, text FROM posts"):
            key = " ".join(text.lower().split())
            if key in seen:
                copies += 1
            else:
                seen[key] = pk
        extra: dict[str, object] = {"exact_copies": copies}
    else:
        if profiler is not None:
            profiler.enable()
        result = update_index(store)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profile))
        extra = {"posts": result.posts, "duplicates": result.duplicates,
                 "new_stories": result.new_stories}  # fmt: skip
    seconds = time.perf_counter() - t
    own = resource.getrusage(resource.RUSAGE_SELF)
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process preparing batches
    print(json.dumps({"mode": mode, "seconds": round(seconds, 2),
                      "peak_mb": round(own.ru_maxrss / 1024),
                      "worker_peak_mb": round(worker.ru_maxrss / 1024),
                      "cpu_seconds": round(own.ru_utime + own.ru_stime, 1),
                      "worker_cpu_seconds": round(worker.ru_utime + worker.ru_stime, 1),
                      **extra}))  # fmt: skip


def _measure(mode: str, db: Path, profile: Path | None = None) -> dict[str, object]:
    command = [sys.executable, __file__, "child", mode, str(db)]
    if profile is not None:
        command += ["--profile", str(profile)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _print_profile(path: Path, top: int = 25) -> None:
    """The functions where the profiled process spent most of its own time, on stderr."""
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def _planted_recall(db: Path) -> float:
    store = SQLiteStore(db)
    rows = store.conn.execute(
        "SELECT p.id, s.grp, p.pk FROM posts p JOIN story_posts s ON s.pk = p.pk"
    ).fetchall()
    group_of = {r[0]: r[1] for r in rows}
    copies = [r for r in rows if r[0].startswith("c")]
    raws = dict(store.conn.execute("SELECT id, raw FROM posts WHERE id LIKE 'c%'").fetchall())
    from veilleur.store.codec import unpack_raw

    hits = total = 0
    for post_id, group, _ in copies:
        raw = unpack_raw(raws[post_id]) or {}
        source = str(raw.get("copy_of"))
        total += 1
        hits += group_of.get(source) == group
    store.close()
    return hits / total if total else math.nan


def run_scale(
    n: int,
    incremental: int,
    base_copy: Path | None = None,
    *,
    search_index: bool = False,
    profile: Path | None = None,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="veilleur-watch-bench-") as tmp:
        db = Path(tmp) / "scale.sqlite"
        t = time.perf_counter()
        if base_copy is not None and base_copy.exists():
            shutil.copyfile(base_copy, db)  # the same N posts, already written (see --base)
        else:
            _fill(db, n, search_index=search_index)
            if base_copy is not None:
                shutil.copyfile(db, base_copy)
        fill = time.perf_counter() - t
        base = _measure("baseline", db)
        full = _measure("index", db, profile)
        if profile is not None:
            _print_profile(profile)
        result: dict[str, object] = {"n": n, "fill_seconds": round(fill, 1), "baseline": base,
                                     "index": full}  # fmt: skip
        result["ratio"] = round(float(str(full["seconds"])) / float(str(base["seconds"])), 1)
        if incremental:
            _fill(db, incremental, start_id=n, total=n, search_index=search_index)
            result["incremental"] = _measure("index", db)
        result["planted_copy_recall"] = round(_planted_recall(db), 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("eval")
    scale = sub.add_parser("scale")
    scale.add_argument("--n", type=int, default=100_000)
    scale.add_argument("--incremental", type=int, default=10_000)
    scale.add_argument("--base", type=Path, help="keep the filled store here and reuse it")
    scale.add_argument(
        "--search-index", action="store_true", help="fill through the query index (slow)"
    )
    scale.add_argument(
        "--profile", type=Path, help="profile the full index run (its main process) into FILE"
    )
    child = sub.add_parser("child")
    child.add_argument("mode")
    child.add_argument("db")
    child.add_argument("--profile")
    args = parser.parse_args()
    if args.cmd == "eval":
        print(json.dumps(run_eval(), indent=2, ensure_ascii=False))
    elif args.cmd == "scale":
        result = run_scale(
            args.n,
            args.incremental,
            args.base,
            search_index=args.search_index,
            profile=args.profile,
        )
        print(json.dumps(result, indent=2))
    else:
        _child(args.mode, args.db, args.profile)


if __name__ == "__main__":
    main()
