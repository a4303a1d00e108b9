"""The knowledge base: complete, sourced, checked on load, and the advice follows its facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from veilleur.advise.engine import advise
from veilleur.advise.kb import default_folder, load_kb
from veilleur.errors import InputError
from veilleur.model import Profile

OBJECTIVES = {
    "recruit_qualified", "recruit_less_qualified", "recruit_experts", "recruit_local",
    "employer_brand", "sales", "sourcing", "watch_sector", "watch_competition",
    "watch_technology", "events", "website_traffic", "collaboration", "customer_support",
}  # fmt: skip
NETWORKS = {
    "x", "linkedin", "facebook", "instagram", "mastodon", "bluesky", "threads", "youtube",
    "tiktok", "viadeo", "xing", "website",
}  # fmt: skip


def copy_kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(default_folder(), folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must appear once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_base_covers_the_method() -> None:
    kb = load_kb()
    assert set(kb.objectives) >= OBJECTIVES
    assert set(kb.networks) == NETWORKS
    for objective in kb.objectives.values():
        assert objective.label.fr != objective.label.en
    # Every fact names a known source and a check date; every network has a set-up list.
    for fact in kb.facts():
        assert fact.source in kb.sources
        assert fact.checked.year >= 2025
    for network in kb.networks.values():
        assert network.setup and network.facts and network.cadence.source in kb.sources


def test_the_audiences_the_method_names_are_stated() -> None:
    kb = load_kb()
    assert "qualifié" in kb.networks["linkedin"].audience.fr
    assert "anglophone" in kb.networks["linkedin"].audience.fr
    assert "germanophones" in kb.networks["xing"].audience.fr
    assert "industrie" in kb.networks["viadeo"].audience.fr
    # Viadeo's state today is said honestly, with a dated source.
    decline = next(f for f in kb.networks["viadeo"].facts if f.id == "decline")
    assert "2016" in decline.text.fr and decline.bonus < 0 and decline.source == "viadeo_2016"
    assert "groupes locaux" in kb.networks["facebook"].audience.fr
    assert "journalistes" in kb.networks["x"].audience.fr


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "networks.yaml",
            "        source: facebook_help\n        checked: 2026-11-25\n      - id: pages",
            "        source: facebok_help\n        checked: 2026-11-25\n      - id: pages",
            "networks.facebook.facts[4].source: unknown source 'facebok_help'",
        ),
        (
            "networks.yaml",
            "supports: {recruit_local: 3, recruit_less_qualified: 2}",
            "supports: {recruit_locale: 3, recruit_less_qualified: 2}",
            "networks.facebook.facts[0].supports.recruit_locale: unknown objective",
        ),
        (
            "objectives.yaml",
            'label: {fr: "Veille concurrentielle", en: "Competitive watch"}',
            'label: {fr: "Veille concurrentielle"}',
            "objectives.watch_competition.label: 'en' is required",
        ),
        (
            "rules.yaml",
            "  - id: one_idea\n    text:",
            "  - id: one_idea\n    networks: [twitter]\n    text:",
            "rules[0].networks[0]: unknown network 'twitter'",
        ),
        (
            "networks.yaml",
            '      per_week: [2, 4]\n      text:\n        fr: "Deux à quatre publications'
            " par semaine sur la page",
            '      per_week: [4, 2]\n      text:\n        fr: "Deux à quatre publications'
            " par semaine sur la page",
            "networks.facebook.cadence.per_week: expected [least, most]",
        ),
        (
            "networks.yaml",
            "when: {sectors: [crafts, industry, food, construction]}",
            "when: {sectors: [crafts, industri, food, construction]}",
            "networks.instagram.facts[0].when.sectors[1]: unknown sector 'industri'",
        ),
        (
            "networks.yaml",
            "Les groupes locaux ({regions} : commune",
            "Les groupes locaux ({region} : commune",
            "networks.facebook.facts[0].text.fr: unknown placeholder {region}",
        ),
        (
            "objectives.yaml",
            "        organisations: [association]\n",
            "        organisations: [associations]\n",
            "organisations[0]: unknown kind of organisation 'associations'",
        ),
        (
            "objectives.yaml",
            '    label: {fr: "Page de l\'entreprise", en: "Company page", association:',
            '    label: {fr: "Page de l\'entreprise", en: "Company page", asociation:',
            "account_kinds.page.label: unknown key(s) asociation",
        ),
        (
            "sources.yaml",
            "  method:\n    kind: method",
            "  method:\n    kind: method\n    checked: hier",
            "sources.method: unknown key(s) checked",
        ),
    ],
)
def test_a_broken_copy_names_the_file_and_the_key(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = copy_kb(tmp_path)
    edit(folder, file, old, new)
    with pytest.raises(InputError) as info:
        load_kb(folder)
    assert file in str(info.value)
    assert message in str(info.value)


def test_a_bad_date_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    folder = copy_kb(tmp_path)
    text = (folder / "rules.yaml").read_text(encoding="utf-8")
    (folder / "rules.yaml").write_text(
        text.replace("checked: 2026-11-25", "checked: 2026-13-45", 1), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"rules\[0\]\.checked: expected a date YYYY-MM-DD"):
        load_kb(folder)
    (folder / "rules.yaml").write_text("rules: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rules\.yaml:\d+:\d+: is not valid YAML"):
        load_kb(folder)
    (folder / "rules.yaml").unlink()
    with pytest.raises(InputError, match="missing knowledge-base file"):
        load_kb(folder)


TECH = Profile(name="Compilia", sector="logiciel", keywords=["compilateur"], languages=["fr"])


def test_changing_one_fact_changes_the_advice_that_depends_on_it(tmp_path: Path) -> None:
    before = advise(load_kb(), TECH, ["recruit_experts"])
    assert set(before.chosen[:2]) == {"x", "linkedin"}
    x_before = next(r for r in before.ranked if r.network == "x")
    assert any(r.fact == "experts" for r in x_before.reasons)

    # One fact edited in a copy: experts are no longer on X for recruiting.
    folder = copy_kb(tmp_path)
    edit(
        folder,
        "networks.yaml",
        "supports: {recruit_experts: 3, watch_sector: 2, watch_technology: 2, "
        "watch_competition: 1, sourcing: 2}",
        "supports: {recruit_experts: 0, watch_sector: 2, watch_technology: 2, "
        "watch_competition: 1, sourcing: 2}",
    )
    after = advise(load_kb(folder), TECH, ["recruit_experts"])
    assert after.ranked[0].network == "linkedin"
    x = next(r for r in after.ranked if r.network == "x")
    assert x.score == 0 and not x.recommended
    # Advice that does not depend on that fact is unchanged.
    assert after.content_mix == before.content_mix


def test_editing_a_condition_or_a_text_shows_in_the_advice(tmp_path: Path) -> None:
    german = Profile(name="Müller", keywords=["Maschinenbau"], languages=["de"])
    assert "xing" in advise(load_kb(), german, ["recruit_qualified"]).chosen
    folder = copy_kb(tmp_path)
    edit(folder, "networks.yaml", "when: {languages_any: [de]}", "when: {languages_any: [it]}")
    edit(
        folder,
        "networks.yaml",
        "Hors des pays germanophones, XING n'apporte presque rien",
        "XING ne sert qu'en allemand",
    )
    edit(folder, "networks.yaml", "when: {languages_none: [de]}", "when: {languages_none: [it]}")
    advice = advise(load_kb(folder), german, ["recruit_qualified"])
    xing = next(r for r in advice.ranked if r.network == "xing")
    assert not xing.recommended
    assert any(r.text.fr.startswith("XING ne sert qu'en allemand") for r in xing.reasons)


def test_every_yaml_file_is_plain_data() -> None:
    # The files must stay editable by hand: plain mappings and lists, no YAML tags.
    for path in default_folder().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "!!" not in text
        assert isinstance(yaml.safe_load(text), dict)
