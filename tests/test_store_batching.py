"""Lookups of more values than SQLite takes parameters in one statement."""

from __future__ import annotations

import sqlite3

from veilleur.store.batching import SIZE, rows_in


def test_rows_in_spans_several_statements_and_keeps_trailing_parameters() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(k, k % 3) for k in range(3 * SIZE)])
    wanted = range(0, 3 * SIZE, 2)  # 1,350 keys: two statements at least
    found = list(rows_in(conn, "SELECT k FROM t WHERE k IN ({marks}) AND v = ?", wanted, (0,)))
    assert sorted(k for (k,) in found) == [k for k in wanted if k % 3 == 0]
    assert list(rows_in(conn, "SELECT k FROM t WHERE k IN ({marks})", [])) == []
