"""Imports analysed in worker processes (issues 17 and 19): the same database as the
analysis in the importing process, whatever the input; small imports start no worker; a
worker that stops ends the import with a clear message and nothing half-written."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
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
from veilleur.store.prepared import AnalysisError, AnalysisPool, Prepared, analyse
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
]
LONG_TEXTS = {
    5: "mot " * 17_000,  # more words than PostgreSQL's positions
    300: "répété " * 300,  # a word more often than PostgreSQL keeps positions
}
LANGS = ["fr", "fr-FR", "en", "und", "qme", "ko", None, "French", "EN_us", "zxx", "de"]


def _records(n: int) -> list[dict[str, Any]]:
    """``n`` records that go through every path of the analysis (odd spaces, scripts,
    declarations, entities, titles, long texts), each with a ``collected_at`` (the store
    gives the others the time of writing). PostgreSQL stores a NUL as U+FFFD (its text
    refuses U+0000): the workers' answers, keyed by the text as read, are then computed
    again by the store — the same rows either way."""
    texts = list(ODD_TEXTS)
    records = []
    for i in range(n):
        text = LONG_TEXTS.get(i) or texts[i % len(texts)]
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
            found[name] = sorted(store.conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        store.conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms "
            "USING fts5vocab(main, posts_fts, instance)"
        )
        found["index terms"] = store.conn.execute("SELECT * FROM temp.terms").fetchall()
        assert found["posts"] and found["index terms"]
        return found
    from veilleur.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    rows = store.pg.raw.execute("SELECT * FROM posts ORDER BY pk").fetchall()
    terms = store.pg.raw.execute("SELECT pk, terms::text FROM posts_search ORDER BY pk").fetchall()
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
    records = _records(420)
    records.append(dict(records[7]))  # a repeat within the file
    src = _write(tmp_path / "odd.jsonl", records)
    # The same posts again, some with new counts: known posts, some refreshed.
    again = [
        dict(r, likes=int(r["likes"]) + (i % 2), collected_at="2026-11-01T00:00:00Z")
        for i, r in enumerate(records[:200])
    ]
    src2 = _write(tmp_path / "again.jsonl", [*again, *_records(460)[420:]])
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


def _count(store: SQLiteStore) -> tuple[int, int]:
    posts = store.conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    keys = store.conn.execute("SELECT count(*) FROM posts_fts_key").fetchone()[0]
    return int(posts), int(keys)


def test_a_small_import_starts_no_worker_and_a_large_one_does(tmp_path: Path) -> None:
    src = _write(tmp_path / "small.jsonl", _records(300))
    with SQLiteStore(tmp_path / "a.sqlite") as store:
        summary = ImportSummary()
        with Analysis(store) as analysis:  # the default threshold
            import_file(store, src, read_jsonl, summary, analysis=analysis)
            assert analysis.pool is None, "a few hundred posts paid a worker's start"
        assert summary.new == 300
        with Analysis(store, threshold=100) as analysis:
            import_file(store, src, read_jsonl, ImportSummary(), analysis=analysis)
            assert analysis.pool is not None
            pids = analysis.pool.pids
        assert all(not Path(f"/proc/{pid}").exists() for pid in pids), "a worker left running"


def test_workers_zero_analyses_in_the_importing_process(tmp_path: Path) -> None:
    src = _write(tmp_path / "p.jsonl", _records(200))
    with SQLiteStore(tmp_path / "a.sqlite") as store:
        summary, used = _import(store, src, 0)
    assert not used and summary.new == 200


def test_the_setting_reaches_the_import_command(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import command's analysis gets the workspace's ``import.analysis_workers`` (50
    posts start no worker whatever it says: what the command asked for is recorded)."""
    asked: list[int] = []
    real_init = Analysis.__init__

    def recording(self: Analysis, store: SQLiteStore, workers: int = 1, **kw: Any) -> None:
        asked.append(workers)
        real_init(self, store, workers, **kw)

    monkeypatch.setattr(Analysis, "__init__", recording)
    for value, name in (("0", "p.jsonl"), ("2", "q.jsonl")):
        assert cli("config", "set", "import.analysis_workers", value).code == 0
        done = cli("import", "jsonl", str(_write(tmp_path / name, _records(50))))
        assert done.code == 0 and "new" in done.out, done
    assert asked == [0, 2]
    assert "import.analysis_workers" in cli("config", "list").out


