"""PostgreSQL's ``tsvector`` of a post by the chunked path (issue 17, helper pgingest):
``pgterms.terms_of`` (each chunk of a text analysed once per process, as SQLite's
``index_values``) gives the lexemes and positions ``terms_of_doc(analyze(…))`` below gives
(the code that built the index before), for any text; its worker loads it without SQLAlchemy."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import pg_support
from veilleur.query import analysis
from veilleur.query.analysis import SEPARATORS, Doc, analyze
from veilleur.store import pgterms, prepared
from veilleur.store.pgterms import terms_of

# -- the reference: the tsvector as analyze() gave it --


def _place(at: dict[str, list[str]], lexemes: Iterable[str], start: int) -> None:
    """Record in ``at`` each lexeme's positions, the first of ``lexemes`` at ``start``."""
    pos = pgterms._POS
    get = at.get
    for i, lexeme in enumerate(lexemes, start):
        found = get(lexeme)
        if found is None:
            at[lexeme] = [pos[i]]
        else:
            found.append(pos[i])


def terms_of_doc(doc: Doc) -> str:
    """``terms_of`` built from a post's ``analyze()``: the code that built PostgreSQL's
    index before the chunked path (kept here as the reference, not in the product)."""
    lexemes: set[str] = set()
    readings = [r for r in ("fr", "en") if r in doc.readings]
    table = pgterms._LEXEMES
    body = doc.fields["text"].words
    head = doc.fields["title"].words
    if doc.hashtags:
        lexemes.update(map(table["tags"].__getitem__, doc.hashtags))
    if doc.mentions:
        lexemes.update(map(table["ment"].__getitem__, doc.mentions))
    if doc.cashtags:
        lexemes.update(map(table["cash"].__getitem__, doc.cashtags))
    if doc.urls:
        lexemes.update(map(table["dom"].__getitem__, doc.domains))
        lexemes.add(table["meta"]["link"])
    positions: dict[str, list[str]] = {}
    title_at = len(body) + 2
    long = title_at + len(head) - 1 > pgterms._MAX_POSITION
    if not long:
        words = table["w"].__getitem__
        _place(positions, list(map(words, body)), 1)
        _place(positions, list(map(words, head)), title_at)
        for reading in readings:
            stems = table[reading].__getitem__
            if body:
                _place(positions, list(map(stems, doc.stems(reading, "text"))), 1)
            if head:
                _place(positions, list(map(stems, doc.stems(reading, "title"))), title_at)
        positions.pop("", None)
        long = any(len(v) > pgterms._MAX_REPEATS for v in positions.values())
        if not long:  # each two words in a row, in the text and in the title apart
            for words_of in (body, head):
                lexemes.update(
                    pgterms.pair(a, b) for a, b in pairwise(words_of) if pgterms.paired(a, b)
                )
    if long:
        for name in ("text", "title"):
            lexemes.update(map(table["w"].__getitem__, doc.fields[name].words))
            if doc.fields[name].words:
                for reading in readings:
                    lexemes.update(map(table[reading].__getitem__, doc.stems(reading, name)))
        lexemes.discard("")
        lexemes.add(pgterms.LONG)
        return " ".join(lexemes)
    lexemes.discard("")
    parts = [f"{lexeme}:{','.join(at)}" for lexeme, at in positions.items()]
    if lexemes:
        parts.append(" ".join(lexemes))
    return " ".join(parts)


def terms_by_analysis(text: str, title: str | None, lang: str | None) -> str:
    """``terms_of_doc(analyze(text, title, lang))``: what :func:`terms_of` equals."""
    return terms_of_doc(analyze(text, title, lang))


# Languages, links, hashtags, mentions, cashtags, emoji, NUL, elisions, every separator and
# the characters next to them (what tests/test_index_terms.py feeds SQLite's path).
ODD_SPACES = ["\x1c", "\x1d", "\x1e", "\x1f", "\u180e", "\u200b", "\ufeff"]
PIECE_LIST = (
    [*SEPARATORS, *ODD_SPACES,
     "Réseaux", "l’emploi", "d'entraide", "L'", "qu'", "jusqu’", "Part-Dieu", "aujourd'hui",
     "hiring", "the", "teams", "emploi", "emplois", "Salon", "salon", "ÉCOLE", "ecole",
     "«", "»", "…", "€", "!", ".", ",", "#", "@", "$", "'", "’", "-", "/", ":", "&", "\\",
     "😀", "👩\u200d💻", "🇫🇷", "ça", "Œuvre", "e\u0301", "\u0301", "日本", "½", "ﬁ", "Ⅻ",
     "#ÉcoleNumérique", "#recrutersurlesreseaux", "#RH", "＃tag", "#123", "#l'emploi",
     "@marie", "@marie@piaille.fr", "@veille.bsky.social", "＠paul", "RT", "RT:", "rt",
     "@user/liste", "https://exemple.fr/a?b=1", "exemple.fr", "www.Exemple.FR/x", "t.co/abc",
     "http://t.co/AbC", "xn--bcher-kva.de", "https://sub.exemple.co.uk:8080/p#frag",
     "https://exemple.fr/l'emploi", "$EKTA", "$TEST.T", "$ab_cd", "\ue001", "\x00", "\x7f",
     "\u2028"]
)  # fmt: skip
PIECES = st.sampled_from(PIECE_LIST)
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=80))
LANGS = st.sampled_from(["fr", "en", None, "es", "und", "fr-CA", "de"])

