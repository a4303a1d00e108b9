"""Newest-first search on PostgreSQL at 300,000 and 1,000,000 posts (issue 17, helper
``pgsearch``): p95 per query kind, this tree's code against another's (main's, from a
``git archive`` of its ``src`` put first on ``PYTHONPATH``) in the same run, alternated
query by query, and the hand-written ``tsquery`` of each kind.

Loading a million posts through the store takes 15–30 minutes on the shared machine, so the
databases are kept and reused (named by ``--db``; nothing is dropped by this script):

    # the code to compare with:
    mkdir -p /tmp/main_src && git archive main src | tar -x -C /tmp/main_src
    # once: load (resumes where it stopped; a copy named DB_300k is made at 300,000 posts)
    PYTHONPATH=/tmp/main_src/src .venv/bin/python benchmarks/pg_search_bench.py load \\
        --db pgsearch_1m --posts 1000000 --snapshot 300000
    # then, as often as needed:
    .venv/bin/python benchmarks/pg_search_bench.py measure --db pgsearch_1m_300k \\
        --before /tmp/main_src/src --runs 15
    # when done (measure made DB_after, a copy the code after upgrades):
    for d in pgsearch_1m pgsearch_1m_after pgsearch_1m_300k pgsearch_1m_300k_after; do
        psql -h 127.0.0.1 -U postgres -c "DROP DATABASE $d" postgres; done

Each side runs in a process of its own (``worker``): the code before on ``DB`` (at the
revision it knows), this tree's on ``DB_after``, a copy of it made by the first ``measure``
(same posts; opened, it gets this tree's revisions, pg0002's index); the hand-written SQL
runs on ``DB_after``. CPU = the process + its PostgreSQL backend (``/proc``, 10 ms ticks).
Load with the code before (``PYTHONPATH=/tmp/main_src/src``) when it knows fewer revisions
than this tree: ``DB`` must stay at a revision it knows. Figures in benchmarks/README.md
("PostgreSQL search on a million posts, eighth session").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVER = "postgresql://postgres@127.0.0.1:5432"

HIRING_NEAR = " | ".join(
    [f"'en:hire' <{d}> 'en:team'" for d in range(1, 5)]
    + [f"'en:team' <{d}> 'en:hire'" for d in range(1, 5)]
)
STAGE_NEAR = " | ".join(
    [f"'w:stage' <{d}> 'w:alternance'" for d in range(1, 4)]
    + [f"'w:alternance' <{d}> 'w:stage'" for d in range(1, 4)]
)
KINDS: list[tuple[str, str, str | None]] = [
    # (kind, query, hand-written tsquery: None = the metadata in plain SQL)
    ("word", "emploi", "'fr:emploi'"),
    ("two words", "recrutement lyon", "'fr:recrut' & 'fr:lyon'"),
    ("entity OR word", "#emploi OR salon", "'tags:emploi' | 'fr:salon'"),
    ("prefix", "recrut*", "'w:recrut':*"),
    ("phrase", '"salon de l\'emploi"', "'w:salon' <-> 'w:de' <-> 'w:l''' <-> 'w:emploi'"),
    ("metadata", "network:mastodon since:2025-06-01 min_likes:400", None),
    ("NEAR", "hiring NEAR/3 team", HIRING_NEAR),
    ("NEAR (phrase~2)", '"stage alternance"~2', STAGE_NEAR),
]


# -- loading ------------------------------------------------------------------------------


def load(db: str, n: int, snapshot: int) -> None:
    """Posts ``corpus.posts(n)`` into ``db`` through ``write_posts`` (batches of 2,000),
    resuming after the posts already there (the stream is the same for any ``n``)."""
    import psycopg

    sys.path.insert(0, str(HERE))
    from pg_bench import _stream
    from veilleur.store.postgres import PostgresStore

    admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True)
    if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone() is None:
        admin.execute(f'CREATE DATABASE "{db}"')
    url = f"{SERVER}/{db}"
    t0 = time.perf_counter()

    def fill(upto: int) -> None:
        with PostgresStore(url) as store:
            present = int(store.conn.execute("SELECT count(*) FROM posts").fetchone()[0])
            print(f"{db}: {present:,} posts present, loading to {upto:,}", flush=True)
            chunk = []
            for i, post in enumerate(_stream(upto)):
                if i < present:
                    continue
                chunk.append(post)
                if len(chunk) == 2000:
                    store.write_posts(chunk)
                    chunk = []
                    if (i + 1) % 50_000 == 0:
                        print(f"  {i + 1:,} posts, {time.perf_counter() - t0:.0f} s", flush=True)
            if chunk:
                store.write_posts(chunk)
            store.conn.execute("VACUUM ANALYZE posts")
            store.conn.execute("VACUUM ANALYZE posts_search")

    if snapshot and snapshot < n:
        fill(snapshot)
        copy = f"{db}_{snapshot // 1000}k"
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (copy,)).fetchone():
            print(f"{copy} exists: kept")
        else:
            admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{db}"')
            print(f"{copy}: a copy at {snapshot:,} posts", flush=True)
    fill(n)
    admin.close()
    print(f"done in {time.perf_counter() - t0:.0f} s")


# -- one side ----------------------------------------------------------------------------


def worker(url: str) -> None:
    """Answer the driver's lines (JSON: kind, query, hand) one at a time with the wall and
    CPU times of one search (50 newest) or of the hand-written SQL."""
    import veilleur
    from veilleur.query import parse
    from veilleur.store.postgres import PostgresStore

    with PostgresStore(url, readonly=True) as store:
        pid = store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        stat = Path(f"/proc/{pid}/stat")

        def server() -> float:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        print(json.dumps({"ready": str(Path(veilleur.__file__).parent)}), flush=True)
        for line in sys.stdin:
            ask = json.loads(line)
            t0, c0, s0 = time.perf_counter(), time.process_time(), server()
            steps: Any = None
            if ask["hand"] is None:
                node = parse(ask["query"]).root
                ids = [p.id for p in store.search(node, limit=50)]
                steps = getattr(store.search_index, "stats", None)
            elif ask["hand"] == "":
                ids = [
                    str(r[0])
                    for r in store.conn.execute(
                        "SELECT p.id FROM posts p WHERE p.network = 'mastodon' "
                        "AND p.created_at >= '2025-06-01' AND p.likes >= 400 "
                        "ORDER BY p.created_at DESC LIMIT 50"
                    ).fetchall()
                ]
            else:
                ids = [
                    str(r[0])
                    for r in store.conn.execute(
                        "SELECT p.id FROM posts p JOIN posts_search s ON s.pk = p.pk "
                        "WHERE s.terms @@ ?::tsquery ORDER BY p.created_at DESC LIMIT 50",
                        (ask["hand"],),
                    ).fetchall()
                ]
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0 + server() - s0
            print(json.dumps({"wall": wall, "cpu": cpu, "ids": ids, "steps": steps}), flush=True)


class Side:
    def __init__(self, url: str, src: str | None) -> None:
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = src
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "worker", "--url", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.code = self._read()["ready"]

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        return dict(json.loads(self.proc.stdout.readline()))

    def ask(self, query: str, hand: str | None) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"query": query, "hand": hand}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def twin(db: str) -> str:
    """``DB_after``: a copy of ``db`` (same posts, same server), which this tree's code
    upgrades to its revision when it opens it, while ``db`` stays at the one the code
    before knows (it refuses a database at a revision it does not know). When this tree's
    index holds more than the copy's (``search.pg_positions``), the copy is reindexed, as
    ``veilleur reindex`` does (timed), then both search tables are compacted (``VACUUM
    FULL``: the reindex left every old row dead) and their sizes printed."""
    import psycopg

    from veilleur.store.pgterms import POSITIONS, POSITIONS_SETTING, positions_level
    from veilleur.store.postgres import PostgresStore

    name = f"{db}_after"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{db}"')
    with PostgresStore(f"{SERVER}/{name}") as store:
        level = positions_level(store.get_setting(POSITIONS_SETTING))
    if level < POSITIONS:
        t0, c0 = time.perf_counter(), time.process_time()
        with PostgresStore(f"{SERVER}/{name}") as store:
            count = store.reindex_search()
        print(
            f"{name}: reindexed to level {POSITIONS} (was {level}): {count:,} posts in "
            f"{time.perf_counter() - t0:.0f} s ({time.process_time() - c0:.0f} CPU s here)",
            flush=True,
        )
        for each in (db, name):
            with psycopg.connect(f"{SERVER}/{each}", autocommit=True) as conn:
                conn.execute("VACUUM FULL posts_search")
                conn.execute("ANALYZE posts_search")
                sizes = conn.execute(
                    "SELECT pg_relation_size('posts_search'), "
                    "pg_total_relation_size('posts_search') - pg_relation_size('posts_search'), "
                    "pg_indexes_size('posts_search'), pg_total_relation_size('posts')"
                ).fetchone()
            assert sizes is not None
            table, toast_and_indexes, indexes, posts = (int(v) / 2**20 for v in sizes)
            print(
                f"  {each}: posts_search {table:.0f} MiB + TOAST {toast_and_indexes - indexes:.0f}"
                f" MiB + indexes (GIN, pk) {indexes:.0f} MiB = "
                f"{table + toast_and_indexes:.0f} MiB; posts {posts:.0f} MiB",
                flush=True,
            )
    return name


def measure(db: str, before: str, runs: int) -> None:
    import psycopg

    url = f"{SERVER}/{db}"
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM posts").fetchone()
        assert row is not None
        posts = row[0]
    after_url = f"{SERVER}/{twin(db)}"
    print(
        f"{db}: {posts:,} posts; load {os.getloadavg()[0]:.1f} (2 cores), "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC",
        flush=True,
    )
    sides = {"before": Side(url, before), "after": Side(after_url, None)}
    for name, side in sides.items():
        print(f"  {name}: {side.code}")
    print("| kind | query | before: p95 / CPU | after | hand-written tsquery | after's steps |")
    print("|---|---|---:|---:|---:|---|")
    try:
        for kind, query, hand in KINDS:
            walls: dict[str, list[float]] = {"before": [], "after": [], "hand": []}
            cpus: dict[str, list[float]] = {"before": [], "after": [], "hand": []}
            answers: dict[str, list[str]] = {}
            steps = None
            for _ in range(runs):
                for name in ("before", "after", "hand"):
                    side = sides["after" if name == "hand" else name]
                    got = side.ask(query, (hand or "") if name == "hand" else None)
                    walls[name].append(got["wall"] * 1000)
                    cpus[name].append(got["cpu"] * 1000)
                    answers[name] = got["ids"]
                    if name == "after":
                        steps = got["steps"]
            assert answers["before"] == answers["after"], query
            cells = [
                f"{statistics.quantiles(walls[k], n=20)[-1]:.1f} / "
                f"{statistics.mean(cpus[k]):.1f} ms"
                for k in ("before", "after", "hand")
            ]
            shown = ", ".join(
                f"{s[0]} {s[1]}→{s[2]}" if s[0] == "walk" else s[0] for s in steps or []
            )
            print(f"| {kind} | `{query}` | {' | '.join(cells)} | {shown} |", flush=True)
    finally:
        for side in sides.values():
            side.close()
    print(f"load {os.getloadavg()[0]:.1f} (2 cores), {time.strftime('%H:%M', time.gmtime())} UTC")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["load", "measure", "worker"])
    parser.add_argument("--db", default="pgsearch_1m")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--snapshot", type=int, default=300_000)
    parser.add_argument("--before", default="/tmp/main_src/src", help="src of the code before")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    if args.action == "load":
        load(args.db, args.posts, args.snapshot)
    elif args.action == "measure":
        measure(args.db, args.before, args.runs)
    else:
        worker(args.url)


if __name__ == "__main__":
    main()
