"""The demo corpus shipped with veilleur, and the tour ``veilleur demo`` gives."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def corpus_path() -> Path:
    """The demo posts (JSONL), written for the project on the themes of the method."""
    return Path(str(files("veilleur.demo") / "corpus.jsonl"))
