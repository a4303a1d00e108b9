"""Fuzzing every importer with hostile files (issue 14): cut short, bytes flipped, another
encoding, wrong-typed fields, deep nesting, values out of range.

Whatever the file, ``veilleur import …`` ends without a traceback, with exit status 0, 1
or 2; when it is not 0 a message names the file; and the good records of a file with one
hostile record among them are kept. Fast settings in ``make test``, the long run under
``-m long`` (``make test-long``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.car_builder import build_car
from tests.export_helpers import FIXTURES

from .conftest import SHARED


@dataclass(frozen=True)
class Importer:
    command: str
    name: str  # the file name the reader looks for
    sample: Callable[[Path], bytes]
    options: tuple[str, ...] = ()
    items: str | None = None  # JSON: how to reach the list of records ("" = the document)


def _jsonl(_: Path) -> bytes:
    lines = [
        json.dumps(
            {
                "id": f"j{i}",
                "network": "mastodon",
                "author": "a@exemple.fr",
                "text": f"Texte {i}",
                "created_at": "2026-03-01T10:00:00Z",
                "likes": i,
            }
        )
        for i in range(8)
    ]
    return ("\n".join(lines) + "\n").encode()


def _csv(_: Path) -> bytes:
    rows = ["id,network,author,text,created_at,likes"]
    rows += [f"c{i},mastodon,a@exemple.fr,Texte {i},2026-03-01T10:00:00Z,{i}" for i in range(8)]
    return ("\n".join(rows) + "\n").encode()


def _file(*parts: str) -> Callable[[Path], bytes]:
    return lambda _: FIXTURES.joinpath(*parts).read_bytes()


def _car(tmp: Path) -> bytes:
    return build_car(FIXTURES / "bluesky" / "repo.json", tmp / "sample.car").read_bytes()


def _bluesky_json(_: Path) -> bytes:
    path = SHARED / "data" / "bluesky" / "twitwi-bluesky-posts.json"
    if not path.exists():
        pytest.skip("../shared is absent")
    return json.dumps(json.loads(path.read_bytes())[:10]).encode()


FB = (
    "facebook",
    "your_facebook_activity",
    "posts",
    "your_posts__check_ins__photos_and_videos_1.json",
)
IMPORTERS = [
    Importer("jsonl", "posts.jsonl", _jsonl),
    Importer("csv", "posts.csv", _csv),
    Importer("x-archive", "tweets.js", _file("x-archive", "data", "tweets.js"), ("--author", "a")),
    Importer(
        "mastodon-archive",
        "outbox.json",
        _file("mastodon", "outbox.json"),
        ("--author", "a@exemple.fr"),
        items="orderedItems",
    ),
    Importer("facebook-export", "your_posts_1.json", _file(*FB), ("--author", "a"), items=""),
    Importer("linkedin-export", "Shares.csv", _file("linkedin", "Shares.csv"), ("--author", "a")),
    Importer("bluesky-car", "repo.car", _car, ("--author", "a.bsky.social")),
    Importer("bluesky-json", "posts.json", _bluesky_json, items=""),
]
BY_COMMAND = {i.command: i for i in IMPORTERS}


def _deep(depth: int) -> Any:
    value: Any = "fond"
    for n in range(depth):
        value = [value] if n % 2 else {"a": value}
    return value


HOSTILE_VALUES = st.one_of(
    st.integers(min_value=2**63 - 10, max_value=10**30),
    st.integers(max_value=-1),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            1e20,
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+01:00",
            "\x00\ud800",
            "",
            None,
            True,
            [],
            {},
            5,
            "javascript:alert(1)",
        ]
    ),
    st.integers(min_value=200, max_value=600).map(_deep),
    st.lists(st.integers(), max_size=3),
    st.text(max_size=10),
)


def _mutations(sample: bytes) -> st.SearchStrategy[bytes]:
    """The sample cut short, bytes flipped, re-encoded, or wrapped in deep nesting."""
    size = len(sample)
    cut = st.integers(0, size).map(lambda n: sample[:n])
    flip = st.tuples(st.integers(0, max(size - 1, 0)), st.binary(min_size=1, max_size=8)).map(
        lambda p: sample[: p[0]] + p[1] + sample[p[0] + len(p[1]) :]
    )
    latin1 = st.just(sample.decode("utf-8", "replace").encode("latin-1", "replace"))
    utf16 = st.just(sample.decode("utf-8", "replace").encode("utf-16"))
    nested = st.integers(100, 6000).map(lambda n: b"[" * n + sample + b"]" * n)
    return st.one_of(cut, flip, latin1, utf16, nested, st.binary(max_size=200))


def _items(doc: Any, importer: Importer) -> list[Any] | None:
    if importer.items is None:
        return None
    found = doc[importer.items] if importer.items else doc
    return found if isinstance(found, list) else None


def _with_one_hostile_record(
    importer: Importer, sample: bytes, data: st.DataObject
) -> tuple[bytes, int] | None:
    """The sample with one record's field set to a hostile value; None if not applicable."""
    value = data.draw(HOSTILE_VALUES, label="value")
    if importer.command in ("jsonl", "csv"):
        lines = sample.decode().splitlines()
        start = 1 if importer.command == "csv" else 0
        index = data.draw(st.integers(start, len(lines) - 1), label="line")
        if importer.command == "jsonl":
            record = json.loads(lines[index])
            field = data.draw(st.sampled_from(sorted(record)), label="field")
            record[field] = value
            lines[index] = json.dumps(record)
        else:
            cells = lines[index].split(",")
            column = data.draw(st.integers(0, len(cells) - 1), label="column")
            cells[column] = json.dumps(value)[:1000].replace(",", ";")
            lines[index] = ",".join(cells)
        return ("\n".join(lines) + "\n").encode(), len(lines) - start - 1
    if importer.items is None:
        return None
    doc = json.loads(sample)
    items = _items(doc, importer)
    assert items
    index = data.draw(st.integers(0, len(items) - 1), label="item")
    if isinstance(items[index], dict) and items[index]:
        key = data.draw(st.sampled_from(sorted(items[index])), label="key")
        target = items[index]
        inner = target[key]
        if isinstance(inner, dict) and inner and data.draw(st.booleans(), label="deeper"):
            target, key = inner, data.draw(st.sampled_from(sorted(inner)), label="inner key")
        target[key] = value
    else:
        items[index] = value
    return json.dumps(doc).encode(), len(items) - 1


