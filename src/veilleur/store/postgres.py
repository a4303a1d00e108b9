"""The PostgreSQL store (issue 17): the same seam as :class:`SQLiteStore`, another engine.

A workspace is kept in PostgreSQL when its database URL (``VEILLEUR_DATABASE_URL``, or the
``database.url`` file of the workspace folder, see :mod:`veilleur.workspace`) is
``postgresql://…``. :class:`PostgresStore` is a :class:`SQLiteStore` whose connection is
a psycopg 3 one wrapped by :class:`veilleur.store.dialect.PgConnection`: every statement
of the store and the pillars' ``tables.py`` runs unchanged, rewritten once by
:func:`veilleur.store.dialect.translate`.

What differs from SQLite:

* **Schema**: Alembic's chain in ``store/alembic_pg/`` (baseline ``pg0001``, built from the
  same declarations, :func:`pg_metadata`), not SQLite's legacy ladder.
* **Transactions**: ``BEGIN`` then ``pg_advisory_xact_lock`` on one key per database: one
  writer at a time, as ``BEGIN IMMEDIATE`` gives on SQLite, so what the pillars count inside a
  transaction (seats of an event, ``max(id) + 1`` of stories) stays exact with several
  processes; reads never wait. Transactions that write only rows of their own (posts, one
  source's state: ``transaction(shared=True)``) take it in shared mode and run side by
  side; posts are inserted in commit order (``POSTS_LOCK``).
* **Ingest**: ``COPY`` into a temporary table and one ``INSERT … SELECT`` per batch
  (:meth:`PostgresStore._write`).
* **Search**: :class:`PgSearch` — a ``tsvector`` per post selects candidates, the
  in-memory matcher decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import fields, replace
from datetime import UTC, datetime, time
from functools import lru_cache
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Integer,
    MetaData,
    create_engine,
    func,
    make_url,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import COUNT_FIELDS, Post, format_datetime, utcnow
from veilleur.query.analysis import RULES_VERSION, analyze
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
    Title,
    Wildcard,
    Word,
)
from veilleur.query.matcher import compile_node, word_stems
from veilleur.store import search_sqlite
from veilleur.store.codec import POST_COLUMNS, SELECT_POST, pack_raw, post_to_row, row_to_post
from veilleur.store.dialect import PgConnection
from veilleur.store.health import StorageError
from veilleur.store.languages import settle_language
from veilleur.store.maintenance import Finding
from veilleur.store.pgterms import (
    LONG,
    PAIRS,
    POSITIONS,
    POSITIONS_SETTING,
    STEM_POSITIONS,
    WORD_POSITIONS,
    _lexeme,
    pair,
    paired,
    positions_level,
    terms_of,
)
from veilleur.store.prepared import AnalysisPool, Prepared
from veilleur.store.schema import posts_table
from veilleur.store.search import IndexRow, RulesCheck
from veilleur.store.search_sqlite import RULES_SETTING
from veilleur.store.sqlite import (
    _UPDATE_COUNTS,
    MatchSummary,
    SQLiteStore,
    WriteResult,
    _is_newer,
    last_records,
)

if TYPE_CHECKING:
    import sqlite3

    from veilleur.store.search import SearchIndex

WRITE_LOCK = 0x7665696C  # "veil": the advisory lock key of the store's write transactions
POSTS_LOCK = 0x76656970  # "veip": held from inserting posts to commit (see PostgresStore._write)
STAGING = "veilleur_posts_staging"  # a temporary table per connection: the COPY's target
_STAGED = ", ".join(POST_COLUMNS)


def engine_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named (``postgresql+psycopg://``)."""
    scheme, rest = url.split(":", 1)
    return "postgresql+psycopg:" + rest if scheme.lower() != "postgresql+psycopg" else url


