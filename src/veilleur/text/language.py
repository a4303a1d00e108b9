"""French / English language detection for short posts: ``fr``, ``en`` or ``und``.

Two stages, cheapest first:

1. **Stop-word cues.** Words that are frequent in one language and rare in the other and in
   its Romance/Germanic neighbours (« les », « dans », « pour » / "the", "with", "that").
   A clear majority of cues decides at once: most posts never reach the model, which is what
   makes the detector fast.
2. **py3langid** (a naive Bayes model over byte n-grams, 97 languages). When another
   language wins with confidence the answer is ``und``; otherwise the French and English
   probabilities are compared, with the cues as a tie-breaker, and a weak margin gives ``und``.

Links, mentions, hashtag signs and cashtags are removed first: they are neither French nor
English and mislead the n-gram model. A language given in the input is never overridden:
callers use this only when a post carries none.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import regex

from veilleur.text.normalize import fold

__all__ = ["detect_language", "language_scores"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Folded (accent-free) forms; chosen to be rare in Spanish, Portuguese, Italian, German, Dutch.
_FR_CUES = _wordset(
    """les des est une pour dans qui pas sur avec et ce cette ces ils elle elles nous vous
    au aux sont etre ete plus tout tous toute leur leurs notre nos votre vos aussi comme fait
    faire peut sans chez apres avant depuis alors donc quand deja c'est n'est qu'il qu'on j'ai
    aujourd'hui cela ceci rien moi toi avons avez ont etait sommes"""
)
_EN_CUES = _wordset(
    """the and of to for with that this you it's are have has not but they we from by my
    your what just about would can our their there been were which who how all if more
    when out up don't i'm its than them these those into only should could because after
    before new now here very some any other such being does did yes"""
)
# Elided French articles and pronouns are cues on their own (l'emploi, d'entraide).
_FR_ELISION = regex.compile(r"\b(?:l|d|j|qu|n|s|c|m|t)'[a-z]", regex.IGNORECASE)
_NOISE = regex.compile(
    r"(?:https?://|www\.)\S+|\S+\.(?:fr|com|org|net|social|io|be|ch|ca|eu)(?:/\S*)?"
    r"|[@＠][\w.\-]+(?:@[\w.\-]+)?|[$＄][a-z]{1,6}\b|[#＃]",
    regex.IGNORECASE,
)
_WORD = regex.compile(r"[\p{L}][\p{L}'’]*")

_DECIDE_CUES = 3  # cues of one language, none of the other: decided without the model
_OTHER_CONFIDENCE = 0.5  # another language this likely → und
_MARGIN = 0.70  # share of fr vs en probability needed to decide


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


def _cues(clean: str) -> tuple[int, int]:
    words = _WORD.findall(fold(clean))
    fr = sum(1 for w in words if w in _FR_CUES)
    en = sum(1 for w in words if w in _EN_CUES)
    fr += len(_FR_ELISION.findall(clean.replace("’", "'")))
    return fr, en


def language_scores(text: str) -> dict[str, float]:
    """The model's probabilities for fr, en and the best other language (for diagnostics)."""
    clean = _NOISE.sub(" ", text)
    ranked = _identifier().rank(clean)
    scores = {lang: float(p) for lang, p in ranked if lang in ("fr", "en")}
    other = next(((lang, p) for lang, p in ranked if lang not in ("fr", "en")), ("und", 0.0))
    scores["other:" + other[0]] = float(other[1])
    return scores


def detect_language(text: str) -> str:
    """``fr``, ``en`` or ``und`` (unsure, another language, or no words at all)."""
    clean = _NOISE.sub(" ", text)
    if not _WORD.search(clean):
        return "und"
    fr_cues, en_cues = _cues(clean)
    if fr_cues >= _DECIDE_CUES and en_cues == 0:
        return "fr"
    if en_cues >= _DECIDE_CUES and fr_cues == 0:
        return "en"
    ranked = _identifier().rank(clean)
    probs = dict(ranked)
    best_lang, best_p = ranked[0]
    p_fr, p_en = float(probs.get("fr", 0.0)), float(probs.get("en", 0.0))
    if best_lang not in ("fr", "en") and best_p >= _OTHER_CONFIDENCE and best_p > 2 * (p_fr + p_en):
        return "und"
    # Log-odds of fr vs en from the model, nudged by each cue.
    total = p_fr + p_en
    if total <= 0.0:
        return "und"
    share = p_fr / total
    share = min(max(share, 1e-6), 1 - 1e-6)
    logit = math.log(share / (1 - share)) + 0.8 * (fr_cues - en_cues)
    share = 1 / (1 + math.exp(-logit))
    if share >= _MARGIN:
        return "fr"
    if share <= 1 - _MARGIN:
        return "en"
    return "und"
