"""The SQLite store: one database per workspace, WAL, FTS5, batched idempotent writes.

Posts are identified by ``(network, id)``. Writing a batch is one transaction: a crash or
a kill loses at most the batch in hand, never half a post, and writing the same batch again
changes nothing (see :meth:`SQLiteStore.write_posts`).

The database is opened through a SQLAlchemy engine (:mod:`veilleur.store.engine`) and
brought to the newest schema by Alembic (:mod:`veilleur.store.migrations`); the tables are
declared in :mod:`veilleur.store.schema` and the pillars' ``tables.py``. Statements run on
the driver connection under the engine's (:attr:`SQLiteStore.conn`, the handle that
:meth:`SQLiteStore.transaction` and :meth:`SQLiteStore.read` give), so the hot ingest path
pays nothing for the engine; the store's own small statements use SQLAlchemy Core on
:attr:`SQLiteStore.core`, the same connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import SQLAlchemyError

from veilleur.model import Post, format_datetime, utcnow
from veilleur.query.analysis import RULES_VERSION
from veilleur.query.ast import And, Node, Word
from veilleur.store import engine as engines
from veilleur.store import health, memo, migrations, search_sqlite, secrets
from veilleur.store.codec import POST_COLUMNS, SELECT_POST, pack_raw, post_to_row, row_to_post
from veilleur.store.languages import LanguageUpdate, languages_pending, relang, settle_language
from veilleur.store.prepared import AnalysisPool, Prepared
from veilleur.store.schema import posts_table, settings_table
from veilleur.store.search_sqlite import SQLiteSearch, search_refused
from veilleur.text import tokenize

_INSERT = (
    f"INSERT INTO posts ({', '.join(POST_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in POST_COLUMNS)}) ON CONFLICT (network, id) DO NOTHING"
)
_UPDATE_COUNTS = (
    "UPDATE posts SET likes = coalesce(?, likes), reposts = coalesce(?, reposts), "
    "replies = coalesce(?, replies), quotes = coalesce(?, quotes), views = coalesce(?, views), "
    "collected_at = ?, raw = coalesce(?, raw) WHERE pk = ?"
)
# SQLite limits the number of bound variables; keep lookups well under it.
_LOOKUP_CHUNK = 400

T = TypeVar("T")


@dataclass(slots=True)
class WriteResult:
    """What one write did: posts added, posts whose counts were refreshed, posts known;
    ``inserted``: the keys (network, id) of the posts added, where the engine tells them
    (PostgreSQL, whose writers of posts run side by side), else None."""

    new: int = 0
    updated: int = 0
    known: int = 0
    inserted: frozenset[tuple[str, str]] | None = field(default=None, compare=False)

    def add(self, other: WriteResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.known += other.known


def connect(path: Path | str) -> sqlite3.Connection:
    """A bare driver connection set up as the store's are (PRAGMAs, search functions), in
    autocommit mode; for tools and tests that work below the store."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    engines._on_connect(conn, None)
    return conn


def _is_newer(post: Post, stored_counts: Sequence[Any], stored_collected: str | None) -> bool:
    """A record refreshes a stored post when it carries different counts and is not older."""
    if (
        post.collected_at is not None
        and stored_collected is not None
        and format_datetime(post.collected_at) < stored_collected
    ):
        return False
    return any(
        new is not None and new != old
        for new, old in zip(post.counts(), stored_counts, strict=True)
    )


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """How many posts match a query, per network, and the accounts posting most on it
    (``(author, network, posts, engagement)``, as :meth:`SQLiteStore.top_authors`)."""

    total: int
    by_network: dict[str, int]
    top_authors: list[tuple[str, str, int, int]]
    #: False when the summary stopped at its budget: ``by_network`` and ``top_authors``
    #: are then those of the ``counted`` most recent matches only.
    complete: bool = True
    #: How many matches the counts by network and account cover (``total`` when complete).
    counted: int = 0
    #: False when ``total`` is not known: more than ``total`` posts match.
    total_exact: bool = True
    #: The same matches per hour in UTC (``"2026-03-15T13"``): the reader's days are made
    #: of them (:func:`veilleur.model.local_days`), whatever the reader's time zone.
    by_hour: dict[str, int] = field(default_factory=dict)


