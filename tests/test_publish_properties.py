"""Properties: facets always name the bytes of their entity; a thread always fits and
gives the text back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veilleur.publish.compose import split_thread
from veilleur.publish.richtext import facets, post_text
from veilleur.text import count, extract
from veilleur.text.counting import bluesky_short_url

WORDS = st.sampled_from(
    [
        "veille",
        "été",
        "réseau",
        "😀",
        "naïve",
        "#Veille",
        "#été",
        "https://a.fr/é",
        "https://www.exemple.fr/actualites/2027/un-long-article?utm_source=bluesky",
        "l’équipe",
        "Œuvre",
        "👩‍💻",
        "x",
        "stratégique",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30))
def test_facets_cover_exactly_their_entities(words: list[str]) -> None:
    text = " ".join(words)
    data = text.encode("utf-8")
    entities = extract(text)
    expected = sorted(
        [(e.start, text[e.start : e.end]) for e in entities.hashtags]
        + [(e.start, text[e.start : e.end]) for e in entities.urls]
    )
    got = [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets(text)]
    assert got == [span for _, span in expected]


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=60))
def test_bluesky_sends_the_length_it_counted(words: list[str]) -> None:
    # Links are sent shortened, as counted; each link facet names its short text and
    # carries its full URL; the other facets still name their entity.
    text = " ".join(words)
    sent, found = post_text(text)
    assert count(sent, "bluesky").weighted_length == count(text, "bluesky").weighted_length
    data = sent.encode("utf-8")
    spans = [
        (data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0])
        for f in found
    ]
    links = [(span, f["uri"]) for span, f in spans if "uri" in f]
    assert [uri for _, uri in links] == [u.value for u in extract(text).urls]
    assert all(span == bluesky_short_url(uri) for span, uri in links)
    assert [span for span, f in spans if "tag" in f] == [
        text[e.start : e.end] for e in extract(text).hashtags
    ]


SENTENCES = st.lists(
    st.text(alphabet="abcdeéèàç ", min_size=1, max_size=120).map(lambda s: s.strip() or "a"),
    min_size=1,
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(SENTENCES, st.sampled_from(["x", "bluesky", "mastodon"]))
def test_thread_parts_fit_and_rejoin(sentences: list[str], network: str) -> None:
    text = " ".join(s + "." for s in sentences)
    parts = split_thread(text, network)
    assert all(count(p, network).valid for p in parts)
    if len(parts) == 1:
        assert parts == [text]
        return
    n = len(parts)
    bodies = []
    for i, part in enumerate(parts, 1):
        body, _, marker = part.rpartition(" ")
        assert marker == f"{i}/{n}"
        bodies.append(body)
    assert " ".join(bodies).split() == text.split()
