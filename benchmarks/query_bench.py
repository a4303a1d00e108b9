"""Query language speed: 20 fixed queries on N synthetic posts vs hand-written FTS5, and
the in-memory matcher's rate.

    .venv/bin/python benchmarks/query_bench.py --posts 1000000 [--db PATH] [--runs 7]

The database is generated once (seeded; French and English words drawn with their real
frequencies from pyspellchecker's word lists, realistic lengths, hashtags, mentions, links,
titles, counts) and kept at ``--db`` for the next runs. It holds veilleur's own index and,
for the baseline, a plain FTS5 table over the raw text (``unicode61 remove_diacritics 2``):
the index anyone would write by hand. For each query, veilleur's time (parse + compile +
run, first 100 posts newest first) and the time of the equivalent hand-written FTS5 query
(same columns, same order, same limit) are measured in the same run, alternately.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import spellchecker

from veilleur.model import Post
from veilleur.query import parse
from veilleur.query.analysis import analyze
from veilleur.store import SQLiteStore
from veilleur.store.codec import SELECT_POST

# (veilleur query, hand-written FTS5 MATCH over plain_fts or None, extra SQL condition)
QUERIES: list[tuple[str, str | None, str]] = [
    ("emploi", "emploi", ""),
    ("recrutement", "recrutement", ""),
    ("recrutement OR embauche", "recrutement OR embauche", ""),
    ('"intelligence artificielle"', '"intelligence artificielle"', ""),
    ("recrut*", "recrut*", ""),
    ("organi?ation", "organisation OR organization", ""),
    ("emploi NEAR/5 jeunes", "NEAR(emploi jeunes, 5)", ""),
    ('"mise en place"', '"mise en place"', ""),
    ("#emploi", "emploi", ""),
    ("site:lemonde.fr", '"lemonde fr"', ""),
    ("emploi lang:fr since:2024-06-01", "emploi",
     "p.lang = 'fr' AND p.created_at >= '2024-06-01T00:00:00Z'"),
    ("(data OR données) -stage", "(data OR donnees) NOT stage", ""),
    ("author:user42", None, "p.author = 'user42'"),
    ("network:mastodon politique", "politique", "p.network = 'mastodon'"),
    ("title:économie", "{title}: economie", ""),
    ("energy NEAR/3 climate", "NEAR(energy climate, 3)", ""),
    ("@user7", '"user7"', ""),
    ("has:link recrutement", "recrutement AND (https OR http)", ""),
    ("marché until:2023-03-01", "marche", "p.created_at < '2023-03-01T00:00:00Z'"),
    ("government (policy OR budget) -tax", "government AND (policy OR budget) NOT tax", ""),
]  # fmt: skip
MATCHER_QUERY = (
    "(emploi OR recrutement OR embauche OR stage OR alternance) "
    "(lyon OR paris OR marseille OR toulouse OR lille)"
)
DOMAINS = [
    "www.lemonde.fr", "lemonde.fr", "emploi.lemonde.fr", "www.lefigaro.fr", "blog.example.com",
    "www.bbc.co.uk", "www.nytimes.com", "medium.com", "github.com", "www.linkedin.com",
    *(f"exemple{k}.fr" for k in range(90)),
]  # fmt: skip
NETWORKS = ["x", "mastodon", "bluesky", "linkedin", "rss", "facebook"]
COLUMNS = SELECT_POST.removeprefix("SELECT ").removesuffix(" FROM posts p")


def _vocabulary(lang: str, size: int = 20000) -> tuple[list[str], np.ndarray]:
    path = Path(spellchecker.__file__).parent / "resources" / f"{lang}.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        counts: dict[str, int] = json.load(f)
    words = [
        (w, c) for w, c in counts.items() if (w.isalpha() and len(w) > 1) or w in ("a", "à", "y")
    ]
    words.sort(key=lambda wc: -wc[1])
    words = words[:size]
    freq = np.array([c for _, c in words], dtype=float)
    return [w for w, _ in words], freq / freq.sum()


def synthetic_posts(n: int, seed: int = 1234) -> Iterator[Post]:
    """N seeded posts: 60 % French, 35 % English, 5 % unknown language."""
    rng = np.random.default_rng(seed)
    vocab = {lang: _vocabulary(lang) for lang in ("fr", "en")}
    tags = {lang: vocab[lang][0][100:400] for lang in vocab}
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=3 * 365).total_seconds())
    chunk = 10000
    for base in range(0, n, chunk):
        m = min(chunk, n - base)
        langs = rng.choice(["fr", "en", "und"], size=m, p=[0.6, 0.35, 0.05])
        lengths = np.clip(rng.lognormal(np.log(20), 0.6, size=m), 3, 80).astype(int)
        seconds = rng.integers(0, span, size=m)
        extras = rng.random((m, 6))
        for i in range(m):
            lang = str(langs[i])
            source = "fr" if lang == "und" and extras[i, 5] < 0.5 else lang
            source = "en" if source == "und" else source
            words, probs = vocab[source]
            picked = rng.choice(len(words), size=int(lengths[i]), p=probs)
            tokens = [words[j] for j in picked]
            tokens[0] = tokens[0].capitalize()
            if extras[i, 0] < 0.15:
                tokens.append("#" + tags[source][int(extras[i, 5] * 300)].capitalize())
            if extras[i, 1] < 0.10:
                tokens.insert(0, f"@user{int(extras[i, 4] * 500)}")
            if extras[i, 2] < 0.20:
                domain = DOMAINS[int(extras[i, 4] * len(DOMAINS))]
                tokens.append(f"https://{domain}/{tokens[-1].lower()}/{base + i}")
            network = NETWORKS[int(extras[i, 3] * len(NETWORKS))]
            title = None
            if network == "rss":
                title = " ".join(words[j] for j in rng.choice(len(words), size=7, p=probs))
            yield Post(
                id=str(base + i),
                network=network,
                author=f"user{int(rng.zipf(1.3)) % 5000}",
                text=" ".join(tokens) + ".",
                title=title,
                created_at=start + timedelta(seconds=int(seconds[i])),
                lang=None if lang == "und" else lang,
                likes=int(rng.geometric(0.2)) - 1,
                reposts=int(rng.geometric(0.5)) - 1,
                replies=int(rng.geometric(0.6)) - 1,
            )


def build(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    began = time.perf_counter()
    with SQLiteStore(tmp) as store:
        batch: list[Post] = []
        done = 0
        for post in synthetic_posts(n):
            batch.append(post)
            if len(batch) == 5000:
                store.write_posts(batch)
                done += len(batch)
                batch = []
                if done % 100000 == 0:
                    rate = done / (time.perf_counter() - began)
                    print(f"  {done:,} posts written ({rate:,.0f} posts/s)", file=sys.stderr)
        if batch:
            store.write_posts(batch)
        indexed = time.perf_counter() - began
        store.conn.execute(
            "CREATE VIRTUAL TABLE plain_fts USING fts5 (text, title, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        store.conn.execute(
            "INSERT INTO plain_fts (rowid, text, title) SELECT pk, text, coalesce(title, '') "
            "FROM posts"
        )
        store.conn.execute("ANALYZE")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    print(
        f"built {n:,} posts in {time.perf_counter() - began:.0f} s "
        f"(generation + write + veilleur index: {n / indexed:,.0f} posts/s)",
        file=sys.stderr,
    )


def _timed(
    conn_execute: Callable[[str, list[Any]], sqlite3.Cursor], sql: str, params: list[Any]
) -> tuple[float, int]:
    began = time.perf_counter()
    rows = conn_execute(sql, params).fetchall()
    return time.perf_counter() - began, len(rows)


def bench_queries(store: SQLiteStore, runs: int) -> None:
    execute = store.conn.execute
    ours_all: list[float] = []
    base_all: list[float] = []
    print("| query | posts | veilleur p50 ms | hand FTS5 p50 ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for text, match, extra in QUERIES:
        base_sql = f"SELECT {COLUMNS} FROM posts p"
        params: list[object] = []
        where = []
        if match is not None:
            base_sql += " JOIN plain_fts ON plain_fts.rowid = p.pk"
            where.append("plain_fts MATCH ?")
            params.append(match)
        if extra:
            where.append(extra)
        if where:
            base_sql += " WHERE " + " AND ".join(where)
        base_sql += " ORDER BY p.created_at DESC, p.pk DESC LIMIT 100"
        ours: list[float] = []
        base: list[float] = []
        count = 0
        for run in range(runs + 1):
            began = time.perf_counter()
            sql, qparams = store.compile(parse(text).root, limit=100)
            compile_time = time.perf_counter() - began
            elapsed, count = _timed(execute, sql, qparams)
            b_elapsed, _ = _timed(execute, base_sql, params)
            if run:  # the first run warms the page cache
                ours.append(compile_time + elapsed)
                base.append(b_elapsed)
        ours_all += ours
        base_all += base
        o, b = statistics.median(ours), statistics.median(base)
        print(f"| `{text}` | {count} | {o * 1000:.1f} | {b * 1000:.1f} | {o / b:.2f}x |")
    p = statistics.quantiles
    o50, o95 = statistics.median(ours_all), p(ours_all, n=20)[18]
    b50, b95 = statistics.median(base_all), p(base_all, n=20)[18]
    print(
        f"\nall queries × {runs} runs: veilleur p50 {o50 * 1000:.1f} ms, p95 {o95 * 1000:.1f} ms; "
        f"hand-written FTS5 p50 {b50 * 1000:.1f} ms, p95 {b95 * 1000:.1f} ms; "
        f"p95 ratio {o95 / b95:.2f}x"
    )


def bench_matcher(n: int) -> None:
    posts = list(synthetic_posts(n, seed=99))
    query = parse(MATCHER_QUERY)
    began = time.perf_counter()
    hits = sum(query.matches(p) for p in posts)
    whole = time.perf_counter() - began
    began = time.perf_counter()
    docs = [analyze(p.text, p.title, p.lang) for p in posts]
    analysis = time.perf_counter() - began
    began = time.perf_counter()
    first = sum(query.matches_doc(d, p) for d, p in zip(docs, posts, strict=True))
    with_stems = time.perf_counter() - began
    began = time.perf_counter()
    again = sum(query.matches_doc(d, p) for d, p in zip(docs, posts, strict=True))
    match_only = time.perf_counter() - began
    assert hits == first == again
    print(f"\nmatcher, 10-term query `{MATCHER_QUERY}`, {n:,} posts, {hits:,} matches:")
    print(f"- end to end (text core analysis + stems + match): {n / whole:,.0f} posts/s")
    print(f"- analysis alone (tokenize, entities): {n / analysis:,.0f} posts/s")
    print(f"- match on analysed posts, stems computed on the way: {n / with_stems:,.0f} posts/s")
    print(f"- match on analysed and stemmed posts: {n / match_only:,.0f} posts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100000, help="Posts in the database.")
    parser.add_argument("--db", type=Path, help="Where the database is kept between runs.")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs of each query.")
    parser.add_argument("--matcher-posts", type=int, default=20000, help="Posts for the matcher.")
    parser.add_argument("--no-queries", action="store_true", help="Only the matcher.")
    args = parser.parse_args()
    db = args.db or Path(os.environ.get("TMPDIR", "/tmp")) / f"veilleur-query-{args.posts}.sqlite"
    if not args.no_queries and not db.exists():
        build(db, args.posts)
    with SQLiteStore(db if not args.no_queries else ":memory:") as store:
        if not args.no_queries:
            total = store.count_posts()
            print(f"{total:,} posts, database {db.stat().st_size / 1e6:,.0f} MB\n")
            bench_queries(store, args.runs)
    if args.matcher_posts:
        bench_matcher(args.matcher_posts)


if __name__ == "__main__":
    main()
