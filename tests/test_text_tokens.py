"""Tokenisation: elision, hyphens, entities and the words inside hashtags."""

from __future__ import annotations

from veilleur.text import Token, segment_hashtag, tokenize


def _texts(tokens: list[Token], kind: str = "word") -> list[str]:
    return [t.text for t in tokens if t.kind == kind]


def test_french_elision_splits_with_both_apostrophes() -> None:
    tokens = tokenize("L'emploi d’entraide qu'il jusqu’à")
    assert _texts(tokens) == ["L'", "emploi", "d’", "entraide", "qu'", "il", "jusqu’", "à"]
    assert [t.folded for t in tokens][:4] == ["l'", "emploi", "d'", "entraide"]


def test_apostrophes_inside_words_stay() -> None:
    assert _texts(tokenize("aujourd'hui don't")) == ["aujourd'hui", "don't"]


def test_hyphenated_compounds_split() -> None:
    assert _texts(tokenize("la Part-Dieu, l'arc-en-ciel")) == [
        "la", "Part", "Dieu", "l'", "arc", "en", "ciel",
    ]  # fmt: skip


def test_offsets_are_slices_of_the_original() -> None:
    text = "Voir « l’Œuvre » 👩‍💻 #ÉcoleNumérique @marie@piaille.fr https://exemple.fr/a"
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text


def test_entities_are_tokens_with_their_sigil() -> None:
    tokens = tokenize("Lire https://exemple.fr/Page #Réseaux @Marie $EKTA")
    kinds = [(t.kind, t.folded) for t in tokens if t.kind != "word"]
    assert kinds == [
        ("url", "https://exemple.fr/Page"),
        ("hashtag", "#reseaux"),
        ("mention", "@marie"),
        ("cashtag", "$ekta"),
    ]


def test_words_inside_camelcase_hashtags() -> None:
    tokens = tokenize("#ÉcoleNumérique")
    assert [(t.kind, t.text, t.start, t.end) for t in tokens] == [
        ("hashtag", "#ÉcoleNumérique", 0, 15),
        ("word", "École", 1, 6),
        ("word", "Numérique", 6, 15),
    ]


def test_lower_case_french_hashtag_is_segmented_with_the_word_list() -> None:
    assert _texts(tokenize("#recrutersurlesreseaux")) == ["recruter", "sur", "les", "reseaux"]
    pieces = segment_hashtag("#recrutersurlesreseaux")
    assert [p.spelling for p in pieces] == ["recruter", "sur", "les", "réseaux"]


def test_hashtag_that_cannot_be_cut_stays_whole() -> None:
    assert _texts(tokenize("#iphone #HCERES #Paris2024")) == ["iphone", "HCERES", "Paris", "2024"]


def test_url_words_are_not_words() -> None:
    assert _texts(tokenize("voir https://exemple.fr/emploi")) == ["voir"]