def test_a_worker_killed_mid_import_ends_it_clearly_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    records = _records(500)
    src = _write(tmp_path / "odd.jsonl", records)
    with SQLiteStore(tmp_path / "a.sqlite") as store, Analysis(store, threshold=0) as analysis:

        def reader(path: Path, progress: ProgressFn | None = None) -> Iterator[Record]:
            for i, record in enumerate(read_jsonl(path, progress)):
                if i == 250:
                    assert analysis.pool is not None
                    os.kill(analysis.pool.pids[0], signal.SIGKILL)
                yield record

        with pytest.raises(AnalysisError) as failed:
            import_file(store, src, reader, ImportSummary(), batch_size=50, analysis=analysis)
        message = str(failed.value)
        assert str(src) in message and "analysis process stopped" in message, message
        assert "import.analysis_workers" in message
        posts, indexed = _count(store)
        assert posts == indexed and posts % 50 == 0 and 200 <= posts <= 250, posts
        analysis.close()
        again = ImportSummary()
        with Analysis(store, threshold=0) as fresh:
            import_file(store, src, read_jsonl, again, batch_size=50, analysis=fresh)
        assert (again.new, again.known) == (500 - posts, posts)
        with SQLiteStore(tmp_path / "b.sqlite") as alone:
            _import(alone, src, 0, batch_size=50)
            # Keys and index segments follow the batches written: compare the posts and
            # each post's index terms.
            assert _posts_and_terms(store) == _posts_and_terms(alone)


def _posts_and_terms(store: SQLiteStore) -> tuple[list[Any], list[Any]]:
    posts = store.conn.execute("SELECT * FROM posts ORDER BY pk").fetchall()
    store.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, posts_fts, instance)"
    )
    terms = store.conn.execute(
        "SELECT k.pk, t.term, t.col, t.offset FROM temp.terms t "
        "JOIN posts_fts_key k ON k.key = t.doc ORDER BY 1, 2, 3, 4"
    ).fetchall()
    return posts, terms


def _nested_index() -> Any:
    def unreachable(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        return ()

    return unreachable


def test_a_worker_that_cannot_start_says_why() -> None:
    post = Post(id="1", network="x", author="a", text="t", created_at=datetime.now(UTC))
    with AnalysisPool(_nested_index()) as pool, pytest.raises(AnalysisError) as failed:
        pool.submit([post]).result()
    assert "analysis process stopped" in str(failed.value)
    assert "Error" in str(failed.value)  # the worker's own error, e.g. an AttributeError
    assert isinstance(failed.value, VeilleurError) and failed.value.exit_code == 2


def test_a_post_the_worker_could_not_analyse_is_analysed_by_the_store(tmp_path: Path) -> None:
    """The worker answers None for a post whose analysis raised; the store computes what
    a batch's answers lack, and meets the same error as without workers (a rejection
    naming the post, the others kept)."""

    def fussy(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        if "refusé" in text:
            raise ValueError("refused")
        return index_values(text, title, lang)

    items = [("fr", "bonjour à tous", None), ("fr", "refusé ici", None)]
    answers = analyse(fussy, items)
    assert answers[0] is not None and answers[1] is None
    prepared = Prepared(
        index_values,
        {items[0]: answers[0][0]},
        {(items[0][1], items[0][2], answers[0][0].lang): answers[0][1]},
    )
    posts = [
        Post(
            id=str(i),
            network="x",
            author="a",
            text=text,
            lang=lang,
            created_at=datetime(2026, 1, 1, i, tzinfo=UTC),
            collected_at=datetime(2026, 2, 1, tzinfo=UTC),
        )
        for i, (lang, text, _title) in enumerate(items)
    ]
    with SQLiteStore(tmp_path / "a.sqlite") as store, SQLiteStore(tmp_path / "b.sqlite") as alone:
        assert store.write_posts(posts, prepared=prepared).new == 2
        alone.write_posts([dataclasses.replace(p) for p in posts])
        assert _posts_and_terms(store) == _posts_and_terms(alone)


def test_without_a_python_to_run_a_worker_the_import_analyses_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that cannot be started at all (a frozen or moved interpreter) is not an
    error: the import goes on in its own process."""
    import sys

    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    src = _write(tmp_path / "p.jsonl", _records(120))
    with SQLiteStore(tmp_path / "a.sqlite") as store:
        summary, used = _import(store, src, 1)
        assert not used and summary.new == 120
        assert _count(store) == (120, 120)


def test_the_store_writes_the_values_it_is_given(tmp_path: Path) -> None:
    """The store really takes a batch's answers instead of computing them (else the worker
    would be work thrown away): a value only the answers hold ends up in the index."""
    post = Post(
        id="1",
        network="x",
        author="a",
        text="bonjour à tous",
        lang="fr",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    choice = resolve_language("fr", post.text, None)
    given = ("zzgiven", *index_values(post.text, None, choice.lang)[1:])
    prepared = Prepared(index_values, {}, {(post.text, None, choice.lang): given})
    with SQLiteStore(tmp_path / "a.sqlite") as store:
        store.write_posts([post], prepared=prepared)
        _posts, terms = _posts_and_terms(store)
    assert {term for _pk, term, column, _at in terms if column == "w"} == {"zzgiven"}
