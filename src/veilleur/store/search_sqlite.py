"""The SQLite search index (:class:`SQLiteSearch`): the full-text index rows of a post,
and query tree → FTS5 + SQL. It implements :class:`veilleur.store.search.SearchIndex`.

The index (table ``posts_fts``, FTS5, ``tokenize='ascii'``) holds what
:func:`veilleur.query.analysis.analyze` sees, one column per kind of token, positions
aligned between a field's words and its stems::

    w  fr  en      words of the text (folded), their French stems, their English stems
    tw tfr ten     the same for the title
    tags ment cash hashtags, mentions (``u`` and ``u@host``), cashtags (folded, no sigil)
    dom            domains of the links in the text, with their parents
    meta           ``link`` when the text has a link

A stem column is empty when the post is not read in that language (a French post has no
English stems), so ``{fr tfr}: "x" OR {en ten}: "y"`` is exactly "its stem in the post's
reading matches". The ``ascii`` tokenizer splits on ASCII punctuation and spaces only; the
ASCII punctuation inside our tokens (``l'``, ``lemonde.fr``, ``u@host``) is escaped to
private-use characters (``escape``), so each of our tokens is one FTS5 token and prefix
queries stay prefix queries.

Compilation (:class:`SQLiteCompiler`): a node becomes a *piece* — an FTS5 expression, a SQL
condition over ``posts p``, or both (FTS5 narrows, SQL decides). What FTS5 cannot say
exactly (``?`` and inner ``*`` wildcards, ``raw:``, ``ONEAR``, proximity between a stemmed
word and an unstemmed phrase, ``url:``) is narrowed by FTS5 or SQL and decided by the
registered function ``veilleur_match(query, text, title, lang)``, which runs the in-memory
matcher on that node: the same code, so the same answer.

Rowids follow the date, newest first (revisions 0011 and 0012, issue 19): FTS5 returns
matches in ascending rowid order, so a post's rowid — its *index key* — goes as a search's
order (``created_at DESC, pk DESC``) and a search newest first stops at its limit instead of
joining every match to ``posts`` and sorting (a frequent word: 47,000 matches → 100 rows
read). A key is its second's range of :data:`KEY_SLOTS` keys (newer seconds first) and a
counter within it (:func:`assign_keys`), so that the rowid deltas of the doclists stay a
few bytes; the table ``posts_fts_key`` says which post a key is (``FTS_KEY_JOIN``). A post
that finds no key in date order gets an :data:`OVERFLOW` key and searches then sort as
before (:meth:`SQLiteSearch.date_ordered`). Costs and figures: benchmarks/README.md,
"Search in date order" and "Compact date keys".
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from veilleur.model import Post, format_datetime
from veilleur.query.analysis import RULES_VERSION, Doc, FieldWords, analyze, index_terms
from veilleur.query.ast import (
    And,
    DateBound,
    Entity,
    Field,
    Flag,
    MinCount,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Raw,
    Term,
    Title,
    Wildcard,
    Word,
    to_text,
)
from veilleur.query.matcher import evaluate, pattern_regex, word_stems
from veilleur.query.parser import parse_node
from veilleur.store.codec import SELECT_POST, row_to_post
from veilleur.store.search import IndexRow, RulesCheck, SearchError, SearchIndex

KEY_SLOTS = 64
"""Index keys a second holds in date order: a post's ``posts_fts`` rowid is its second's
range (:func:`second_range`) then a counter within it, so that the rowid deltas FTS5 stores
in its doclists stay small (a few bytes, where ``seconds << 30`` took six)."""
_EPOCH = datetime(1970, 1, 1)
_ONE_SECOND = timedelta(seconds=1)
_LAST_SECOND = (datetime(9999, 12, 31, 23, 59, 59) - _EPOCH) // _ONE_SECOND
OVERFLOW = 1 << 50
"""Keys from here on (``OVERFLOW + pk``) follow no date: a post that found no free key in
date order (more posts in one second than its range and the free ranges of the seconds after
it hold, or a date the store did not write). While any exists, searches sort by date as before
(:meth:`SQLiteSearch.date_ordered`)."""
KEY_TABLE = "posts_fts_key"
CREATE_KEYS = (
    f"CREATE TABLE {KEY_TABLE} (key INTEGER PRIMARY KEY, pk INTEGER NOT NULL)",
    f"CREATE UNIQUE INDEX {KEY_TABLE}_pk ON {KEY_TABLE} (pk)",
)
"""Which post an index rowid is (``key`` → ``pk``), and back: the search index's own table,
like ``posts_fts`` not declared in :mod:`veilleur.store.schema` (PostgreSQL has no use for
it)."""


_STORE_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_EPOCH_DAY = _EPOCH.toordinal()


def second_of(created_at: str) -> int | None:
    """The second of ``created_at`` since 1970, or None when the text is not the store's
    format (``format_datetime``: then its place in text order may not be its key's)."""
    if not isinstance(created_at, str) or not _STORE_DATE.fullmatch(created_at):
        return None
    try:
        moment = datetime.fromisoformat(created_at[:19])
    except ValueError:
        return None
    return (
        (moment.toordinal() - _EPOCH_DAY) * 86400
        + moment.hour * 3600
        + moment.minute * 60
        + moment.second
    )


def second_range(second: int) -> tuple[int, int]:
    """The first and last keys of ``second``'s own range: a newer second's range comes
    first (ascending keys go newest first), every key is positive and below
    :data:`OVERFLOW`."""
    first = (_LAST_SECOND - second) * KEY_SLOTS + 1
    return first, first + KEY_SLOTS - 1


_NEIGHBOURS = f"""
WITH s(at) AS (SELECT value FROM json_each(?1))
SELECT at,
  (SELECT k.key FROM posts p CROSS JOIN {KEY_TABLE} k ON k.pk = p.pk
   WHERE p.created_at > s.at AND k.key < {OVERFLOW}
   ORDER BY p.created_at, p.pk LIMIT 1),
  (SELECT k.key FROM posts p CROSS JOIN {KEY_TABLE} k ON k.pk = p.pk
   WHERE p.created_at <= s.at AND k.key < {OVERFLOW}
   ORDER BY p.created_at DESC, p.pk DESC LIMIT 1)
FROM s
"""


def assign_keys(conn: sqlite3.Connection, rows: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Give index keys to new posts ``(pk, created_at)`` — each ``pk`` above every post
    that has one — and record them (``posts_fts_key``); returns ``pk → key``.

    Ascending keys go as ``created_at DESC, pk DESC``: a new post of a second takes the key
    just below the second's posts already keyed (a later ``pk`` comes first), the first one
    the top of its second's range. When the range is used up, the keys below it (the ranges
    of the next seconds) are taken while no newer post holds them; when none is left, the
    post gets an :data:`OVERFLOW` key and searches sort again (as does a post whose ``pk``
    is below a keyed one's, which no writer makes). The order of every key below
    :data:`OVERFLOW` is then exactly the posts' order."""
    by_second: dict[int, list[int]] = {}
    text_of: dict[int, str] = {}
    keys: dict[int, int] = {}
    (above,) = conn.execute(f"SELECT coalesce(max(pk), 0) FROM {KEY_TABLE}").fetchone()
    for pk, created_at in rows:
        second = None if pk < above else second_of(created_at)
        if second is None:  # not the store's date, or a pk below a keyed one: no place known
            keys[pk] = OVERFLOW + pk
        else:
            by_second.setdefault(second, []).append(pk)
            text_of[second] = created_at
    if by_second:
        seconds = sorted(by_second)  # oldest first: each second fits above the older ones
        texts = [text_of[second] for second in seconds]
        found = {at: (lo, hi) for at, lo, hi in conn.execute(_NEIGHBOURS, (json.dumps(texts),))}
        newest_given: int | None = None  # the lowest key given in this batch so far
        for second, text in zip(seconds, texts, strict=True):
            lo, hi = found[text]  # keys of the nearest posts, newer and not newer
            if newest_given is not None and (hi is None or newest_given < hi):
                hi = newest_given
            top = second_range(second)[1]
            for pk in sorted(by_second[second]):
                key = top if hi is None else min(top, hi - 1)
                if key <= (0 if lo is None else lo):
                    keys[pk] = OVERFLOW + pk
                    continue
                keys[pk] = hi = key
            newest_given = hi
    conn.executemany(
        f"INSERT INTO {KEY_TABLE} (key, pk) VALUES (?, ?)", [(k, pk) for pk, k in keys.items()]
    )
    return keys


def keys_of(conn: sqlite3.Connection, pks: Sequence[int]) -> dict[int, int]:
    """The index keys of these posts (those that have one)."""
    found: dict[int, int] = {}
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        sql = f"SELECT pk, key FROM {KEY_TABLE} WHERE pk IN ({', '.join('?' for _ in chunk)})"
        found.update(conn.execute(sql, chunk).fetchall())
    return found


FTS_KEY_JOIN = (
    f"JOIN {KEY_TABLE} fts_k ON fts_k.pk = p.pk JOIN posts_fts ON posts_fts.rowid = fts_k.key"
)
"""How a query joins ``posts p`` to its index row (``posts_fts``)."""

PREFIX_LENGTHS = (3, 4)
"""The prefix lengths (in characters) FTS5 keeps an index for."""
FTS_COLUMNS = ("w", "fr", "en", "tw", "tfr", "ten", "tags", "ment", "cash", "dom", "meta")
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE posts_fts USING fts5 ({', '.join(FTS_COLUMNS)}, "
    f"tokenize = 'ascii', prefix = '{' '.join(str(n) for n in PREFIX_LENGTHS)}', "
    "content = '')"
)
"""Contentless (revision 0013, issue 19): FTS5 keeps the index (doclists with positions,
column sizes) but not the column values a second time — they are
:func:`index_values` of the post's ``text``, ``title`` and ``lang``, which ``posts``
holds. So nothing reads a column of ``posts_fts`` back: a proximity analyses its
candidates again (:data:`NEAR_FUNCTION`), a changed row is deleted with its old values
(:meth:`SQLiteSearch.reindex_posts`, FTS5's ``'delete'`` command), a rebuild empties the
table with ``'delete-all'`` (:func:`rebuild`), and :func:`indexed_rows` reads the columns
back from the index itself (for tests and checks).

Prefix indexes of 3 and 4 characters (revision 0012; it was ``'2 3 4'``: FTS5 builds
them for all 11 columns while only the word columns take prefix queries, and the one of 2
characters was the largest). Any other prefix that starts at most :data:`MAX_PREFIX_WORDS`
words is expanded into them (:func:`prefix_terms`, from ``posts_fts_words``): the OR of a
few words streams in rowid order and stops at the limit, where FTS5 merges every doclist of
a prefix it has no index for before the first row. Figures: benchmarks/README.md, "Compact
date keys"."""
WORDS_TABLE = "posts_fts_words"
CREATE_WORDS = f"CREATE TABLE {WORDS_TABLE} (word TEXT PRIMARY KEY) WITHOUT ROWID"
"""Every word of the word columns (``w``, ``tw``) of the index, escaped as FTS5 holds it:
what wildcards and prefixes expand into (a word stays when the posts that had it change
language: it then matches nothing, which is still exact)."""
INSERT_FTS = (
    f"INSERT INTO posts_fts (rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in FTS_COLUMNS)})"
)
DELETE_FTS = (
    f"INSERT INTO posts_fts (posts_fts, rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES ('delete', ?, {', '.join('?' for _ in FTS_COLUMNS)})"
)
"""Remove an index row of the contentless ``posts_fts``: its rowid and the very values it
was inserted with (other values would leave its terms in the index)."""
MATCH_FUNCTION = "veilleur_match"

_ESCAPE = {
    c: chr(0xE000 + c) for c in range(0x21, 0x7F) if not chr(c).isalnum() or chr(c).isupper()
}


_UNESCAPE = {ord(v): k for k, v in _ESCAPE.items()}


def unescape(term: str) -> str:
    return term.translate(_UNESCAPE)


def escape(token: str) -> str:
    """A token as one FTS5 ``ascii`` token: ASCII punctuation to private-use characters."""
    return token.translate(_ESCAPE)


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(chr(c) for c in _ESCAPE)) + "]")
_FREQUENT_ESCAPES = [(c, _ESCAPE[ord(c)]) for c in "'.@-_/"]


