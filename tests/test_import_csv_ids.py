"""import csv without an id column: a stable id derived from the row, or --id-from COLUMN;
many rows rejected for one reason are one line, not one line each."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from veilleur.imports.records import content_id
from veilleur.workspace import Workspace


def _rows(n: int) -> str:
    lines = ["network;author;text;created_at"]
    for i in range(n):
        lines.append(
            f"x;@UPR_Asselineau;Communiqué numéro {i} sur l'emploi;2026-03-01 10:{i % 60:02d}:00"
        )
    return "\n".join(lines) + "\n"


def _posts(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        return {p.id: p for p in ws.store.iter_posts()}


def test_csv_without_id_column_is_imported_with_stable_ids(cli, tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_text(_rows(423), encoding="utf-8")
    first = cli("import", "csv", str(src))
    assert first.code == 0, first.err
    assert "423 read · 423 new · 0 updated · 0 already known · 0 rejected" in first.out
    again = cli("import", "csv", str(src))
    assert "423 read · 0 new · 0 updated · 423 already known" in again.out
    renamed = shutil.copy(src, tmp_path / "autre-nom.csv")
    assert "423 already known" in cli("import", "csv", str(renamed)).out
    posts = _posts(tmp_path)
    assert len(posts) == 423
    one = next(p for p in posts.values() if p.text == "Communiqué numéro 7 sur l'emploi")
    assert one.author == "UPR_Asselineau"
    assert one.id == content_id(
        "x", "UPR_Asselineau", datetime(2026, 3, 1, 10, 7, tzinfo=UTC), one.text
    )


def test_content_id_ignores_what_differs_between_two_exports_of_a_post() -> None:
    when = datetime(2026, 3, 1, 10, 7, tzinfo=UTC)
    base = content_id("x", "Atelier", when, "Un  atelier\r\nsur la veille")
    assert base == content_id("x", "atelier", when, "Un atelier sur la veille")
    assert base == content_id(
        "x", "Atelier", when.replace(microsecond=5), "Un atelier sur la veille"
    )
    assert base != content_id("bluesky", "Atelier", when, "Un atelier sur la veille")
    assert base != content_id("x", "Atelier", when.replace(minute=8), "Un atelier sur la veille")
    assert base != content_id("x", "Atelier", when, "Un autre atelier")


def test_a_csv_with_urls_but_no_id_keeps_the_url_hash(cli, tmp_path: Path) -> None:
    src = tmp_path / "u.csv"
    src.write_text(
        "network,author,text,created_at,url\nx,a,Bonjour,2026-03-01,https://x.com/a/status/1\n",
        encoding="utf-8",
    )
    assert cli("import", "csv", str(src)).code == 0
    from veilleur.model import url_id

    assert list(_posts(tmp_path)) == [url_id("https://x.com/a/status/1")]


def test_id_from_names_the_id_column(cli, tmp_path: Path) -> None:
    src = tmp_path / "m.csv"
    src.write_text(
        "Numéro;Date;Compte;Texte\n"
        "a1;2026-02-01T08:00:00;mairie;Forum de l'emploi\n"
        ";2026-02-02T08:00:00;mairie;Sans numéro\n",
        encoding="utf-8",
    )
    args = ["--network", "facebook", "--map", "Date=created_at", "--map", "Compte=author"]
    args += ["--map", "Texte=text", "--id-from", "Numéro"]
    result = cli("import", "csv", str(src), *args)
    assert result.code == 1
    assert f"{src}:3: no id in column 'Numéro' (--id-from)" in result.err
    assert list(_posts(tmp_path)) == ["a1"]
    wrong = cli("import", "csv", str(src), *args[:-1], "Num")
    assert wrong.code == 2 and "--id-from Num: no such column" in wrong.err


def test_id_from_wins_over_a_recognised_id_column(cli, tmp_path: Path) -> None:
    src = tmp_path / "i.csv"
    src.write_text(
        "id,network,author,text,created_at,ref\n1,x,a,Bonjour,2026-03-01,R-9\n", encoding="utf-8"
    )
    assert cli("import", "csv", str(src), "--id-from", "ref").code == 0
    assert list(_posts(tmp_path)) == ["R-9"]


def test_many_rows_rejected_for_one_reason_are_one_line(cli, tmp_path: Path) -> None:
    lines = ["id,network,author,text,created_at"]
    lines += [f"{i},x,a,texte {i}," for i in range(60)]  # no date: 60 times one reason
    lines += ["99,x,a,texte,hier"]  # another reason
    src = tmp_path / "bad.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "csv", str(src))
    assert result.code == 1
    err = result.err.splitlines()
    assert err[0] == (
        f"{src}:2: missing required field: created_at (and 59 more lines with the same reason)"
    )
    assert err[1].startswith(f"{src}:62: 'created_at' is not an ISO 8601 date")
    assert len(err) == 2
    summary = json.loads(cli("import", "csv", "--json", str(src)).out)
    assert [g["count"] for g in summary["rejection_groups"]] == [60, 1]
    assert summary["rejected"] == 61
