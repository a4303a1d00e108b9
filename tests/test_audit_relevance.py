"""Pertinence: planted on-topic and off-topic accounts, keyword matching, topics."""

from __future__ import annotations

import pytest

from veilleur.audit import relevance
from veilleur.audit.account import audit_posts
from veilleur.audit.words import split

from .audit_planted import OFF_TOPIC, ON_TOPIC, PROFILE, mixed, regular


def _measure(texts: list[str]) -> relevance.Relevance:
    return relevance.measure([split(t) for t in texts], ["fr"] * len(texts), PROFILE)


def test_on_topic_account_ranks_above_off_topic_one() -> None:
    on = audit_posts(regular("on"), PROFILE, author="on")
    half = audit_posts(mixed("half", ON_TOPIC, OFF_TOPIC, 2), PROFILE, author="half")
    off = audit_posts(regular("off", texts=OFF_TOPIC), PROFILE, author="off")
    assert on.relevance.score > half.relevance.score > off.relevance.score
    assert on.relevance.on_topic_share == 1.0
    assert half.relevance.on_topic_share == 0.5
    assert off.relevance.on_topic_share == 0.0


def test_every_on_topic_post_is_closer_to_the_profile_than_every_off_topic_one() -> None:
    r = _measure(ON_TOPIC + OFF_TOPIC)
    on = r.similarities[: len(ON_TOPIC)]
    off = r.similarities[len(ON_TOPIC) :]
    assert min(on) > max(off)


def test_keywords_match_across_inflections_and_accents() -> None:
    r = _measure(
        [
            "Nous usinons des pieces medicales en titane.",  # no accents, inflected
            "Les contrôles de qualité se font à l'atelier.",  # plural, words apart
            "Rien à voir : la kermesse de l'école.",
        ]
    )
    assert "médical" in r.keyword_hits[0] and "titane" in r.keyword_hits[0]
    assert r.keyword_hits[1] == ["contrôle qualité"]
    assert r.keyword_hits[2] == []


def test_camel_case_hashtags_count_as_words() -> None:
    r = _measure(["Belle semaine ! #UsinageTitane"])
    assert set(r.keyword_hits[0]) == {"usinage", "titane"}


def test_under_covered_keywords_and_off_profile_terms() -> None:
    texts = ["Le titane se travaille lentement à l'usinage."] * 5 + [
        "Le tournoi de pétanque du personnel a eu lieu samedi.",
        "Encore un tournoi de pétanque gagné par l'équipe du soir.",
    ]
    r = _measure(texts)
    assert set(r.under_covered) == {"aéronautique", "contrôle qualité", "médical"}
    terms = dict(r.off_profile_terms)
    assert terms.get("tournoi") == 2 and terms.get("pétanque") == 2
    assert r.coverage == 2 / 5


def test_an_alternative_similarity_is_used_when_given() -> None:
    texts = ["un", "deux"]

    def fake(posts: object, profile: str) -> list[float]:
        return [0.9, 0.0]

    r = relevance.measure(
        [split(t) for t in texts], ["fr", "fr"], PROFILE, texts=texts, similarity=fake
    )
    assert r.method == "embeddings"
    assert r.on_topic == [True, False]


def test_empty_account() -> None:
    r = _measure([])
    assert r.score == 0.0 and r.on_topic_share == 0.0


def test_job_ads_do_not_make_off_profile_subjects() -> None:
    texts = ["Le titane se travaille lentement à l'usinage."] * 3 + [
        "Régleur de nuit, prime d'équipe, contrat en CDI.",
        "Technicien méthodes en CDI, prime d'équipe.",
        "Le tournoi de pétanque du personnel a eu lieu samedi.",
        "Encore un tournoi de pétanque gagné samedi.",
    ]
    tokens = [split(t) for t in texts]
    ads = [False, False, False, True, True, False, False]
    r = relevance.measure(tokens, ["fr"] * len(texts), PROFILE, promotional=ads)
    terms = dict(r.off_profile_terms)
    assert "cdi" not in terms and "prime" not in terms
    assert terms["pétanque"] == 2
    assert r.on_topic_share == 3 / 7  # the ads still count as off-topic posts


def test_tfidf_cosine_is_scikit_learns() -> None:
    """The written-out TF-IDF (no scikit-learn import in an audit) gives the numbers of
    TfidfVectorizer(sublinear_tf=True, norm="l2") fitted on the posts and the profile."""
    import random

    from sklearn.feature_extraction.text import TfidfVectorizer

    from veilleur.audit.relevance import _tfidf_similarities

    rng = random.Random(5)
    vocab = [f"t{i}" for i in range(40)]
    docs = [[rng.choice(vocab) for _ in range(rng.randint(0, 12))] for _ in range(60)]
    profile = [rng.choice(vocab) for _ in range(15)]
    vectorizer = TfidfVectorizer(
        analyzer=lambda d: d, sublinear_tf=True, norm="l2", lowercase=False
    )
    matrix = vectorizer.fit_transform([*docs, profile])
    expected = (matrix[: len(docs)] @ matrix[len(docs)].T).toarray().ravel()
    assert _tfidf_similarities(docs, profile) == pytest.approx(list(expected), abs=1e-9)
