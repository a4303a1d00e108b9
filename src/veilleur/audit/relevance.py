"""Pertinence: how close each post is to the organisation's positioning and keywords.

Each post and the profile (positioning, keywords — counted twice —, sector, audiences)
become TF-IDF vectors of stemmed, unaccented words; a post's similarity is the cosine
between its vector and the profile's. A post is *on topic* when it names one of the
profile's keywords (all the stems of a keyword of several words) or when its similarity
reaches ``SIMILARITY_THRESHOLD``. The score blends the share of on-topic posts (80 %)
with the share of keywords the account covers at least once (20 %): an account that
talks only about one of its five subjects is pertinent but narrow.

Multilingual embeddings can replace the TF-IDF similarity (``similarity=`` argument):
they are an optional extra; TF-IDF is the plain default and needs no model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from veilleur.audit.lexicon import STOPWORDS, stem
from veilleur.audit.words import Tokens, fold, hashtag_words
from veilleur.model import Profile

SIMILARITY_THRESHOLD = 0.12
UNDER_COVERED = 0.05
MIN_PREFIX = 4
WEIGHTS = {"on_topic": 0.8, "coverage": 0.2}

Similarity = Callable[[Sequence[str], str], Sequence[float]]
"""An alternative similarity: (post texts, profile text) -> one value in [0, 1] per post."""


@dataclass(slots=True)
class KeywordShare:
    keyword: str
    posts: int
    share: float


@dataclass(slots=True)
class Relevance:
    similarities: list[float]
    on_topic: list[bool]
    keyword_hits: list[list[str]]
    on_topic_share: float
    mean_similarity: float
    keywords: list[KeywordShare]
    under_covered: list[str]
    off_profile_terms: list[tuple[str, int]]
    coverage: float
    score: float
    method: str = "tfidf"
    components: dict[str, float] = field(default_factory=dict)


def terms(tokens: Tokens, lang: str) -> tuple[list[str], dict[str, str]]:
    """Stemmed content words of a post, and a readable surface form for each stem."""
    out: list[str] = []
    surface: dict[str, str] = {}
    words = list(tokens.words)
    for tag in tokens.hashtags:
        parts = hashtag_words(tag)
        words.extend(parts if len(parts) > 1 else [tag])
    for word in words:
        key = _term(word, lang)
        if key is not None:
            out.append(key)
            if key not in surface:
                surface[key] = word.lower()
    return out, surface


@lru_cache(maxsize=200_000)
def _term(word: str, lang: str) -> str | None:
    """The stem a word counts as, or None for function words and fragments."""
    folded = fold(word)
    if len(folded) < 3 or folded in STOPWORDS.get(lang, STOPWORDS["fr"]):
        return None
    if not folded.isalpha() and "-" not in folded:
        return None
    return stem(folded, lang)


def profile_text(profile: Profile) -> str:
    parts = [profile.positioning, *profile.keywords, *profile.keywords, *profile.audiences]
    if profile.sector:
        parts.append(profile.sector)
    return "\n".join(parts)


def measure(
    tokens: Sequence[Tokens],
    langs: Sequence[str],
    profile: Profile,
    texts: Sequence[str] | None = None,
    similarity: Similarity | None = None,
    promotional: Sequence[bool] | None = None,
) -> Relevance:
    """Score the posts (already split into ``tokens``, in languages ``langs``).

    ``promotional`` marks job ads and offers (or posts with any cue of one): they count for
    the share of on-topic posts but not for the off-profile subjects (« postulez » is not
    a subject).
    """
    from veilleur.audit.words import split

    lang0 = profile.languages[0] if profile.languages else "fr"
    docs: list[list[str]] = []
    surfaces: dict[str, Counter[str]] = {}
    for tok, lang in zip(tokens, langs, strict=True):
        stems, surface = terms(tok, lang)
        docs.append(stems)
        for key, word in surface.items():
            surfaces.setdefault(key, Counter())[word] += 1
    # The profile is stemmed in each language the posts use, so that an English post
    # about "machining" can meet a profile written in French only through the keywords
    # the organisation gave in both languages; we do not translate.
    profile_tokens = split(profile_text(profile))
    profile_terms: list[str] = []
    for lang in sorted(set(langs) | {lang0}):
        profile_terms.extend(terms(profile_tokens, lang)[0])
    keyword_stems: dict[str, set[frozenset[str]]] = {}
    for keyword in profile.keywords:
        ktok = split(keyword)
        keyword_stems[keyword] = {
            frozenset(terms(ktok, lang)[0]) for lang in sorted(set(langs) | {lang0})
        } - {frozenset()}

    n = len(docs)
    if n == 0:
        return Relevance([], [], [], 0.0, 0.0, [], list(profile.keywords), [], 0.0, 0.0)
    if similarity is not None and texts is not None:
        sims = [float(s) for s in similarity(texts, profile_text(profile))]
        method = "embeddings"
    else:
        sims = _tfidf_similarities(docs, profile_terms)
        method = "tfidf"
    # A post stem meets a keyword stem when one begins the other (at least four letters
    # in common): Snowball gives « usinag » for « usinage » but « usin » for « usiner ».
    wanted = {k for variants in keyword_stems.values() for v in variants for k in v}
    meets: dict[str, set[str]] = {}
    for key in {key for doc in docs for key in doc}:
        found = {k for k in wanted if key == k or _prefix(key, k)}
        if found:
            meets[key] = found
    hits: list[list[str]] = []
    for doc in docs:
        present: set[str] = set()
        for key in doc:
            present |= meets.get(key, set())
        hits.append(
            [kw for kw, variants in keyword_stems.items() if any(v <= present for v in variants)]
        )
    on_topic = [bool(h) or s >= SIMILARITY_THRESHOLD for h, s in zip(hits, sims, strict=True)]
    counts = Counter(kw for h in hits for kw in h)
    shares = [KeywordShare(kw, counts[kw], counts[kw] / n) for kw in profile.keywords]
    under = [k.keyword for k in shares if k.share < UNDER_COVERED]
    coverage = (sum(1 for k in shares if k.posts) / len(shares)) if shares else 1.0
    profile_set = set(profile_terms)
    skip = promotional if promotional is not None else [False] * n
    off = Counter(
        key
        for doc, ok, ad in zip(docs, on_topic, skip, strict=True)
        if not ok and not ad
        for key in set(doc)
    )
    off_terms = [
        (surfaces[key].most_common(1)[0][0], count)
        for key, count in off.most_common(40)
        if key not in profile_set and count >= 2
    ][:8]
    on_share = sum(on_topic) / n
    components = {"on_topic": on_share, "coverage": coverage}
    score = 100 * sum(WEIGHTS[k] * v for k, v in components.items())
    return Relevance(
        similarities=sims,
        on_topic=on_topic,
        keyword_hits=hits,
        on_topic_share=on_share,
        mean_similarity=float(np.mean(sims)) if sims else 0.0,
        keywords=shares,
        under_covered=under,
        off_profile_terms=off_terms,
        coverage=coverage,
        score=round(score, 1),
        method=method,
        components=components,
    )


def _tfidf_similarities(docs: list[list[str]], profile_terms: list[str]) -> list[float]:
    """Cosine between each post and the profile, TF-IDF weighted as scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True, norm="l2")`` fitted on the posts and the profile
    (smooth idf: ln((1 + n) / (1 + df)) + 1), which a test checks. Written out because
    importing scikit-learn took 1–2.5 s of a cold audit; only the profile's terms need
    weights in the dot product."""
    if not any(docs) or not profile_terms:
        return [0.0] * len(docs)
    counts = [Counter(doc) for doc in docs]
    profile_counts = Counter(profile_terms)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    df.update(profile_counts.keys())
    total = len(docs) + 1
    idf: dict[str, float] = {}

    def weight(term: str, tf: int) -> float:
        value = idf.get(term)
        if value is None:
            value = idf[term] = math.log((1 + total) / (1 + df[term])) + 1.0
        return (1.0 + math.log(tf)) * value

    profile_vec = {t: weight(t, n) for t, n in profile_counts.items()}
    profile_norm = math.sqrt(sum(v * v for v in profile_vec.values()))
    sims = []
    for c in counts:
        if not c:
            sims.append(0.0)
            continue
        weights = {t: weight(t, n) for t, n in c.items()}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        dot = sum(v * profile_vec[t] for t, v in weights.items() if t in profile_vec)
        sims.append(dot / (norm * profile_norm))
    return sims


def _prefix(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and long.startswith(short)
