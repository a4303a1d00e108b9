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
    """The needle index and the word dictionary are optimisations only: same cues as
    running every expression and reading every word (``Cue.matches``)."""
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
        brute = [c for c in lexicon.cues if c.matches(text)]
        assert lexicon.found(text) == brute, text
    assert isinstance(lexicon, Lexicon)


# Posts written for these tests (not in the labelled set the word scores learned from):
# ads without the stock phrases, and value posts full of job and shop words.
@pytest.mark.parametrize(
    ("text", "category"),
    [
        pytest.param(
            "Notre fromagerie de Beaune cherche à étoffer son équipe de vente pour les fêtes : "
            "quatre jours par semaine, du mardi au vendredi.",
            promo.RECRUITING,
            marks=pytest.mark.xfail(
                reason="known miss, seen when written: caught as an ad but read as promotion "
                "(« vente », « fêtes » weigh towards selling)",
                strict=True,
            ),
        ),
        (
            "Our print studio has a desk free for a junior designer who loves typography. "
            "Hours are 9 to 5, and the coffee is excellent.",
            promo.RECRUITING,
        ),
        (
            "Les premiers melons de la saison sont au stand du marché de Cavaillon ce samedi, "
            "trois pour 5 €.",
            promo.PROMOTIONAL,
        ),
        (
            "Our autumn wreath workshop is back: two hours, all materials included, £35 per "
            "person. Spaces go fast.",
            promo.PROMOTIONAL,
        ),
    ],
)
def test_ads_in_other_words_are_caught(text: str, category: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == category, (verdict.score, verdict.reasons("en"))
    assert any(r.startswith("mots : ") for r in verdict.reasons("fr"))
    assert any(r.startswith("words: ") for r in verdict.reasons("en"))


@pytest.mark.parametrize(
    "text",
    [
        "Pourquoi le prix des fraises varie autant d'une semaine à l'autre ? Notre maraîcher "
        "explique la météo, la main-d'œuvre et le transport.",
        "Recruter un apprenti : les trois questions que se posent les artisans, et ce que dit "
        "la réglementation.",
        "How we train new starters on the packing line: a buddy for two weeks and a checklist "
        "they helped write.",
        "Why a cheap quote can cost more: what our surveyors look for when a customer asks us "
        "to compare two offers.",
    ],
)
def test_value_posts_with_job_and_shop_words_stay_value(text: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == promo.VALUE, (verdict.score, verdict.reasons("en"))


def test_general_cues_explain_a_job_post() -> None:
    verdict = promo.classify(
        "Nous cherchons un cariste pour notre entrepôt de Roanne, 35 h, poste en journée."
    )
    assert verdict.category == promo.RECRUITING
    reasons = verdict.reasons("fr")
    assert "un métier recherché" in reasons
    assert "conditions d'emploi (contrat, horaires, paie)" in reasons
    assert "a trade sought" in verdict.reasons("en")


def test_word_scores_add_up_to_the_logit() -> None:
    from veilleur.audit.promo_words import MIN_WORDS, WordModel, distinct, tokens

    assert tokens("Prix : 12 € le kilo, l’offre") == ["prix", "0", "€", "le", "kilo", "l", "offre"]
    assert distinct("3 € le kilo, 4 € le lot") == ["0", "€", "le", "kilo", "lot"]
    model = WordModel(
        bias=0.0, bias_recruiting=0.5, threshold=0.0,
        scores={
            "offre": (4.0, -2.0, 1.0), "€": (2.0, 0.0, -1.0), "kilo": (-1.0, 1.0, 0.0),
            "le": (0.5, 0.0, 0.0),
        },
    )  # fmt: skip
    # 5 distinct words (offre, 0, €, le, kilo), 4 known; a short post counts as MIN_WORDS
    logit, recruiting, event, shares = model.logits("Offre : 3 € le kilo, le kilo")
    assert MIN_WORDS == 12
    assert logit == pytest.approx((4.0 + 2.0 + 0.5 - 1.0) / 12)
    assert recruiting == pytest.approx(0.5 + (-2.0 + 1.0) / 12)
    assert event == pytest.approx((1.0 - 1.0) / 12)
    assert dict(shares) == pytest.approx(
        {"offre": 4 / 12, "€": 2 / 12, "le": 0.5 / 12, "kilo": -1 / 12}
    )
    assert model.logits("Offre : 3 €") == (0.0, 0.0, 0.0, [])  # 2 known words: too few


def test_a_web_address_is_not_read_as_words() -> None:
    """A link is not by itself advertising: the words never see it (an e-mail stays)."""
    from veilleur.audit.promo_words import tokens

    assert tokens("Lisez notre article : https://ex.example/offre-promo-soldes") == [
        "lisez",
        "notre",
        "article",
    ]
    assert tokens("Tout sur www.boutique.fr/soldes ou boutique.fr") == ["tout", "sur", "ou"]
    assert tokens("CV à rh@atelier.fr") == ["cv", "à", "rh", "atelier", "fr"]


def test_the_shipped_word_scores_load_and_lean_the_right_way() -> None:
    from veilleur.audit.promo_words import model

    scores = model().scores
    assert len(scores) > 50_000
    # not « soldes »: since round 2 a value post asks « soldes ou pas soldes ? »
    for word in ("recrute", "postulez", "hiring", "promo", "discount", "€"):
        assert scores[word][0] > 0, word
    for word in ("pourquoi", "why", "explique", "how"):  # not "lessons": piano lessons sell
        assert scores[word][0] < 0, word
    assert scores["recrute"][1] > 0 > scores["soldes"][1]


@pytest.mark.parametrize(
    "text",
    [
        "Hi",  # one known word: too little to judge
        "Bom dia a todos, hoje vamos falar sobre a história da nossa cidade e dos seus "
        "monumentos.",  # Portuguese: 4 of its 16 words are in the French/English list
        "今日は新しいカフェに行きました",
    ],
)
def test_words_abstain_on_short_posts_and_other_languages(text: str) -> None:
    from veilleur.audit.promo_words import model

    assert model().logits(text) == (0.0, 0.0, 0.0, [])
    assert promo.classify(text).category == promo.VALUE


def test_top_reasons_count_cues_not_each_posts_own_words() -> None:
    summary = promo.measure(
        [
            "Nous cherchons un soudeur pour notre atelier de Roanne, 35 h, poste en journée.",
            "Nous cherchons un cariste pour notre entrepôt de Vienne, 35 h, poste en journée.",
        ]
    )
    labels = {cue.fr: n for cue, n in summary.top_reasons}
    assert labels.get("un métier recherché") == 2
    assert not any(label.startswith("mots : ") for label in labels)


# The second stage (veilleur.audit.promo_acts): what a post does. Posts written for these
# tests, not in the labelled set: posts *about* hiring, offers and prices (news, figures,
# congratulations, advice, a rule), which the word scores alone read as ads.
@pytest.mark.parametrize(
    "text",
    [
        "Offres d'emploi dans le bâtiment : le nombre d'annonces a reculé de 8 % en un an, "
        "selon la Dares.",
        "Félicitations à Léa, notre apprentie boulangère, médaille d'or au concours "
        "départemental !",
        "Pourquoi afficher le salaire dans une annonce change le nombre de candidatures reçues.",
        "La plupart des candidats lisent les avis des salariés avant l'annonce elle-même.",
        "Congratulations to our apprentice Tom, who passed his plumbing qualification this week!",
        "Job ads without a salary get fewer applicants, according to a survey of 2,000 jobseekers.",
        "The council has published the new rules for shop signs in the town centre.",
        "Most small firms still recruit through word of mouth.",
    ],
)
def test_posts_about_hiring_and_prices_stay_value(text: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == promo.VALUE, (verdict.score, verdict.reasons("en"))


@pytest.mark.parametrize(
    ("text", "category", "act"),
    [
        (
            "Réservez votre table pour la Saint-Valentin : menu à 39 €, places limitées.",
            promo.PROMOTIONAL,
            "appel à agir : « réservez »",
        ),
        (
            "We're looking for a part-time bookkeeper in Bath. Send your CV to "
            "jobs@ourfirm.example",
            promo.RECRUITING,
            "cherche ou propose en son nom : « we … looking »",
        ),
    ],
)
def test_ads_that_address_the_reader_are_caught_with_the_act_as_reason(
    text: str, category: str, act: str
) -> None:
    verdict = promo.classify(text)
    assert verdict.category == category, (verdict.score, verdict.reasons("en"))
    assert act in verdict.reasons("fr")


def test_value_verdicts_give_the_value_acts_found_as_reasons() -> None:
    verdict = promo.classify("Merci à toute l'équipe pour cette belle année, et bravo !")
    assert verdict.category == promo.VALUE
    assert "remercie, félicite ou salue : « merci »" in verdict.reasons("fr")
    assert "thanks, congratulates or greets: “merci”" in verdict.reasons("en")


@pytest.mark.parametrize(
    ("text", "families"),
    [
        ("Postulez avant le 15 mars : recrutement@atelier.fr", {"imperative", "deadline",
                                                                "contact", "when"}),
        ("Rejoignez-nous jeudi 9 octobre à 18 h dans nos locaux.", {"imperative", "gather",
                                                                    "when", "terms"}),
        ("Join us on 4 March at 6.30pm, all welcome.", {"imperative", "gather", "invite",
                                                        "when"}),
        ("Du lundi au vendredi, 35 h par semaine.", {"terms"}),
        ("Tu aimes le pain ? Viens pétrir avec nous, CDI 35 h.", {"you", "imperative",
                                                                 "terms"}),
        ("Book now: 20% off until Sunday, link in bio.", {"imperative", "price", "deadline"}),
        ("Free entry to the open day, details at https://x.example", {"free", "invite"}),
        ("Lisez notre article : https://x.example/a", {"relay"}),
        ("Partagez vos questions en commentaire.", {"you", "converse"}),
        ("Merci y@i, et à contact@atelier.fr", {"social", "contact"}),
        ("Comment nous avons réduit nos délais, selon nos chiffres.", {"explain", "past",
                                                                      "news"}),
        ("Well done to the team who raised £500 last week.", {"social", "price", "past"}),
        ("La moitié des PME cherchent encore des soudeurs.", {"general"}),
        ("Rien de tout cela ici.", set()),
    ],
)  # fmt: skip
def test_act_families_found(text: str, families: set[str]) -> None:
    from veilleur.audit.promo_acts import found

    assert {act.name for act, _ in found(text)} == families


def test_second_stage_adds_the_learned_weights() -> None:
    """The score is the bias, the logit, each family found once and the capped cue sum,
    each with the shipped weight (the same formula the training script fits)."""
    from veilleur.audit.promo_acts import ACTS
    from veilleur.audit.promo_words import model

    weights = model().acts
    assert {a.name for a in ACTS} | {"_bias", "_logit", "_cues"} == set(weights)
    # signs learned from the labelled set: asking for something weighs towards an ad,
    # explaining, greeting and reporting towards value content
    assert weights["imperative"] > 0 and weights["contact"] > 0 and weights["_logit"] > 0
    assert weights["explain"] < 0 and weights["social"] < 0 and weights["news"] < 0
    imperative, social = ACTS[1], next(a for a in ACTS if a.name == "social")
    expected = (
        weights["_bias"] + 2.0 * weights["_logit"] + weights["imperative"]
        + weights["social"] + promo.CUE_CAP * weights["_cues"]
    )  # fmt: skip
    got = promo.stage_score(2.0, [(imperative, "x"), (social, "y")], 10.0)
    assert got == pytest.approx(expected)


def test_a_repeated_text_is_classified_once_and_counted_each_time() -> None:
    ad = "Nous recrutons un soudeur en CDI, postulez avant le 15 mars !"
    summary = promo.measure([ad, "Merci à tous pour cette belle année !", ad])
    assert summary.verdicts[0] is summary.verdicts[2]
    assert summary.verdicts[0].promotional and not summary.verdicts[1].promotional
    assert summary.share == pytest.approx(2 / 3)
