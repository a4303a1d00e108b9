"""Property tests: each repair undoes exactly what the platform's writer does."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from veilleur.imports.facebook import repair
from veilleur.imports.linkedin import clean_commentary


def facebook_writes(text: str) -> str:
    """What Facebook's export does to a string: its UTF-8 bytes read as Latin-1."""
    return text.encode("utf-8").decode("latin-1")


@given(st.text())
def test_repair_undoes_facebook_mojibake(text: str) -> None:
    assert repair(facebook_writes(text)) == text


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_repair_leaves_ascii_alone(text: str) -> None:
    assert repair(text) == text


def linkedin_writes(text: str) -> str:
    """Shares.csv's ShareCommentary cell: each line quoted by LinkedIn, then CSV-quoted."""
    inner = '"' + '"\n"'.join(line.replace('"', '""') for line in text.split("\n")) + '"'
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["2024-02-01 08:00:00", inner])
    return buffer.getvalue()


lines = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"))


@given(st.lists(lines, min_size=1, max_size=5).map("\n".join).map(str.strip))
def test_clean_commentary_undoes_linkedin_quoting(text: str) -> None:
    [[_, cell]] = list(csv.reader(io.StringIO(linkedin_writes(text), newline="")))
    assert clean_commentary(cell) == text