def _join(tokens: Iterable[str]) -> str:
    # Escaping leaves spaces alone, so one translate of the joined text does for all its
    # tokens, and most texts (plain folded words) need none.
    joined = " ".join(tokens)
    return joined.translate(_ESCAPE) if _NEEDS_ESCAPE.search(joined) else joined


def index_row(doc: Doc) -> tuple[str, ...]:
    """The values of :data:`FTS_COLUMNS` for a post analysed as ``doc``."""
    text, title = doc.fields["text"], doc.fields["title"]
    fr = "fr" in doc.readings
    en = "en" in doc.readings
    return (
        _join(text.words),
        _join(doc.stems("fr", "text")) if fr else "",
        _join(doc.stems("en", "text")) if en else "",
        _join(title.words),
        _join(doc.stems("fr", "title")) if fr else "",
        _join(doc.stems("en", "title")) if en else "",
        _join(sorted(doc.hashtags)),
        _join(sorted(doc.mentions)),
        _join(sorted(doc.cashtags)),
        _join(sorted(doc.domains)),
        "link" if doc.urls else "",
    )


def index_values(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
    """``index_row(analyze(text, title, lang))``, by the indexing path
    (:func:`veilleur.query.analysis.index_terms`; a test holds them equal)."""
    terms = index_terms(text, title, lang)
    joined = "\x00".join(terms)  # the 11 columns at once (unless a term holds a NUL)
    if joined.count("\x00") != len(terms) - 1:
        return tuple(t.translate(_ESCAPE) for t in terms)
    # What escape() does, the frequent characters by str.replace (translate with a dict
    # costs ~20 ns a character): the same text, as each maps to one character escape()
    # leaves alone.
    for char, escaped in _FREQUENT_ESCAPES:
        if char in joined:
            joined = joined.replace(char, escaped)
    if _NEEDS_ESCAPE.search(joined) is not None:
        joined = joined.translate(_ESCAPE)
    return tuple(joined.split("\x00"))


IndexValues = Callable[[str, str | None, str | None], tuple[str, ...]]
"""A post's index values from ``(text, title, effective lang)``: :func:`index_values`."""


def index_rows(
    rows: Iterable[IndexRow],
    keys: Mapping[int, int],
    values: IndexValues | None = None,
) -> list[tuple[Any, ...]]:
    """``(rowid, *index_row)`` for ``(pk, created_at, text, title, lang)`` rows of
    ``posts`` whose index keys are ``keys[pk]`` (:func:`assign_keys`), in rowid order;
    ``values``: :func:`index_values`, or its answers computed ahead by an import's worker
    (:meth:`veilleur.store.prepared.Prepared.values_of`).

    In rowid order because FTS5 flushes its pending terms to a new segment whenever a rowid
    is not above the last one written: posts inserted in the order of their dates' keys make
    one segment a batch, in any other order nearly one a post (measured: a fifth more CPU
    per post imported). (``values`` is looked up when called, not when this module is
    loaded, so that a test replacing :func:`index_values` replaces it everywhere.)"""
    analyse = values or index_values
    return sorted(
        (keys[pk], *analyse(text, title, lang)) for pk, _created_at, text, title, lang in rows
    )


def write_rows(conn: sqlite3.Connection, prepared: Sequence[tuple[Any, ...]]) -> None:
    """Insert :func:`index_rows`' rows into ``posts_fts`` and their words into
    ``posts_fts_words``."""
    conn.executemany(INSERT_FTS, prepared)
    words: set[str] = set()
    for row in prepared:
        words.update(row[1].split(" "))
        words.update(row[4].split(" "))
    words.discard("")
    conn.executemany(f"INSERT OR IGNORE INTO {WORDS_TABLE} VALUES (?)", [(w,) for w in words])


_READ_ROWS = "SELECT pk, created_at, text, title, lang FROM posts WHERE pk > ? ORDER BY pk LIMIT ?"


def _stored_rows(conn: sqlite3.Connection, pks: Sequence[int]) -> list[IndexRow]:
    """The :class:`IndexRow` of these posts as ``posts`` holds them now."""
    found: list[IndexRow] = []
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        found.extend(
            conn.execute(
                "SELECT pk, created_at, text, title, lang FROM posts "
                f"WHERE pk IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ).fetchall()
        )
    return found


def indexed_rows(conn: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    """Every row of ``posts_fts`` as the values of :data:`FTS_COLUMNS`, read back from the
    index itself (its terms and their positions, ``fts5vocab``): the table is contentless,
    and these are what a search reads. A value is its terms in position order joined by
    spaces — the value inserted, as every term is one ``ascii`` token (:func:`escape`).
    Reads the whole index: for tests and checks, not for searches."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.posts_fts_instances "
        "USING fts5vocab(main, posts_fts, instance)"
    )
    terms: dict[int, dict[str, list[tuple[int, str]]]] = {}
    for term, doc, column, offset in conn.execute(
        "SELECT term, doc, col, offset FROM temp.posts_fts_instances"
    ):
        terms.setdefault(doc, {}).setdefault(column, []).append((offset, term))
    for (doc,) in conn.execute("SELECT rowid FROM posts_fts"):
        terms.setdefault(doc, {})
    return {
        doc: tuple(" ".join(t for _, t in sorted(columns.get(c, []))) for c in FTS_COLUMNS)
        for doc, columns in terms.items()
    }


def reindex(
    conn: sqlite3.Connection,
    after_pk: int = 0,
    batch: int = 2000,
    progress: Callable[[int], object] | None = None,
    values: IndexValues | None = None,
) -> int:
    """Index the posts with ``pk > after_pk``, not indexed yet, above every indexed post's
    ``pk`` (in the caller's transaction); ``progress(n)`` after each batch of ``n`` posts;
    ``values`` as :func:`index_rows`."""
    done = 0
    last = after_pk
    while True:
        rows = conn.execute(_READ_ROWS, (last, batch)).fetchall()
        if not rows:
            return done
        keys = assign_keys(conn, [(r[0], r[1]) for r in rows])
        write_rows(conn, index_rows(rows, keys, values))
        done += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(len(rows))


# -- verification function ------------------------------------------------------------------

_NO_POST = Post(id="", network="", author="", text="", created_at=datetime.min.replace(tzinfo=UTC))


@lru_cache(maxsize=256)
def _node(text: str) -> Node:
    return parse_node(text)


@lru_cache(maxsize=64)
def _doc(text: str, title: str | None, lang: str | None) -> Doc:
    return analyze(text, title, lang)


def _match(query: str, text: str, title: str | None, lang: str | None) -> int:
    return int(evaluate(_node(query), _doc(text, title, lang), _NO_POST))


def _column_words(value: str | None) -> list[str]:
    return unescape(value).split(" ") if value else []


def index_doc(w: str, fr: str, en: str, tw: str, tfr: str, ten: str) -> Doc:
    """The words and stems of a post as its index row holds them (:func:`index_row`'s
    inverse for those columns): what a proximity needs. Readings are those whose stem
    columns are filled (an empty one has no positions)."""
    stems = {
        ("fr", "text"): _column_words(fr),
        ("fr", "title"): _column_words(tfr),
        ("en", "text"): _column_words(en),
        ("en", "title"): _column_words(ten),
    }
    read = tuple(r for r in ("fr", "en") if stems[(r, "text")] or stems[(r, "title")])
    return Doc(
        fields={
            "text": FieldWords(_column_words(w), []),
            "title": FieldWords(_column_words(tw), []),
        },
        readings=read or ("fr",),
        hashtags=frozenset(),
        mentions=frozenset(),
        cashtags=frozenset(),
        urls=(),
        _stems=stems,
    )


NEAR_FUNCTION = "veilleur_near"
NEAR_CHECKS = [0]
"""How many proximities :data:`NEAR_FUNCTION` decided in this process — each one the
analysis of one candidate's text by the indexing path (what a test reads to see that a
proximity is checked on FTS5's candidates only)."""


def _near_match(query: str, text: str, title: str | None, lang: str | None) -> int:
    # The index is contentless (revision 0013): the words and stems of the candidate's row
    # are made again by the path that made the row (index_values, ~12–25 µs a post), not
    # by analyze(): the same values (tests/test_index_terms.py holds them equal).
    NEAR_CHECKS[0] += 1
    w, fr, en, tw, tfr, ten, *_ = index_values(text, title, lang)
    return int(evaluate(_node(query), index_doc(w, fr, en, tw, tfr, ten), _NO_POST))


def register_functions(conn: sqlite3.Connection) -> None:
    """Register ``veilleur_match`` and ``veilleur_near`` on ``conn`` (needed by compiled
    queries)."""
    conn.create_function(MATCH_FUNCTION, 4, _match, deterministic=True)
    conn.create_function(NEAR_FUNCTION, 4, _near_match, deterministic=True)


MAX_EXPANSION = 2000
MAX_NEAR_PRODUCT = 32  # FTS5 NEAR() groups one proximity of expanded wildcards may become
MAX_PREFIX_WORDS = 64
"""A prefix that starts more indexed words is left to FTS5's own prefix query (the same
posts): an OR costs 10–40 µs a word to open, FTS5's prefix query a time that grows with the
posts the prefix matches (measured, benchmarks/README.md)."""


def _words(conn: sqlite3.Connection, prefix: str) -> Iterator[str]:
    """The indexed words (escaped) that start with ``prefix`` (escaped; "" for all)."""
    sql = f"SELECT word FROM {WORDS_TABLE}"
    if not prefix:
        return (w for (w,) in conn.execute(sql))
    sql += " WHERE word >= ? AND word < ?"
    return (w for (w,) in conn.execute(sql, (prefix, prefix + "\U0010ffff")))


def prefix_terms(conn: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The indexed words (escaped, for FTS5) that start with ``prefix``, or None when
    there are more than :data:`MAX_PREFIX_WORDS`.

    Exact: every word of the word columns is in ``posts_fts_words``, so a post whose words
    have this prefix holds one of them in those columns. Read in the table's order (a
    range of its primary key) and so cheap: the OR of them streams in rowid order, where
    FTS5's prefix query without a prefix index merges every matching doclist first."""
    found = list(itertools.islice(_words(conn, escape(prefix)), MAX_PREFIX_WORDS + 1))
    return None if len(found) > MAX_PREFIX_WORDS else found


def wildcard_terms(conn: sqlite3.Connection, pattern: str) -> list[str] | None:
    """The indexed words matching a wildcard pattern (escaped, ready for FTS5), or None
    when there are more than :data:`MAX_EXPANSION` (then the matcher decides).

    Exact: every word of the word columns is in ``posts_fts_words``, so the words a post
    has that match the pattern are among these."""
    regex = pattern_regex(pattern)
    found: list[str] = []
    for term in _words(conn, escape(Wildcard(pattern).prefix)):
        if regex.fullmatch(unescape(term)):
            found.append(term)
            if len(found) > MAX_EXPANSION:
                return None
    return found


# -- compiler ------------------------------------------------------------------------------


def _q(token: str) -> str:
    return '"' + escape(token) + '"'


def _phrase(tokens: Sequence[str]) -> str:
    return '"' + _join(tokens) + '"'


@dataclass(slots=True)
class Piece:
    """A node's meaning as ``fts`` (FTS5 expression) AND ``sql`` (condition over ``posts p``)
    AND NOT ``neg`` (FTS5 expression); any of them may be missing."""

    fts: str | None = None
    sql: str | None = None
    params: list[Any] = field(default_factory=list)
    neg: str | None = None

    @property
    def pure_fts(self) -> bool:
        return self.fts is not None and self.sql is None and self.neg is None


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """What runs: ``posts_fts MATCH fts`` (when ``fts``) joined with ``where`` on ``p``."""

    fts: str | None
    where: str
    params: tuple[Any, ...]
    keys_from: int | None = None
    keys_to: int | None = None
    """Bounds on the index keys of the matches (``posts_fts.rowid``, which FTS5 reads as a
    range): implied by the query's dates (:meth:`SQLiteSearch.compile`), never narrower
    than ``where``."""

    def from_where(self) -> tuple[str, list[Any]]:
        """``FROM posts p [JOIN posts_fts …] [WHERE …]`` and its parameters: add your own
        SELECT, GROUP BY or ORDER BY around it."""
        sql = "FROM posts p"
        params: list[Any] = []
        conditions = []
        if self.fts is not None:
            sql += " " + FTS_KEY_JOIN
            conditions.append("posts_fts MATCH ?")
            params.append(self.fts)
            if self.keys_from is not None:
                conditions.append(f"posts_fts.rowid >= {int(self.keys_from)}")
            if self.keys_to is not None:
                conditions.append(f"posts_fts.rowid <= {int(self.keys_to)}")
        if self.where:
            conditions.append(self.where)
            params.extend(self.params)
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        return sql, params

    def select(self, columns: str, *, order: str, limit: int | None) -> tuple[str, list[Any]]:
        """A complete SELECT statement and its parameters."""
        body, params = self.from_where()
        sql = f"SELECT {columns} {body} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params


FTS_PKS = (
    f"SELECT fts_k.pk FROM posts_fts JOIN {KEY_TABLE} fts_k ON fts_k.key = posts_fts.rowid "
    "WHERE posts_fts MATCH ?"
)
"""The posts whose index row matches (one parameter: the FTS5 expression)."""
_IN_FTS = f"p.pk IN ({FTS_PKS})"
_NOT_IN_FTS = f"p.pk NOT IN ({FTS_PKS})"


def _rest(piece: Piece) -> tuple[str, list[Any]]:
    """The SQL condition of ``piece`` without its positive FTS part."""
    parts: list[str] = []
    params: list[Any] = []
    if piece.neg is not None:
        parts.append(_NOT_IN_FTS)
        params.append(piece.neg)
    if piece.sql is not None:
        parts.append(piece.sql)
        params.extend(piece.params)
    return " AND ".join(parts), params


def _as_sql(piece: Piece) -> tuple[str, list[Any]]:
    """The whole of ``piece`` as one SQL condition over ``posts p``."""
    rest, params = _rest(piece)
    if piece.fts is None:
        return rest or "1", params
    if not rest:
        return _IN_FTS, [piece.fts]
    return f"{_IN_FTS} AND {rest}", [piece.fts, *params]


def _verify(node: Node) -> Piece:
    return Piece(sql=f"{MATCH_FUNCTION}(?, p.text, p.title, p.lang)", params=[to_text(node)])


def _verify_near(node: Near) -> Piece:
    """A proximity decided on the positions of the candidate's index row (its word and
    stem columns, made again from the post: the index keeps no copy of them), by the
    matcher's own rule."""
    return Piece(
        sql=f"{NEAR_FUNCTION}(?, p.text, p.title, p.lang)",
        params=[to_text(node)],
    )


def _with(narrow: Piece, verify: Piece) -> Piece:
    sql = verify.sql if narrow.sql is None else f"{narrow.sql} AND {verify.sql}"
    return Piece(narrow.fts, sql, [*narrow.params, *verify.params])


_TEXT = ("w", "tw")
_STEMS = (("fr", "tfr"), ("en", "ten"))


def _cols(names: Sequence[str]) -> str:
    return "{" + " ".join(names) + "} : "


class SQLiteCompiler:
    """Query tree → :class:`CompiledQuery` for the SQLite store.

    With a connection, ``?`` and inner ``*`` wildcards are expanded into the indexed words
    that match them (exact, and fast); without one they are narrowed by their prefix and
    decided by the matcher.
    """

    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        self.conn = conn

    def compile(self, node: Node) -> CompiledQuery:
        piece = self.piece(node)
        where, params = _rest(piece)
        return CompiledQuery(piece.fts, where, tuple(params))

    # -- terms ---------------------------------------------------------------------------

    def term_fts(self, term: Term, title_only: bool = False) -> str | None:
        """The exact FTS5 expression of a term, or None when FTS5 cannot say it."""
        if isinstance(term, Word):
            return (
                "("
                + " OR ".join(
                    _cols(cols[1:] if title_only else cols) + _phrase(word_stems(term.tokens, lang))
                    for lang, cols in zip(("fr", "en"), _STEMS, strict=True)
                )
                + ")"
            )
        cols = _cols(_TEXT[1:] if title_only else _TEXT)
        if isinstance(term, Phrase):
            return cols + _phrase(term.tokens)
        if term.is_prefix:
            return cols + _q(term.prefix) + " *"
        return None

    def term_piece(self, term: Term, node: Node, title_only: bool = False) -> Piece:
        exact = self.term_fts(term, title_only)
        if exact is not None:
            if (
                isinstance(term, Wildcard)
                and term.prefix
                and len(escape(term.prefix)) not in PREFIX_LENGTHS
                and self.conn is not None
            ):
                words = prefix_terms(self.conn, term.prefix)
                if words is not None:  # the words it starts (no prefix index)
                    if not words:
                        return Piece(sql="0")
                    cols = _cols(_TEXT[1:] if title_only else _TEXT)
                    return Piece(fts=cols + "(" + " OR ".join(f'"{w}"' for w in words) + ")")
            return Piece(fts=exact)
        assert isinstance(term, Wildcard)
        prefix = term.prefix
        cols = _cols(_TEXT[1:] if title_only else _TEXT)
        terms = wildcard_terms(self.conn, term.pattern) if self.conn is not None else None
        if terms is not None:
            if not terms:
                return Piece(sql="0")
            return Piece(fts=cols + "(" + " OR ".join(f'"{t}"' for t in terms) + ")")
        narrow = Piece(fts=cols + _q(prefix) + " *") if prefix else Piece()
        return _with(narrow, _verify(node))

    def near(self, node: Near) -> Piece:
        operands = node.operands
        k = len(operands)
        lengths = [1 if isinstance(t, Wildcard) else len(t.tokens) for t in operands]
        distance = (
            node.distance
            if k == 2 or not node.ordered
            else (node.distance * (k - 1) + sum(lengths))
        )
        fts: str | None = None
        if all(isinstance(t, Word) for t in operands):
            fts = (
                "("
                + " OR ".join(
                    _cols((col,))
                    + "NEAR("
                    + " ".join(_phrase(word_stems(t.tokens, lang)) for t in operands)  # type: ignore[union-attr]
                    + f", {distance})"
                    for lang, cols in zip(("fr", "en"), _STEMS, strict=True)
                    for col in cols
                )
                + ")"
            )
        elif all(
            isinstance(t, Phrase) or (isinstance(t, Wildcard) and t.is_prefix) for t in operands
        ):
            inner = " ".join(
                _q(t.prefix) + " *" if isinstance(t, Wildcard) else _phrase(t.tokens)
                for t in operands
            )
            fts = f"{_cols(_TEXT)}NEAR({inner}, {distance})"
        if fts is not None and not node.ordered:
            return Piece(fts=fts)
        if fts is None:
            expanded = self.expand_near(node, distance)
            if expanded is not None:
                fts, exact = expanded
                if fts is None:
                    return Piece(sql="0")  # a wildcard no indexed word matches
                if exact and not node.ordered:
                    return Piece(fts=fts)
        if fts is None:
            narrowing = [p for t in operands if (p := self.term_fts(t)) is not None]
            if not narrowing:
                narrowing = [
                    _cols(_TEXT) + _q(t.prefix) + " *"
                    for t in operands
                    if isinstance(t, Wildcard) and t.prefix
                ]
            fts = " AND ".join(narrowing) if narrowing else None
        return _with(Piece(fts=fts), _verify_near(node))

    def expand_near(self, node: Near, distance: int) -> tuple[str | None, bool] | None:
        """A proximity of phrases and wildcards with its wildcards expanded into the indexed
        words that match them (issue 14: ``a? NEAR/100 ?e`` rechecked every post that has a
        word in ``a``). When the product of the expansions is at most
        :data:`MAX_NEAR_PRODUCT`, one FTS5 ``NEAR()`` per combination (exact for NEAR);
        otherwise every operand must be present (FTS5 narrows, positions decide). Returns the
        FTS5 expression (None: nothing can match) and whether it is exact for an unordered
        proximity; None when an operand cannot be expanded (no connection, a stemmed word,
        too many matching words)."""
        if self.conn is None or not all(isinstance(t, Phrase | Wildcard) for t in node.operands):
            return None
        alternatives: list[list[str]] = []
        for term in node.operands:
            if isinstance(term, Phrase):
                alternatives.append([_phrase(term.tokens)])
            elif not isinstance(term, Wildcard):
                return None
            elif term.is_prefix:
                alternatives.append([_q(term.prefix) + " *"])
            else:
                terms = wildcard_terms(self.conn, term.pattern)
                if terms is None:
                    return None
                if not terms:
                    return None, True
                alternatives.append([f'"{t}"' for t in terms])
        if math.prod(len(a) for a in alternatives) <= MAX_NEAR_PRODUCT:
            groups = [
                "NEAR(" + " ".join(combo) + f", {distance})"
                for combo in itertools.product(*alternatives)
            ]
            return _cols(_TEXT) + "(" + " OR ".join(groups) + ")", True
        each = [_cols(_TEXT) + "(" + " OR ".join(a) + ")" for a in alternatives]
        return " AND ".join(f"({e})" for e in each), False

    # -- everything ----------------------------------------------------------------------

    def piece(self, node: Node) -> Piece:
        if isinstance(node, And):
            return self.conjunction([self.piece(c) for c in node.children])
        if isinstance(node, Or):
            return self.disjunction([self.piece(c) for c in node.children])
        if isinstance(node, Not):
            inner = self.piece(node.child)
            if inner.pure_fts:
                return Piece(neg=inner.fts)
            if inner.fts is None and inner.sql is None and inner.neg is not None:
                return Piece(fts=inner.neg)
            sql, params = _as_sql(inner)
            return Piece(sql=f"NOT ({sql})", params=params)
        if isinstance(node, Word | Phrase | Wildcard):
            return self.term_piece(node, node)
        if isinstance(node, Title):
            return self.term_piece(node.term, node, title_only=True)
        if isinstance(node, Near):
            return self.near(node)
        if isinstance(node, Raw):
            return _with(Piece(fts=_cols(_TEXT) + _phrase(node.folded)), _verify(node))
        if isinstance(node, Entity):
            column = {"hashtag": "tags", "mention": "ment", "cashtag": "cash"}[node.kind]
            return Piece(fts=_cols((column,)) + _q(node.value))
        return self.meta(node)

    def meta(self, node: Field | DateBound | Flag | MinCount) -> Piece:
        if isinstance(node, Field):
            if node.name == "author":
                return Piece(sql="p.author = ? COLLATE NOCASE", params=[node.value])
            if node.name == "network":
                return Piece(sql="p.network = ?", params=[node.value])
            if node.name == "lang":
                code = "lower(replace(coalesce(p.lang, ''), '_', '-'))"
                sql = f"({code} = ? OR {code} LIKE ? || '-%')"
                if node.value == "und":
                    sql = f"(p.lang IS NULL OR p.lang = '' OR {sql[1:-1]})"
                return Piece(sql=sql, params=[node.value, node.value])
            if node.name == "site":
                return Piece(fts=_cols(("dom",)) + _q(node.value))
            narrow = (
                Piece(sql="instr(lower(p.text), ?) > 0", params=[node.value])
                if node.value.isascii()
                else Piece()
            )
            return _with(narrow, _verify(node))
        if isinstance(node, DateBound):
            bound = format_datetime(datetime.combine(node.day, time(0), tzinfo=UTC))
            op = ">=" if node.name == "since" else "<"
            return Piece(sql=f"p.created_at {op} ?", params=[bound])
        if isinstance(node, Flag):
            if node.name == "link":
                return Piece(fts=_cols(("meta",)) + '"link"')
            column = {
                "media": "media",
                "reply": "reply_to",
                "repost": "repost_of",
                "quote": "quote_of",
            }[node.name]
            return Piece(sql=f"p.{column} IS NOT NULL")
        # NULL (count unknown) must be false, not unknown, or NOT would drop the post.
        return Piece(sql=f"coalesce(p.{node.name} >= ?, 0)", params=[node.value])

    def conjunction(self, pieces: list[Piece]) -> Piece:
        positive = [p.fts for p in pieces if p.fts is not None]
        negative = [p.neg for p in pieces if p.neg is not None]
        fts: str | None = None
        neg: str | None = None
        if positive:
            fts = " AND ".join(f"({f})" for f in positive)
            if negative:
                fts = f"({fts}) NOT ({' OR '.join(f'({n})' for n in negative)})"
        elif negative:
            neg = " OR ".join(f"({n})" for n in negative)
        conditions = [f"({p.sql})" for p in pieces if p.sql is not None]
        params = [v for p in pieces if p.sql is not None for v in p.params]
        return Piece(fts, " AND ".join(conditions) or None, params, neg)

    def disjunction(self, pieces: list[Piece]) -> Piece:
        if all(p.pure_fts for p in pieces):
            return Piece(fts=" OR ".join(f"({p.fts})" for p in pieces))
        conditions: list[str] = []
        params: list[Any] = []
        for piece in pieces:
            sql, more = _as_sql(piece)
            conditions.append(f"({sql})")
            params.extend(more)
        return Piece(sql=" OR ".join(conditions), params=params)


# -- the search index of the SQLite store ---------------------------------------------------

_ORDER = "p.created_at DESC, p.pk DESC"
_POST_COLUMNS = SELECT_POST.removeprefix("SELECT ").removesuffix(" FROM posts p")


@contextmanager
def search_refused() -> Iterator[None]:
    """FTS5 refusing an expression (a term it cannot parse) as a :class:`SearchError`."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc) and "MATCH" not in str(exc):
            raise
        raise SearchError(f"the search index cannot answer this query ({exc})") from None


RULES_SETTING = "search.rules"
"""The setting that records the :data:`veilleur.query.analysis.RULES_VERSION` the index was
built with (absent: built before the setting existed, by version "1")."""


def rebuild(
    tx: sqlite3.Connection, progress: Callable[[int], object] | None = None, batch: int = 2000
) -> int:
    """Empty ``posts_fts`` and index every post again with today's rules (in the caller's
    transaction); ``progress(n)`` after each batch of ``n`` posts."""
    tx.execute("INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')")
    tx.execute(f"DELETE FROM {KEY_TABLE}")
    tx.execute(f"DELETE FROM {WORDS_TABLE}")
    return reindex(tx, 0, batch, progress)


class SQLiteSearch(RulesCheck):
    """:class:`veilleur.store.search.SearchIndex` over ``posts_fts`` (FTS5) on ``conn``,
    the store's connection (with :func:`register_functions` applied).

    ``built_with`` is the rules version the index was built with (read by the store on
    opening); when it is not today's, searching raises a :class:`SearchError` naming
    ``veilleur reindex`` rather than answering from words the matcher no longer sees."""

    def __init__(self, conn: sqlite3.Connection, built_with: str = RULES_VERSION) -> None:
        self.conn = conn
        self.built_with = built_with

    def index_posts(self, tx: sqlite3.Connection, rows: Iterable[IndexRow]) -> int:
        rows = list(rows)
        keys = keys_of(tx, [r[0] for r in rows])
        new = [(r[0], r[1]) for r in rows if r[0] not in keys]
        if new:
            keys.update(assign_keys(tx, new))
        prepared = index_rows(rows, keys)
        write_rows(tx, prepared)
        return len(prepared)

    def index_after(
        self,
        tx: sqlite3.Connection,
        after_pk: int,
        values: IndexValues | None = None,
    ) -> int:
        return reindex(tx, after_pk, values=values)

    def reindex_posts(self, tx: sqlite3.Connection, rows: Sequence[IndexRow]) -> int:
        # `veilleur relang` (issue 15): a post whose language changed is read anew. The
        # index is contentless: its old row is deleted by giving FTS5 the values it was
        # made of, those of the post as ``posts`` still holds it (the caller changes the
        # posts after this call). A stale index (made by other text rules) is left alone:
        # its old values cannot be made again (FTS5 reads a delete with other values as a
        # corrupt index), and it answers nothing until `veilleur reindex` rebuilds it.
        if self.stale:
            return 0
        keys = keys_of(tx, [r[0] for r in rows])
        if keys:
            stored = _stored_rows(tx, list(keys))
            tx.executemany(DELETE_FTS, index_rows(stored, keys))
        return self.index_posts(tx, rows)

    def compile(self, node: Node) -> CompiledQuery:
        self._check_fresh()
        compiled = SQLiteCompiler(self.conn).compile(node)
        if compiled.fts is None:
            return compiled
        bounds = node.children if isinstance(node, And) else (node,)
        keys_from: int | None = None
        keys_to: int | None = None
        for bound in bounds:
            if not isinstance(bound, DateBound):
                continue
            day = format_datetime(datetime.combine(bound.day, time(0), tzinfo=UTC))
            if bound.name == "until":
                key = self._edge_key(day, newest_before=True)
                key = OVERFLOW if key is None else key
                keys_from = key if keys_from is None else max(keys_from, key)
            elif self.date_ordered():
                key = self._edge_key(day, newest_before=False)
                key = 0 if key is None else key
                keys_to = key if keys_to is None else min(keys_to, key)
        if keys_from is None and keys_to is None:
            return compiled
        return dataclasses.replace(compiled, keys_from=keys_from, keys_to=keys_to)

    def _edge_key(self, day: str, *, newest_before: bool) -> int | None:
        """The key of the newest post dated before ``day`` (``until:``: every match has a
        key at least that, or an overflow key), or of the oldest post dated at or after it
        (``since:``, when every key is ordered: every match has a key at most that)."""
        if newest_before:
            where, order = "p.created_at < ?", "p.created_at DESC, p.pk DESC"
        else:
            where, order = "p.created_at >= ?", "p.created_at, p.pk"
        found = self.conn.execute(
            f"SELECT k.key FROM posts p CROSS JOIN {KEY_TABLE} k ON k.pk = p.pk "
            f"WHERE {where} AND k.key < {OVERFLOW} ORDER BY {order} LIMIT 1",
            (day,),
        ).fetchone()
        return None if found is None else int(found[0])

    def date_ordered(self) -> bool:
        """Whether every post's index rowid follows its date (no :data:`OVERFLOW` key): one
        probe of ``posts_fts_key``."""
        found = self.conn.execute(
            f"SELECT 1 FROM {KEY_TABLE} WHERE key >= {OVERFLOW} LIMIT 1"
        ).fetchone()
        return found is None

    def select(
        self, node: Node, *, sort: str = "date", limit: int | None = 50
    ) -> tuple[str, list[Any]]:
        """The SELECT statement (and parameters) of :meth:`search`.

        Newest first with words: the index is read in rowid order and the search stops at
        the limit (ascending rowids go as ``created_at DESC, pk DESC``: the same posts in
        the same order)."""
        compiled = self.compile(node)
        order = _ORDER
        if compiled.fts is not None:
            if sort == "relevance":
                order = "bm25(posts_fts), " + order
            elif self.date_ordered():
                order = "posts_fts.rowid"
        return compiled.select(_POST_COLUMNS, order=order, limit=limit)

    def search(self, node: Node, *, sort: str = "date", limit: int | None = 50) -> list[Post]:
        sql, params = self.select(node, sort=sort, limit=limit)
        with search_refused():
            return [row_to_post(r) for r in self.conn.execute(sql, params)]

    def count(self, node: Node) -> int:
        compiled = self.compile(node)
        quick = self.count_index_only(compiled)
        if quick is not None:
            return quick
        body, params = compiled.from_where()
        with search_refused():
            return int(self.conn.execute(f"SELECT count(*) {body}", params).fetchone()[0])

    def count_index_only(self, compiled: CompiledQuery) -> int | None:
        """How many posts match a query made of words only (no condition on ``posts``),
        counted in the index alone: every post has exactly one index row, so this is the
        same number without reading each matching post (3–11 ms instead of 16–100 ms for
        10,000–70,000 matches at 200,000 posts). None for other queries."""
        if compiled.fts is None or compiled.where:
            return None
        with search_refused():
            return int(
                self.conn.execute(
                    "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", (compiled.fts,)
                ).fetchone()[0]
            )


if TYPE_CHECKING:

    def _implements_the_interface(conn: sqlite3.Connection) -> SearchIndex:
        return SQLiteSearch(conn)  # mypy checks SQLiteSearch against the protocol
