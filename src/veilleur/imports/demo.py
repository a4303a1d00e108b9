"""The demo corpus imported into a workspace, for ``veilleur demo``."""

from __future__ import annotations

from veilleur.demo import corpus_path
from veilleur.imports.jsonl import read_jsonl
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.store import SQLiteStore


def import_demo_corpus(store: SQLiteStore) -> ImportSummary:
    """Import the shipped demo posts (again: posts already there are counted as known)."""
    summary = ImportSummary()
    import_file(store, corpus_path(), read_jsonl, summary)
    return summary
