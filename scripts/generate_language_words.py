"""Regenerate src/veilleur/text/data/langwords.txt, the word lists of language detection.

    .venv/bin/python scripts/generate_language_words.py

For French, English and the languages most often mistaken for them in Latin script (Spanish,
Portuguese, Italian, German, Dutch), the N most frequent words, folded (lower case, no
accents: the detector folds the text too), most frequent first. The counts come from the
word-frequency lists pyspellchecker ships (a dependency in requirements.lock); only the rank
order is kept, which is all the detector uses. Committed, so detection loads in milliseconds
instead of parsing seven large lists.
"""

from __future__ import annotations

import gzip
import json
import sys
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from veilleur.text.normalize import fold

LANGS = ("fr", "en", "es", "pt", "it", "de", "nl")
TOP = 5000
OUT = (
    Path(__file__).resolve().parent.parent / "src" / "veilleur" / "text" / "data" / "langwords.txt"
)


def top_words(lang: str) -> list[str]:
    path = resources.files("spellchecker").joinpath(f"resources/{lang}.json.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        counts: dict[str, int] = json.load(handle)
    folded: dict[str, int] = {}
    for word, n in counts.items():
        key = fold(word)
        if key.replace("'", "").isalpha() and key.isascii():
            folded[key] = folded.get(key, 0) + n
    return sorted(folded, key=lambda w: (-folded[w], w))[:TOP]


def main() -> None:
    lines = [
        "# Language detection word lists (generated: scripts/generate_language_words.py).",
        "# One line per language: its code, then its most frequent folded words in rank order.",
        "# Ranks derived from pyspellchecker's word-frequency lists.",
    ]
    for lang in LANGS:
        lines.append(lang + " " + " ".join(top_words(lang)))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(LANGS)} languages x {TOP} words")


if __name__ == "__main__":
    main()
