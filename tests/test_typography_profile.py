"""French typography of reports, and organisation profiles read from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from veilleur.errors import InputError
from veilleur.profile import load_profile
from veilleur.report.typography import NBSP, NNBSP, french_spacing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quel réseau? Pour en faire quoi ?", f"Quel réseau{NNBSP}? Pour en faire quoi{NNBSP}?"),
        ("« Veille »", f"«{NNBSP}Veille{NNBSP}»"),
        ("Génial!!!", f"Génial{NNBSP}!!!"),
        ("Objectif: recruter", f"Objectif{NBSP}: recruter"),
        ("à 10:30 ; puis", f"à 10:30{NNBSP}; puis"),
        ("voir https://exemple.fr/a?b=1;c", "voir https://exemple.fr/a?b=1;c"),
    ],
)
def test_french_spacing(raw: str, expected: str) -> None:
    assert french_spacing(raw) == expected


def test_profile_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "Dupont Usinage"\nkeywords = ["usinage", "aéronautique"]\n'
        'goals = ["recruit_local"]\nregions = "Haute-Loire"\n[accounts]\nlinkedin = "dupont"\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.name == "Dupont Usinage"
    assert profile.regions == ["Haute-Loire"]
    assert profile.accounts == {"linkedin": "dupont"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('name = "A"\nkeywrds = ["x"]\n', "unknown key(s) keywrds"),
        ('positioning = "x"\n', "'name' is required"),
        ('name = "A"\ngoals = [1]\n', "'goals' must be a list of texts"),
        ('name = "A\n', "is not valid TOML"),
    ],
)
def test_bad_profiles_name_the_file_and_the_fault(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert str(path) in str(info.value) and message in str(info.value)
