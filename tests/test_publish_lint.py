"""The savoir-publier linter: each rule fires on its case and stays quiet on a clean text."""

from __future__ import annotations

import pytest

from veilleur.errors import UsageError
from veilleur.publish.lint import RULES, Reporter, parse_rule_config
from veilleur.publish.rules import lint_text

CLEAN_FR = (
    "Notre guide de la veille stratégique est en ligne\u202f: sources, alertes et "
    "méthode, pas à pas. Bonne lecture\u202f! https://exemple.fr/guide"
)


def rules_of(text: str, lang: str = "fr", **kw: object) -> set[str]:
    reporter = Reporter("en")
    lint_text(text, lang, reporter, **kw)  # type: ignore[arg-type]
    return {f.rule for f in reporter.findings}


def test_clean_french_text_has_no_finding() -> None:
    assert rules_of(CLEAN_FR) == set()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Veille du jour #un #deux #trois #quatre.", "hashtags.count"),
        ("La veille au service des équipes. #veillestrategique", "hashtags.camelcase"),
        ("@anne voici notre nouveau guide de la veille.", "mention.leading"),
        ("NOUS LANÇONS NOTRE GUIDE DE LA VEILLE AUJOURD'HUI.", "capitals"),
        ("Notre guide de la veille est enfin en ligne !!!", "punctuation"),
        ("Notre guide est prêt?! Lisez-le.", "punctuation"),
        ("À lire https://exemple.fr/guide", "link.bare"),
        ("Notre guide est en ligne : bonne lecture !", "typography.fr"),
        ("« Quel réseau\u202f? »", "typography.fr"),
        ("C'est notre guide de la veille\u202f!", "typography.apostrophe"),
        ("Notre guide de la veille stratégiqe est en ligne.", "spelling"),
        (
            "Nous recrutons un chargé de veille pour rejoindre la meilleure équipe de Lyon.",
            "recruiting.promotional",
        ),
    ],
)
def test_each_rule_fires(text: str, rule: str) -> None:
    assert rule in rules_of(text)


def test_recruiting_without_superlatives_is_fine() -> None:
    found = rules_of("Nous recrutons un chargé de veille\u202f: missions et équipe sur notre site.")
    assert "recruiting.promotional" not in found
    # Superlatives outside a job post are not this rule's business.
    assert "recruiting.promotional" not in rules_of("La meilleure méthode de veille.")


def test_typography_only_for_french() -> None:
    assert "typography.fr" not in rules_of("Read our guide: it is online!", lang="en")


def test_image_without_alt() -> None:
    assert "image.alt" in rules_of(CLEAN_FR, images=[("a.png", None)])
    assert "image.alt" in rules_of(CLEAN_FR, images=[("a.png", "  ")])
    assert "image.alt" not in rules_of(CLEAN_FR, images=[("a.png", "Un schéma")])


def test_camelcase_hashtag_is_not_flagged() -> None:
    assert "hashtags.camelcase" not in rules_of(
        "La veille au service des équipes. #VeilleStratégique"
    )
    assert "hashtags.camelcase" not in rules_of("La veille au service des équipes. #emploi")


def test_messages_in_french_and_english() -> None:
    fr, en = Reporter("fr"), Reporter("en")
    lint_text("Bravo !!", "fr", fr)
    lint_text("Bravo !!", "fr", en)
    (f_fr,) = [f for f in fr.findings if f.rule == "punctuation"]
    (f_en,) = [f for f in en.findings if f.rule == "punctuation"]
    assert "ponctuation" in f_fr.message and "punctuation" in f_en.message


def test_rules_configurable() -> None:
    config = parse_rule_config("spelling=off, capitals=error")
    reporter = Reporter("en", config)
    lint_text("NOUS LANÇONS NOTRE GIDE DE LA VEILLE", "fr", reporter)
    by_rule = {f.rule: f.severity for f in reporter.findings}
    assert by_rule["capitals"] == "error"
    assert "spelling" not in by_rule
    with pytest.raises(UsageError, match="unknown linter rule"):
        parse_rule_config("speling=off")
    with pytest.raises(UsageError, match="expected off"):
        parse_rule_config("spelling=loud")
    assert set(RULES.values()) <= {"error", "warning", "info"}


def test_workspace_setting_drives_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    text = "Notre guide de la veille est enfin en ligne !!!"
    assert cli("compose", "-n", "x", "--lang", "en", text).code == 0
    assert cli("config", "set", "publish.rules", "punctuation=error").code == 0
    result = cli("compose", "-n", "x", "--lang", "en", text)
    assert result.code == 1
    assert "punctuation" in result.out