FAST = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LONG = settings(FAST, max_examples=400)


def _run(cli: Any, tmp_path: Path, importer: Importer, content: bytes) -> dict[str, Any] | None:
    folder = tmp_path / "in"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / importer.name
    path.write_bytes(content)
    result = cli("import", importer.command, *importer.options, "--json", str(path))
    assert "Traceback" not in result.err, result.err
    assert result.code in (0, 1, 2), (result.code, result.err)
    if result.code == 2:
        assert str(path) in result.err, result.err
        return None
    summary: dict[str, Any] = json.loads(result.out)
    if result.code == 1:
        assert summary["rejected"] > 0
        assert all(str(path) in r["where"] for r in summary["rejections"]), summary
    return summary


def _check_mutated(cli: Any, tmp_path: Path, command: str, data: st.DataObject) -> None:
    importer = BY_COMMAND[command]
    sample = importer.sample(tmp_path)
    _run(cli, tmp_path, importer, data.draw(_mutations(sample), label="content"))


def _check_hostile(cli: Any, tmp_path: Path, command: str, data: st.DataObject) -> None:
    importer = BY_COMMAND[command]
    sample = importer.sample(tmp_path)
    made = _with_one_hostile_record(importer, sample, data)
    if made is None:
        return
    content, good = made
    summary = _run(cli, tmp_path, importer, content)
    if summary is not None and importer.command in ("jsonl", "csv"):
        # Every other record is kept (new, or known from an earlier example).
        assert summary["new"] + summary["known"] + summary["updated"] >= good, summary


COMMANDS = [i.command for i in IMPORTERS]


@pytest.mark.parametrize("command", COMMANDS)
@seed(14)
@FAST
@given(data=st.data())
def test_mutated_files_never_raise(cli: Any, tmp_path: Path, command: str, data: Any) -> None:
    _check_mutated(cli, tmp_path, command, data)


@pytest.mark.parametrize("command", COMMANDS)
@seed(14)
@FAST
@given(data=st.data())
def test_one_hostile_record_costs_itself_only(
    cli: Any, tmp_path: Path, command: str, data: Any
) -> None:
    _check_hostile(cli, tmp_path, command, data)


@pytest.mark.long
@pytest.mark.parametrize("command", COMMANDS)
@seed(1414)
@LONG
@given(data=st.data())
def test_mutated_files_never_raise_long(cli: Any, tmp_path: Path, command: str, data: Any) -> None:
    _check_mutated(cli, tmp_path, command, data)


@pytest.mark.long
@pytest.mark.parametrize("command", COMMANDS)
@seed(1414)
@LONG
@given(data=st.data())
def test_one_hostile_record_costs_itself_only_long(
    cli: Any, tmp_path: Path, command: str, data: Any
) -> None:
    _check_hostile(cli, tmp_path, command, data)
