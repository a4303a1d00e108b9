"""Folding and stemming: the keys search uses, so every spelling of a word meets."""

from __future__ import annotations

import pytest

from veilleur.text import fold, normalize_lang, stem


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Réseaux Sociaux", "reseaux sociaux"),
        ("ÉCOLE NUMÉRIQUE", "ecole numerique"),
        ("Œuvre, cœur, Lætitia", "oeuvre, coeur, laetitia"),
        ("Straße", "strasse"),
        ("l’emploi", "l'emploi"),
        ("ﬁnance Ｆｕｌｌ", "finance full"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents (NFD input)
        ("Ça va ? Très bien !", "ca va ? tres bien !"),
        ("naïve façon", "naive facon"),
        ("plain ascii", "plain ascii"),
        ("ℌ𝔢𝔩𝔩𝔬", "hello"),  # compatibility capitals fold to lower case too
    ],
)
def test_fold_lowercases_and_removes_latin_accents(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_keeps_other_scripts_and_emoji() -> None:
    # Arabic short vowels are marks but not accents: removing them would change the word.
    assert fold("مَرْحَبًا") == "مَرْحَبًا"
    assert fold("日本語 👩‍💻") == "日本語 👩‍💻"


def test_fold_is_idempotent() -> None:
    text = "Le Théâtre de l’Œuvre à Montréal — «\u202fÉTÉ\u202f»"
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("words", "lang"),
    [
        (["réseaux", "reseaux", "RÉSEAUX", "réseau"], "fr"),
        (["recruter", "recrute", "recruté", "recrutement", "recrutés"], "fr"),
        (["économie", "economie", "Économique"], "fr"),
        (["running", "runs", "Run"], "en"),
        (["networks", "network", "networking"], "en"),
    ],
)
def test_stem_conflates_inflections_with_or_without_accents(words: list[str], lang: str) -> None:
    stems = {stem(w, lang) for w in words}
    assert len(stems) == 1, stems


def test_stem_accepts_region_tags_and_names() -> None:
    assert stem("réseaux", "fr-FR") == stem("réseaux", "french") == "reseau"
    assert stem("networks", "en-GB") == "network"


def test_stem_of_unknown_language_is_the_folded_word() -> None:
    assert stem("Réseaux", "de") == "reseaux"
    assert stem("Réseaux", None) == "reseaux"
    assert stem("Réseaux", "und") == "reseaux"


def test_normalize_lang() -> None:
    assert normalize_lang("fr_CA") == "fr"
    assert normalize_lang("EN") == "en"
    assert normalize_lang("pt-BR") == "und"
    assert normalize_lang("") == "und"
