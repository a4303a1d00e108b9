"""import jsonl: the interchange format, idempotence, and every kind of bad line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


def _line(i: int, **extra: object) -> str:
    record = {
        "id": f"p{i}",
        "network": "mastodon",
        "author": f"user{i % 3}@exemple.fr",
        "text": f"Message numéro {i} sur le recrutement et l'emploi",
        "created_at": f"2026-03-{1 + i % 28:02d}T10:00:00+02:00",
    }
    record.update(extra)
    return json.dumps(record, ensure_ascii=False)


def _write(path: Path, lines: list[str], end: str = "\n") -> Path:
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


def test_import_twice_adds_nothing_the_second_time(cli, tmp_path: Path) -> None:
    src = _write(tmp_path / "posts.jsonl", [_line(i) for i in range(10)])
    first = cli("import", "jsonl", str(src))
    assert first.code == 0
    assert "10 read · 10 new · 0 updated · 0 already known · 0 rejected" in first.out
    second = cli("import", "jsonl", str(src))
    assert second.code == 0
    assert "10 read · 0 new · 0 updated · 10 already known" in second.out


def test_fields_are_kept_as_given(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "p.jsonl",
        [
            _line(
                1,
                id="0042",
                lang="en",
                likes=5,
                media=[{"url": "https://e.fr/a.png", "alt": "Un chat"}],
                campagne="printemps",
            )
        ],
    )
    assert cli("import", "jsonl", str(src)).code == 0
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("mastodon", "0042")
    assert post is not None
    assert post.id == "0042"  # not turned into a number
    # a given language is kept, but the text (French) says which language is effective
    assert (post.lang, post.lang_declared, post.lang_source) == ("fr", "en", "detected")
    assert post.likes == 5
    assert post.media[0].alt == "Un chat"
    # no offset means UTC; +02:00 is converted
    assert post.created_at.isoformat() == "2026-03-02T08:00:00+00:00"
    # the raw payload keeps what the interchange fields do not hold
    assert post.raw == {"campagne": "printemps"}


def test_newer_counts_update_a_known_post(tmp_path: Path, cli) -> None:
    old = _write(tmp_path / "a.jsonl", [_line(1, likes=1, collected_at="2026-03-05T00:00:00Z")])
    new = _write(tmp_path / "b.jsonl", [_line(1, likes=9, collected_at="2026-03-06T00:00:00Z")])
    stale = _write(tmp_path / "c.jsonl", [_line(1, likes=4, collected_at="2026-03-04T00:00:00Z")])
    cli("import", "jsonl", str(old))
    assert "1 updated" in cli("import", "jsonl", str(new)).out
    assert "1 already known" in cli("import", "jsonl", str(stale)).out
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("mastodon", "p1")
    assert post is not None and post.likes == 9


def test_truncated_file_keeps_good_lines_and_names_the_line(tmp_path: Path, cli) -> None:
    lines = [_line(i) for i in range(5)]
    src = tmp_path / "cut.jsonl"
    src.write_text("\n".join(lines) + "\n" + _line(5)[:40], encoding="utf-8")
    result = cli("import", "jsonl", str(src))
    assert result.code == 1
    assert f"{src}:6" in result.err
    assert "truncated" in result.err
    assert "5 new" in result.out and "1 rejected" in result.out


def test_bad_records_are_reported_with_their_reason(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "bad.jsonl",
        [
            _line(1),
            json.dumps({"id": "x", "network": "mastodon", "text": "t", "created_at": "2026-01-01"}),
            _line(3, created_at="hier"),
            _line(4, network="myspace"),
            _line(5, likes="beaucoup"),
            "[1, 2]",
            _line(7),
        ],
    )
    result = cli("import", "jsonl", "--json", str(src))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (2, 5)
    reasons = {r["where"].rsplit(":", 1)[1]: r["reason"] for r in summary["rejections"]}
    assert "missing required field: author" in reasons["2"]
    assert "ISO 8601" in reasons["3"]
    assert "unknown network 'myspace'" in reasons["4"]
    assert "'likes' must be a whole number" in reasons["5"]
    assert "expected a JSON object" in reasons["6"]


def test_binary_file_fails_cleanly_and_writes_nothing(tmp_path: Path, cli) -> None:
    good = _write(tmp_path / "good.jsonl", [_line(1)])
    cli("import", "jsonl", str(good))
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    result = cli("import", "jsonl", str(binary))
    assert result.code == 2
    assert "photo.jpg" in result.err and "binary" in result.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == 1


def test_file_that_is_not_jsonl_is_refused(tmp_path: Path, cli) -> None:
    src = tmp_path / "notes.jsonl"
    src.write_text("id,network,author\n1,x,a\n", encoding="utf-8")
    result = cli("import", "jsonl", str(src))
    assert result.code == 2
    assert "is not JSONL" in result.err


def test_missing_file_is_a_clear_error(tmp_path: Path, cli) -> None:
    result = cli("import", "jsonl", str(tmp_path / "absent.jsonl"))
    assert result.code == 2
    assert "absent.jsonl: no such file" in result.err


def test_a_nul_character_costs_no_record_on_either_store(cli, tmp_path: Path, backend: str) -> None:
    """PostgreSQL's text refuses U+0000, which SQLite keeps: such a post once ended the whole
    import on PostgreSQL. Now every record is kept, U+FFFD in place of each NUL there."""
    odd = _line(1, text="Avant\u0000après", title="Ti\u0000tre", author_name="No\u0000m")
    src = _write(tmp_path / "nul.jsonl", [_line(0), odd, _line(2)])
    result = cli("import", "jsonl", str(src))
    assert result.code == 0, result.out
    assert "3 read · 3 new · 0 updated · 0 already known · 0 rejected" in result.out
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("mastodon", "p1")
        assert ws.store.count_posts() == 3
    assert post is not None
    kept = "\u0000" if backend == "sqlite" else "\ufffd"
    assert (post.text, post.title, post.author_name) == (
        f"Avant{kept}après",
        f"Ti{kept}tre",
        f"No{kept}m",
    )
