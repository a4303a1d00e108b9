"""Properties that must hold for any text, checked with hypothesis."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from veilleur.text import count, extract, fold, scan, tokenize

# Text made of the pieces posts are made of, plus arbitrary Unicode.
PIECES = st.sampled_from(
    [
        "Réseaux", "l’emploi", "d'entraide", "Part-Dieu", "«", "»", "\u202f", "…", "€", "!",
        " ", "\n", "😀", "👩\u200d💻", "🇫🇷", "#ÉcoleNumérique", "#recrutersurlesreseaux",
        "@marie", "@marie@piaille.fr", "@veille.bsky.social", "https://exemple.fr/a?b=1",
        "exemple.fr", "$EKTA", "ça", "Œuvre", "e\u0301", "日本", ".", "#", "@", "'",
    ]
)  # fmt: skip
POSTS = st.one_of(st.lists(PIECES, max_size=30).map("".join), st.text(max_size=80))


@settings(max_examples=300, deadline=None)
@given(POSTS)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(POSTS)
def test_token_offsets_slice_the_original(text: str) -> None:
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.start < token.end


def _by_tokenize(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    tokens = tokenize(text)
    words = [t for t in tokens if t.kind == "word"]
    return (
        [t.text for t in words],
        [t.folded for t in words],
        [(t.kind, t.text if t.kind == "url" else t.folded) for t in tokens if t.kind != "word"],
    )


@settings(max_examples=500, deadline=None)
@given(POSTS)
def test_the_indexing_scan_finds_what_tokenize_finds(text: str) -> None:
    # The index is built from scan (issue 19); the text core's rules are tokenize's.
    assert scan(text) == _by_tokenize(text)
    assert scan(text) == _by_tokenize(text)  # again, through the per-process caches


def test_the_indexing_scan_on_elisions_entities_and_tags() -> None:
    text = "L'emploi d’entraide jusqu'ici @marie@piaille.fr #RecruterSurLesRéseaux exemple.fr $EKTA"
    assert scan(text) == _by_tokenize(text)
    assert scan(text)[0][:3] == ["L'", "emploi", "d’"]
    assert scan(text)[1][:3] == ["l'", "emploi", "d'"]


@settings(max_examples=300, deadline=None)
@given(POSTS)
def test_entities_are_where_they_say(text: str) -> None:
    found = extract(text)
    for tag in found.hashtags:
        assert text[tag.start + 1 : tag.end] == tag.value
        assert text[tag.start] in "#＃"
    for cash in found.cashtags:
        assert text[cash.start : cash.end] == "$" + cash.value
    for url in found.urls:
        assert text[url.start : url.end] == url.value
    spans = sorted((e.start, e.end) for _, e in found.all())
    assert all(a[1] <= b[0] for a, b in pairwise(spans))  # no overlap


@settings(max_examples=200, deadline=None)
@given(POSTS)
def test_valid_range_is_a_prefix_that_fits(text: str) -> None:
    for network in ("mastodon", "bluesky", "threads", "linkedin"):
        result = count(text, network, limit=40)
        if result.valid:
            assert result.weighted_length <= 40
        if text and result.weighted_length > 40:
            prefix = text[: result.valid_range[1] + 1]
            assert count(prefix, network, limit=40).weighted_length <= 40
