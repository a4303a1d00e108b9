"""import linkedin-export: Shares.csv from LinkedIn's « Get a copy of your data »."""

from __future__ import annotations

import json
from pathlib import Path

from tests.export_helpers import FIXTURES, FROZEN, check_golden, frozen_clock, split, zip_members
from veilleur.imports.linkedin import clean_commentary, read_linkedin

EXPORT = FIXTURES / "linkedin"
HEADER = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"


def _read(path: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    return split(read_linkedin(path, author="claire-dubois", clock=frozen_clock))


def test_golden() -> None:
    posts, rejections = _read(EXPORT)
    assert rejections == []
    check_golden("linkedin", posts)


def test_what_the_export_says_is_normalised() -> None:
    posts, _ = _read(EXPORT)
    by_id = {p.id: p for p in posts}
    assert len(posts) == 5
    first = by_id["urn:li:share:7158000000000000001"]
    assert first.author == "claire-dubois" and first.author_name == "Claire Dubois"
    assert first.created_at.isoformat() == "2024-02-01T08:00:00+00:00"
    assert first.collected_at == FROZEN
    assert first.text.endswith("\nhttps://claire-dubois.example/articles/trois-questions")
    assert first.url == (
        "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7158000000000000001"
    )
    # LinkedIn's second layer of quotes removed, the blank line kept
    assert by_id["urn:li:share:7160000000000000002"].text == (
        "Nous recrutons une chargée de communication !\n\n"
        'Le poste : « community manager » à Lyon, dit "CM", en CDI.\nÉcrivez-moi.'
    )
    # plain CSV quoting only: left as written
    workshop = by_id["urn:li:share:7162000000000000003"]
    assert workshop.text.splitlines()[1:3] == ["- 12 participants", "- 3 réseaux passés au crible"]
    assert 'Merci à "l\'équipe"' in workshop.text
    assert workshop.media[0].url == "https://media.licdn.example/image/atelier-jeudi.jpg"
    repost = by_id["urn:li:share:7163000000000000004"]
    assert (repost.text, repost.repost_of) == ("", "urn:li:activity:7162900000000000000")
    assert by_id["urn:li:ugcPost:7164000000000000005"].quote_of == (
        "urn:li:activity:7163900000000000000"
    )


def test_clean_commentary_leaves_ordinary_text_alone() -> None:
    assert clean_commentary('Il a dit "bonjour" puis est parti') == (
        'Il a dit "bonjour" puis est parti'
    )
    assert clean_commentary('"Ligne ""un"""\n"Ligne deux"') == 'Ligne "un"\nLigne deux'


def test_import_twice_and_the_author_is_required(cli, tmp_path: Path) -> None:
    shares = EXPORT / "Shares.csv"
    refused = cli("import", "linkedin-export", str(shares))
    assert refused.code == 2 and "--author" in refused.err
    first = cli("import", "linkedin-export", "--author", "claire-dubois", str(shares))
    assert first.code == 0, first.err
    assert "5 read · 5 new" in first.out
    second = cli("import", "linkedin-export", "--author", "claire-dubois", "--json", str(shares))
    summary = json.loads(second.out)
    assert (second.code, summary["new"], summary["known"]) == (0, 0, 5)


def test_bad_rows_are_rejected_with_their_line(cli, tmp_path: Path) -> None:
    archive = zip_members(
        tmp_path / "Basic_LinkedInDataExport.zip",
        {
            "Shares.csv": HEADER
            + "2024-03-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:1,"
            '"Bon\nsur deux lignes",,,PUBLIC\n'
            "hier,https://www.linkedin.com/feed/update/urn:li:share:2,Mauvaise date,,,PUBLIC\n"
            "2024-03-02 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:3,trop,,,,\n"
            "2024-03-03 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:4,,,,PUBLIC\n"
            "2024-03-04 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:5,Bon,,,PUBLIC\n"
        },
    )
    result = cli("import", "linkedin-export", "--author", "c", "--json", str(archive))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (2, 3)
    where = f"{archive}!Shares.csv"
    assert [(r["where"], r["reason"]) for r in summary["rejections"]] == [
        (f"{where}:4", "Date 'hier' is not a date like '2024-02-01 08:00:00'"),
        (f"{where}:5", "expected 6 columns, found 7"),
        (f"{where}:6", "empty post: no ShareCommentary, SharedUrl nor MediaUrl"),
    ]


def test_export_without_shares_or_with_another_csv(cli, tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "export.zip", {"Connections.csv": "First Name\n"})
    result = cli("import", "linkedin-export", "--author", "c", str(archive))
    assert result.code == 2 and "export.zip: no Shares.csv" in result.err
    other = tmp_path / "Shares.csv"
    other.write_text("Titre,Lien\nA,B\n", encoding="utf-8")
    result = cli("import", "linkedin-export", "--author", "c", str(other))
    assert result.code == 2
    assert "is not LinkedIn's Shares.csv: no column Date, ShareCommentary" in result.err


def test_not_utf8_is_refused_with_its_line(cli, tmp_path: Path) -> None:
    shares = tmp_path / "Shares.csv"
    shares.write_bytes(
        (HEADER + "2024-03-01 10:00:00,,Bon,,,PUBLIC\n").encode()
        + "2024-03-01 10:00:00,,Déjà,,,PUBLIC\n".encode("cp1252")
    )
    result = cli("import", "linkedin-export", "--author", "c", str(shares))
    assert result.code == 2 and "Shares.csv: line 3: not UTF-8" in result.err
