"""The learned part of the promotion classifier: a score for each word, from a sentence
encoder, so that wordings never seen in the labelled set are still read.

Why: phrase cues written from the labelled posts fitted them and missed ads in other
words (« il nous manque un maillon », "room for one more upholsterer"). A multilingual
sentence encoder knows that an upholsterer is a trade and a sourdough a product, but it
is an optional extra and too slow for 10,000 posts. So ``benchmarks/promo_train.py``
distils it, once, into this word list: it encodes ~76,000 French and English words (the
most frequent of pyspellchecker's lists, plus the labelled set's), fits a logistic
regression on the *mean of the word vectors* of each labelled post (each distinct word
once; unknown words count as zero; a post of fewer than ``MIN_WORDS`` words is divided by
``MIN_WORDS``, so that « Hi » alone stays near zero), without intercept, and, since that
model is linear, writes each word's share of the decision: ``w · vector(word)``. A post's
logit is the mean of its words' scores — a dictionary look-up per word, and the same
number the trained model gives. A post whose words are mostly unknown (another
language) or too short gets no logit from the words: only the stock cues can call it an
ad.

Three scores per word: not value (promotional, recruiting or an event) vs value; among
promotional and recruiting posts, recruiting vs promotional; and among the posts that are
not value, an invitation to the organisation's own event vs an ad (issue 15's *event*
category, neither value nor advertising). The same file carries the weights of the second stage
(:mod:`veilleur.audit.promo_acts`), fitted on the word logit measured out of fold. The
file is ``data/promo_words.json.gz``; regenerate it with ``benchmarks/promo_train.py``
(needs the ``embeddings`` extra), never by hand.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "promo_words.json.gz"
TOKEN = re.compile(r"\w+|[€£$%]")
_DIGIT = re.compile(r"\d")
MIN_WORDS = 12  # a shorter post's mean is taken over 12: « Hi » alone says little
MIN_KNOWN = 0.6  # below this share of known words (another language) the words abstain
MIN_KNOWN_WORDS = 4  # and below this many known words (« Hi », « Hello Video »)


# A web address is read as nothing: a link is not by itself advertising (issue 15), and
# relaying the organisation's own articles is what the method asks for.
LINK = re.compile(
    r"https?://\S+|www\.\S+|(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.(?:fr|com|co\.uk|org|example"
    r"|net|eu|io)\b(?:/\S*)?"
)


def tokens(text: str) -> list[str]:
    """Lower-cased words and currency/percent signs; a word with a digit is ``0``; web
    addresses left out."""
    words = TOKEN.findall(LINK.sub(" ", text.lower().replace("’", "'")))
    for i, word in enumerate(words):
        if not word.isalpha() and _DIGIT.search(word):
            words[i] = "0"
    return words


def distinct(text: str) -> list[str]:
    """The post's distinct tokens, in order: a word counts once (ten prices are not ten
    times an ad)."""
    return list(dict.fromkeys(tokens(text)))


@dataclass(frozen=True, slots=True)
class WordModel:
    bias: float
    bias_recruiting: float
    threshold: float
    scores: dict[str, tuple[float, float, float]]  # not value, recruiting, event
    # second stage: "_bias", "_logit", "_cues" and one weight per act family
    acts: dict[str, float] = field(default_factory=dict)
    # the event stage, among posts that are not value: "_bias", "_logit", one per family
    event: dict[str, float] = field(default_factory=dict)

    bias_event: float = 0.0

    def logits(self, text: str) -> tuple[float, float, float, list[tuple[str, float]]]:
        """(not-value logit, recruiting-vs-promotional logit, event-vs-ad logit, the
        words with their share of the first logit). A post mostly in other words than the
        list's (another language), or with fewer than ``MIN_KNOWN_WORDS`` known words,
        gets 0, 0, 0: the words abstain."""
        words = distinct(text)
        get = self.scores.get
        pairs = [(word, pair) for word in words if (pair := get(word)) is not None]
        if len(pairs) < max(MIN_KNOWN * len(words), MIN_KNOWN_WORDS):
            return 0.0, 0.0, 0.0, []
        n = max(len(words), MIN_WORDS)
        total = sum(pair[0] for _, pair in pairs)
        total_r = sum(pair[1] for _, pair in pairs)
        total_e = sum(pair[2] for _, pair in pairs)
        shares = [(word, pair[0] / n) for word, pair in pairs]
        return (
            self.bias + total / n,
            self.bias_recruiting + total_r / n,
            self.bias_event + total_e / n,
            shares,
        )


@cache
def model(path: Path = DATA) -> WordModel:
    """The shipped scores (~0.1 s to load: words as one string, scores in hundredths)."""
    with gzip.open(path, "rb") as handle:
        data = json.loads(handle.read())
    words = data["words"].split("\n")
    triples = zip(data["promo"], data["recruiting"], data["event"], strict=True)
    return WordModel(
        bias=data["bias"],
        bias_recruiting=data["bias_recruiting"],
        threshold=data["threshold"],
        scores={
            w: (p / 100, r / 100, e / 100) for w, (p, r, e) in zip(words, triples, strict=True)
        },
        acts=data.get("acts", {}),
        event=data.get("event_stage", {}),
        bias_event=data.get("bias_event", 0.0),
    )
