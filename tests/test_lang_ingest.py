"""Language at ingest (issue 15): every post gets an effective language — the declared one
when the text agrees or says too little, the detected one when the declaration is missing
or contradicted — the declaration kept beside it; ``lang:`` searches the effective one;
``veilleur relang`` brings a workspace written before up to date."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import orjson
from pytest_httpserver import HTTPServer

from veilleur.imports.demo import import_demo_corpus
from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore
from veilleur.store.search_sqlite import INSERT_FTS, index_rows
from veilleur.workspace import Workspace

from .sources_support import allow_local

FIXTURE = Path(__file__).parent / "fixtures" / "workspace-schema6.sqlite"

FRENCH_ARTICLES = [
    ("Python 3.13 est sorti : ce qui change", "Un interpréteur plus rapide et des messages "
     "d'erreur plus clairs pour les développeurs."),
    ("Écrire des tests en Python sans se perdre", "Nos conseils pour commencer petit et "
     "garder une suite rapide."),
    ("Python et la veille : lire les flux RSS", "Comment nous collectons les articles des "
     "sites que nous suivons chaque matin."),
    ("Typage statique en Python : faut-il s'y mettre ?", "Ce que mypy nous a appris sur "
     "notre propre code depuis un an."),
]  # fmt: skip
ENGLISH_ARTICLE = ("Python packaging in 2026", "What changed for people who ship libraries.")
GERMAN_TITLES = [
    "Mega-Deal: IBM übernimmt Red Hat für 34 Milliarden Dollar",
    "Die Bundesregierung plant neue Regeln für den Datenschutz",
    "Warum kleine Firmen jetzt in soziale Netzwerke investieren sollten",
]


def _rss(items: list[tuple[str, str]], language: str | None) -> bytes:
    declared = f"<language>{language}</language>" if language else ""
    body = "".join(
        f"<item><title>{title}</title><link>https://blog.example/{i}</link>"
        f"<guid>https://blog.example/{i}</guid><description>{text}</description>"
        f"<pubDate>Mon, 0{1 + i} Jun 2026 08:00:00 +0000</pubDate></item>"
        for i, (title, text) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Blog</title><link>https://blog.example/</link>{declared}{body}"
        "</channel></rss>"
    ).encode()


def _search(cli, query: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = cli("search", query, "--format", "jsonl", "--limit", "1000")
    assert result.code == 0, result.err
    return [orjson.loads(line) for line in result.out.splitlines() if line]


def test_a_feed_declaring_en_us_for_french_articles_is_found_by_lang_fr(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, httpserver: HTTPServer
) -> None:
    # « python lang:fr » found 0 of 14 on a feed declaring en-US for French articles.
    feed = _rss([*FRENCH_ARTICLES, ENGLISH_ARTICLE], "en-US")
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="text/xml")
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    assert cli("source", "add", "rss", httpserver.url_for("/feed.xml")).code == 0
    assert cli("collect").code == 0
    french = _search(cli, "python lang:fr")
    assert sorted(str(p["title"]) for p in french) == sorted(t for t, _ in FRENCH_ARTICLES)
    assert all(p["lang_declared"] == "en" and p["lang_source"] == "detected" for p in french)
    english = _search(cli, "python lang:en")
    assert [p["title"] for p in english] == [ENGLISH_ARTICLE[0]]
    assert english[0]["lang_source"] == "agreed"
    # read in French now: « développeur » finds « développeurs » by its French stem
    assert [p["title"] for p in _search(cli, "développeur")] == [FRENCH_ARTICLES[0][0]]


def test_german_titles_without_a_declared_language_are_german(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, httpserver: HTTPServer
) -> None:
    feed = _rss([(title, "") for title in GERMAN_TITLES], None)
    httpserver.expect_request("/de.xml").respond_with_data(feed, content_type="text/xml")
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    assert cli("source", "add", "rss", httpserver.url_for("/de.xml")).code == 0
    assert cli("collect").code == 0
    german = _search(cli, "lang:de")
    assert sorted(str(p["title"]) for p in german) == sorted(GERMAN_TITLES)
    assert _search(cli, "lang:fr") == []


def test_csv_rows_without_a_language_get_the_detected_one(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "export.csv"
    src.write_text(
        "id,network,author,created_at,text\n"
        "1,x,mairie,2026-02-01T08:00:00Z,Le forum de l'emploi aura lieu samedi à la mairie\n"
        "2,x,mairie,2026-02-01T09:00:00Z,Die Zahl der Arbeitslosen ist im Oktober gesunken\n"
        "3,x,mairie,2026-02-01T10:00:00Z,Gracias a todos por venir ayer al taller\n"
        "4,x,mairie,2026-02-01T11:00:00Z,#LeGrandDebat\n",
        encoding="utf-8",
    )
    result = cli("import", "csv", str(src))
    assert result.code == 0, result.err
    with Workspace(tmp_path / "ws") as ws:
        posts = {p.id: p for p in ws.store.iter_posts()}
    got = {i: (p.lang, p.lang_declared, p.lang_source) for i, p in posts.items()}
    assert got == {
        "1": ("fr", None, "detected"),
        "2": ("de", None, "detected"),
        "3": ("es", None, "detected"),
        "4": ("und", None, "detected"),  # a hashtag alone: no language to tell
    }


def test_spanish_tweets_declared_es_stay_es_and_the_declaration_is_kept(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    rows = [
        ("1", "es", "Los precios de la vivienda suben por tercer año en la región"),
        ("2", "es", "¡Gracias!"),  # too short to confirm: the declaration stands
        ("3", "es-ES", "Pero la cuestión sigue abierta para una empresa pequeña"),
        ("4", "fr", "Nos conseils pour structurer LinkedIn pour les PME"),
    ]
    src = tmp_path / "tweets.jsonl"
    src.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "network": "x",
                    "author": "ana",
                    "text": text,
                    "lang": lang,
                    "created_at": "2026-03-01T10:00:00Z",
                },
                ensure_ascii=False,
            )
            + "\n"
            for i, lang, text in rows
        ),
        encoding="utf-8",
    )
    assert cli("import", "jsonl", str(src)).code == 0
    with Workspace(tmp_path / "ws") as ws:
        posts = {p.id: p for p in ws.store.iter_posts()}
    assert {i: (p.lang, p.lang_declared, p.lang_source) for i, p in posts.items()} == {
        "1": ("es", "es", "agreed"),
        "2": ("es", "es", "declared"),
        "3": ("es", "es-ES", "agreed"),
        "4": ("fr", "fr", "agreed"),
    }
    assert sorted(str(p["id"]) for p in _search(cli, "lang:es")) == ["1", "2", "3"]
    # writing a post read from the store again changes nothing
    with Workspace(tmp_path / "ws") as ws:
        again = ws.store.write_posts(list(posts.values()))
        assert again.new == 0
        assert {p.id: p.lang_declared for p in ws.store.iter_posts()}["3"] == "es-ES"


def test_the_demo_corpus_gets_its_effective_languages(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "demo.sqlite") as store:
        import_demo_corpus(store)
        posts = list(store.iter_posts())
        assert store.languages_pending() == 0
    assert posts and all(p.lang_source in ("declared", "agreed", "detected") for p in posts)
    # the demo is French and English, with two German posts (demo-0215, demo-0216) whose
    # audit line says « non évaluée »
    assert {p.id for p in posts if p.lang == "de"} == {"demo-0215", "demo-0216"}
    assert all(p.lang in ("fr", "en") for p in posts if p.lang != "de")


def _old_workspace(tmp_path: Path) -> Path:
    """The schema-6 fixture (a workspace of an earlier release) with one more post written as
    that release wrote it: a French text its source declared English, indexed as English."""
    path = tmp_path / "ws" / "veilleur.sqlite"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(FIXTURE, path)
    text = "Nous recrutons deux techniciens de maintenance pour notre atelier de Lyon"
    with sqlite3.connect(path, isolation_level=None) as conn:
        pk = conn.execute(
            "INSERT INTO posts (network, id, author, text, created_at, lang) "
            "VALUES ('rss', 'mislabelled', 'atelier', ?, '2026-05-04T08:00:00Z', 'en')",
            (text,),
        ).lastrowid
        assert pk is not None
        # That release's index: rowid = pk (revisions 0011 and 0012 rebuild it in date order).
        (row,) = index_rows([(pk, "2026-05-04T08:00:00Z", text, None, "en")], {pk: pk})
        conn.execute(INSERT_FTS, row)
    return path


def test_relang_brings_an_old_workspace_up_to_date(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _old_workspace(tmp_path)
    before = cli("search", "author:atelier technicienne", "--format", "ids")
    assert before.code == 0
    assert "veilleur relang" in before.err  # said at open: languages not checked yet
    assert before.out == ""  # declared English, read (stemmed) as English: not found
    assert cli("search", "author:atelier lang:fr", "--format", "ids").out == ""

    done = cli("relang")
    assert done.code == 0, done.err
    assert "veilleur relang" not in done.err
    with SQLiteStore(path) as store:
        assert store.languages_pending() == 0
        post = store.get_post("rss", "mislabelled")
        assert post is not None
        assert (post.lang, post.lang_declared, post.lang_source) == ("fr", "en", "detected")
        everything = list(store.iter_posts())
        # every post kept its declaration; `lang:` and the matcher agree on every language
        assert all(p.lang_source is not None for p in everything)
        for lang in ("fr", "en", "und", "es"):
            query = parse(f"lang:{lang}")
            found = {p.id for p in store.search(query.root, limit=None)}
            assert found == {p.id for p in everything if query.matches(p)}, lang
        for word in ("technicienne", "atelier", "veille"):
            query = parse(word)
            found = {p.id for p in store.search(query.root, limit=None)}
            assert found == {p.id for p in everything if query.matches(p)}, word
        rows = {
            r[0]: r[1:] for r in store.conn.execute("SELECT id, lang, lang_declared FROM posts")
        }
    after = cli("search", "author:atelier technicienne lang:fr", "--format", "ids")
    assert after.out.split() == ["mislabelled"]  # stemmed in French now: techniciens ~ technicienne
    assert after.err == ""

    again = cli("relang")  # idempotent
    assert again.code == 0
    assert "0 changed" in again.out
    with SQLiteStore(path) as store:
        assert {
            r[0]: r[1:] for r in store.conn.execute("SELECT id, lang, lang_declared FROM posts")
        } == rows


def test_relang_reports_progress_by_batch(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "p.sqlite") as store:
        store.write_posts(
            [
                Post(
                    id=str(i),
                    network="mastodon",
                    author="a",
                    text="Une veille bien tenue sur le recrutement",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                    lang="fr",
                )
                for i in range(5)
            ]
        )
        seen: list[int] = []
        done = store.relang(progress=seen.append, batch=2)
    assert seen == [2, 2, 1]
    assert (done.checked, done.changed, done.reindexed) == (5, 0, 0)
