"""Stories: posts about one thing, grouped online as they arrive — pure, no I/O.

A post joins a story, in this order of evidence:

1. ``duplicate`` — it is a near-duplicate of a post already in a story (:mod:`.dedup`);
2. ``link`` — it links an article (canonical URL, :mod:`.canonical`) already in a story;
3. ``content`` — its words are close to a story active within the time window (cosine of
   TF-IDF vectors over hashed folded words, against the story's centroid);
4. otherwise it starts a ``new`` story.

The clusterer is *online*: each post is compared with the few active stories that share
one of its rarest words (an inverted index over the centroids' top words), never with the
whole store. Posts should be fed in time order; a batch is sorted by the caller. What it
needs from earlier runs (the story of a group or a URL, document frequencies, active
stories) comes through :class:`Memory`, which the persistence layer fills.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, _count_elements  # type: ignore[attr-defined]
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import mul
from typing import NamedTuple

from veilleur.watch.fingerprint import word_hash

WINDOW_SECONDS = 3 * 24 * 3600
THRESHOLD = 0.4
POST_TERMS = 24  # terms kept in a post's vector
CENTROID_TERMS = 40  # terms kept in a story's centroid
INDEX_TERMS = 10  # centroid terms a story is findable by
QUERY_TERMS = 6  # rarest terms of a post used to find candidate stories
MAX_POSTING = 400  # a term shared by more active stories than this is too common to search
MIN_TERMS = 3  # fewer content terms than this: never joined on content alone

_STOPWORDS_TEXT = """
    a ai au aux avec ce ces cet cette dans de des du elle elles en est et etre eu il ils je
    la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ont ou par pas
    pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y c d j
    l m n s t qu plus tres tout tous toute toutes aussi bien fait faire sans sous entre chez
    depuis apres avant comme donc car si deja encore ici cela ca
    the of and to in is it for on that this with as are was be at by an or from not but have
    has had we you they he she his her its our their will would can could all more about
    into than then there these those what which who how when where why your my me us do does
    did just also very new via rt amp https http www com fr org
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_ZERO_F = repeat(0.0)  # endless default arguments for map(dict.get, keys, ...)


@dataclass(slots=True)
class StoryItem:
    """What the clusterer needs of one post."""

    pk: int
    time: int  # seconds since the epoch, UTC
    group: int  # near-duplicate group (the pk of its first post; its own pk when alone)
    urls: Sequence[str]  # canonical URLs it links
    words: Sequence[str]  # folded words
    terms: dict[int, int] | None = None  # content_terms(words), when the caller has it


@dataclass(slots=True)
class Story:
    """A story's running state: time span, size and centroid (term hash → weight)."""

    id: int
    first_seen: int
    last_seen: int
    size: int = 0
    centroid: dict[int, float] = field(default_factory=dict)
    representative: int = 0  # pk of its first post
    norm: float = 0.0  # of the centroid (kept up to date by the clusterer)


@dataclass(slots=True)
class Memory:
    """Lookups into what earlier runs stored (all default to "nothing known")."""

    story_of_group: Callable[[int], int | None] = lambda group: None
    story_of_url: Callable[[str], int | None] = lambda url: None
    df: dict[int, int] = field(default_factory=dict)
    n_docs: int = 0
    next_id: int = 1
    active: list[Story] = field(default_factory=list)
    load_story: Callable[[int], Story | None] = lambda story_id: None


class Assignment(NamedTuple):
    """Where one post went (a tuple: one is made per post, and tuples are cheap)."""

    pk: int
    story: int
    reason: str  # new | duplicate | link | content
    similarity: float


@lru_cache(maxsize=500_000)
def _term(word: str) -> int:
    """The hash of a content word, or -1 (stop words, short or numeric; CRC-32 is >= 0)."""
    if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
        return word_hash(word)
    return -1


def content_terms(words: Iterable[str]) -> dict[int, int]:
    """Term-frequency counts of the content words (no stop words, no short or numeric)."""
    counts: dict[int, int] = {}
    # Counted in C, in order of first occurrence (what ``Counter`` does, without its
    # Python-level overhead: this runs once per post of the store).
    _count_elements(counts, map(_term, words))
    counts.pop(-1, None)
    return counts