_PART = re.compile(r"'((?:[^']|'')*)'(?::([0-9,]+))?")


def _parts(vector: str) -> tuple[list[tuple[str, str]], set[str]]:
    """A ``tsvector`` text as its lexemes with positions, in order, and the set of those
    without (the reference writes those in a set's order, which hash seeds change)."""
    placed: list[tuple[str, str]] = []
    plain: set[str] = set()
    end = 0
    for found in _PART.finditer(vector):
        assert found.start() == end, (vector, end)  # one space between parts, nothing else
        end = found.end() + 1
        if found.group(2) is None:
            plain.add(found.group(1))
        else:
            assert not plain, vector  # the placed lexemes come first
            placed.append((found.group(1), found.group(2)))
    assert end == len(vector) + 1 or vector == "", vector
    return placed, plain


def _same(text: str, title: str | None, lang: str | None) -> None:
    expected = terms_by_analysis(text, title, lang)
    found = terms_of(text, title, lang)
    assert _parts(found) == _parts(expected), (text, title, lang)
    assert terms_of(text, title, lang) == found  # again, through the chunk caches


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.none() | TEXTS, LANGS)
def test_the_chunked_path_gives_the_tsvector_of_the_analysis(
    text: str, title: str | None, lang: str | None
) -> None:
    _same(text, title, lang)


def test_chosen_posts_give_the_tsvector_of_the_analysis() -> None:
    words = "L'emploi des Réseaux sociaux à Lyon, hiring the teams 😀 #RH @marie $EKTA "
    cases = [
        ("", None), ("", ""), ("   ", " "), ("\x00", "\x00"), ("Avant\x00après", "Ti\x00tre"),
        (words, None), (words, ""), (words, "Salon de l'emploi"), ("#RH #rh #RH", "#RH"),
        ("https://exemple.fr/a https://www.exemple.fr/b exemple.fr", None),
        ("@marie @Marie @marie@piaille.fr", "@paul"), ("l'l'l' qu'il", "jusqu’au"),
        # long posts: more words than PostgreSQL's positions, a word over 255 times, both
        # just under the limits
        (words * 1200, "Salon"), ("emploi " * 300, None), ("emploi " * 255, "emploi"),
        ("a " * 15_990, "un titre de dix mots pour passer la limite"),
        ("a " * 15_990, "court"), ("emploi " * 256 + "#RH https://exemple.fr", "x"),
    ]  # fmt: skip
    analysis._chunk_terms.clear()
    analysis._head_terms.clear()
    for text, title in cases:
        for lang in ("fr", "en", None, "de", "und"):
            _same(text, title, lang)
    assert "'meta:longpos'" in terms_of("emploi " * 300, None, "fr")
    assert "'meta:longpos'" not in terms_of("emploi " * 255, None, "fr")


def test_postgresql_reads_the_same_tsvector_from_both() -> None:
    """What PostgreSQL stores: the same ``tsvector`` from both texts (lexemes, positions),
    for a few thousand varied posts."""
    pg_support.require()
    import random

    import psycopg

    rng = random.Random(17)
    pieces = PIECE_LIST
    posts = []
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        title = rng.choice([None, "", "".join(rng.choice(pieces) for _ in range(5))])
        title = title.replace("\x00", "\ufffd") if title else title
        # PostgreSQL's text refuses NUL: the store puts U+FFFD there before analysing
        posts.append((text.replace("\x00", "\ufffd"), title, rng.choice(["fr", "en", None])))
    posts += [("emploi " * 300, None, "fr"), ("Salon de l'emploi #RH " * 1500, "Titre", "en")]
    old = [terms_by_analysis(*p) for p in posts]
    new = [terms_of(*p) for p in posts]
    with psycopg.connect(f"{pg_support.SERVER}/postgres") as conn:
        differing = conn.execute(
            "SELECT count(*) FROM unnest(%s::text[], %s::text[]) AS v(a, b) "
            "WHERE a::tsvector IS DISTINCT FROM b::tsvector",
            (old, new),
        ).fetchone()
    assert differing is not None and differing[0] == 0


def test_the_analysis_worker_loads_the_terms_without_sqlalchemy() -> None:
    """The worker's program (the package without its ``__init__``) loads ``terms_of`` and
    nothing of SQLAlchemy or the stores; the store's pool hands it that very function."""
    entry = prepared._ENTRY.replace(
        "from veilleur.store.prepared import main\nmain()\n",
        "from veilleur.store.prepared import _load\n"
        f"f = _load({terms_of.__module__ + ':' + terms_of.__qualname__!r})\n"
        "print(f('Salon #RH', None, 'fr'))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'psycopg', "
        "'alembic', 'veilleur.store.postgres', 'veilleur.store.sqlite'))))\n",
    )
    assert entry != prepared._ENTRY
    done = subprocess.run(
        [sys.executable, "-P", "-c", entry], capture_output=True, text=True, check=True
    )
    vector, modules = done.stdout.splitlines()
    assert vector == terms_of("Salon #RH", None, "fr")
    assert modules == "[]"
