"""import facebook-export: your_posts*.json of « Download your information », mojibake repaired."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.export_helpers import FIXTURES, FROZEN, check_golden, frozen_clock, split, zip_members
from veilleur.imports.facebook import read_facebook, repair

EXPORT = FIXTURES / "facebook"


def _read(path: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    return split(read_facebook(path, author="atelierplume", clock=frozen_clock))


def test_golden() -> None:
    posts, rejections = _read(EXPORT)
    assert rejections == []
    check_golden("facebook", posts)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("\u00c3\u00a9", "é"),  # the brief's case: « Ã© » must come back as « é »
        ("Ã©tÃ©", "été"),
        ("\u00e2\u0080\u0099", "\u2019"),  # typographic apostrophe
        ("\u00c2\u00a0", "\u00a0"),  # no-break space
        ("\u00f0\u009f\u008e\u0089", "🎉"),
        ("déjà", "déjà"),  # already right: left alone (not valid UTF-8 once encoded)
        ("plain ASCII", "plain ASCII"),
        ("œuvre", "œuvre"),  # beyond Latin-1: cannot be mojibake
    ],
)
def test_repair(written: str, meant: str) -> None:
    assert repair(written) == meant
    assert repair({written: [written]}) == {meant: [meant]}


def test_what_the_export_says_is_normalised() -> None:
    posts, _ = _read(EXPORT)
    assert len(posts) == 4
    first, link, photo, cover = posts
    assert first.text == "Très fière de l’équipe : 3 ans déjà ! 🎉"
    assert first.created_at.isoformat() == "2024-02-01T08:00:00+00:00"
    assert first.author == "atelierplume" and first.collected_at == FROZEN
    assert first.raw is not None and first.raw["data"][0]["post"].startswith("TrÃ¨s")  # raw as is
    assert link.text.endswith("\nhttps://atelier-plume.example/blog/choisir-son-reseau")
    assert link.text.startswith("À lire avant de choisir un réseau\u00a0: «\u00a0Quel réseau")
    assert (
        photo.media[0].alt
        == "Six personnes autour d’une table, carnets ouverts, à l’atelier de Lyon."
    )
    assert (cover.text, len(cover.media)) == ("", 1)
    assert len({p.id for p in posts}) == 4


def test_import_twice(cli, tmp_path: Path) -> None:
    first = cli("import", "facebook-export", "--author", "atelierplume", str(EXPORT))
    assert first.code == 0, first.err
    assert "4 read · 4 new" in first.out
    second = cli("import", "facebook-export", "--author", "atelierplume", "--json", str(EXPORT))
    summary = json.loads(second.out)
    assert (second.code, summary["new"], summary["known"]) == (0, 0, 4)


def test_author_is_required(cli) -> None:
    result = cli("import", "facebook-export", str(EXPORT))
    assert result.code == 2 and "--author" in result.err


def test_bad_part_and_bad_entries_keep_the_good_ones(cli, tmp_path: Path) -> None:
    good = [
        {"timestamp": 1706774400, "data": [{"post": "Bon"}]},
        {"data": [{"post": "Sans date"}]},
        {"timestamp": 1706774500, "title": "Rien"},
        "texte",
    ]
    archive = zip_members(
        tmp_path / "facebook-atelier.zip",
        {
            "posts/your_posts_1.json": json.dumps(good),
            "posts/your_posts_2.json": '[{"timestamp": 1706774400, "data": [{"post": "coupé',
        },
    )
    result = cli("import", "facebook-export", "--author", "a", "--json", str(archive))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (1, 4)
    reasons = {r["where"]: r["reason"] for r in summary["rejections"]}
    part2 = f"{archive}!posts/your_posts_2.json"
    assert "not valid JSON" in reasons[part2] and "cut short" in reasons[part2]
    assert 'a list of {"timestamp"' in reasons[part2]  # what was expected
    part1 = f"{archive}!posts/your_posts_1.json"
    assert reasons[f"{part1} (entry 2)"] == "no timestamp (seconds since 1970)"
    assert reasons[f"{part1} (entry 3)"] == "empty post: no text, link nor media"
    assert reasons[f"{part1} (entry 4)"] == "expected an object, got str"


def test_html_export_is_not_readable(cli, tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "fb.zip", {"posts/your_posts_1.html": "<html></html>"})
    result = cli("import", "facebook-export", "--author", "a", str(archive))
    assert result.code == 2 and "JSON format was expected" in result.err
