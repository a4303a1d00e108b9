"""Where the bytes of a workspace go, and what the measured storage ideas would save
(issue 19: aim <= 0.5 GB per million posts with raw payloads kept).

    .venv/bin/python benchmarks/storage_bench.py --db WS/veilleur.sqlite

Reads the database (never writes it): the size of each table and index (``dbstat``); the
full-text index rebuilt from the posts' rows (``index_values``) under other FTS5 options
(prefix indexes, contentless or not, no column sizes) in a scratch database, with the CPU
seconds of each insert; the raw payloads compressed other ways (zlib levels, zstandard
with and without a dictionary trained on a sample of them).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

import orjson

from veilleur.store.codec import unpack_raw
from veilleur.store.search_sqlite import FTS_COLUMNS, index_values

VARIANTS = {
    "today (0013): prefix '3 4', contentless": "prefix = '3 4', content = ''",
    "0012: prefix '3 4', values stored": "prefix = '3 4'",
    "prefix '2 3 4', values stored": "prefix = '2 3 4'",
    "prefix '3', contentless": "prefix = '3', content = ''",
    "no prefix, contentless": "content = ''",
    "prefix '3 4', contentless, columnsize = 0": "prefix = '3 4', content = '', columnsize = 0",
}


def sizes(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for name, size in conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat(?) GROUP BY name", (schema,)
    ):
        found[name] += size
    return dict(found)


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=2000, help="Payloads to train zstd on.")
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    per_million = 1e6 / posts
    found = sizes(conn)
    total = sum(found.values())
    print(f"{posts:,} posts, {mb(total)} MB in pages, {mb(total * per_million)} MB per million\n")
    print("| object | MB | MB per million posts | share |\n|---|---:|---:|---:|")
    for name, size in sorted(found.items(), key=lambda kv: -kv[1]):
        if size > total / 200:
            print(f"| {name} | {mb(size)} | {mb(size * per_million)} | {size / total:.0%} |")
    fts_today = sum(
        v
        for k, v in found.items()
        if k.startswith("posts_fts") and not k.startswith(("posts_fts_key", "posts_fts_words"))
    )

    with tempfile.TemporaryDirectory() as scratch:
        conn.execute(f"ATTACH DATABASE '{Path(scratch) / 'v.sqlite'}' AS v")
        # The index's rows as the indexing path makes them (the table keeps no copy of
        # them since revision 0013), under each post's key.
        began = time.process_time()
        rows_list = sorted(
            (key, *index_values(text, title, lang))
            for key, text, title, lang in conn.execute(
                "SELECT k.key, p.text, p.title, p.lang FROM main.posts p "
                "JOIN main.posts_fts_key k ON k.pk = p.pk"
            )
        )
        analysed = time.process_time() - began
        print(f"\nrows made again from the posts: {analysed:.2f} CPU s")
        print("\n| posts_fts built with | MB | MB per million | vs today | insert CPU s |")
        print("|---|---:|---:|---:|---:|")
        for label, options in VARIANTS.items():
            conn.execute("DROP TABLE IF EXISTS v.f")
            extra = f", {options}" if options else ""
            conn.execute(
                f"CREATE VIRTUAL TABLE v.f USING fts5 ({', '.join(FTS_COLUMNS)}, "
                f"tokenize = 'ascii'{extra})"
            )
            began = time.process_time()
            conn.execute("BEGIN")
            conn.executemany(
                f"INSERT INTO v.f (rowid, {', '.join(FTS_COLUMNS)}) "
                f"VALUES (?{', ?' * len(FTS_COLUMNS)})",
                rows_list,
            )
            conn.execute("COMMIT")
            cpu = time.process_time() - began
            size = sum(v for k, v in sizes(conn, "v").items() if k.startswith("f"))
            print(
                f"| {label} | {mb(size)} | {mb(size * per_million)} | "
                f"{size / fts_today:.2f} | {cpu:.2f} |"
            )
        conn.execute("DETACH DATABASE v")

    blobs = [b for (b,) in conn.execute("SELECT raw FROM posts WHERE raw IS NOT NULL")]
    if not blobs:
        print("\nno raw payloads")
        return
    payloads = [orjson.dumps(unpack_raw(b)) for b in blobs]
    stored = sum(len(b) for b in blobs)
    print(f"\nraw payloads: {len(blobs):,}, stored today {mb(stored)} MB (plain < 512 bytes,")
    print(f"zlib level 1 above), JSON {mb(sum(map(len, payloads)))} MB\n")
    print("| raw compressed with | MB | MB per million posts | CPU s to compress |")
    print("|---|---:|---:|---:|")
    print(f"| today | {mb(stored)} | {mb(stored * per_million)} | |")
    for level in (1, 6, 9):
        began = time.process_time()
        size = sum(len(zlib.compress(p, level)) + 1 for p in payloads)
        cpu = time.process_time() - began
        print(
            f"| zlib {level}, every payload | {mb(size)} | {mb(size * per_million)} | {cpu:.2f} |"
        )
    try:
        import zstandard
    except ImportError:
        print("(zstandard not installed)")
        return
    plain = zstandard.ZstdCompressor(level=3)
    began = time.process_time()
    size = sum(len(plain.compress(p)) + 1 for p in payloads)
    cpu = time.process_time() - began
    print(f"| zstd 3, every payload | {mb(size)} | {mb(size * per_million)} | {cpu:.2f} |")
    step = max(1, len(payloads) // args.sample)
    samples: list[bytes | bytearray | memoryview] = list(payloads[::step])  # the stub's type
    trained = zstandard.train_dictionary(16384, samples)
    for level in (3, 9):
        with_dict = zstandard.ZstdCompressor(level=level, dict_data=trained)
        began = time.process_time()
        size = sum(len(with_dict.compress(p)) + 1 for p in payloads)
        cpu = time.process_time() - began
        print(
            f"| zstd {level} + 16 kB dictionary trained on {len(payloads[::step]):,} | "
            f"{mb(size)} | {mb(size * per_million)} | {cpu:.2f} |"
        )


if __name__ == "__main__":
    main()
