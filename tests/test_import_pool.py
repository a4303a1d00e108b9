"""Imports analysed in worker processes (issues 17 and 19): the same database as the
analysis in the importing process, whatever the input; small imports start no worker; a
worker that stops ends the import with a clear message and nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veilleur.errors import VeilleurError
from veilleur.imports import Analysis, ImportSummary, import_file, read_jsonl
from veilleur.imports.records import ProgressFn, Record
from veilleur.model import Post
from veilleur.store import SQLiteStore
from veilleur.store.prepared import AnalysisError, AnalysisPool
from veilleur.store.search_sqlite import index_values
from veilleur.text import resolve_language

ODD_TEXTS = [
    "La veille stratégique de l'emploi à Lyon #Recrutement @marie@pme.example $EDF",
    "Hiring now: strategic watch and social networks https://example.org/jobs?x=1 #Jobs",
    "Declared English but written in French : nous recrutons des alternants pour l'usine",
    "çaexemple.fr et https://sub.exemple.fr/a/b (liens) l’apostrophe courbe, aujourd’hui",
    "espaces\u001cbizarres\u001d ici\u180eet\u200blà\ufeff fin\u00a0insécable\u202fétroite",
    "\tTabulations\net lignes\r\nmêlées   ",
    "Ein deutscher Satz über die Einstellung von Mitarbeitern in der Region",
    "Привет, это пост о найме сотрудников",
    "这是一个关于招聘的帖子",
    "مرحبا هذا منشور عن التوظيف",
    "🙂🚀 #émoji @Compte_Test $BTC.X …",
    "nul\u0000au milieu",
    "x",
    "",
    "Ｆｕｌｌｗｉｄｔｈ ＥＭＰＬＯＩ ﬁnance ǅungla",
    "mot " * 17_000,  # more words than PostgreSQL's positions
    "répété " * 300,  # a word more often than PostgreSQL keeps positions
]
LANGS = ["fr", "fr-FR", "en", "und", "qme", "ko", None, "French", "EN_us", "zxx", "de"]


def _records(n: int, backend: str = "sqlite") -> list[dict[str, Any]]:
    """``n`` records that go through every path of the analysis (odd spaces, scripts,
    declarations, entities, titles, long texts), each with a ``collected_at`` (the store
    gives the others the time of writing). PostgreSQL refuses a NUL in a text (and ends
    the import, with or without workers: notes/analysispool.md), so it gets none."""
    texts = [t for t in ODD_TEXTS if backend != "postgresql" or "\0" not in t]
    records = []
    for i in range(n):
        text = texts[i % len(texts)]
        if i % 3:
            text = f"{text} n°{i}"
        record: dict[str, Any] = {
            "id": f"p{i}",
            "network": ("x", "mastodon", "bluesky", "rss")[i % 4],
            "author": f"auteur{i % 13}",
            "text": text,
            "created_at": f"2026-0{1 + i % 9}-{10 + i % 19}T{i % 24:02}:00:{i % 60:02}Z",
            "collected_at": "2026-10-01T12:00:00Z",
            "likes": i % 7,
        }
        lang = LANGS[i % len(LANGS)]
        if lang is not None:
            record["lang"] = lang
        if i % 5 == 0:
            record["title"] = ("Titre : l'emploi à Lyon", "", "Hiring #Jobs", "\u001c")[i % 4]
        records.append(record)
    return records


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@contextmanager
def _store(backend: str, tmp_path: Path, name: str) -> Iterator[SQLiteStore]:
    """A store of its own: a SQLite file, or a PostgreSQL database made for it."""
    if backend != "postgresql":
        with SQLiteStore(tmp_path / f"{name}.sqlite") as store:
            yield store
        return
    from tests import pg_support
    from veilleur.store.postgres import PostgresStore

    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            yield store
    finally:
        pg_support.drop_database(url)


def _contents(store: SQLiteStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the posts and of their search index (SQLite: every table, the FTS5
    index's own included; PostgreSQL: posts and their tsvector)."""
    if type(store) is SQLiteStore:
        tables = [
            name
            for (name,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT IN ('settings', 'alembic_version') ORDER BY name"
            )
        ]
        found = {}
        for name in tables:
            if name == "posts_fts":
                continue  # a virtual table: its own tables (posts_fts_data…) are read
            found[name] = sorted(
                store.conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr
            )
        store.conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, posts_fts, instance)"
        )
        found["index terms"] = store.conn.execute("SELECT * FROM temp.terms").fetchall()
        assert found["posts"] and found["index terms"]
        return found
    rows = store.pg.raw.execute("SELECT * FROM posts ORDER BY pk").fetchall()
    terms = store.pg.raw.execute(
        "SELECT pk, terms::text FROM posts_search ORDER BY pk"
    ).fetchall()
    assert rows and terms
    return {"posts": rows, "posts_search": terms}


def _import(
    store: SQLiteStore, src: Path, workers: int, *, batch_size: int = 40
) -> tuple[ImportSummary, bool]:
    summary = ImportSummary()
    with Analysis(store, workers, threshold=0) as analysis:
        import_file(store, src, read_jsonl, summary, batch_size=batch_size, analysis=analysis)
        used = analysis.pool is not None
    return summary, used


@pytest.mark.both_backends
@pytest.mark.parametrize("workers", [1, 2])
def test_workers_store_exactly_what_the_importing_process_stores(
    tmp_path: Path, backend: str, workers: int
) -> None:
    records = _records(420, backend)
    records.append(dict(records[7]))  # a repeat within the file
    src = _write(tmp_path / "odd.jsonl", records)
    # The same posts again, some with new counts: known posts, some refreshed.
    again = [dict(r, likes=int(r["likes"]) + (i % 2), collected_at="2026-11-01T00:00:00Z")
             for i, r in enumerate(records[:200])]
    src2 = _write(tmp_path / "again.jsonl", [*again, *_records(460, backend)[420:]])
    with (
        _store(backend, tmp_path, "here") as here,
        _store(backend, tmp_path, "pool") as pool,
    ):
        first_here, used_here = _import(here, src, 0)
        first_pool, used_pool = _import(pool, src, workers)
        assert (used_here, used_pool) == (False, True)
        second_here, _ = _import(here, src2, 0)
        second_pool, _ = _import(pool, src2, workers)
        assert first_pool.to_json() == first_here.to_json()
        assert second_pool.to_json() == second_here.to_json()
        assert second_here.known + second_here.updated == 200 and second_here.new == 40
        assert _contents(pool) == _contents(here)


def test_the_worker_answers_what_the_store_computes(tmp_path: Path) -> None:
    """Each post's language and index values as the store computes them, none missing:
    the database test above would also pass if the workers answered nothing."""
    posts = [
        Post(
            id=str(i),
            network="x",
            author="a",
            text=r["text"],
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            lang=r.get("lang"),
            title=r.get("title"),
        )
        for i, r in enumerate(_records(60))
    ]
    with AnalysisPool(index_values) as pool:
        prepared = pool.submit(posts).result()
    for post in posts:
        choice = resolve_language(post.lang, post.text, post.title)
        key = (post.lang, post.text, post.title)
        assert prepared._languages[key] == choice
        assert prepared._values[(post.text, post.title, choice.lang)] == index_values(
            post.text, post.title, choice.lang
        )
