"""NEAR/ONEAR on PostgreSQL narrowed by positions (issue 17, helper ``pgnear``): search p95
with the index's stems' positions (``search.pg_positions`` = 2) against the words' only
(= 1, proximity narrowed by its words, as before), alternated on the same database; and
what the stems' positions cost: the ``tsvector``'s CPU per post (before: the function as
of ``--before`` commit) and its size.

    .venv/bin/python benchmarks/pg_near_bench.py [--posts 100000] [--before d042d93~1]

Creates its own database (veilleur_bench_<random>) and drops it. Figures in
benchmarks/README.md ("NEAR narrowed by positions").
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg

from pg_bench import Clock, _posts, _stream
from veilleur.query import parse
from veilleur.store.languages import settle_language
from veilleur.store.pgterms import terms_of
from veilleur.store.postgres import PgSearch, PostgresStore

QUERIES = [
    "salon NEAR/2 emploi",
    "recrutement NEAR/5 équipe",
    "innovation ONEAR/1 numérique",
    "hiring NEAR/3 team",
    "formation NEAR/10 emploi",
    '"stage alternance"~2',
]


def _before(commit: str) -> ModuleType:
    """``veilleur.store.postgres`` as of ``commit`` (its ``terms_of``), loaded beside."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "-C", str(root), "show", f"{commit}:src/veilleur/store/postgres.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "postgres_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("postgres_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cost(url: str, n: int, commit: str) -> None:
    """CPU per post of the tsvector before and after (alternated, 3 rounds each) and the
    size of ``posts_search``'s heap with each (same posts, COPY into two tables)."""
    old = _before(commit)
    sample = _posts(n)
    for post in sample:
        settle_language(post)
    makers = {"before (words' positions)": old.terms_of, "after (words' and stems')": terms_of}
    spent: dict[str, list[float]] = {name: [] for name in makers}
    for _ in range(3):
        for name, make in makers.items():
            t0 = time.process_time()
            for post in sample:
                make(post.text, post.title, post.lang)
            spent[name].append(time.process_time() - t0)
    with psycopg.connect(url, autocommit=True) as conn:
        for i, (name, make) in enumerate(makers.items()):
            conn.execute(f"CREATE TABLE terms{i} (pk bigint PRIMARY KEY, terms tsvector)")
            with conn.cursor().copy(f"COPY terms{i} (pk, terms) FROM STDIN") as copy:
                for pk, post in enumerate(sample):
                    copy.write_row((pk, make(post.text, post.title, post.lang)))
            conn.execute(f"CREATE INDEX ON terms{i} USING gin (terms)")
            conn.execute(f"VACUUM ANALYZE terms{i}")
            sizes = conn.execute(
                f"SELECT pg_table_size('terms{i}'), pg_total_relation_size('terms{i}')"
            ).fetchone()
            assert sizes is not None
            heap, total = sizes
            best = min(spent[name]) / n * 1e6
            print(
                f"tsvector {name}: CPU {best:.1f} us a post (best of 3: "
                f"{', '.join(f'{v / n * 1e6:.1f}' for v in spent[name])}); posts_search "
                f"{heap / n:.0f} B a post + GIN = {total / n:.0f} B a post"
            )


def _search(url: str, n: int, runs: int) -> None:
    with PostgresStore(url) as store:
        store.write_posts(_posts(10))
        clock = Clock(store)
        clock.start()
        chunk = []
        for post in _stream(n):
            chunk.append(post)
            if len(chunk) == 2000:
                store.write_posts(chunk)
                chunk = []
        if chunk:
            store.write_posts(chunk)
        clock.stop("write_posts")
        print(clock.line("write_posts", n))
        store.conn.execute("ANALYZE")
        search = store.search_index
        assert isinstance(search, PgSearch) and search.positions == 2
        levels = {"words only (before)": 1, "stems' positions (after)": 2}
        for text in QUERIES:
            node = parse(text).root
            answers = {}
            for name, level in levels.items():
                search.positions = level
                answers[name] = (
                    [p.id for p in store.search(node, limit=50)],
                    store.count_matches(node),
                    sum(1 for _ in search._rows(node, "p.created_at DESC, p.pk DESC")),
                )
            first, second = answers.values()
            assert first[:2] == second[:2], text  # the same answers either way
            line = [f"{text!r}: {first[1]:,} matches; candidates read {first[2]:,} → {second[2]:,}"]
            for what, run in (
                ("search 50", lambda node=node: store.search(node, limit=50)),
                ("count", lambda node=node: store.count_matches(node)),
            ):
                walls: dict[str, list[float]] = {name: [] for name in levels}
                cpus: dict[str, float] = dict.fromkeys(levels, 0.0)
                for _ in range(runs):
                    for name, level in levels.items():  # alternated
                        search.positions = level
                        clock.start()
                        run()
                        walls[name].append(clock.stop(name))
                        cpus[name] += sum(clock.spent[name][1:])
                p95 = {k: statistics.quantiles(v, n=20)[-1] * 1000 for k, v in walls.items()}
                cpu = {k: v / runs * 1000 for k, v in cpus.items()}
                before, after = levels
                line.append(
                    f"  {what}: p95 {p95[before]:.1f} → {p95[after]:.1f} ms wall; CPU "
                    f"{cpu[before]:.1f} → {cpu[after]:.1f} ms ({cpu[before] / cpu[after]:.1f}x)"
                )
            print("\n".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20_000, help="posts for the cost")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--before", default="d042d93~1", help="commit of the former tsvector")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    name = f"veilleur_bench_{secrets.token_hex(4)}"
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{args.server}/{name}"
    print(f"load: {os.getloadavg()[0]:.1f} (2 cores)", flush=True)
    try:
        _cost(url, args.sample, args.before)
        _search(url, args.posts, args.runs)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        print(f"load: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