class Clusterer:
    """Assigns posts to stories one by one (see the module's docstring)."""

    def __init__(
        self,
        memory: Memory | None = None,
        *,
        window: int = WINDOW_SECONDS,
        threshold: float = THRESHOLD,
    ) -> None:
        self.memory = memory or Memory()
        self.window = window
        self.threshold = threshold
        self.df: Counter[int] = Counter(self.memory.df)
        self.n_docs = self.memory.n_docs
        self.next_id = self.memory.next_id
        self.stories: dict[int, Story] = {}
        self.changed: set[int] = set()
        self._retired: dict[int, Story] = {}
        self._postings: dict[int, set[int]] = {}
        self._indexed: dict[int, tuple[int, ...]] = {}
        self._group_story: dict[int, int] = {}
        self._url_story: dict[str, int] = {}
        self.new_urls: dict[str, int] = {}
        self._since_sweep = 0
        for story in self.memory.active:
            story.norm = math.sqrt(sum(v * v for v in story.centroid.values()))
            self.stories[story.id] = story
            self._reindex(story)

    # -- lookups ---------------------------------------------------------------------------

    def _story_of_group(self, group: int) -> int | None:
        found = self._group_story.get(group)
        return found if found is not None else self.memory.story_of_group(group)

    def _story_of_url(self, url: str) -> int | None:
        found = self._url_story.get(url)
        return found if found is not None else self.memory.story_of_url(url)

    # -- vectors ---------------------------------------------------------------------------

    def _vector(self, counts: dict[int, int]) -> tuple[dict[int, float], list[int]]:
        """TF-IDF of a post's terms, unit length: ``(1 + log tf) * (log((n+1)/(df+1)) + 1)``.

        Also returns the terms by decreasing weight (ties in the post's order): the search
        for a story and the index of a new story both need that order.
        """
        log_n = math.log(self.n_docs + 2) + 1.0
        get = self.df.get
        log = math.log
        if max(counts.values(), default=1) == 1:  # most posts: a weight times 1.0 is itself
            weights = {t: log_n - log(get(t, 0) + 1) for t in counts}
        else:
            weights = {
                t: (log_n - log(get(t, 0) + 1)) * (1.0 if c == 1 else 1.0 + log(c))
                for t, c in counts.items()
            }
        ranked = sorted(weights, key=weights.__getitem__, reverse=True)
        if len(ranked) > POST_TERMS:
            del ranked[POST_TERMS:]
            weights = {t: weights[t] for t in ranked}
        norm = math.hypot(*weights.values()) or 1.0
        return {t: v / norm for t, v in weights.items()}, ranked

    def _reindex(self, story: Story, ranked: list[int] | None = None) -> None:
        """Make ``story`` findable by its top terms (``ranked``: the centroid's, if known)."""
        if ranked is None:
            centroid = story.centroid
            ranked = sorted(centroid, key=centroid.__getitem__, reverse=True)
        top = tuple(ranked[:INDEX_TERMS])
        old = self._indexed.get(story.id, ())
        if old == top:
            return
        postings = self._postings  # a term once indexed keeps its (maybe empty) posting
        for t in old:
            postings[t].discard(story.id)
        for t in top:
            posting = postings.get(t)
            if posting is None:
                postings[t] = {story.id}
            else:
                posting.add(story.id)
        self._indexed[story.id] = top

    def _drop(self, story_id: int) -> None:
        postings = self._postings
        for t in self._indexed.pop(story_id, ()):
            postings[t].discard(story_id)
        story = self.stories.pop(story_id, None)
        if story is not None and story_id in self.changed:
            self._retired[story_id] = story

    def _revive(self, story_id: int) -> Story | None:
        """A story no longer active that a late copy or link joins: as it was left."""
        story = self._retired.pop(story_id, None)
        if story is None and story_id < self.memory.next_id:  # saved by an earlier run
            story = self.memory.load_story(story_id)
        if story is not None:
            story.norm = math.hypot(*story.centroid.values())
            self.stories[story_id] = story
            self._reindex(story)
        return story

    def saved(self) -> None:
        """The changed stories, URLs and frequencies were saved: start the next batch.

        What was saved is forgotten here and read from the store when needed again (the
        story of a group or a URL, document frequencies); active stories stay in memory.
        """
        self.changed.clear()
        self._retired.clear()
        self.new_urls.clear()
        self._group_story.clear()
        self._url_story.clear()
        self.df.clear()
        self.memory.next_id = self.next_id

    def changed_stories(self) -> list[Story]:
        """Stories created or grown since this clusterer started (to be saved)."""
        found = []
        for story_id in sorted(self.changed):
            story = self.stories.get(story_id) or self._retired.get(story_id)
            if story is not None:
                found.append(story)
        return found

    def _sweep(self, now: int) -> None:
        """Forget stories that have been quiet for longer than the window."""
        oldest = now - self.window
        for story_id in [s.id for s in self.stories.values() if s.last_seen < oldest]:
            self._drop(story_id)

    def _best_story(
        self, vector: dict[int, float], ranked: list[int], now: int
    ) -> tuple[int | None, float]:
        """The active story closest to ``vector``, among those sharing its rarest terms.

        A story is scored only if it shares at least two of the post's rarest terms (one for
        very short posts): with a single word in common a cosine rarely reaches the
        threshold, and scoring every story that shares one word is what would cost most.
        Set operations find those stories in C: this is the clusterer's hot spot.

        Stories sharing two terms are found pair of postings by pair: ``isdisjoint`` probes
        the smaller set into the larger without building anything, and most posts share two
        terms with no story at all (a union of the postings, built and grown for each post,
        cost more than the probes).
        """
        postings = self._postings
        found = [
            posting
            for posting in map(postings.get, ranked[:QUERY_TERMS])
            if posting and len(posting) <= MAX_POSTING
        ]
        candidates: set[int] = set()
        if len(vector) >= 4:
            for i in range(1, len(found)):
                b = found[i]
                for a in found[:i]:
                    if not a.isdisjoint(b):
                        candidates |= a & b
        else:
            candidates = candidates.union(*found)
        best, best_score = None, 0.0
        oldest = now - self.window
        for story_id in sorted(candidates):
            story = self.stories.get(story_id)
            if story is None or story.last_seen < oldest or not story.norm:
                continue
            centroid = story.centroid
            # sum(w * centroid.get(t, 0.0) for t, w in vector.items()), in C
            score = sum(map(mul, vector.values(), map(centroid.get, vector, _ZERO_F))) / story.norm
            if score > best_score:
                best, best_score = story_id, score
        return best, best_score

    # -- assignment ------------------------------------------------------------------------

    def add(self, item: StoryItem) -> Assignment:
        reason, similarity = "new", 1.0
        story_id = self._story_of_group(item.group) if item.group != item.pk else None
        if story_id is not None:
            # A copy adds nothing to what the story says: it is counted, not averaged in,
            # and document frequencies count distinct texts.
            self._join(story_id, item, {}, [])
            return Assignment(item.pk, story_id, "duplicate", 1.0)
        counts = item.terms if item.terms is not None else content_terms(item.words)
        vector, ranked = self._vector(counts)
        for url in item.urls:
            story_id = self._story_of_url(url)
            if story_id is not None:
                reason = "link"
                break
        if story_id is None and len(counts) >= MIN_TERMS:
            candidate, score = self._best_story(vector, ranked, item.time)
            if candidate is not None and score >= self.threshold:
                story_id, reason, similarity = candidate, "content", score
        if story_id is None:
            story_id = self.next_id
            self.next_id += 1
        self._join(story_id, item, vector, ranked)
        _count_elements(self.df, counts)  # self.df.update(counts.keys()), without its checks
        self.n_docs += 1
        return Assignment(item.pk, story_id, reason, round(similarity, 3))

    def _join(
        self, story_id: int, item: StoryItem, vector: dict[int, float], ranked: list[int]
    ) -> None:
        story = self.stories.get(story_id) or self._revive(story_id)
        if story is None:
            # A new story: its centroid is the post's vector (made for it), already ranked.
            story = Story(story_id, item.time, item.time, 1, vector, item.pk)
            story.norm = math.hypot(*vector.values())
            self.stories[story_id] = story
            if vector:
                self._reindex(story, ranked)
        else:
            story.first_seen = min(story.first_seen, item.time)
            story.last_seen = max(story.last_seen, item.time)
            story.size += 1
            if vector:
                centroid = story.centroid
                for t, w in vector.items():
                    centroid[t] = centroid.get(t, 0.0) + w
                if len(centroid) > CENTROID_TERMS * 2:
                    keep = heapq.nlargest(CENTROID_TERMS, centroid, key=centroid.__getitem__)
                    story.centroid = centroid = {t: centroid[t] for t in keep}
                story.norm = math.hypot(*centroid.values())
                self._reindex(story)
        self.changed.add(story_id)
        self._since_sweep += 1
        if self._since_sweep >= 5000:
            self._since_sweep = 0
            self._sweep(item.time)
        self._group_story.setdefault(item.group, story_id)
        for url in item.urls:
            if url in self._url_story:
                continue
            known = self.memory.story_of_url(url)
            if known is None:
                self.new_urls[url] = story_id
            self._url_story[url] = story_id if known is None else known
