"""What the pairs of words cost PostgreSQL at ingest and in size (issue 17): the same
generated posts written through the store with pairs for words of at most N characters
(``pgterms.SHORT``; 0: no pairs), each N in a new database, alternated as given:

    .venv/bin/python benchmarks/pg_pairs_bench.py 0 2 3 0 2 3

Prints PostgreSQL's CPU a post (its backend, from ``/proc``), the importing process's, and
the search table's size per million posts (not compacted: the GIN's pending list counts).
Writes 20,000 posts first, then measures 60,000. Creates and drops its databases.
Figures in benchmarks/README.md ("PostgreSQL on a quiet machine … ninth session").
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg

from pg_bench import _stream
from veilleur.model import Post
from veilleur.store import pgterms
from veilleur.store.postgres import PostgresStore

SERVER = "postgresql://postgres@127.0.0.1:5432"
WARM, MEASURED, BATCH = 20_000, 60_000, 2_000


def one(short: int, posts: list[Post]) -> str:
    pgterms.SHORT = short
    name = "veilleur_pairs_" + secrets.token_hex(4)
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with PostgresStore(f"{SERVER}/{name}") as store:
                raw = store.pg.raw
                row = raw.execute("SELECT pg_backend_pid()").fetchone()
                assert row is not None
                stat = Path(f"/proc/{row[0]}/stat")

                def server() -> float:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

                for i in range(0, WARM, BATCH):
                    store.write_posts(posts[i : i + BATCH])
                s0, p0 = server(), time.process_time()
                for i in range(WARM, WARM + MEASURED, BATCH):
                    store.write_posts(posts[i : i + BATCH])
                s1, p1 = server(), time.process_time()
                raw.execute("COMMIT")
                size = raw.execute("SELECT pg_total_relation_size('posts_search')").fetchone()
                assert size is not None
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    per_million = int(size[0]) / 2**20 / (WARM + MEASURED) * 1e6
    return (
        f"pairs of words of <= {short} characters: PostgreSQL {(s1 - s0) / MEASURED * 1e6:.1f}"
        f" us a post, this process {(p1 - p0) / MEASURED * 1e6:.1f}; search table "
        f"{per_million:.0f} MiB per million posts"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("short", type=int, nargs="+", help="pgterms.SHORT values, in order")
    args = parser.parse_args()
    posts = list(itertools.islice(_stream(WARM + MEASURED), WARM + MEASURED))
    for short in args.short:
        print(one(short, posts), flush=True)


if __name__ == "__main__":
    main()