def libpq_url(url: str) -> str:
    """``url`` as libpq takes it (``postgresql://``, whatever driver it names)."""
    return (
        make_url(engine_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def shown(url: str) -> str:
    """``url`` without its password, for messages: the one in the user part and a
    ``password=`` parameter (libpq reads both)."""
    try:
        masked = make_url(url).render_as_string(hide_password=True)
    except Exception:
        masked = re.sub(r":[^:@/]*@", ":***@", url)
    return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", masked)


def create(url: str) -> Engine:
    """An engine on the PostgreSQL database at ``url``: one connection per store
    (``NullPool``), autocommit (transactions are the store's)."""
    try:
        address = make_url(engine_url(url))
        address.port  # noqa: B018 - a port that is not a number fails here, not mid-connect
    except (ValueError, ArgumentError) as exc:
        raise UsageError(
            t("{url} is not a valid PostgreSQL address: {reason}", url=shown(url), reason=exc)
        ) from None
    return create_engine(address, poolclass=NullPool, isolation_level="AUTOCOMMIT")


@lru_cache(maxsize=1)
def pg_metadata() -> MetaData:
    """Every table of :func:`veilleur.store.schema.load_all`, for PostgreSQL: integers as
    ``bigint`` (SQLite's are 64-bit), the ``COLLATE NOCASE`` index left out (the baseline
    creates ``lower(author)`` instead), the partial index's condition kept."""
    from veilleur.store.schema import load_all

    source = load_all()
    target = MetaData()
    for table in source.sorted_tables:
        copy = table.to_metadata(target)
        for column in copy.columns:
            if isinstance(column.type, Integer) and not isinstance(column.type, BigInteger):
                column.type = BigInteger()
        for index in list(copy.indexes):
            if index.name == "posts_author_nocase":
                copy.indexes.discard(index)
            elif index.name == "posts_lang_pending":
                index.dialect_options["postgresql"]["where"] = copy.c.lang_source.is_(None)
    return target


def create_search_configs(bind: Connection) -> bool:
    """``veilleur_fr`` and ``veilleur_en``: unaccent then Snowball, when the server has
    the ``unaccent`` extension (False, and nothing created, when it has not)."""
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
    ).first()
    if available is None:
        return False
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except SQLAlchemyError:
        return False  # not allowed to here: searching does not need it
    for name, stemmer, base in (("fr", "french_stem", "french"), ("en", "english_stem", "english")):
        bind.exec_driver_sql(f"CREATE TEXT SEARCH CONFIGURATION veilleur_{name} (COPY = {base})")
        bind.exec_driver_sql(
            f"ALTER TEXT SEARCH CONFIGURATION veilleur_{name} ALTER MAPPING FOR "
            f"hword, hword_part, word WITH unaccent, {stemmer}"
        )
    return True


# -- search ------------------------------------------------------------------------------


def _all(parts: Sequence[str | None]) -> str | None:
    kept = [p for p in parts if p is not None]
    return "(" + " & ".join(kept) + ")" if kept else None


NEAR_SPAN = 64  # at most this many distances (``<0>`` … ``<N>``) per pair of operands


def candidates(node: Node, positions: int = 0) -> str | None:
    """A ``tsquery`` selecting every post that may match ``node`` (a superset: the matcher
    decides), or None when the index cannot narrow it (every post is a candidate).

    ``positions``: what the index's positions cover (:data:`POSITIONS_SETTING`). With the
    words' (:data:`WORD_POSITIONS`), a phrase of several words selects the posts holding
    them in a row (``<->``); with the stems' too (:data:`STEM_POSITIONS`), so does a word of
    several tokens (``l'emploi``), and a proximity selects the posts whose operands stand at
    the distances it allows (:func:`near_candidates`); with the pairs (:data:`PAIRS`), a
    phrase also requires the lexemes of its pairs of words in a row (those
    :func:`veilleur.store.pgterms.paired` keeps), which GIN finds (the positions alone are
    tested on every post holding the words, fetched one by one). Posts too long for
    positions (``meta:longpos``) are selected whenever they hold all the words."""
    if isinstance(node, And):
        return _all([candidates(c, positions) for c in node.children])
    if isinstance(node, Or):
        parts = [candidates(c, positions) for c in node.children]
        if any(p is None for p in parts):
            return None
        return "(" + " | ".join(cast(list[str], parts)) + ")"
    if isinstance(node, Title):
        return candidates(node.term, positions)
    if isinstance(node, Word):
        readings = [
            _in_a_row(
                [_lexeme(lang, s) for s in word_stems(node.tokens, lang)],
                positions >= STEM_POSITIONS,
            )
            for lang in ("fr", "en")
        ]
        kept = [r for r in readings if r is not None]
        return "(" + " | ".join(kept) + ")" if len(kept) == len(readings) else None
    if isinstance(node, Phrase):
        tokens = node.tokens
        pairs = (
            [pair(a, b) for a, b in pairwise(tokens) if paired(a, b)] if positions >= PAIRS else []
        )
        return _in_a_row([_lexeme("w", t) for t in tokens], positions >= WORD_POSITIONS, pairs)
    if isinstance(node, Raw):
        return _all([_lexeme("w", tok) for tok in node.folded])
    if isinstance(node, Wildcard):
        return _lexeme("w", node.prefix) + ":*" if node.prefix else None
    if isinstance(node, Near):
        every = _all([candidates(op, positions) for op in node.operands])
        near = near_candidates(node) if positions >= STEM_POSITIONS else None
        if every is None or near is None:
            return every
        return f"({every} & ({near} | {LONG}))"
    if isinstance(node, Entity):
        kind = {"hashtag": "tags", "mention": "ment", "cashtag": "cash"}[node.kind]
        return _lexeme(kind, node.value)
    if isinstance(node, Field) and node.name == "site":
        return _lexeme("dom", node.value)
    if isinstance(node, Flag) and node.name == "link":
        return _lexeme("meta", "link")
    if isinstance(node, Not):
        return None
    return None  # network, author, dates, counts…: decided by the matcher


def _in_a_row(lexemes: list[str], positions: bool, pairs: Sequence[str] = ()) -> str | None:
    """All these lexemes; in a row (``<->``) when ``positions`` and there are several, and
    with the lexemes of their ``pairs`` — or in a post too long for positions (which has no
    pairs)."""
    every = _all(lexemes)
    if not positions or len(lexemes) < 2 or every is None:
        return every
    in_a_row = " <-> ".join(lexemes)
    if pairs:
        in_a_row = f"{' & '.join(pairs)} & ({in_a_row})"
    return f"(({in_a_row}) | ({LONG} & {every}))"


def _anchor(term: Node, reading: str) -> tuple[str, int] | None:
    """The lexeme standing for ``term`` in proximity (its longest token: the rarest, as a
    rule) and that token's place in the term, or None (a wildcard without a prefix)."""
    if isinstance(term, Word | Phrase):
        tokens = word_stems(term.tokens, reading) if isinstance(term, Word) else term.tokens
        kind = reading if isinstance(term, Word) else "w"
        at = max(range(len(tokens)), key=lambda i: (len(tokens[i]), i))
        return (_lexeme(kind, tokens[at]), at) if tokens[at] else None
    if isinstance(term, Wildcard) and term.prefix:
        return _lexeme("w", term.prefix) + ":*", 0
    return None


def near_candidates(node: Near) -> str | None:
    """The posts whose operands stand, by the positions of words and stems, at distances
    ``node`` allows; a superset, the matcher decides (or None: not expressible).

    The matcher's rule (:func:`veilleur.query.matcher.near_holds`) puts, for operands ``i``
    and ``j`` starting at ``p_i`` and ``p_j``, ``p_j - p_i`` between ``-(len_j + n)`` and
    ``len_i + n`` (NEAR), or between ``len_i`` and ``len_i + n`` for ``j = i + 1`` (ONEAR).
    PostgreSQL has no "within N", only "exactly N after" (``<N>``): each pair of neighbour
    operands is an OR of ``<d>`` over those distances, both ways, between one lexeme of
    each (:func:`_anchor`, shifted by its place in its operand); the operands' own words
    are required apart (:func:`candidates`). Words are read in one reading at a time, as
    the matcher does. None when a pair would need more than :data:`NEAR_SPAN` distances
    (then the operands' words alone narrow)."""
    n = node.distance
    readings = ("fr", "en") if any(isinstance(op, Word) for op in node.operands) else ("fr",)
    lengths = [len(op.tokens) if isinstance(op, Word | Phrase) else 1 for op in node.operands]
    if len(node.operands) < 2:
        return None
    alternatives = []
    for reading in readings:
        anchors = [_anchor(op, reading) for op in node.operands]
        pairs = []
        for i in range(len(anchors) - 1):
            first, second = anchors[i], anchors[i + 1]
            if first is None or second is None:
                return None
            low, high = (
                (lengths[i], lengths[i] + n)
                if node.ordered
                else (-(lengths[i + 1] + n), lengths[i] + n)
            )
            if high - low + 1 > NEAR_SPAN:
                return None
            shift = second[1] - first[1]
            ways = [
                f"{first[0]} <{d}> {second[0]}" if d >= 0 else f"{second[0]} <{-d}> {first[0]}"
                for d in range(low + shift, high + shift + 1)
            ]
            pairs.append("(" + " | ".join(ways) + ")")
        alternatives.append("(" + " & ".join(pairs) + ")")
    return "(" + " | ".join(alternatives) + ")"


def conditions(node: Node) -> list[tuple[str, list[Any]]]:
    """SQL conditions over ``posts p`` every post matching ``node`` meets (what the AND of a
    query requires of its metadata, as :meth:`SQLiteCompiler.meta` says it); the matcher
    still decides. OR and NOT require nothing here."""
    if isinstance(node, And):
        return [c for child in node.children for c in conditions(child)]
    if isinstance(node, Field):
        if node.name == "network":
            return [("p.network = ?", [node.value])]
        if node.name == "author":  # the matcher ignores ASCII case; lower() is wider
            return [("lower(p.author) = lower(?)", [node.value])]
        return []
    if isinstance(node, DateBound):
        bound = format_datetime(datetime.combine(node.day, time(0), tzinfo=UTC))
        return [(f"p.created_at {'>=' if node.name == 'since' else '<'} ?", [bound])]
    if isinstance(node, MinCount):
        return [(f"p.{node.name} >= ?", [node.value])]
    if isinstance(node, Flag) and node.name != "link":
        column = {"media": "media", "reply": "reply_to", "repost": "repost_of"}.get(
            node.name, "quote_of"
        )
        return [(f"p.{column} IS NOT NULL", [])]
    return []


def exact(node: Node) -> bool:
    """Whether :func:`candidates` selects exactly the posts the matcher keeps, so that no
    candidate needs checking: one-token words (a stem in the post's readings), one-word
    phrases, prefixes, entities, ``site:``, ``has:link``, and AND/OR of those — the same
    terms the FTS5 index answers exactly (``SQLiteCompiler.term_fts``). A title, a
    proximity, several tokens in a row, ``raw:``, NOT and metadata are checked."""
    if isinstance(node, And | Or):
        return all(exact(c) for c in node.children)
    if isinstance(node, Word | Phrase):
        return len(node.tokens) == 1
    if isinstance(node, Wildcard):
        return node.is_prefix and bool(node.prefix)
    if isinstance(node, Entity):
        return True
    if isinstance(node, Field):
        return node.name == "site"
    if isinstance(node, Flag):
        return node.name == "link"
    return False


_ORDER = "p.created_at DESC, p.pk DESC"
SELECT_COLUMNS = [
    c.strip().removeprefix("p.") for c in SELECT_POST[7:].split(" FROM ")[0].split(",")
]


class PgCompiled:
    """A query answered: the posts that match, as ``FROM posts p WHERE p.pk = ANY(…)``."""

    def __init__(self, pks: list[int]) -> None:
        self.pks = pks

    def from_where(self) -> tuple[str, list[Any]]:
        return "FROM posts p WHERE p.pk = ANY(?)", [self.pks]


class PgSearch(RulesCheck):
    """:class:`veilleur.store.search.SearchIndex` on PostgreSQL: ``posts_search.terms``
    (a ``tsvector`` of the tokens the matcher sees, GIN) selects the candidates of
    :func:`candidates`, which are read in the order asked and kept when the in-memory
    matcher (:func:`veilleur.query.matcher.evaluate`) says they match: the answers are
    the matcher's by construction."""

    def __init__(
        self, conn: PgConnection, built_with: str = RULES_VERSION, positions: int = 0
    ) -> None:
        self.conn = conn
        self.built_with = built_with
        self.positions = positions
        self.stats: list[tuple[str, int, int]] = []
        """The steps of the last newest-first search (:meth:`_newest`): ``("walk",
        posts walked at most, rows found)`` and ``("bitmap", 0, 0)`` for the rest."""

    def index_posts(self, tx: Any, rows: Iterable[IndexRow]) -> int:
        prepared = [(pk, terms_of(text, title, lang)) for pk, _created, text, title, lang in rows]
        cast(PgConnection, tx).executemany(
            "INSERT INTO posts_search (pk, terms) VALUES (?, ?::tsvector) "
            "ON CONFLICT (pk) DO UPDATE SET terms = excluded.terms",
            prepared,
        )
        return len(prepared)

    def index_after(self, tx: Any, after_pk: int, batch: int = 2000) -> int:
        done = 0
        last = after_pk
        while True:
            rows = tx.execute(
                "SELECT pk, created_at, text, title, lang FROM posts "
                "WHERE pk > ? ORDER BY pk LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return done
            done += self.index_posts(tx, rows)
            last = rows[-1][0]

    def reindex_posts(self, tx: Any, rows: Sequence[IndexRow]) -> int:
        return self.index_posts(tx, rows)

    WALK = 8
    """The first walk of the date index (:meth:`_newest`) reads this many posts per row of
    the page asked (62 rows: ~500 posts)."""
    WALK_MIN = 256  # posts read by the first walk at least
    BITMAP = 8
    """What a candidate read through the GIN bitmap costs, in posts walked: it is fetched
    from the heap in no useful order, rechecked (with positions, every post holding the
    words is: several times the candidates of a NEAR), joined to its post and sorted; a
    walked post is a key read from an index and one ``tsvector`` tested. Measured at
    300,000 posts on a quiet machine (ninth session): ~20 µs a candidate of ``"stage
    alternance"~2`` through the bitmap, ~2.6 µs a post walked (4, from a loaded machine
    before, sent that query to the bitmap: 50 ms where walking on takes 20)."""
    WALK_MAX = 65_536  # posts read by one walk at most

    def _rows(
        self, node: Node, order: str, page: int = 500, *, newest: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """Every candidate row (``pk`` first, then the post's columns) in ``order``; in
        pages when the order is the date's (keyset: a search for 50 posts reads a page or
        two, not every candidate), whole otherwise.

        ``newest``: only the first rows will be read (a search with a limit, newest first):
        the date index is walked first (:meth:`_newest`), so that the cost follows the
        page rather than the number of candidates."""
        self._check_fresh()
        query = candidates(node, self.positions)
        columns = SELECT_POST.replace("SELECT ", "SELECT p.pk, ", 1)
        joined = columns
        wanted: list[str] = []
        params: list[Any] = []
        if query is not None:
            joined = f"{columns} JOIN posts_search s ON s.pk = p.pk"
            wanted.append("s.terms @@ ?::tsquery")
            params.append(query)
        meta = conditions(node)
        for sql, values in meta:
            wanted.append(sql)
            params.extend(values)
        if order != _ORDER:
            where = f" WHERE {' AND '.join(wanted)}" if wanted else ""
            yield from self.conn.execute(f"{joined}{where} ORDER BY {order}", params)
            return
        after: tuple[str, int] | None = None
        if newest and query is not None:
            rest = yield from self._newest(query, meta, page)
            if rest is None:
                return
            after, page = rest
        while True:
            keyset = [*wanted]
            more = [*params]
            if after is not None:
                keyset.append("(p.created_at, p.pk) < (?, ?)")
                more.extend(after)
            where = f" WHERE {' AND '.join(keyset)}" if keyset else ""
            rows = self.conn.execute(
                f"{joined}{where} ORDER BY {order} LIMIT {page}", more
            ).fetchall()
            yield from rows
            if len(rows) < page:
                return
            last = rows[-1]
            after = (last[1 + SELECT_COLUMNS.index("created_at")], int(last[0]))
            page = min(page * 4, 20000)

    def _newest(
        self, query: str, meta: list[tuple[str, list[Any]]], page: int
    ) -> Generator[tuple[Any, ...], None, tuple[tuple[str, int], int] | None]:
        """The candidates newest first, by walks of the date index: each takes the next
        ``budget`` posts by date (meeting the metadata the query requires), tests their
        ``tsvector`` against ``query`` and stops when it found the rows the page still
        lacks (``wanted``: ``page`` at first). Returns
        where the rest starts (the last post walked, the page) when a walk finds fewer and
        the index's bitmap is cheaper from there; None when every post was walked.

        Why: asked for "candidates newest first, ``LIMIT`` 62", PostgreSQL either walks the
        date index testing each post, or reads every candidate from the GIN index (a
        bitmap), rechecks each one's positions and sorts them. It picks by its estimate of
        the candidates, which for ``<->``/``<N>`` is that of the words alone: frequent words
        near each other made it read every post holding them (NEAR at 300,000 posts: 24 →
        100 ms). Here the choice is made on what a walk finds: ``found`` candidates among
        ``budget`` posts say a density ``d``; walking on costs about ``wanted / d`` posts,
        the bitmap about ``d × posts`` candidates (``pg_class.reltuples``), each worth
        :attr:`BITMAP` posts walked — the cheaper wins (``stats`` records the steps). Same
        rows either way, in the same order (keyset ``(created_at, pk)``)."""
        meta_sql = [sql for sql, _ in meta]
        meta_params = [v for _, values in meta for v in values]
        total: float | None = None
        budget = max(self.WALK * page, self.WALK_MIN)
        after: tuple[str, int] | None = None
        wanted = page  # the rows the page still lacks: a walk stops when it found them
        while True:
            keyset = [*meta_sql]
            more: list[Any] = [*meta_params]
            if after is not None:
                keyset.append("(p.created_at, p.pk) < (?, ?)")
                more.extend(after)
            where = f" WHERE {' AND '.join(keyset)}" if keyset else ""
            window = (
                f"SELECT p.pk, p.created_at FROM posts p{where} ORDER BY {_ORDER} LIMIT {budget}"
            )
            # The window's keys from the index alone (pg0002's (created_at, pk)); each
            # post's tsvector tested by its primary key, in order, until the page is full:
            # OFFSET 0 keeps the LATERAL a loop (joined, the planner may read the GIN
            # bitmap of every candidate instead, on an estimate of the candidates that
            # is far too low for positions).
            rows = self.conn.execute(
                f"{SELECT_POST.replace('SELECT ', 'SELECT p.pk, ', 1)} JOIN ("
                f"SELECT w.pk FROM ({window}) w CROSS JOIN LATERAL (SELECT 1 FROM "
                f"posts_search s WHERE s.pk = w.pk AND s.terms @@ ?::tsquery OFFSET 0) m "
                f"ORDER BY w.created_at DESC, w.pk DESC LIMIT {wanted}) hit ON hit.pk = p.pk "
                f"ORDER BY {_ORDER}",
                [*more, query],
            ).fetchall()
            self.stats.append(("walk", budget, len(rows)))
            yield from rows
            if len(rows) == wanted:  # the page is full: the matches are dense, walk on
                last = rows[-1]
                after = (last[1 + SELECT_COLUMNS.index("created_at")], int(last[0]))
                page = wanted = min(page * 4, 20000)
                budget = min(max(budget, self.WALK * page), self.WALK_MAX)
                continue
            end = self.conn.execute(
                f"SELECT p.created_at, p.pk FROM posts p{where} ORDER BY {_ORDER} "
                f"OFFSET {budget - 1} LIMIT 1",
                more,
            ).fetchone()
            if end is None:  # every post walked
                return None
            after = (end[0], int(end[1]))
            # The next walk looks for what this page still lacks only (it asked the whole
            # page again before, and walked about twice the posts it needed).
            wanted -= len(rows)
            if total is None:
                total = float(
                    self.conn.execute(
                        "SELECT reltuples FROM pg_class WHERE oid = 'posts'::regclass"
                    ).fetchone()[0]
                )
            found = len(rows)
            # Walk on while wanted / d < BITMAP × d × posts, d = found / budget (see above);
            # a window's few hits say little of d, and taken as they are, they understate
            # it as often as not, in favour of the bitmap: one more is counted (rule of
            # succession). None found: the bitmap (a phrase whose words are everywhere).
            hits = found + 1
            if found and wanted * budget * budget < self.BITMAP * hits * hits * total:
                budget = min(budget * 4, self.WALK_MAX)
                continue
            self.stats.append(("bitmap", 0, 0))
            return after, page

    def _matching(
        self, node: Node, order: str = _ORDER, page: int = 500, *, newest: bool = False
    ) -> Iterator[tuple[int, Post]]:
        check = None if exact(node) and candidates(node) is not None else compile_node(node)
        for row in self._rows(node, order, page, newest=newest):
            post = row_to_post(row[1:])
            if check is None or check(analyze(post.text, post.title, post.lang), post):
                yield int(row[0]), post

    def compile(self, node: Node) -> PgCompiled:
        return PgCompiled([pk for pk, _ in self._matching(node)])

    def select(
        self, node: Node, *, sort: str = "date", limit: int | None = 50
    ) -> tuple[str, list[Any]]:
        body, params = self.compile(node).from_where()
        sql = f"{SELECT_POST} {body.removeprefix('FROM posts p')} ORDER BY {_ORDER}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params

    def search(self, node: Node, *, sort: str = "date", limit: int | None = 50) -> list[Post]:
        found: list[Post] = []
        if limit is not None and limit <= 0:
            return found
        query = candidates(node, self.positions) if sort == "relevance" else None
        order = _ORDER
        if query is not None:
            # Best match first: the share of the query's lexemes a post has (ts_rank).
            order = (
                "(SELECT ts_rank(s2.terms, " + "'" + query.replace("'", "''") + "'::tsquery) "
                "FROM posts_search s2 WHERE s2.pk = p.pk) DESC, " + _ORDER
            )
        # A first page a little larger than the answer: exact queries need no more.
        first = 500 if limit is None else max(16, min(500, limit + limit // 4))
        self.stats = []
        for _, post in self._matching(
            node, order, first, newest=order == _ORDER and limit is not None
        ):
            found.append(post)
            if limit is not None and len(found) >= limit:
                break
        return found

    def count(self, node: Node) -> int:
        return sum(1 for _ in self._matching(node))


# -- the store -----------------------------------------------------------------------------


class PostgresStore(SQLiteStore):
    """Posts, settings, watches and sources of one workspace, in PostgreSQL."""

    _upsert = staticmethod(insert)

    def __init__(self, url: str, *, readonly: bool | None = None) -> None:
        from veilleur.store import migrations

        self.url = url
        self.path = Path(shown(url))
        self.on_disk = False
        self.readonly = bool(readonly)
        self.tightened = []
        try:
            self.engine = create(url)
            self.core = self.engine.connect()
        except (SQLAlchemyError, OSError) as exc:
            raise _unreachable(url, exc) from None
        try:
            migrations.upgrade(self.core)
        except BaseException:
            self.core.close()
            self.engine.dispose()
            raise
        self.pg = PgConnection(self.core.connection.driver_connection)
        # The shim answers what the store's code asks of a sqlite3 connection.
        self.conn = cast("sqlite3.Connection", self.pg)
        self.search_index = cast(
            "search_sqlite.SQLiteSearch",
            PgSearch(self.pg, self._index_rules(), self._index_positions()),
        )

    def _index_positions(self) -> int:
        """What every post's ``tsvector`` gives positions of (:data:`POSITIONS_SETTING`):
        stamped on an empty database and by :meth:`reindex_search`; on a database indexed
        before, less (phrases or proximity are then narrowed by their words only, until
        ``veilleur reindex``)."""
        level = positions_level(self.get_setting(POSITIONS_SETTING))
        if level >= POSITIONS:
            return level
        if self.conn.execute("SELECT 1 FROM posts LIMIT 1").fetchone() is not None:
            return level
        if not self.readonly:
            self.set_setting(POSITIONS_SETTING, str(POSITIONS))
        return POSITIONS

    @property
    def location(self) -> str:
        return self.url

    def side_connection(self) -> Any:
        """A connection of its own to the same database (autocommit), for work that must
        not share the store's transactions (the jobs' claims)."""
        import psycopg

        raw = psycopg.connect(libpq_url(self.url), autocommit=True)
        return PgConnection(raw)

    def reader(self) -> PostgresStore:
        """Another store on this database through a connection of its own, for a thread
        that reads beside this store (the web server's GET requests). PostgreSQL's readers
        never wait for a writer, so it is just another connection."""
        return PostgresStore(self.url, readonly=True)

    def _newest_first(self, compiled: Any) -> str:
        return _ORDER

    def _count_quickly(self, compiled: Any) -> int | None:
        return None

    def match_summary(
        self, node: Node, authors: int = 10, *, budget: int | None = None
    ) -> MatchSummary:
        """:meth:`SQLiteStore.match_summary`; with a ``budget``, the matches are read
        newest first and the reading stops past the budget (compiling the query would
        match every candidate first). The total is then not known (``total_exact``
        false): PostgreSQL has no count as cheap as FTS5's."""
        if budget is None:
            return super().match_summary(node, authors)
        search = cast(PgSearch, self.search_index)
        found = [post for _pk, post in islice(search._matching(node), budget + 1)]
        complete = len(found) <= budget
        groups: dict[tuple[str, str], list[int]] = {}
        by_hour: dict[str, int] = {}
        for post in found[:budget]:
            group = groups.setdefault((post.network, post.author), [0, 0])
            group[0] += 1
            group[1] += sum(v or 0 for v in (post.likes, post.reposts, post.replies, post.quotes))
            hour = format_datetime(post.created_at)[:13]
            by_hour[hour] = by_hour.get(hour, 0) + 1
        by_network: dict[str, int] = {}
        for (network, _author), (count, _engagement) in groups.items():
            by_network[network] = by_network.get(network, 0) + count
        ranked = sorted(groups.items(), key=lambda g: (-g[1][0], -g[1][1], g[0][1], g[0][0]))
        counted = sum(by_network.values())
        return MatchSummary(
            total=counted,
            by_network=by_network,
            top_authors=[(a, n, c, e) for (n, a), (c, e) in ranked[:authors]],
            complete=complete,
            counted=counted,
            total_exact=complete,
            by_hour=by_hour,
        )

    def count_posts(self) -> int:
        """Counted each time: SQLite's cache keys on ``PRAGMA data_version``, which
        PostgreSQL has not (other processes' commits would not be seen)."""
        return int(self.core.execute(select(func.count()).select_from(posts_table)).scalar_one())

    def reindex_search(self, progress: Callable[[int], object] | None = None) -> int:
        search = cast(PgSearch, self.search_index)
        done = 0
        with self.transaction() as tx:
            tx.execute("DELETE FROM posts_search")
            last = 0
            while True:
                rows = tx.execute(
                    "SELECT pk, created_at, text, title, lang FROM posts "
                    "WHERE pk > ? ORDER BY pk LIMIT 2000",
                    (last,),
                ).fetchall()
                if not rows:
                    break
                done += search.index_posts(tx, rows)
                last = rows[-1][0]
                if progress is not None:
                    progress(len(rows))
            self._put_setting(RULES_SETTING, RULES_VERSION)
            self._put_setting(POSITIONS_SETTING, str(POSITIONS))
        search.built_with = RULES_VERSION
        search.positions = POSITIONS
        return done

    def close(self) -> None:
        self.core.close()
        self.engine.dispose()

    @contextmanager
    def transaction(self, *, shared: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction (see :meth:`SQLiteStore.transaction`): ``BEGIN``, then
        the store's advisory lock, so that writers follow one another as on SQLite.

        ``shared``: the transaction writes rows of its own only (new posts, the counts of
        known ones, one source's state): it takes the lock in shared mode and runs beside
        other shared transactions, each row it changes locked by PostgreSQL itself; the
        posts it inserts are serialised from the insert to the commit (``POSTS_LOCK``, see
        :meth:`_write`). Exclusive transactions still wait for every shared one, and the
        other way round, so what the pillars count inside one stays exact."""
        pg = self.pg
        pg.raw.execute("BEGIN")
        try:
            lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            pg.raw.execute(f"SELECT {lock}(%s)", (WRITE_LOCK,))
            yield self.conn
            pg.raw.execute("COMMIT")
        except BaseException:
            if pg.in_transaction:
                with suppress(Exception):
                    pg.raw.execute("ROLLBACK")
            pg.staging_ready = False  # its creation may have been rolled back
            raise
        finally:
            pg.staging_filled = False  # emptied by the commit (ON COMMIT DELETE ROWS)

    def analysis_pool(self, workers: int = 1) -> AnalysisPool:
        """:meth:`SQLiteStore.analysis_pool`: the languages and ``tsvector`` terms
        (:func:`veilleur.store.pgterms.terms_of`: the workers load that light module, not
        this one and SQLAlchemy)."""
        return AnalysisPool(terms_of, workers)

    def _write(
        self, posts: Sequence[Post], conn: sqlite3.Connection, prepared: Prepared | None = None
    ) -> WriteResult:
        """:meth:`SQLiteStore._write` in a few statements per batch, whatever its size:

        1. the stored rows of the batch's posts, read by their keys (``= ANY``);
        2. the text analysis of the others (language, ``tsvector``), in Python, before
           any lock of posts is taken;
        3. ``POSTS_LOCK``, then ``COPY`` of their rows and ``tsvector`` into a temporary
           table and one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` whose
           inserted posts get their ``posts_search`` rows in the same statement: posts'
           keys are given in commit order (a reader that remembers the last ``pk`` it saw,
           as the watch's alerts do, misses none), and a post written meanwhile by another
           transaction is not inserted twice (it joins the known ones);
        4. the counts of known posts refreshed (``executemany``, pipelined).

        Same answers as SQLite's: the last record of a post in the batch wins, a known post
        is refreshed when the record is not older and its counts differ."""
        pg = cast(PgConnection, conn)
        result = WriteResult()
        unique = last_records([_without_nul(post) for post in posts])
        result.known += len(posts) - len(unique)
        result.inserted = frozenset()
        if not unique:
            return result
        stored = self._stored(pg, list(unique))
        for key in stored:
            settle_language(unique[key], prepared)
        fresh = [post for key, post in unique.items() if key not in stored]
        if fresh:
            inserted = self._insert(pg, fresh, prepared)
            result.new += len(inserted)
            result.inserted = frozenset(inserted)
            late = [(p.network, p.id) for p in fresh if (p.network, p.id) not in inserted]
            if late:  # committed by another writer since step 1
                stored.update(self._stored(pg, late))
        refresh: list[tuple[Any, ...]] = []
        for key, row in stored.items():
            post = unique[key]
            if _is_newer(post, row[1:6], row[6]):
                refresh.append(
                    (
                        *post.counts(),
                        format_datetime(post.collected_at or utcnow()),
                        pack_raw(post.raw),
                        row[0],
                    )
                )
            else:
                result.known += 1
        if refresh:
            pg.executemany(_UPDATE_COUNTS, refresh)
            result.updated += len(refresh)
        return result

    def _stored(
        self, pg: PgConnection, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        """The stored rows of these posts: ``pk``, the five counts, ``collected_at``.

        One probe of the ``(network, id)`` index per key (``LATERAL … LIMIT 1``): without
        the LIMIT the planner may hash-join every post of a network instead (seen on a
        table whose statistics lag behind its growth)."""
        found: dict[tuple[str, str], tuple[Any, ...]] = {}
        rows = pg.raw.execute(
            "SELECT k.network, k.id, p.* FROM unnest(%s::text[], %s::text[]) AS k(network, id) "
            "CROSS JOIN LATERAL (SELECT pk, likes, reposts, replies, quotes, views, "
            "collected_at FROM posts WHERE network = k.network AND id = k.id LIMIT 1) AS p",
            ([k[0] for k in keys], [k[1] for k in keys]),
        ).fetchall()
        for row in rows:
            found[(row[0], row[1])] = tuple(row[2:])
        return found

    def _insert(
        self, pg: PgConnection, fresh: list[Post], prepared: Prepared | None = None
    ) -> set[tuple[str, str]]:
        """Analyse these posts and insert them with their search terms (steps 2 and 3 of
        :meth:`_write`); the keys of those inserted (not written meanwhile by another
        transaction).

        Tried and left out: analysing the next chunk while a thread of the store sent the
        previous one (the GIL released while PostgreSQL works) — no gain measured on the
        shared 2-core machine (load 10: no idle core to overlap with)."""
        inserted: set[tuple[str, str]] = set()
        self._send(pg, self._prepared(fresh, prepared), inserted)
        return inserted

    def _prepared(
        self, chunk: list[Post], prepared: Prepared | None = None
    ) -> list[tuple[tuple[Any, ...], str]]:
        """Each post's language settled, its row and its ``tsvector`` (as text)."""
        terms = terms_of if prepared is None else prepared.values_of(terms_of)
        out = []
        for post in chunk:
            settle_language(post, prepared)
            out.append((post_to_row(post), terms(post.text, post.title, post.lang)))
        return out

    def _send(
        self,
        pg: PgConnection,
        prepared: list[tuple[tuple[Any, ...], str]],
        inserted: set[tuple[str, str]],
    ) -> None:
        """Insert one chunk, after taking the posts' lock: ``COPY`` of the rows and their
        terms into the staging table, then one statement inserting the posts and the search
        rows of those inserted (no round trip of their keys)."""
        raw = pg.raw
        raw.execute(f"SELECT pg_advisory_xact_lock({POSTS_LOCK})")
        if not pg.staging_ready:
            raw.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ON COMMIT DELETE ROWS AS "
                f"SELECT 0 AS ord, {_STAGED}, NULL::tsvector AS terms FROM posts WITH NO DATA"
            )
            pg.staging_ready = True
        if pg.staging_filled:  # a second batch in the same transaction
            raw.execute(f"TRUNCATE {STAGING}")
        pg.staging_filled = True
        with raw.cursor().copy(f"COPY {STAGING} (ord, {_STAGED}, terms) FROM STDIN") as copy:
            for i, (row, terms) in enumerate(prepared):
                copy.write_row((i, *row, terms))
        rows = raw.execute(_INSERT_STAGED).fetchall()
        pg.total_changes += len(rows)
        inserted.update((network, post_id) for network, post_id in rows)


_INSERT_STAGED = (
    f"WITH added AS (INSERT INTO posts ({_STAGED}) SELECT {_STAGED} FROM {STAGING} "
    "ORDER BY ord ON CONFLICT DO NOTHING RETURNING pk, network, id), "
    f"indexed AS (INSERT INTO posts_search (pk, terms) SELECT a.pk, s.terms FROM added a "
    f"JOIN {STAGING} s ON s.network = a.network AND s.id = a.id ORDER BY a.pk) "
    "SELECT network, id FROM added"
)
"""The staged posts inserted in batch order (keys in that order; a post another writer
committed meanwhile is left out), each with its search row, in one statement."""


_NOT_TEXT = {"created_at", "collected_at", "media", "raw", *COUNT_FIELDS}
_TEXT_FIELDS = tuple(f.name for f in fields(Post) if f.name not in _NOT_TEXT)
"""The fields of a post that hold text (its dates, media, payload and counts do not)."""


def _without_nul(post: Post) -> Post:
    """``post``, or a copy with U+FFFD for each U+0000 of its text fields.

    PostgreSQL's text refuses U+0000 (SQLite keeps it): without this, one such post from a
    file or a feed ended the whole batch, and the import with it. U+FFFD is the character
    decoders put for what they cannot read. (The raw payload is stored as bytes and the
    media as escaped JSON: neither meets the refusal.)"""
    changed: dict[str, Any] = {
        name: value.replace("\x00", NUL_STORED)
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(post, name), str) and "\x00" in value
    }
    return replace(post, **changed) if changed else post


NUL_STORED = "\ufffd"
"""What PostgreSQL holds for each U+0000 of a text (its text type refuses it)."""


def without_nul(row: Sequence[Any]) -> tuple[Any, ...]:
    """``row`` with :data:`NUL_STORED` for each U+0000 of its texts: what PostgreSQL can
    hold of a row SQLite holds (``veilleur copy``; an import stores the same,
    :func:`_without_nul`)."""
    return tuple(
        v.replace("\x00", NUL_STORED) if isinstance(v, str) and "\x00" in v else v for v in row
    )


def _unreachable(url: str, exc: BaseException) -> StorageError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return StorageError(
        t("cannot reach the database {url}: {reason}", url=shown(url), reason=reason)
    )


if TYPE_CHECKING:

    def _implements_the_interface(conn: PgConnection) -> SearchIndex:
        return PgSearch(conn)


def _slower(level: int) -> str:
    """What a search index with positions below :data:`POSITIONS` costs, and the remedy."""
    if level < WORD_POSITIONS:
        return t(
            "the search index was built without the words' positions: phrase and NEAR "
            "searches read more posts than they need; run  veilleur reindex  once to add them"
        )
    if level < STEM_POSITIONS:
        return t(
            "the search index was built without the stems' positions: NEAR searches read "
            "more posts than they need; run  veilleur reindex  once to add them"
        )
    return t(
        "the search index was built without the pairs of words in a row: searches for "
        "phrases of common words read more posts than they need; run  veilleur reindex  "
        "once to add them"
    )


def diagnose(url: str) -> list[Finding]:
    """``veilleur doctor``'s checks of a PostgreSQL store: it answers at this veilleur's
    revision, every post is in the search index, which has the positions this veilleur
    uses (else advice: ``veilleur reindex``), and the secrets' key file is private."""
    from veilleur.i18n import N_
    from veilleur.store import migrations, secrets

    found: list[Finding] = []
    try:
        engine = create(url)
        with engine.connect() as connection:
            at = migrations.current(connection)
            found.append(
                Finding(
                    N_("integrity"),
                    at == migrations.PG_HEAD,
                    t("{db} is at revision {revision}", db=shown(url), revision=at),
                )
            )
            posts = connection.exec_driver_sql("SELECT count(*) FROM posts").scalar_one()
            indexed = connection.exec_driver_sql("SELECT count(*) FROM posts_search").scalar_one()
            found.append(
                Finding(
                    N_("search index"),
                    posts == indexed,
                    t("{posts} posts, {indexed} indexed", posts=posts, indexed=indexed),
                )
            )
            setting = connection.exec_driver_sql(
                "SELECT value FROM settings WHERE key = %s", (POSITIONS_SETTING,)
            ).scalar_one_or_none()
            level = positions_level(setting)
            if posts and level < POSITIONS:
                found.append(Finding(N_("search speed"), True, _slower(level), advice=True))
        engine.dispose()
    except SQLAlchemyError as exc:
        found.append(Finding(N_("integrity"), False, str(_unreachable(url, exc))))
        return found
    key = secrets.key_path()
    if key.exists():
        mode = key.stat().st_mode & 0o777
        found.append(
            Finding(
                N_("permissions"),
                not mode & 0o077,
                t("{path}: {mode} (expected {wanted})", path=key, mode=oct(mode), wanted="0o600"),
            )
        )
    return found
