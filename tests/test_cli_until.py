"""``--until D`` means what ``until:D`` means in a query: before D at 00:00 UTC (as X's
search does), in every command that takes it. Posts are planted at 23:59 the day before,
at 00:00 and at 12:00 on D: only the first is before D."""

from __future__ import annotations

from pathlib import Path

import orjson

D = "2026-05-10"
PLANTED = {
    "late": "2026-05-09T23:59:00Z",
    "midnight": "2026-05-10T00:00:00Z",
    "noon": "2026-05-10T12:00:00Z",
}
TEXTS = {
    "late": "Nous recrutons un technicien usinage titane pour notre atelier de Lyon.",
    "midnight": "Recrutement : contrôle qualité aéronautique, poste ouvert en CDI à Nantes.",
    "noon": "Offre d'emploi en usinage médical, candidats débutants bienvenus à Grenoble.",
}


def _plant(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        orjson.dumps(
            {
                "id": name,
                "network": "linkedin",
                "author": "dupont",
                "text": TEXTS[name],
                "created_at": when,
                "url": f"https://example.org/{name}",
                "lang": "fr",
            }
        )
        for name, when in PLANTED.items()
    ]
    posts = tmp_path / "posts.jsonl"
    posts.write_bytes(b"\n".join(lines) + b"\n")
    assert cli("import", "jsonl", str(posts)).code == 0


def test_search_until_excludes_the_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _plant(cli, tmp_path)
    result = cli("search", f"until:{D}", "-f", "ids")
    assert result.code == 0, result.err
    assert result.out.split() == ["late"]


def test_audit_until_excludes_the_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _plant(cli, tmp_path)
    profile = tmp_path / "profile.toml"
    profile.write_text(
        'name = "Dupont"\npositioning = "Usinage"\nkeywords = ["usinage"]\n', encoding="utf-8"
    )
    result = cli("audit", "-a", "dupont", "-p", str(profile), "-f", "json", "--until", D)
    assert result.code == 0, result.err
    assert orjson.loads(result.out)["post_count"] == 1
    result = cli(
        "audit", "-a", "dupont", "-p", str(profile), "-f", "json", "--since", D, "--until",
        "2026-05-11",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert orjson.loads(result.out)["post_count"] == 2  # 00:00 and 12:00 on D


def test_digest_until_excludes_the_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _plant(cli, tmp_path)
    assert cli("watch", "add", "emploi", "recrutons OR recrutement OR emploi").code == 0
    result = cli("digest", "emploi", "--until", D, "-f", "json")
    assert result.code == 0, result.err
    data = orjson.loads(result.out)
    assert data["until"] == f"{D}T00:00:00Z"
    assert data["posts"] == 1
    assert [s["url"] for s in data["stories"]] == ["https://example.org/late"]


def test_every_until_help_says_before_the_day(cli) -> None:  # type: ignore[no-untyped-def]
    for command in (["audit"], ["digest"], ["source", "add", "bluesky"]):
        result = cli(*command, "--help")
        assert result.code == 0
        assert "before that day at 00:00 UTC" in " ".join(result.out.split()), command
