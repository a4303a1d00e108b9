"""The PostgreSQL store (issue 17): ingest posts/s against a bare COPY of the same rows in
the same run, size per million posts, and search p95 against a hand-written tsquery.

    .venv/bin/python benchmarks/pg_bench.py [--posts 50000] [--server postgresql://postgres@127.0.0.1:5432]
    .venv/bin/python benchmarks/pg_bench.py --imports 50000 --workers 0,1,0,1

``--imports N``: ``import jsonl`` of N generated posts (the runner, as the command does)
once per value of ``import.analysis_workers``, alternated, each into a new database: wall
posts/s, CPU of the importing process, of its analysis workers and of its PostgreSQL
backend; each beside two bare ``COPY`` in the same run (ratios): of the same ``posts``
rows alone, and of every row the import writes (``posts`` and their ``posts_search`` rows,
the ``tsvector`` computed beforehand, the same schema and GIN index).
``--batch B``: posts per batch of the import (default: the runner's).

Creates its own database (veilleur_bench_<random>) and drops it. Figures in
benchmarks/README.md ("The PostgreSQL store").
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg

from corpus import posts
from veilleur.model import Post
from veilleur.query import parse
from veilleur.store.codec import POST_COLUMNS, post_to_row
from veilleur.store.languages import settle_language
from veilleur.store.pgterms import terms_of
from veilleur.store.postgres import PostgresStore
from veilleur.store.sqlite import SQLiteStore

QUERIES = [
    "emploi",
    "recrutement lyon",
    "#emploi OR salon",
    "recrut*",
    '"salon de l\'emploi"',
    "network:mastodon since:2025-06-01 min_likes:400",
]
HAND = ["'fr:emploi'", "'fr:recrut' & 'fr:lyon'", "'tags:emploi' | 'fr:salon'", "'w:recrut':*"]


def _posts(n: int) -> list[Post]:
    return list(_stream(n))


def _stream(n: int) -> Iterator[Post]:
    for r in posts(n):
        yield (
            Post(
                network=str(r["network"]),
                id=str(r["id"]),
                author=str(r["author"]),
                text=str(r["text"]),
                created_at=datetime.fromisoformat(str(r["created_at"]).replace("Z", "+00:00")),
                lang=str(r["lang"]),
                likes=int(r["likes"]),  # type: ignore[call-overload]
                reposts=int(r["reposts"]),  # type: ignore[call-overload]
            )
        )


class Clock:
    """Wall time, this process's CPU time and the store's server process's CPU time (its
    backend on this machine, read from /proc): CPU seconds move much less than wall time
    with the load of a shared machine."""

    def __init__(self, store: PostgresStore) -> None:
        pid = store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.stat = Path(f"/proc/{pid}/stat")
        self.spent: dict[str, tuple[float, float, float]] = {}

    def _server(self) -> float:
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        self.t0 = (time.perf_counter(), time.process_time(), self._server())

    def stop(self, name: str) -> float:
        wall, client, server = time.perf_counter(), time.process_time(), self._server()
        self.spent[name] = (wall - self.t0[0], client - self.t0[1], server - self.t0[2])
        return self.spent[name][0]

    def line(self, name: str, n: int) -> str:
        wall, client, server = (v / n * 1e6 for v in self.spent[name])
        return (
            f"{name}: {n / self.spent[name][0]:,.0f} posts/s; per post {wall:.0f} us wall, "
            f"CPU {client:.0f} us here + {server:.0f} us in PostgreSQL = {client + server:.0f} us"
        )


def _search_timings(store: PostgresStore) -> None:
    timings: dict[str, list[float]] = {}
    for text in QUERIES:
        node = parse(text).root
        for _ in range(20):
            t0 = time.perf_counter()
            store.search(node, limit=50)
            timings.setdefault(text, []).append(time.perf_counter() - t0)
    hand: list[float] = []
    for q in HAND:
        for _ in range(20):
            t0 = time.perf_counter()
            store.conn.execute(
                "SELECT p.pk FROM posts p JOIN posts_search s ON s.pk = p.pk "
                "WHERE s.terms @@ ?::tsquery ORDER BY p.created_at DESC LIMIT 50",
                (q,),
            ).fetchall()
            hand.append(time.perf_counter() - t0)
    for text, values in timings.items():
        p95 = statistics.quantiles(values, n=20)[-1] * 1000
        print(f"search {text!r}: p95 {p95:.1f} ms")
    print(f"hand-written tsquery: p95 {statistics.quantiles(hand, n=20)[-1] * 1000:.1f} ms")


def large(url: str, n: int) -> None:
    """``--large N``: N posts through write_posts (batches of 2,000, as ``import`` writes
    them, generated as they go: no list of N posts in memory), then the searches."""
    with PostgresStore(url) as store:
        store.write_posts(_posts(10))
        clock = Clock(store)
        clock.start()
        chunk: list[Post] = []
        done = 0
        for post in _stream(n):
            chunk.append(post)
            if len(chunk) == 2000:
                store.write_posts(chunk)
                done += len(chunk)
                chunk = []
                if done % 100_000 == 0:
                    print(
                        f"  {done:,} posts, {time.perf_counter() - clock.t0[0]:.0f} s", flush=True
                    )
        if chunk:
            store.write_posts(chunk)
        clock.stop("write_posts")
        print(f"posts: {n:,}")
        print(clock.line("write_posts", n))
        size = store.conn.execute(
            "SELECT pg_total_relation_size('posts') + pg_total_relation_size('posts_search')"
        ).fetchone()[0]
        print(f"size: {size / 2**20:.1f} MiB, {size / n * 1e6 / 2**30:.2f} GiB per million posts")
        store.conn.execute("ANALYZE")
        _search_timings(store)


def _bare_copy(
    url: str, rows: list[tuple[object, ...]], terms: list[str] | None = None
) -> tuple[float, float, float]:
    """Wall, client CPU and server CPU seconds of one bare ``COPY`` of ``rows`` into
    ``posts`` (no conflict check), in one transaction. With ``terms``, of every row the
    import writes: the rows with their keys, then their ``tsvector`` (as the import computes
    it) into ``posts_search``, the same schema and GIN index — what PostgreSQL itself must do
    to hold these posts searchable, without the analysis, the conflict check and the
    staging the import adds."""
    keyed = terms is not None
    columns = ", ".join(("pk", *POST_COLUMNS) if keyed else POST_COLUMNS)
    with PostgresStore(url) as store:
        clock = Clock(store)
        clock.start()
        with store.transaction():
            cursor = store.pg.raw.cursor()
            with cursor.copy(f"COPY posts ({columns}) FROM STDIN") as copy:
                for pk, row in enumerate(rows, 1):
                    copy.write_row((pk, *row) if keyed else row)
            if terms is not None:
                with cursor.copy("COPY posts_search (pk, terms) FROM STDIN") as copy:
                    for pk, text in enumerate(terms, 1):
                        copy.write_row((pk, text))
        clock.stop("COPY")
        return clock.spent["COPY"]


def imports(server: str, n: int, workers: list[int], batch: int) -> None:
    """``--imports N``: the import runner with 0, 1, 2… analysis workers, each run beside a
    bare ``COPY`` of the same rows into a database of its own (the baseline of the aim:
    within 4x of it): of the ``posts`` rows alone, and of every row the import writes
    (``posts`` and ``posts_search``, GIN index included)."""
    import resource

    from corpus import write_jsonl
    from veilleur.imports import Analysis, ImportSummary, import_file, read_jsonl

    admin = psycopg.connect(f"{server}/postgres", autocommit=True)
    print(f"load average at the start: {os.getloadavg()[0]:.1f}; batches of {batch:,} posts")
    print(
        "| posts | workers | posts/s | CPU us/post: importing process | worker(s) | PostgreSQL "
        "| all | COPY posts/s | wall / COPY | CPU / COPY "
        "| COPY all rows posts/s | wall / COPY all | CPU / COPY all | load |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        src = write_jsonl(Path(folder) / "posts.jsonl", n)
        # The rows the import writes: the file's posts, read as it reads them, languages
        # settled (collected_at aside: the import's own clock).
        rows = []
        terms = []
        for post in read_jsonl(src):
            assert isinstance(post, Post)
            settle_language(post)
            rows.append(post_to_row(post))
            terms.append(terms_of(post.text, post.title, post.lang))
        for count in workers:
            names = [f"veilleur_bench_{secrets.token_hex(4)}" for _ in range(3)]
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                copy_wall, copy_client, copy_server = _bare_copy(f"{server}/{names[1]}", rows)
                all_wall, all_client, all_server = _bare_copy(f"{server}/{names[2]}", rows, terms)
                with PostgresStore(f"{server}/{names[0]}") as store:
                    clock = Clock(store)
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    summary = ImportSummary()
                    clock.start()
                    with Analysis(store, count) as analysis:
                        import_file(
                            store, src, read_jsonl, summary, analysis=analysis, batch_size=batch
                        )
                    wall = clock.stop("import")
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    assert summary.new == n, summary
                    worker = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                    _, client, server_cpu = clock.spent["import"]  # client: this process
                    per = [v / n * 1e6 for v in (client, worker, server_cpu)]
                    cpu_ratio = (client + worker + server_cpu) / (copy_client + copy_server)
                    all_ratio = (client + worker + server_cpu) / (all_client + all_server)
                    print(
                        f"| {n:,} | {count} | {n / wall:,.0f} | {per[0]:.0f} | {per[1]:.0f} "
                        f"| {per[2]:.0f} | {sum(per):.0f} | {n / copy_wall:,.0f} "
                        f"| {wall / copy_wall:.1f}x | {cpu_ratio:.1f}x | {n / all_wall:,.0f} "
                        f"| {wall / all_wall:.1f}x | {all_ratio:.1f}x "
                        f"| {os.getloadavg()[0]:.1f} |",
                        flush=True,
                    )
            finally:
                for name in names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--large", type=int, default=0, help="only ingest N posts, then search")
    parser.add_argument("--imports", type=int, default=0, help="import jsonl of N posts")
    parser.add_argument("--workers", default="0,1", help="values of import.analysis_workers")
    parser.add_argument("--batch", type=int, default=0, help="--imports: posts per batch")
    args = parser.parse_args()
    if args.imports:
        from veilleur.imports.runner import BATCH_SIZE

        batch = args.batch or BATCH_SIZE
        imports(args.server, args.imports, [int(w) for w in args.workers.split(",")], batch)
        return
    name = f"veilleur_bench_{secrets.token_hex(4)}"
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{args.server}/{name}"
    try:
        if args.large:
            large(url, args.large)
            return
        batch = _posts(args.posts)
        rows = [post_to_row(p) for p in batch]
        # The same posts into SQLite in the same run (the language model is loaded by a
        # first small write, outside every timing).
        with (
            tempfile.TemporaryDirectory() as folder,
            SQLiteStore(Path(folder) / "b.sqlite") as lite,
        ):
            lite.write_posts(_posts(10))
            t0 = time.perf_counter()
            for start in range(0, len(batch), 1000):
                lite.write_posts(batch[start : start + 1000])
            sqlite_s = time.perf_counter() - t0
        batch = _posts(args.posts)
        with PostgresStore(url) as store:
            # Bare COPY of the same rows (no search index, no checks), then emptied.
            clock = Clock(store)
            clock.start()
            with (
                store.transaction(),
                store.pg.raw.cursor().copy(
                    f"COPY posts ({', '.join(POST_COLUMNS)}) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            copy_s = clock.stop("COPY")
            with store.transaction() as tx:
                tx.execute("TRUNCATE posts CASCADE")
            clock.start()
            for start in range(0, len(batch), 1000):
                store.write_posts(batch[start : start + 1000])
            ingest_s = clock.stop("write_posts")
            # The same posts again: all known (an import run twice, a feed read again).
            again = _posts(args.posts)
            clock.start()
            for start in range(0, len(again), 1000):
                store.write_posts(again[start : start + 1000])
            again_s = clock.stop("write_posts again (all known)")
        # The Python half alone, same posts: the language and the tsvector of each post
        # (what COPY does not do), to tell it from PostgreSQL's half.
        analysed = _posts(args.posts)
        t0 = time.perf_counter()
        for post in analysed:
            settle_language(post)
            terms_of(post.text, post.title, post.lang)
        analysis_s = time.perf_counter() - t0
        with PostgresStore(url) as store:
            size = store.conn.execute(
                "SELECT pg_total_relation_size('posts') + pg_total_relation_size('posts_search')"
            ).fetchone()[0]
            _search_timings(store)
        n = len(batch)
        print(f"posts: {n:,}")
        for name in clock.spent:
            print(clock.line(name, n))
        cpu = {k: v[1] + v[2] for k, v in clock.spent.items()}
        print(f"CPU ratio write_posts / COPY: {cpu['write_posts'] / cpu['COPY']:.1f}x")
        print(
            f"COPY: {n / copy_s:,.0f} posts/s; PostgresStore.write_posts: {n / ingest_s:,.0f} "
            f"posts/s ({ingest_s / copy_s:.1f}x COPY's time); SQLiteStore.write_posts: "
            f"{n / sqlite_s:,.0f} posts/s"
        )
        print(
            f"again, all known: {n / again_s:,.0f} posts/s; the Python analysis alone "
            f"(language + tsvector): {n / analysis_s:,.0f} posts/s "
            f"({analysis_s / ingest_s:.0%} of write_posts' time)"
        )
        print(f"size: {size / 2**20:.1f} MiB, {size / n * 1e6 / 2**30:.2f} GiB per million posts")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
