"""The search page's exact summary (``match_summary(budget=None)``): counts by account and
by UTC hour from one reading of the matches, against the two readings it made before
(counts by account, then by hour), in the same run on the same database.

    .venv/bin/python benchmarks/summary_bench.py --db /tmp/f200k.sqlite --posts 200000

The database is :mod:`frequent_bench`'s (built if missing: each topical word in about a
third of the posts, 500 accounts, dates over a year — nearly every match its own account
and hour, the worst case for grouping the matches by both at once). The baseline runs the
two statements of the former code on the store's connection; both are timed on the same
queries, alternately, the page cache warmed first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from frequent_bench import build
from veilleur.query import parse
from veilleur.store import SQLiteStore

QUERIES = ["innovation", "veille OR concurrence", "emploi -recrutement", "network:x emploi",
           "recrut*", "lyon"]  # fmt: skip
ENGAGEMENT = (
    "coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0)"
)


def two_readings(store: SQLiteStore, text: str) -> tuple[int, int]:
    """The former code's two statements: (accounts, hours) found."""
    body, params = store.search_index.compile(parse(text).root).from_where()
    rows = store.conn.execute(
        f"SELECT p.network, p.author, count(*), sum({ENGAGEMENT}) {body} "
        "GROUP BY p.network, p.author",
        params,
    ).fetchall()
    hours = store.conn.execute(
        f"SELECT substr(p.created_at, 1, 13), count(*) {body} GROUP BY 1", params
    ).fetchall()
    return len(rows), len(hours)


def one_reading(store: SQLiteStore, text: str) -> tuple[int, int]:
    found = store._match_summary(parse(text).root, 10, None)  # not remembered
    return len(found.by_network), len(found.by_hour)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="Database, built if missing.")
    parser.add_argument("--posts", type=int, default=200000, help="Posts when building.")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs of each query.")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.posts)
    print("| query | matches | before CPU ms | after CPU ms | after / before |")
    print("|---|---:|---:|---:|---:|")
    ratios: list[float] = []
    with SQLiteStore(args.db) as store:
        for text in QUERIES:
            cpu: dict[str, list[float]] = {"before": [], "after": []}
            for run in range(args.runs + 1):
                for label, way in (("before", two_readings), ("after", one_reading)):
                    began = time.process_time()
                    way(store, text)
                    if run:  # the first run warms the page cache
                        cpu[label].append(time.process_time() - began)
            before, after = (statistics.median(cpu[k]) for k in ("before", "after"))
            ratios.append(after / before)
            matches = store.count_matches(parse(text).root)
            print(f"| `{text}` | {matches:,} | {before * 1000:.0f} | {after * 1000:.0f} | "
                  f"{after / before:.2f} |")  # fmt: skip
    print(f"\nmedian ratio after / before: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
