"""French / English language detection for short posts: ``fr``, ``en`` or ``und``.

The main stage is a word model: for French, English and the five languages most often
mistaken for them in Latin script (es, pt, it, de, nl), the 5,000 most frequent words in
rank order (``data/langwords.txt``, see scripts/generate_language_words.py). Each word of
the post votes with a Zipf probability by rank; the best language wins when it leads the
runner-up by a clear margin. Words no list knows are neutral. It costs a dictionary look-up
per word, which is what makes the detector fast (well over 50,000 posts/s).

When the words say too little (a post of names, hashtags and one verb), py3langid — a naive
Bayes model over byte n-grams, 97 languages — decides between fr and en, and says ``und``
when another language wins or the margin is weak.

Links, mentions and hashtag signs are removed first; a text written mostly in another script
(Cyrillic, Arabic, CJK...) is ``und`` at once. A language given in the input is never
overridden: callers use this only when a post carries none.
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources
from typing import Any

from veilleur.text.normalize import fold

__all__ = ["detect_language", "language_scores"]

# One pass over the folded text: links, mentions and domains with a path are skipped (empty
# group), words are captured. Hashtag and cashtag words count as words.
_TOKENS = re.compile(
    r"(?:https?://|www\.)\S+|[@＠]\S+|[a-z0-9\-]+(?:\.[a-z0-9\-]+)+/\S*|([a-z]+(?:'[a-z]+)*)"
)
_TOKENS_KEPT = re.compile(r"(?<!\S)(?!https?://|www\.|[@＠])\S+")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_NON_LATIN = re.compile(r"[^\W\d_a-z]+")  # letters left after folding that are not a-z

_ZIPF_OFFSET = 2.7  # Zipf–Mandelbrot: p(rank) ∝ 1 / (rank + 2.7)
_UNKNOWN_RANK = 15000  # a word missing from a language's top 5,000 is rare there
_MARGIN = 2.5  # nats the winner must lead by
_MIN_KNOWN = 2  # known words needed before the word model decides alone
_MODEL_MARGIN = 0.70  # py3langid: share of fr vs en probability needed to decide
_OTHER_SHARE = 2.0  # py3langid: another language this many times fr + en → und


@cache
def _model() -> tuple[tuple[str, ...], dict[str, tuple[float, ...]], tuple[float, ...]]:
    """(languages, word → log-probability per language, log-probability of an unknown word)."""
    text = resources.files("veilleur.text").joinpath("data/langwords.txt").read_text("utf-8")
    ranks: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lang, *words = line.split()
            ranks[lang] = {w: i for i, w in enumerate(words)}
    langs = tuple(ranks)
    norms = {
        lang: math.log(sum(1 / (r + _ZIPF_OFFSET) for r in range(len(ranks[lang]))))
        for lang in langs
    }
    unknown = tuple(-math.log(_UNKNOWN_RANK + _ZIPF_OFFSET) - norms[lang] for lang in langs)
    vocabulary = set().union(*ranks.values())
    table: dict[str, tuple[float, ...]] = {}
    for word in vocabulary:
        table[word] = tuple(
            -math.log(ranks[lang][word] + _ZIPF_OFFSET) - norms[lang]
            if word in ranks[lang]
            else unknown[i]
            for i, lang in enumerate(langs)
        )
    return langs, table, unknown


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _words(folded: str) -> list[str]:
    """Words of the folded text; an unknown word with apostrophes counts piece by piece."""
    if "/" in folded or "@" in folded or "＠" in folded or "www." in folded:
        words = [w for w in _TOKENS.findall(folded) if w]
    else:
        words = _WORD.findall(folded)
    if "'" not in folded:
        return words
    table = _model()[1]
    out: list[str] = []
    for word in words:
        if "'" in word and word not in table:
            out.extend(word.split("'"))
        else:
            out.append(word)
    return out


def _other_script(folded: str, words: list[str]) -> bool:
    """No Latin words, or more letters of other scripts (Cyrillic, CJK...) than Latin ones."""
    if not words:
        return True
    if folded.isascii():
        return False
    other = sum(map(len, _NON_LATIN.findall(folded)))
    return other > sum(map(len, words))


def _totals(words: list[str]) -> tuple[list[float], int]:
    """Summed log-probabilities per language over the known words, and how many were known."""
    table = _model()[1]
    rows = list(filter(None, map(table.get, words)))
    if not rows:
        return [0.0] * len(_model()[0]), 0
    return list(map(sum, zip(*rows, strict=True))), len(rows)


def language_scores(text: str) -> dict[str, float]:
    """Word-model log scores per language, relative to the best (for diagnostics)."""
    langs = _model()[0]
    totals, _ = _totals(_words(fold(text)))
    best = max(totals)
    return {lang: round(total - best, 2) for lang, total in zip(langs, totals, strict=True)}


def detect_language(text: str) -> str:
    """``fr``, ``en`` or ``und`` (unsure, another language, or no words at all)."""
    folded = fold(text)
    words = _words(folded)
    if _other_script(folded, words):
        return "und"  # no letters, or mostly another script
    langs = _model()[0]
    totals, known = _totals(words)
    if known == 0:
        return "und"  # names, brands, hashtags: nothing to go on
    if known >= _MIN_KNOWN:
        ranked = sorted(totals)
        if ranked[-1] - ranked[-2] >= _MARGIN:
            best = langs[totals.index(ranked[-1])]
            return best if best in ("fr", "en") else "und"
    return _model_decision(text)


def _model_decision(text: str) -> str:
    """py3langid, for texts whose words say too little (links and mentions left out)."""
    ranked = _identifier().rank(" ".join(_TOKENS_KEPT.findall(text)))
    probs = dict(ranked)
    best_lang, best_p = ranked[0]
    p_fr, p_en = float(probs.get("fr", 0.0)), float(probs.get("en", 0.0))
    if best_lang not in ("fr", "en") and best_p > _OTHER_SHARE * (p_fr + p_en):
        return "und"
    total = p_fr + p_en
    if total <= 0.0:
        return "und"
    share = p_fr / total
    if share >= _MODEL_MARGIN:
        return "fr"
    if share <= 1 - _MODEL_MARGIN:
        return "en"
    return "und"
