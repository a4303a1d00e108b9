"""Search when the words are frequent (issue 19): each topical word in about a third of the
posts, random dates (not in insertion order), newest 100 of each query.

    .venv/bin/python benchmarks/frequent_bench.py --db /tmp/f200k.sqlite --posts 200000

The database is built once and reused. To compare two codes in the same period, run it
twice on the same database, the other code through ``PYTHONPATH=<other>/src``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore

TOPIC = (
    "innovation technologie salon conférence lyon industrie veille concurrence emploi "
    "recrutement marché numérique"
).split()
FILL = "le la les des du de et en pour avec sur dans un une nous vous notre votre".split()
QUERIES = [
    "innovation",
    "veille OR concurrence",
    "innovation ONEAR/2 technologie",
    "(salon OR conférence) AND (lyon OR industrie)",
    '"salon de lyon"',
    "recrut*",
    "innov*",
    "emploi NEAR/5 marché",
    "emploi -recrutement",
    "numérique lang:fr",
    "veille since:2025-06-01",
    "title:innovation",
    "network:x emploi",
]
NEAR_QUERIES = [
    "innovation ONEAR/2 technologie",
    "veille ONEAR/5 concurrence",
    "innov* ONEAR/3 techno*",
    "emploi NEAR/3 march?",
]
"""Proximities FTS5 cannot decide alone (``--near``): each candidate is read again by
``veilleur_near`` (contentless index, revision 0013), every match counted."""


def posts(n: int) -> Iterator[Post]:
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        words = [
            rng.choice(TOPIC) if rng.random() < 0.13 else rng.choice(FILL)
            for _ in range(rng.randint(10, 40))
        ]
        yield Post(
            id=str(i),
            network=rng.choice(["x", "mastodon", "rss"]),
            author=f"a{i % 500}",
            text=" ".join(words),
            lang="fr",
            created_at=start + timedelta(seconds=rng.randint(0, 365 * 86400)),
        )


def build(db: Path, n: int) -> None:
    with SQLiteStore(db) as store:
        batch: list[Post] = []
        for post in posts(n):
            batch.append(post)
            if len(batch) == 5000:
                store.write_posts(batch)
                batch = []
        if batch:
            store.write_posts(batch)


def near(db: Path, runs: int) -> None:
    with SQLiteStore(db) as store:
        print("| query | matches | CPU ms to count (median) |\n|---|---:|---:|")
        for text in NEAR_QUERIES:
            node = parse(text).root
            cpus: list[float] = []
            for run in range(runs + 1):
                began = time.process_time()
                found = store.count_matches(node)
                if run:
                    cpus.append(time.process_time() - began)
            print(f"| `{text}` | {found:,} | {statistics.median(cpus) * 1000:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="Database, built if missing.")
    parser.add_argument("--posts", type=int, default=200000, help="Posts when building.")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs of each query.")
    parser.add_argument(
        "--near", action="store_true", help="Count every match of NEAR_QUERIES instead."
    )
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.posts)
    if args.near:
        near(args.db, args.runs)
        return
    timings: list[float] = []
    cpu_timings: list[float] = []
    with SQLiteStore(args.db) as store:
        print("| query | matches | p50 ms | max ms | CPU p50 ms |\n|---|---:|---:|---:|---:|")
        for text in QUERIES:
            node = parse(text).root
            runs: list[float] = []
            cpus: list[float] = []  # CPU time of this process: what the load hardly moves
            for run in range(args.runs + 1):
                began, began_cpu = time.perf_counter(), time.process_time()
                store.search(node, limit=100)
                if run:  # the first run warms the page cache
                    runs.append(time.perf_counter() - began)
                    cpus.append(time.process_time() - began_cpu)
            timings += runs
            cpu_timings += cpus
            print(
                f"| `{text}` | {store.count_matches(node):,} | "
                f"{statistics.median(runs) * 1000:.0f} | {max(runs) * 1000:.0f} | "
                f"{statistics.median(cpus) * 1000:.1f} |"
            )
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"\nall: p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    cpu_p95 = statistics.quantiles(cpu_timings, n=20)[18]
    print(f"CPU: p50 {statistics.median(cpu_timings) * 1000:.1f} ms, p95 {cpu_p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