def last_records(posts: Sequence[Post]) -> dict[tuple[str, str], Post]:
    """The posts of a batch by (network, id), the last record of each winning — as if they
    were written one after another (both stores' batch writers); a post without a
    ``collected_at`` is given now."""
    now = utcnow()
    unique: dict[tuple[str, str], Post] = {}
    for post in posts:
        if post.collected_at is None:
            post.collected_at = now
        unique[(post.network, post.id)] = post
    return unique


class SQLiteStore:
    """Posts, settings, watches and sources of one workspace."""

    _upsert: Any = staticmethod(insert)
    """The dialect's INSERT with ``on_conflict_do_update`` (PostgreSQL's in its store)."""

    _watcher: memo.Watcher | None = None
    """Answers remembered while the database is unchanged, shared with the other stores
    of this process on the same file (:mod:`veilleur.store.memo`); None in memory."""

    def __init__(self, path: Path | str, *, readonly: bool | None = None) -> None:
        """Open (or create) the database at ``path``.

        ``readonly`` None: read-only when the file or its folder may not be written (a
        read-only mount, a folder of another user), so read commands still work; True
        forces it. A database that changed since its last clean close is checked before
        anything is written (:mod:`veilleur.store.health`); every storage failure on
        opening is a :class:`StorageError`.
        """
        self.path = Path(path)
        self.on_disk = str(path) != ":memory:"
        if readonly is None:
            readonly = self.on_disk and not health.writable(self.path)
        self.readonly = readonly
        self.tightened: list[Path] = []
        """Files whose group/other permissions were taken away on opening (for a note)."""
        try:
            if not self.readonly and self.on_disk:
                if self.path.parent.is_dir():
                    health.private_file(self.path)
                self.tightened = health.tighten_database(self.path)
            self.engine = engines.create(self.path, readonly=self.readonly)
            self.core: Connection = self.engine.connect()
        except (sqlite3.Error, SQLAlchemyError, OSError) as exc:
            raise self._storage(exc) from None
        try:
            health.check_on_open(engines.driver(self.core), self.path)
            migrations.upgrade(self.core)
            if not self.readonly:
                secrets.seal_clear_secrets(engines.driver(self.core))
        except BaseException as exc:
            self.core.close()
            self.engine.dispose()
            if isinstance(exc, sqlite3.Error | SQLAlchemyError | OSError):
                raise self._storage(exc) from None
            raise
        self.conn: sqlite3.Connection = engines.driver(self.core)
        self.search_index = SQLiteSearch(self.conn, self._index_rules())
        if self.on_disk:
            self._watcher = memo.attach(self.path, engines.readonly_uri(self.path))

    def reader(self) -> SQLiteStore:
        """Another store on this database through a read-only connection of its own
        (``mode=ro``, ``query_only``), so that another thread's reads run beside this
        store's (WAL: readers see the last committed state and never block the writer).

        Opened without what this store did on opening (health check, migration, sealing
        clear secrets): this store did it, and a reader writes nothing. Every write through
        it fails with SQLite's "attempt to write a readonly database".
        """
        other = object.__new__(SQLiteStore)
        other.path, other.on_disk, other.readonly, other.tightened = self.path, True, True, []
        try:
            other.engine = engines.create(self.path, readonly=True)
            other.core = other.engine.connect()
        except (sqlite3.Error, SQLAlchemyError, OSError) as exc:
            raise self._storage(exc) from None
        other.conn = engines.driver(other.core)
        other.search_index = SQLiteSearch(other.conn, self.search_index.built_with)
        other._watcher = memo.attach(self.path, engines.readonly_uri(self.path))
        return other

    def _index_rules(self) -> str:
        """The text rules the search index was built with. Absent: a workspace with posts
        was indexed before the setting existed, by version "1" (nothing is written: opening
        an older workspace changes no row); an empty one is stamped with today's."""
        built = self.get_setting(search_sqlite.RULES_SETTING)
        if built is not None:
            return built
        if self.conn.execute("SELECT 1 FROM posts LIMIT 1").fetchone() is not None:
            return "1"
        if not self.readonly:
            self.set_setting(search_sqlite.RULES_SETTING, RULES_VERSION)
        return RULES_VERSION

    def reindex_search(self, progress: Callable[[int], object] | None = None) -> int:
        """Rebuild the search index of every post with today's text rules (one transaction:
        an interrupted rebuild leaves the old index); ``progress(n)`` after each batch.
        Returns how many posts were indexed."""
        with self.transaction() as tx:
            done = search_sqlite.rebuild(tx, progress)
            self._put_setting(search_sqlite.RULES_SETTING, RULES_VERSION)
        self.search_index.built_with = RULES_VERSION
        return done

    @property
    def location(self) -> str:
        """Where another process opens this store (:func:`veilleur.store.handles.open_read_only`):
        the database file; a PostgreSQL store's URL."""
        return str(self.path)

    def side_connection(self) -> sqlite3.Connection:
        """A connection of its own to the same database (autocommit), for work that must
        not share the store's transactions (the jobs' claims)."""
        return connect(self.path)

    def _storage(self, exc: BaseException) -> BaseException:
        return health.storage_error(exc, self.path) or exc

    def close(self) -> None:
        watcher, self._watcher = self._watcher, None
        memo.detach(watcher)  # before the store's connection: see memo
        self.core.close()
        self.engine.dispose()
        if not self.readonly and self.on_disk:
            health.record_clean_close(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, shared: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole on any error or interruption.

        ``shared``: the transaction writes only rows of its own (posts through
        :meth:`write_posts`, one source's state), so it may run beside other such
        transactions where the engine allows it (PostgreSQL: see
        :meth:`veilleur.store.postgres.PostgresStore.transaction`). SQLite has one writer
        at a time whatever it says.

        Yields the driver connection (``tx.execute(sql, params)``, ``executemany``); Core
        statements on :attr:`core` run in the same transaction. The error that ended the
        transaction is the one raised, even if rolling back fails too.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (a full disk, an I/O error): roll back
            # only what is still open, and never let the rollback's error hide the first.
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The handle a ``tables.py`` module reads with (``handle.execute(sql, params)``).

        On SQLite it is the store's connection, outside any transaction: each statement
        sees the last committed state. Reads that must agree with each other belong in
        :meth:`transaction`.
        """
        yield self.conn

    # -- posts ---------------------------------------------------------------------------

    def write_posts(
        self,
        posts: Sequence[Post],
        conn: sqlite3.Connection | None = None,
        *,
        prepared: Prepared | None = None,
    ) -> WriteResult:
        """Insert new posts and refresh the counts of known ones, in one transaction.

        Pass ``conn`` (from :meth:`transaction`) to join a larger transaction, e.g. a
        collector saving its cursor with the posts it fetched. ``prepared``: the posts'
        analysis computed ahead by an import's worker process (:mod:`veilleur.store.prepared`;
        what it does not hold is computed here, and the result is the same). Alone, it is a
        shared transaction (:meth:`transaction`): on PostgreSQL, importers and collectors of
        other sources write beside it.
        """
        if conn is None:
            with self.transaction(shared=True) as tx:
                return self._write(posts, tx, prepared)
        return self._write(posts, conn, prepared)

    def analysis_pool(self, workers: int = 1) -> AnalysisPool:
        """Worker processes that compute ahead, for :meth:`write_posts` (``prepared``),
        the posts' languages and what this store's search index holds of them."""
        return AnalysisPool(search_sqlite.index_values, workers)

    def _write(
        self, posts: Sequence[Post], conn: sqlite3.Connection, prepared: Prepared | None = None
    ) -> WriteResult:
        result = WriteResult()
        unique = last_records(posts)
        for post in unique.values():  # once per post kept, not for the batch's repeats
            settle_language(post, prepared)
        result.known += len(posts) - len(unique)
        # Insert first: in the common case (new posts) no lookup is needed at all. Only
        # when some rows were already there are they fetched, to refresh their counts.
        before = conn.execute("SELECT coalesce(max(pk), 0) FROM posts").fetchone()[0]
        changes = conn.total_changes
        conn.executemany(_INSERT, [post_to_row(p) for p in unique.values()])
        inserted = conn.total_changes - changes
        if inserted:
            self._index_new(conn, before, prepared)
        result.new += inserted
        if inserted == len(unique):
            return result
        existing = self._lookup(conn, list(unique), before)
        for key, stored in existing.items():
            post = unique[key]
            if _is_newer(post, stored[1:6], stored[6]):
                conn.execute(
                    _UPDATE_COUNTS,
                    (
                        *post.counts(),
                        format_datetime(post.collected_at or utcnow()),
                        pack_raw(post.raw),
                        stored[0],
                    ),
                )
                result.updated += 1
            else:
                result.known += 1
        return result

    def _lookup(
        self, conn: sqlite3.Connection, keys: list[tuple[str, str]], up_to_pk: int
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        """The stored rows (pk <= ``up_to_pk``) of these posts, with their counts."""
        found: dict[tuple[str, str], tuple[Any, ...]] = {}
        by_network: dict[str, list[str]] = {}
        for network, post_id in keys:
            by_network.setdefault(network, []).append(post_id)
        # ``network = ? AND id IN (...)`` is answered by the unique (network, id) index;
        # a row-value IN (VALUES ...) was planned as a scan of the whole table.
        for network, ids in by_network.items():
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                chunk = ids[start : start + _LOOKUP_CHUNK]
                sql = (
                    "SELECT network, id, pk, likes, reposts, replies, quotes, views, "
                    "collected_at FROM posts WHERE network = ? AND id IN "
                    f"({', '.join('?' for _ in chunk)}) AND pk <= ?"
                )
                for row in conn.execute(sql, [network, *chunk, up_to_pk]):
                    found[(row[0], row[1])] = tuple(row[2:])
        return found

    def _index_new(
        self, conn: sqlite3.Connection, after_pk: int, prepared: Prepared | None = None
    ) -> None:
        """Index the posts inserted after ``after_pk`` for the query language."""
        if prepared is None:
            self.search_index.index_after(conn, after_pk)
        else:
            values = prepared.values_of(search_sqlite.index_values)
            self.search_index.index_after(conn, after_pk, values)

    # -- languages -----------------------------------------------------------------------

    def languages_pending(self) -> int:
        """How many posts have no effective language yet (written before revision 0003)."""
        return languages_pending(self.conn)

    def relang(
        self, *, progress: Callable[[int], None] | None = None, batch: int = 2000
    ) -> LanguageUpdate:
        """Recompute every post's effective language from its declared one and its text
        (:func:`veilleur.store.languages.relang`); ``progress(n)`` after each batch of n."""
        return relang(
            self.conn, self.transaction, self.search_index, progress=progress, batch=batch
        )

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s answer, remembered under ``key`` while the database is
        unchanged and shared with this process's other stores on it (the web server's
        readers): :mod:`veilleur.store.memo`. Computed each time inside a transaction of
        this store's (its uncommitted writes) and for a database in memory. ``compute``
        must read this database only, and its answer must not be changed by callers."""
        if self._watcher is None or self.conn.in_transaction:
            return compute()
        return self._watcher.recall(key, compute)

    def count_posts(self) -> int:
        """How many posts the workspace holds. Counting scans an index (50 ms at a million
        posts when the pages are cached, 1–2 s when they are not), so the answer is
        remembered while the database is unchanged (:meth:`remembered`)."""
        return self.remembered(
            ("count_posts",),
            lambda: int(
                self.core.execute(select(func.count()).select_from(posts_table)).scalar_one()
            ),
        )

    def get_post(self, network: str, id: str) -> Post | None:
        row = self.conn.execute(
            f"{SELECT_POST} WHERE p.network = ? AND p.id = ?", (network, id)
        ).fetchone()
        return row_to_post(row) if row else None

    def iter_posts(
        self,
        where: str = "",
        params: Sequence[Any] = (),
        order: str = "p.created_at DESC, p.pk DESC",
        limit: int | None = None,
    ) -> Iterator[Post]:
        """Posts matching a SQL condition on ``posts p``, streamed."""
        sql = SELECT_POST
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for row in self.conn.execute(sql, list(params)):
            yield row_to_post(row)

    def search_words(
        self, words: Sequence[str], *, sort: str = "date", limit: int | None = 50
    ) -> list[Post]:
        """Posts containing every word (accents, case and inflection ignored)."""
        terms: list[Node] = [
            Word(tuple(t.folded for t in tokenize(w) if t.kind == "word")) for w in words
        ]
        terms = [t for t in terms if isinstance(t, Word) and t.tokens]
        if not terms:
            return list(self.iter_posts(limit=limit))
        return self.search(
            terms[0] if len(terms) == 1 else And(tuple(terms)), sort=sort, limit=limit
        )

    def compile(
        self, node: Node, *, sort: str = "date", limit: int | None = 50
    ) -> tuple[str, list[Any]]:
        """The SELECT statement (and parameters) that :meth:`search` runs for ``node``."""
        return self.search_index.select(node, sort=sort, limit=limit)

    def search(self, node: Node, *, sort: str = "date", limit: int | None = 50) -> list[Post]:
        """Posts matching a query tree (:func:`veilleur.query.parse`), newest first or
        best match first (``sort="relevance"``, for queries with words)."""
        return self.search_index.search(node, sort=sort, limit=limit)

    def count_matches(self, node: Node) -> int:
        """How many posts match a query tree."""
        return self.search_index.count(node)

    def count_by_network(self, node: Node) -> dict[str, int]:
        """How many posts match a query tree, per network (networks with none left out)."""
        body, params = self.search_index.compile(node).from_where()
        with search_refused():
            rows = self.conn.execute(f"SELECT p.network, count(*) {body} GROUP BY 1", params)
            return {str(network): int(count) for network, count in rows}

    def top_authors(self, node: Node, limit: int = 10) -> list[tuple[str, str, int, int]]:
        """The accounts posting most on a query tree: ``(author, network, posts,
        engagement)``, engagement being likes + reposts + replies + quotes."""
        body, params = self.search_index.compile(node).from_where()
        with search_refused():
            rows = self.conn.execute(
                "SELECT p.author, p.network, count(*), sum(coalesce(p.likes, 0) + "
                "coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0)) "
                f"{body} GROUP BY p.author, p.network ORDER BY 3 DESC, 4 DESC, 1 LIMIT ?",
                (*params, int(limit)),
            )
            return [(str(a), str(n), int(c), int(e)) for a, n, c, e in rows]

    def match_summary(
        self, node: Node, authors: int = 10, *, budget: int | None = None
    ) -> MatchSummary:
        """What :meth:`count_matches`, :meth:`count_by_network` and :meth:`top_authors`
        answer, from one pass over the matching posts instead of three (the search page
        shows all three: on frequent words each pass is most of the page's time).

        With a ``budget``, at most that many matches are read, newest first: when more
        match, the summary is not ``complete`` and says so — the counts by network and
        account are those of the ``budget`` most recent matches (``counted``), and
        ``total`` is exact when it is cheap (a query of words only, counted in the index)
        or else the budget with ``total_exact`` false (more than that match). Newest
        first with words reads the index in date order and stops there (revision 0011),
        so the cost no longer grows with a frequent word's matches.

        Remembered while the database is unchanged (:meth:`remembered`): the search page
        of a query asked again, by anyone, reads nothing more until the next commit.
        """
        found = self.remembered(
            ("match_summary", node, authors, budget),
            lambda: self._match_summary(node, authors, budget),
        )
        # A copy: the remembered one is shared with other requests.
        return replace(
            found,
            by_network=dict(found.by_network),
            top_authors=list(found.top_authors),
            by_hour=dict(found.by_hour),
        )

    def _match_summary(self, node: Node, authors: int, budget: int | None) -> MatchSummary:
        compiled = self.search_index.compile(node)
        body, params = compiled.from_where()
        engagement = (
            "coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) + "
            "coalesce(p.quotes, 0)"
        )
        complete = True
        by_hour: dict[str, int] = {}
        groups: dict[tuple[str, str], list[int]] = {}  # (network, author): [posts, engagement]
        with search_refused():
            if budget is None:
                # One reading of the matches, grouped by account and UTC hour at once; the
                # two groupings are summed from it here (a second query would match every
                # post again, most of the page's time on a frequent word).
                for network, author, hour, count, value in self.conn.execute(
                    f"SELECT p.network, p.author, substr(p.created_at, 1, 13), count(*), "
                    f"sum({engagement}) {body} GROUP BY 1, 2, 3",
                    params,
                ):
                    group = groups.setdefault((str(network), str(author)), [0, 0])
                    group[0] += int(count)
                    group[1] += int(value)
                    by_hour[str(hour)] = by_hour.get(str(hour), 0) + int(count)
            else:
                order = self._newest_first(compiled)
                found = self.conn.execute(
                    f"SELECT p.network, p.author, {engagement}, substr(p.created_at, 1, 13) "
                    f"{body} ORDER BY {order} LIMIT {int(budget) + 1}",
                    params,
                ).fetchall()
                complete = len(found) <= budget
                for network, author, value, hour in found[:budget]:
                    group = groups.setdefault((str(network), str(author)), [0, 0])
                    group[0] += 1
                    group[1] += int(value)
                    by_hour[str(hour)] = by_hour.get(str(hour), 0) + 1
        rows = [(n, a, c, e) for (n, a), (c, e) in groups.items()]
        by_network: dict[str, int] = {}
        for network, _author, count, _engagement in rows:
            by_network[network] = by_network.get(network, 0) + count
        rows.sort(key=lambda r: (-r[2], -r[3], r[1], r[0]))
        counted = sum(by_network.values())
        total: int | None = counted
        if not complete:
            total = self._count_quickly(compiled)
        return MatchSummary(
            total=counted if total is None else total,
            by_network=by_network,
            top_authors=[(a, n, c, e) for n, a, c, e in rows[:authors]],
            complete=complete,
            counted=counted,
            total_exact=total is not None,
            by_hour=by_hour,
        )

    def _count_quickly(self, compiled: Any) -> int | None:
        """The exact number of matches when it costs little (words only: counted in the
        search index without reading the posts), else None."""
        return self.search_index.count_index_only(compiled)

    def _newest_first(self, compiled: Any) -> str:
        """The ORDER BY of a search newest first (as :meth:`SQLiteSearch.select`): the
        index's rowids when they follow the dates, so that a LIMIT stops the reading."""
        if getattr(compiled, "fts", None) is not None and self.search_index.date_ordered():
            return "posts_fts.rowid"
        return "p.created_at DESC, p.pk DESC"

    # -- statistics ----------------------------------------------------------------------

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Posts by network, by author (top 20) and by month."""
        q = self.conn.execute
        return {
            "network": [
                (r[0], r[1])
                for r in q(
                    "SELECT network, count(*) FROM posts GROUP BY network ORDER BY 2 DESC, 1"
                )
            ],
            "author": [
                (r[0], r[1])
                for r in q(
                    "SELECT author || ' (' || network || ')', count(*) FROM posts "
                    "GROUP BY author, network ORDER BY 2 DESC, 1 LIMIT 20"
                )
            ],
            "month": [
                (r[0], r[1])
                for r in q(
                    "SELECT substr(created_at, 1, 7), count(*) FROM posts GROUP BY 1 ORDER BY 1"
                )
            ],
        }

    # -- settings ------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        """The stored value of a setting (None when unset). Remembered while the database
        is unchanged (:meth:`remembered`): every web page reads the workspace's time zone,
        and building the statement cost more than the rest of a cached page."""
        return self.remembered(("setting", key), lambda: self._read_setting(key))

    def _read_setting(self, key: str) -> str | None:
        value = self.core.execute(
            select(settings_table.c.value).where(settings_table.c.key == key)
        ).scalar_one_or_none()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction():
            self._put_setting(key, value)

    def _put_setting(self, key: str, value: str | None) -> None:
        """Write a setting in the caller's transaction."""
        if value is None:
            self.core.execute(delete(settings_table).where(settings_table.c.key == key))
            return
        statement = self._upsert(settings_table).values(key=key, value=value)
        self.core.execute(
            statement.on_conflict_do_update(
                index_elements=[settings_table.c.key],
                set_={"value": statement.excluded.value},
            )
        )

    def all_settings(self) -> dict[str, str]:
        rows = self.core.execute(select(settings_table.c.key, settings_table.c.value))
        return {str(key): str(value) for key, value in rows}
