"""Helpers of the export importers' tests: frozen clock, golden files, zips built on the fly.

Golden files hold the expected posts as JSONL (``Post.to_json()`` without ``raw``). They
were checked by hand against the fixtures; after a deliberate change of the normalisation,
regenerate them with ``VEILLEUR_REGEN_GOLDEN=1 pytest tests/test_import_exports_*.py`` and
review the diff before committing.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from veilleur.imports.records import Record, Rejection
from veilleur.model import Post

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
FROZEN = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN


def split(records: Iterable[Record]) -> tuple[list[Post], list[Rejection]]:
    posts: list[Post] = []
    rejections: list[Rejection] = []
    for record in records:
        (rejections if isinstance(record, Rejection) else posts).append(record)  # type: ignore[arg-type]
    return posts, rejections


def as_jsonl(posts: Iterable[Post]) -> str:
    return "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in posts)


def check_golden(name: str, posts: list[Post]) -> None:
    """Compare with ``fixtures/exports/NAME.golden.jsonl`` (or rewrite it on request)."""
    path = FIXTURES / f"{name}.golden.jsonl"
    text = as_jsonl(posts)
    if os.environ.get("VEILLEUR_REGEN_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with VEILLEUR_REGEN_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8").splitlines()
    got = text.splitlines()
    for number, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        assert json.loads(have) == json.loads(want), f"{path.name} line {number} differs"
    assert len(got) == len(expected), f"{len(got)} posts, {path.name} has {len(expected)}"


def zip_folder(folder: Path, dest: Path, prefix: str = "") -> Path:
    """Zip a fixture folder as the platforms do (optionally under a top folder)."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return dest


def zip_members(dest: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return dest
