"""The language of a post is read chunk by chunk at ingest (issue 19, helper ingest4):
the same reading — code, totals to the bit, known words — as the text read whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veilleur.text import language
from veilleur.text.language import _read, _read_whole

PIECES = st.sampled_from(
    [" ", "\n", "\t", "\xa0", "\u202f", "\u2028", "\x1c", "\x1f", "\u180e", "\u3000", "\u2003",
     "le", "emploi", "l'emploi", "L’Emploi", "aujourd'hui", "qu'il", "the", "hiring", "don't",
     "Réseaux", "école", "Œuvre", "ÉCOLE", "¨", "e\u0301", "\u0301", "ﬁ", "Ⅻ", "½", "ℌ",
     "ΑΣ", "Σ", "日本語", "русский", "@marie", "＠paul", "@marie@piaille.fr", "#RH", "$EKTA",
     "https://exemple.fr/a", "www.exemple.fr", "exemple.fr/a", "exemple.fr", "/", ".", "'",
     "der", "und", "el", "los", "het", "een", "il", "della", "não", "uma", "!", "…", "2026"]
)  # fmt: skip
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=120))


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_a_text_reads_the_same_by_chunks_and_whole(text: str) -> None:
    assert _read(text) == _read_whole(text)
    assert _read(text) == _read_whole(text)  # again, through the chunk cache


def test_long_texts_are_cut_at_the_same_place() -> None:
    text = ("l'emploi des jeunes " * 200) + " the hiring"
    assert len(text) > language._SAMPLE
    assert _read(text) == _read_whole(text)
    assert _read(text).code == "fr"
