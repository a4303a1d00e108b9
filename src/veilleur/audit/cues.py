"""The cue lexicon of the promotion classifier, and a fast way to find the cues of a text.

Cues live in ``data/promo_cues.toml``: a label in French and English, a category, a
weight, and regular expressions and/or a list of words. Running hundreds of expressions
on each of 10,000 posts costs seconds, so each expression gets the literal texts one of
which any match must contain (:func:`needles`); the first two letters of the needles found
in a post select the few expressions worth running.

A word cue (``words``: job titles, say) matches a word of the post, lower-cased; a word
ending in ``*`` is a prefix, and each word also matches its plural in ``s`` or ``x``. With
``after``, one of those words must come at most ``window`` words before (``<n>`` stands
for a number, ``<start>`` for the start of the post): « un soudeur », "a welder", not
« notre soudeur explique ». Words are looked up in a dictionary, cached per distinct word.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "promo_cues.toml"


WORD = re.compile(r"\w+")
NUMBER = "<n>"
START = "<start>"


@dataclass(frozen=True, slots=True)
class Cue:
    fr: str
    en: str
    category: str  # recruiting | promotional | value
    weight: float
    patterns: tuple[re.Pattern[str], ...]
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    after: frozenset[str] = frozenset()
    window: int = 2

    @property
    def key(self) -> str:
        """What the cue stands for (its French and English variants share it)."""
        return f"{self.category}:{self.fr}"

    def word_matches(self, word: str) -> bool:
        if word in self.words or word.startswith(self.prefixes):
            return True
        return len(word) > 3 and word[-1] in "sx" and word[:-1] in self.words

    def matches(self, text: str) -> bool:
        """Whether the cue is in ``text``, the slow plain way (the index must agree)."""
        if any(p.search(text) for p in self.patterns):
            return True
        tokens = WORD.findall(text.lower())
        return any(
            self.word_matches(tok) and context_ok(self, tokens, i) for i, tok in enumerate(tokens)
        )


def context_ok(cue: Cue, tokens: list[str], i: int) -> bool:
    """Whether one of the cue's ``after`` words comes at most ``window`` words before
    token ``i`` (always true for a cue without ``after``)."""
    if not cue.after:
        return True
    if START in cue.after and i < cue.window:
        return True
    for before in tokens[max(0, i - cue.window) : i]:
        if before in cue.after or (NUMBER in cue.after and before.isdigit()):
            return True
    return False


_SPECIAL = set("\\.^$*+?{}[]()|")
_CLASSES = set("bBdDsSwWAZ")


def needles(pattern: str) -> tuple[str, ...] | None:
    """Literal texts one of which every match of ``pattern`` contains (lower case), or
    None when the pattern has no such text. It reads the top level of the pattern only:
    runs of plain characters, and groups of plain alternatives (``(?:buy|order)``)."""
    runs: list[tuple[str, ...]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            runs.append(("".join(current),))
            current.clear()

    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in _CLASSES or nxt.isdigit():
                close()
            else:
                current.append(nxt)
            i += 2
        elif char == "(":
            close()
            depth, j = 1, i + 1
            while j < len(pattern) and depth:
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
            group = pattern[i + 1 : j - 1]
            quantified = j < len(pattern) and pattern[j] in "?*{"
            if group.startswith("?:") and not quantified:
                alternatives = group[2:].split("|")
                if all(a and not (set(a) & _SPECIAL) for a in alternatives):
                    runs.append(tuple(alternatives))
            i = j
        elif char == "[":
            close()
            i = pattern.index("]", i + 2) + 1
            if i < len(pattern) and pattern[i] in "?*{":
                i += 1
        elif char in "?*{":
            if current:
                current.pop()
            close()
            i += 1 if char != "{" else pattern.find("}", i) - i + 1
        elif char in _SPECIAL:
            if char == "|":
                return None  # a top-level alternative: nothing is common to all matches
            close()
            i += 1
        else:
            current.append(char)
            i += 1
    close()
    usable = [
        r for r in runs if all(len(a.strip()) >= 2 or (a.strip() and not a.isalnum()) for a in r)
    ]
    if not usable:
        return None
    best = max(usable, key=lambda r: (min(len(a) for a in r), -len(r)))
    return tuple(a.lower() for a in best)


class Lexicon:
    """Cues indexed by their needles: ``found(text)`` runs only the expressions whose
    literal text occurs in ``text``, and gives the same answer as running them all."""

    def __init__(self, cues: tuple[Cue, ...]) -> None:
        self.cues = cues
        self._always: list[tuple[int, re.Pattern[str]]] = []
        self._by_needle: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self._by_gram: dict[str, set[str]] = {}
        self._single: set[str] = set()
        for index, cue in enumerate(cues):
            for pattern in cue.patterns:
                literals = needles(pattern.pattern)
                if literals is None:
                    self._always.append((index, pattern))
                    continue
                for needle in literals:
                    self._by_needle.setdefault(needle, []).append((index, pattern))
                    if len(needle) >= 2:
                        self._by_gram.setdefault(needle[:2], set()).add(needle)
                    else:
                        self._single.add(needle)
        self._grams = tuple(self._by_gram)
        self._word_cues = [i for i, cue in enumerate(cues) if cue.words or cue.prefixes]
        self._by_word: dict[str, tuple[int, ...]] = {}

    def _cues_of_word(self, word: str) -> tuple[int, ...]:
        found = self._by_word.get(word)
        if found is None:
            found = tuple(i for i in self._word_cues if self.cues[i].word_matches(word))
            if len(self._by_word) < 500_000:
                self._by_word[word] = found
        return found

    def found(self, text: str) -> list[Cue]:
        """The cues present in ``text``, in lexicon order."""
        lowered = text.lower()
        candidates = list(self._always)
        for gram in [g for g in self._grams if g in lowered]:
            for needle in self._by_gram[gram]:
                if needle in lowered:
                    candidates.extend(self._by_needle[needle])
        for needle in self._single:
            if needle in lowered:
                candidates.extend(self._by_needle[needle])
        hits: set[int] = set()
        for index, pattern in candidates:
            if index not in hits and pattern.search(text):
                hits.add(index)
        if self._word_cues:
            tokens = WORD.findall(lowered)
            for i, token in enumerate(tokens):
                for index in self._cues_of_word(token):
                    if index not in hits and context_ok(self.cues[index], tokens, i):
                        hits.add(index)
        return [self.cues[i] for i in sorted(hits)]


def load(path: Path | None = None) -> Lexicon:
    """The lexicon of ``data/promo_cues.toml`` (or of ``path``): a word list a consultant
    can read and extend without touching the code."""
    text = (path or DATA).read_text(encoding="utf-8")
    cues = []
    for entry in tomllib.loads(text)["cue"]:
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in entry.get("patterns", ()))
        words = [w.lower() for w in entry.get("words", ())]
        cues.append(
            Cue(
                entry["fr"],
                entry["en"],
                entry["category"],
                entry["weight"],
                patterns,
                words=frozenset(w for w in words if not w.endswith("*")),
                prefixes=tuple(w[:-1] for w in words if w.endswith("*")),
                after=frozenset(w.lower() for w in entry.get("after", ())),
                window=entry.get("window", 2),
            )
        )
    return Lexicon(tuple(cues))
