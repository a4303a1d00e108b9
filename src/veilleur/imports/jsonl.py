"""JSONL, the interchange format: one post per line, field names of DESIGN.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.records import (
    ProgressFn,
    Record,
    RecordError,
    Rejection,
    open_text,
    post_from_mapping,
)


def _first_content_line(head: bytes) -> bytes | None:
    for line in head.splitlines():
        if line.strip():
            return line.lstrip(b"\xef\xbb\xbf").strip()
    return None


def read_jsonl(path: Path, progress: ProgressFn | None = None) -> Iterator[Record]:
    """Posts of a JSONL file, streamed; a bad line becomes a Rejection naming file:line."""
    with open_text(path) as (head, handle):
        first = _first_content_line(head)
        if first is not None and not first.startswith(b"{"):
            raise InputError(
                t(
                    "is not JSONL: each line must be one JSON object starting with '{{' "
                    "(line 1 starts with {start})",
                    start=repr(first[:20]),
                ),
                where=str(path),
            )
        for number, line in enumerate(handle, start=1):
            if progress is not None:
                progress(len(line))
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Rejection(where, t("invalid JSON ({reason})", reason=_json_reason(exc, line)))
                continue
            if not isinstance(data, dict):
                yield Rejection(
                    where, t("expected a JSON object, got {type}", type=type(data).__name__)
                )
                continue
            try:
                yield post_from_mapping(data)
            except RecordError as exc:
                yield Rejection(where, str(exc))


def _json_reason(exc: orjson.JSONDecodeError, line: bytes) -> str:
    if not line.endswith(b"\n"):
        return t("line cut short at column {column}: the file may be truncated", column=exc.colno)
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as err:
        return t("not UTF-8 at byte {byte}", byte=err.start + 1)
    return t("{problem} at column {column}", problem=exc.msg, column=exc.colno)
