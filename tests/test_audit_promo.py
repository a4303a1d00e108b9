"""Réclame: promotional and recruiting posts told from value content, with reasons."""

from __future__ import annotations

import pytest

from veilleur.audit import promo
from veilleur.audit.account import audit_posts
from veilleur.audit.cues import Lexicon, load, needles

from .audit_planted import ON_TOPIC, PROFILE, PROMOTIONAL, mixed, regular
from .conftest import ROOT


@pytest.mark.parametrize(
    ("text", "category", "reason"),
    [
        ("On recrute un régleur CN en CDI, postulez !", promo.RECRUITING, "« on recrute »"),
        ("Technicien méthodes H/F — poste à pourvoir à Lyon.", promo.RECRUITING, "H/F"),
        ("Soldes d'hiver : -30 % sur toute la gamme !", promo.PROMOTIONAL, "remise en %"),
        ("We're hiring a data engineer, apply now.", promo.RECRUITING, "« we're hiring »"),
        ("Get 20% off all plans this week, buy now!", promo.PROMOTIONAL, "remise"),
    ],
)
def test_promotional_posts_and_their_reasons(text: str, category: str, reason: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == category
    assert reason in verdict.reasons("fr")
    assert verdict.promotional


@pytest.mark.parametrize(
    "text",
    [
        "Comment réussir l'accueil d'un apprenti : trois conseils de notre chef d'atelier.",
        "Le recrutement passe aussi par les réseaux sociaux : voici ce que nous avons appris.",
        "Productivité : +20 % en un an grâce au changement rapide d'outils. Retour d'expérience.",
        "Why do titanium parts warp during machining? A short thread on residual stress.",
    ],
)
def test_value_posts_stay_value(text: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == promo.VALUE, verdict.reasons("en")


def test_reasons_are_translated() -> None:
    verdict = promo.classify("Nous recrutons en CDI.")
    assert "“we're recruiting”" in verdict.reasons("en")
    assert "« on recrute »" in verdict.reasons("fr")


def test_typographic_apostrophe_reads_like_a_straight_one() -> None:
    assert promo.classify("Rejoignez l’équipe : offres d’emploi sur notre site.").promotional


def test_value_account_ranks_above_promotional_one_and_advice_fires() -> None:
    value = audit_posts(regular("value"), PROFILE, author="value")
    heavy = audit_posts(mixed("heavy", ON_TOPIC, PROMOTIONAL, 2), PROFILE, author="heavy")
    assert value.promo.share == 0.0 and not value.promo.too_much
    assert heavy.promo.share == 0.5 and heavy.promo.too_much
    assert heavy.promo.recruiting_share == 0.25
    assert heavy.promo.promotional_share == 0.25
    assert value.balance > heavy.balance
    labels = {cue.fr for cue, _ in heavy.promo.top_reasons}
    assert "« on recrute »" in labels


def test_share_within_a_third_keeps_full_balance() -> None:
    from veilleur.audit.account import balance_score

    assert balance_score(0.3) == 100.0
    assert balance_score(1.0) == 0.0
    assert 0 < balance_score(0.6) < 100


def test_cue_file_loads_and_every_cue_has_both_languages() -> None:
    cues = load().cues
    assert len(cues) > 20
    assert {c.category for c in cues} == {promo.RECRUITING, promo.PROMOTIONAL, promo.VALUE}
    assert all(c.fr and c.en for c in cues)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bsoldes\b", ("soldes",)),
        (r"\bpostes? (?:à pourvoir|ouverts?)\b", ("poste",)),
        (r"\b(?:on|nous|qui|je) recrut\w*", (" recrut",)),
        (r"\b(?:commandez|achetez)\b", ("commandez", "achetez")),
        (r"\b[HF] ?/ ?[FH]\b", ("/",)),
        (r"\bCD[ID]\b", ("cd",)),
        (r"(?:^|[\s(])-\s?\d{1,2}\s?%|\d% off", None),
        (r"\d\s?€", ("€",)),
    ],
)
def test_needles_are_texts_every_match_contains(
    pattern: str, expected: tuple[str, ...] | None
) -> None:
    assert needles(pattern) == expected


def test_the_index_finds_what_running_every_expression_finds() -> None:
    """The needle index is an optimisation only: same cues as the brute force."""
    import json
    import random

    lexicon = load()
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "tests" / "data" / "promo_labelled.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    rng = random.Random(3)
    words = " ".join(texts).split()
    texts += [" ".join(rng.sample(words, 25)) for _ in range(300)]
    for text in texts:
        brute = [c for c in lexicon.cues if any(p.search(text) for p in c.patterns)]
        assert lexicon.found(text) == brute, text
    assert isinstance(lexicon, Lexicon)
