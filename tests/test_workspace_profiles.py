"""Profiles saved in a workspace (``profiles/<slug>.toml``): what the web workbench's advice
wizard saves and its audit page offers, files ``veilleur audit --profile`` reads too."""

from __future__ import annotations

from pathlib import Path

import pytest

from veilleur.errors import InputError
from veilleur.model import Profile
from veilleur.profile import (
    load_profile,
    profile_slug,
    save_workspace_profile,
    workspace_profile,
    workspace_profiles,
)


def test_a_saved_profile_reads_back_and_is_listed(tmp_path: Path) -> None:
    profile = Profile(name="Les Amis du Bourg", kind="association", positioning="Ateliers",
                      keywords=["atelier", "numérique"], goals=["events"], regions=["Yssingeaux"],
                      languages=["fr"])  # fmt: skip
    slug = save_workspace_profile(tmp_path, profile)
    assert slug == "les-amis-du-bourg"
    assert workspace_profile(tmp_path, slug) == profile
    assert load_profile(tmp_path / "profiles" / "les-amis-du-bourg.toml") == profile
    assert [s for s, _ in workspace_profiles(tmp_path)] == [slug]
    # saved again under the same name: replaced, not doubled
    save_workspace_profile(tmp_path, Profile(name="Les amis du bourg", kind="association"))
    assert len(workspace_profiles(tmp_path)) == 1


def test_names_become_plain_slugs() -> None:
    assert profile_slug("Élan Café & Cie — Yssingeaux") == "elan-cafe-cie-yssingeaux"
    assert profile_slug("!!!") == "profil"
    assert len(profile_slug("x" * 300)) == 64


def test_a_broken_file_is_left_out_and_an_odd_name_refused(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "casse.toml").write_text("name = [", encoding="utf-8")
    (folder / "bon.toml").write_text('name = "Bon"\n', encoding="utf-8")
    assert [s for s, _ in workspace_profiles(tmp_path)] == ["bon"]
    with pytest.raises(InputError):
        workspace_profile(tmp_path, "../bon")
    with pytest.raises(InputError):
        workspace_profile(tmp_path, "absent")
    assert workspace_profiles(tmp_path / "nowhere") == []


def test_two_names_with_one_slug_do_not_replace_each_other(tmp_path: Path) -> None:
    """« Cafe » and « Café » both make ``cafe``: the second is refused, the first kept."""
    assert save_workspace_profile(tmp_path, Profile(name="Cafe", kind="company")) == "cafe"
    with pytest.raises(InputError, match="Cafe"):
        save_workspace_profile(tmp_path, Profile(name="Café", kind="association"))
    assert workspace_profile(tmp_path, "cafe") == Profile(name="Cafe", kind="company")
    save_workspace_profile(tmp_path, Profile(name="CAFE", kind="association"))  # same name
    assert workspace_profile(tmp_path, "cafe").kind == "association"


def test_control_characters_are_refused_in_a_name_and_dropped_elsewhere(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError):
        save_workspace_profile(tmp_path, Profile(name="Bourg\x7f", kind="association"))
    with pytest.raises(InputError):
        save_workspace_profile(tmp_path, Profile(name="Bourg\nBis", kind="association"))
    odd = Profile(name="Bourg", kind="association", positioning="Ateliers\x7f\x00 du\nsamedi",
                  keywords=["cl\x1bé"])  # fmt: skip
    slug = save_workspace_profile(tmp_path, odd)
    back = workspace_profile(tmp_path, slug)  # the file reads back
    assert back.positioning == "Ateliers du\nsamedi" and back.keywords == ["clé"]
