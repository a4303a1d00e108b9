"""The indexing path (issue 19, helper ingest4) builds exactly the index the analysis
describes: ``index_values(text, title, lang)`` (a post cut at its spaces, each chunk
analysed once per process) equals ``index_row(analyze(text, title, lang))`` (the whole post
read as one text, the reference), and an imported workspace's index holds those rows."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from veilleur.imports.jsonl import read_jsonl
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.query import analysis
from veilleur.query.analysis import SEPARATORS, analyze, index_terms
from veilleur.store.search_sqlite import index_row, index_values, indexed_rows
from veilleur.text import patterns
from veilleur.workspace import Workspace

# Every separator, the characters next to them that are not separators, and the pieces
# whose rules read what comes before or after them (cashtags want a space after, mentions
# and hashtags a boundary before, URLs a preceding character, elisions a letter after).
ODD_SPACES = ["\x1c", "\x1d", "\x1e", "\x1f", "\u180e", "\u200b", "\ufeff"]
PIECES = st.sampled_from(
    [*SEPARATORS, *ODD_SPACES,
     "Réseaux", "l’emploi", "d'entraide", "L'", "qu'", "jusqu’", "Part-Dieu", "aujourd'hui",
     "«", "»", "…", "€", "!", ".", ",", "#", "@", "$", "'", "’", "-", "/", ":", "&",
     "😀", "👩\u200d💻", "🇫🇷", "ça", "Œuvre", "e\u0301", "\u0301", "日本", "½", "ﬁ", "Ⅻ",
     "#ÉcoleNumérique", "#recrutersurlesreseaux", "#RH", "＃tag", "#123",
     "@marie", "@marie@piaille.fr", "@veille.bsky.social", "＠paul", "RT", "RT:", "rt",
     "@user/liste", "https://exemple.fr/a?b=1", "exemple.fr", "www.Exemple.FR/x", "t.co/abc",
     "http://t.co/AbC", "xn--bcher-kva.de", "https://sub.exemple.co.uk:8080/p#frag",
     "$EKTA", "$TEST.T", "$ab_cd", "\ue001", "\x00", "\x7f", "\u2028"]
)  # fmt: skip
TEXTS = st.one_of(st.lists(PIECES, max_size=30).map("".join), st.text(max_size=80))
LANGS = st.sampled_from(["fr", "en", None, "es", "und", "fr-CA"])


def _reference(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
    return index_row(analyze(text, title, lang))


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.none() | TEXTS, LANGS)
def test_the_indexing_path_gives_the_rows_of_the_analysis(
    text: str, title: str | None, lang: str | None
) -> None:
    expected = _reference(text, title, lang)
    assert index_values(text, title, lang) == expected
    assert index_values(text, title, lang) == expected  # again, through the chunk cache


def test_each_separator_reads_as_the_start_or_end_of_a_text() -> None:
    # What could tell a text from its chunks: a cashtag wants a space (or the end) after it
    # and a space (or the start) before it; mentions, hashtags and URLs look at the
    # character before them; a TLD at the one after.
    for sep in SEPARATORS:
        assert regex.fullmatch(r"\s", sep), repr(sep)
        assert regex.fullmatch(f"[{patterns.SPACES}]", sep), repr(sep)
        for a, b in [
            ("$EKTA", "$TEST"), ("@marie", "RT:@paul"), ("#RH", "#Numérique"),
            ("exemple.fr", "https://t.co/x"), ("@marie@piaille.fr", "l'emploi"),
            ("@veille.bsky.social", "$ab_cd"), ("d'", "entraide"), ("x", "$EKTA"),
        ]:  # fmt: skip
            for text in (f"{a}{sep}{b}", f"{sep}{a}{sep}{sep}{b}{sep}", f"{b}{sep}{a}"):
                for lang in ("fr", None):
                    assert index_values(text, text, lang) == _reference(text, text, lang)
    for odd in ODD_SPACES:  # not separators: their texts are read whole
        assert odd not in SEPARATORS
        text = f"x{odd}$EKTA{odd}y @marie{odd}#RH"
        assert index_values(text, None, "fr") == _reference(text, None, "fr")


def test_str_split_cuts_at_the_separators_and_the_information_separators_only() -> None:
    # index_terms uses str.split() unless the text holds U+001C–U+001F (Python's
    # whitespace, not twitter-text's): a Python whose Unicode data moves fails here.
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert spaces == set(SEPARATORS) | {"\x1c", "\x1d", "\x1e", "\x1f"}


def test_the_terms_of_a_post_in_each_reading() -> None:
    text = "L'emploi des Réseaux @marie@piaille.fr #RecruterSurLesRéseaux exemple.fr/a $EKTA"
    fr = index_terms(text, "Salon", "fr")
    assert fr[0].split(" ")[:4] == ["l'", "emploi", "des", "reseaux"]
    assert fr[1] and not fr[2]  # French stems only
    assert fr[3] == "salon"
    assert fr[6:] == ("recrutersurlesreseaux", "marie marie@piaille.fr", "ekta",
                      "exemple.fr fr", "link")  # fmt: skip
    both = index_terms(text, None, "de")
    assert both[1] and both[2] and both[3:6] == ("", "", "")
    assert index_terms("", None, None) == ("",) * 11


def _corpus(path: Path, n: int) -> Path:
    rng = random.Random(19)
    words = ["emploi", "l'emploi", "Réseaux", "hiring", "the", "d’experts", "½", "ﬁn",
             "x\x1cy", "#Recrutement", "#RH", "@compte1", "@marie@piaille.fr", "$EKTA",
             "exemple.fr", "https://exemple.fr/a?b=1", "aujourd'hui", "«", "»", "!", "日本",
             "e\u0301"]  # fmt: skip
    spaces = [" ", " ", " ", "\n", "\u00a0", "\u202f", "\t", "\u3000"]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            size = rng.randint(0, 30)
            text = "".join(rng.choice(words) + rng.choice(spaces) for _ in range(size))
            record = {
                "id": str(i),
                "network": rng.choice(["x", "mastodon", "rss"]),
                "author": "a",
                "text": text,
                "created_at": (start + timedelta(seconds=rng.randint(0, 10**7))).isoformat(),
                "lang": rng.choice(["fr", "en", None, "de"]),
            }
            if rng.random() < 0.3:
                record["title"] = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_an_imported_index_holds_the_rows_of_the_analysis(tmp_path: Path) -> None:
    # The index built by the import (the indexing path, several batches) equals the one the
    # reference analysis gives for the same posts, column for column.
    source = _corpus(tmp_path / "posts.jsonl", 3000)
    analysis._chunk_terms.clear()
    with Workspace(tmp_path / "ws") as workspace:
        summary = ImportSummary()
        import_file(workspace.store, source, read_jsonl, summary, batch_size=700)
        assert summary.new == 3000
    with sqlite3.connect(tmp_path / "ws" / "veilleur.sqlite") as conn:
        posts = conn.execute("SELECT text, title, lang FROM posts").fetchall()
        # read back from the index's terms and positions (the table keeps no copy)
        indexed = list(indexed_rows(conn).values())
    conn.close()
    assert len(posts) == len(indexed) == 3000
    assert sorted(indexed) == sorted(_reference(*row) for row in posts)
