"""Language of short posts: detection, and the effective language of a post at ingest.

:func:`detect_language` answers ``fr``, ``en``, ``es``, ``pt``, ``it``, ``de``, ``nl`` or
``und``. The main stage is a word model: for each of these languages, the 5,000 most
frequent words in rank order (``data/langwords.txt``, see scripts/generate_language_words.py).
Each word of the post votes with a Zipf probability by rank; the best language wins when it
leads the runner-up by a clear margin. Words no list knows are neutral. It costs a dictionary
look-up per word, which is what makes the detector fast (well over 50,000 posts/s).

When the words say too little (a post of names, hashtags and one verb), py3langid — a naive
Bayes model over byte n-grams, 97 languages — decides among the same languages, and says
``und`` when another language wins or the margin is weak (a stronger one is asked of the
languages other than French and English).

Links, mentions and hashtag signs are removed first; a text written mostly in another script
(Cyrillic, Arabic, CJK...) is ``und`` at once.

:func:`resolve_language` gives a post its **effective language** from the language it
declares (a feed's ``<language>``, a platform's label: a hint, not a truth) and what its text
reads as: see its docstring for the rules. The store applies it to every post it writes.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from veilleur.text.normalize import fold

__all__ = [
    "DETECTED",
    "LANGUAGE_SOURCES",
    "Language",
    "detect_language",
    "language_code",
    "language_scores",
    "resolve_language",
]

DETECTED = ("fr", "en", "es", "pt", "it", "de", "nl")
"""The languages :func:`detect_language` can answer (besides ``und``)."""
LANGUAGE_SOURCES = ("declared", "agreed", "detected")
"""Where a post's effective language comes from (:class:`Language`)."""

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
_MODEL_MARGIN_OTHER = 0.85  # py3langid: the same for es, pt, it, de, nl (less sure on short texts)
_CONFIRM_SHARE = 0.75  # fewer known words than this share: py3langid may veto the words
_CONFIRM_MARGIN = 8.0  # nats: a lead this clear is not questioned
_OTHER_SHARE = 2.0  # py3langid: another language this many times ours → und
_SAMPLE = 2000  # characters read of a long article: plenty to tell its language
_MODEL_SAMPLE = 400  # characters py3langid reads


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


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the text says: the detector's answer, the word model's totals per language
    (empty when no word was known or the text is in another script), how many words the
    model knew."""

    code: str
    totals: tuple[float, ...]
    known: int


def _read_whole(text: str) -> _Reading:
    """:func:`_read`, the text folded and read at once (the reference its chunks are
    tested against)."""
    text = text[:_SAMPLE]
    folded = fold(text)
    words = _words(folded)
    if _other_script(folded, words):
        return _Reading("und", (), 0)  # no letters, or mostly another script
    totals, known = _totals(words)
    return _decide(text, words, totals, known)


# A chunk of text (between white space) → its words as the model reads them, their rows of
# the model's table (known words only, in order), the total length of its words and of its
# letters of other scripts. Per process, bounded: a corpus's chunks are mostly met again.
_Chunk = tuple[list[str], list[tuple[float, ...]], int, int]
_CHUNK_LIMIT = 50_000
_CACHED_LENGTH = 32
_chunks: dict[str, _Chunk] = {}


def _new_chunk(chunk: str) -> _Chunk:
    folded = fold(chunk)
    words = _words(folded)
    table = _model()[1]
    rows = [row for row in map(table.get, words) if row]
    other = 0 if folded.isascii() else sum(map(len, _NON_LATIN.findall(folded)))
    entry = (words, rows, sum(map(len, words)), other)
    if len(chunk) <= _CACHED_LENGTH:  # longer ones are links, mostly, met once
        if len(_chunks) >= _CHUNK_LIMIT:
            _chunks.clear()
        _chunks[chunk] = entry
    return entry


def _read(text: str) -> _Reading:
    """What the text says (:class:`_Reading`), read chunk by chunk: no word, link or
    mention spans white space, which folding keeps (and never makes of anything else but
    white space), so the words of a text are its chunks' words in order and the sums come
    out the same, to the bit (a test holds it equal to :func:`_read_whole`)."""
    text = text[:_SAMPLE]
    get = _chunks.get
    parts = [get(c) or _new_chunk(c) for c in text.split()]
    if not parts:
        return _Reading("und", (), 0)
    chunk_words, chunk_rows, lengths, others = zip(*parts, strict=True)
    words = list(itertools.chain.from_iterable(chunk_words))
    if not words or sum(others) > sum(lengths):
        return _Reading("und", (), 0)  # no letters, or mostly another script
    rows = list(itertools.chain.from_iterable(chunk_rows))
    if not rows:
        return _Reading("und", (), 0)  # names, brands, hashtags: nothing to go on
    return _decide(text, words, list(map(sum, zip(*rows, strict=True))), len(rows))


def _decide(text: str, words: list[str], totals: list[float], known: int) -> _Reading:
    langs = _model()[0]
    if known == 0:
        return _Reading("und", (), 0)  # names, brands, hashtags: nothing to go on
    if known >= _MIN_KNOWN:
        ranked = sorted(totals)
        margin = ranked[-1] - ranked[-2]
        if margin >= _MARGIN:
            best = langs[totals.index(ranked[-1])]
            if known < _CONFIRM_SHARE * len(words) and margin < _CONFIRM_MARGIN:
                best = _confirmed(best, text)
            return _Reading(best, tuple(totals), known)
    return _Reading(_model_decision(text), tuple(totals), known)


def detect_language(text: str) -> str:
    """The language of ``text`` (:data:`DETECTED`: fr, en, es, pt, it, de, nl) when the
    words say it clearly, else ``und`` (unsure, another language, or no words at all)."""
    return _read(text).code


def _ranked(text: str) -> list[tuple[str, float]]:
    """py3langid's languages for the text (links and mentions left out; the first
    characters only: its cost grows with the length), best first."""
    kept = " ".join(_TOKENS_KEPT.findall(text[: 2 * _MODEL_SAMPLE]))[:_MODEL_SAMPLE]
    return [(lang, float(p)) for lang, p in _identifier().rank(kept)]


def _confirmed(best: str, text: str) -> str:
    """The word model's ``best`` when most words were unknown to it and its lead is modest:
    py3langid, which reads letters rather than words, overrules it when it reads another
    language far ahead — one of ours (German titles of compound nouns around two English
    words: « Mega-Deal: IBM übernimmt Red Hat ») or not (Catalan, Danish: a few shared
    words are not the language)."""
    ranked = _ranked(text)
    other, p_other = ranked[0]
    if other == best:
        return best
    if other in DETECTED:
        return other if p_other > _OTHER_SHARE * dict(ranked).get(best, 0.0) else best
    ours = sum(p for lang, p in ranked if lang in DETECTED)
    return "und" if p_other > _OTHER_SHARE * ours else best


def _model_decision(text: str) -> str:
    """py3langid, for texts whose words say too little (links and mentions left out)."""
    ranked = _ranked(text)
    known = [(lang, p) for lang, p in ranked if lang in DETECTED]
    best_lang, best_p = ranked[0]
    ours = sum(p for _, p in known)
    if best_lang not in DETECTED and best_p > _OTHER_SHARE * ours:
        return "und"
    if len(known) < 2 or ours <= 0.0:
        return "und"
    (first, p_first), (_, p_second) = known[0], known[1]
    share = p_first / (p_first + p_second)
    needed = _MODEL_MARGIN if first in ("fr", "en") else _MODEL_MARGIN_OTHER
    return first if share >= needed else "und"


# -- declared languages ---------------------------------------------------------------------

_NAMES = {
    "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
    "eng": "en", "english": "en", "anglais": "en",
    "spa": "es", "spanish": "es", "español": "es", "espanol": "es", "espagnol": "es",
    "por": "pt", "portuguese": "pt", "português": "pt", "portugues": "pt", "portugais": "pt",
    "ita": "it", "italian": "it", "italiano": "it", "italien": "it",
    "deu": "de", "ger": "de", "german": "de", "deutsch": "de", "allemand": "de",
    "nld": "nl", "dut": "nl", "dutch": "nl", "nederlands": "nl", "néerlandais": "nl",
}  # fmt: skip
_NO_LANGUAGE = frozenset({"und", "zxx", "mul", "mis", "art", "xx"})
_CODE = re.compile(r"[a-z]{2,3}")


def language_code(value: str | None) -> str | None:
    """A declared language as a code: the primary subtag, lower case (``fr-FR`` → ``fr``,
    ``French`` → ``fr``); None for no language (``und``, ``zxx``, X's ``qme``…) or a value
    that is not a language tag."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    code = _NAMES.get(code, code)
    private = len(code) == 3 and "qaa" <= code <= "qtz"  # X's qme, qht… (private use)
    if not _CODE.fullmatch(code) or code in _NO_LANGUAGE or private:
        return None
    return code


_OVERRIDE_KNOWN = 3  # known words needed before the text may contradict a declaration
_OVERRIDE_MARGIN = 4.0  # nats the declared language must trail the text's best by


def resolve_language(declared: str | None, text: str, title: str | None = None) -> Language:
    """The effective language of a post that declares ``declared`` (see :class:`Language`).

    * No declaration: what :func:`detect_language` reads in the title and text.
    * The text agrees with the declaration: ``agreed``.
    * The text contradicts it with confidence (at least 3 words the model knows, and the
      declared language trails the best reading by 4 nats — about 55 times less likely):
      the detected language, or ``und`` when the text is plainly not the declared language
      but the detector cannot tell which it is (Spanish or Portuguese).
    * A declaration outside the detector's languages (``ca``, ``ru``, ``ko``…) is
      contradicted only by a clear French or English reading of a text with no letter of
      another script (a Russian quote around a line of code stays ``ru``).
    * Otherwise (too few words, a weak contradiction): the declaration.
    """
    code = language_code(declared)
    sample = f"{title}\n{text}" if title else text
    reading = _read(sample)
    if code is None:
        return Language(reading.code, None, "detected")
    if reading.code == code:
        return Language(code, code, "agreed")
    if reading.known >= _OVERRIDE_KNOWN and reading.totals:
        langs = _model()[0]
        if code in langs:
            if max(reading.totals) - reading.totals[langs.index(code)] >= _OVERRIDE_MARGIN:
                return Language(reading.code, code, "detected")
        elif reading.code in ("fr", "en") and not _NON_LATIN.search(fold(sample[:_SAMPLE])):
            return Language(reading.code, code, "detected")
    return Language(code, code, "declared")


class Language(NamedTuple):
    """A post's effective language and where it comes from.

    ``lang``: a code (``fr``, ``es``, ``ko``…) or ``und``; ``declared``: the declaration read
    as a code (None when the post declared none); ``source``: ``declared`` (the text said too
    little to confirm or contradict it), ``agreed`` (the text reads as declared),
    ``detected`` (no declaration, or one the text contradicts).
    """

    lang: str
    declared: str | None
    source: str
