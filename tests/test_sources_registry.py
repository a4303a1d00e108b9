"""Registering sources: a name is taken once, and a refused one undoes its whole batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from veilleur.errors import UsageError
from veilleur.sources import registry
from veilleur.store import SQLiteStore

A = {"url": "https://a.example/feed.xml"}
B = {"url": "https://b.example/feed.xml"}


def _stored(store: SQLiteStore) -> list[tuple[str, dict[str, object]]]:
    return [(r.name, r.params) for r in registry.list_sources(store)]


def test_a_taken_name_is_refused_and_the_first_source_kept(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "ws.sqlite")
    registry.add_source(store, "rss", A, "actu")
    with pytest.raises(UsageError, match="a source named 'actu' already exists"):
        registry.add_source(store, "rss", B, "actu")
    assert _stored(store) == [("actu", A)]
    assert registry.unique_name(store, "actu") == "actu-2"


def test_a_taken_name_in_a_transaction_undoes_the_whole_transaction(tmp_path: Path) -> None:
    # What `veilleur source import` (OPML) relies on: its feeds are added in one transaction.
    store = SQLiteStore(tmp_path / "ws.sqlite")
    registry.add_source(store, "rss", A, "actu")
    with pytest.raises(UsageError, match="already exists"), store.transaction() as tx:
        registry.add_source(store, "rss", B, "autre", conn=tx)
        registry.add_source(store, "rss", B, "actu", conn=tx)
    assert _stored(store) == [("actu", A)]
    with store.transaction() as tx:
        registry.add_source(store, "rss", B, "autre", conn=tx)
    assert _stored(store) == [("actu", A), ("autre", B)]
