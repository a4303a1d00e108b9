"""Near-duplicates: MinHash signatures, LSH banding and verification — pure, vectorised.

A post and its copies (reposts, ``RT @…`` copies, syndicated articles, cross-posts, texts cut
with « … ») share most word pairs (bigrams) of their folded text
(:mod:`veilleur.watch.fingerprint`). Each post gets a MinHash signature of its bigram set,
compatible with datasketch's ``affine32`` scheme (same permutations, same values: a test
checks it), computed for thousands of posts at once with numpy instead of one
``MinHash.update`` per bigram. Candidates come from LSH banding (posts agreeing on all rows
of one band), from the hash of the whole folded text (exact copies) and from the hash of its
first words (a truncation shares the start of the full text); each candidate pair is then
verified — by the signatures when they are clear, by the exact bigram sets when they are
not or when one text was cut.

Everything here works on a *universe*: the signatures already indexed (from the store) and
a batch of new posts. Only pairs involving a new post are looked for, so adding posts never
rescans old texts. Groups are identified by the ``pk`` of their first post.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from veilleur.watch import lsh
from veilleur.watch.fingerprint import Fingerprint, word_hash

NUM_PERM = 64
BANDS = 20
ROWS = 3  # BANDS * ROWS <= NUM_PERM
SEED = 1
MIN_WORDS = 4
PREFIX_WORDS = 8
SURE = 0.8  # estimated Jaccard at or above which a pair is a duplicate without checking
UNSURE = 0.35  # below it (and neither text cut) a pair is rejected without checking
JACCARD = 0.7  # exact bigram Jaccard of near-duplicates (a template with two words changed: ~0.6)
CONTAINMENT = 0.9  # share of a cut text's bigrams found in the full one

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_A, _B = (
    np.asarray(p, dtype=np.uint32)
    for p in MinHash(NUM_PERM, seed=SEED, scheme="affine32").permutations
)
_M1, _M2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
_GOLD = np.uint32(0x9E3779B1)
_BAND_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_CHUNK_SHINGLES = 20_000


def _fmix32(h: U32) -> U32:
    """MurmurHash3's finaliser, as datasketch applies it before its affine permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * _M1
    h = h ^ (h >> np.uint32(13))
    h = h * _M2
    return h ^ (h >> np.uint32(16))


def shingles(words: Sequence[str]) -> U32:
    """The distinct 32-bit hashes of the word pairs of ``words`` (single words if only one)."""
    hashes = np.fromiter((word_hash(w) for w in words), dtype=np.uint32, count=len(words))
    if len(hashes) >= 2:
        with np.errstate(over="ignore"):
            hashes = hashes[:-1] * _GOLD + hashes[1:]
    return np.unique(hashes)


def _text_key(words: Sequence[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def sign(sets: Sequence[U32]) -> U32:
    """MinHash signatures (``len(sets)`` × ``NUM_PERM``) of non-empty hash sets, vectorised."""
    sizes = np.asarray([len(s) for s in sets], dtype=np.int64)
    values = np.concatenate(sets) if sets else np.empty(0, dtype=np.uint32)
    return _sign_flat(values, sizes)


def _sign_flat(values: U32, sizes: I64) -> U32:
    """Signatures of consecutive runs of ``values`` (run k has ``sizes[k]`` values, all > 0).

    Duplicated values in a run change nothing (a minimum ignores repeats), so the runs need
    not be sets. Permutations are laid out one per row, so that each minimum runs over
    contiguous memory, and in chunks of about ``_CHUNK_SHINGLES`` values that stay in the
    processor's cache: seven times faster than one row per value.
    """
    out = np.empty((NUM_PERM, len(sizes)), dtype=np.uint32)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    a, b = _A[:, None], _B[:, None]
    first = 0
    while first < len(sizes):
        limit = starts[first] + _CHUNK_SHINGLES
        last = max(first + 1, int(np.searchsorted(ends, limit, side="right")))
        chunk = _fmix32(values[starts[first] : ends[last - 1]])
        with np.errstate(over="ignore"):
            permuted = chunk[None, :] * a + b
        out[:, first:last] = np.minimum.reduceat(
            permuted, starts[first:last] - starts[first], axis=1
        )
        first = last
    return np.ascontiguousarray(out.T)


@dataclass(slots=True)
class Signatures:
    """Columns describing posts for dedup: one row per post, in the order posts arrived."""

    pks: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    sigs: U32 = field(default_factory=lambda: np.empty((0, NUM_PERM), dtype=np.uint32))
    sizes: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    truncated: npt.NDArray[np.bool_] = field(default_factory=lambda: np.empty(0, dtype=bool))
    exact: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    prefix: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    groups: I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.pks)


def signatures(pks: Sequence[int], prints: Sequence[Fingerprint]) -> Signatures:
    """Signatures of the posts long enough to compare (``MIN_WORDS`` words or more).

    Shorter posts (« Merci ! », « +1 ») are left out: two of them being equal says nothing.
    Their group is their own ``pk``; the caller treats a missing row that way.
    """
    keep = [i for i, fp in enumerate(prints) if len(fp.words) >= MIN_WORDS]
    words = [prints[i].words for i in keep]
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    flat = np.fromiter(
        map(word_hash, itertools.chain.from_iterable(words)),
        dtype=np.uint32,
        count=int(lengths.sum()),
    )
    # Word pairs of every post at once: a pair across two posts' boundary is dropped.
    with np.errstate(over="ignore"):
        pairs = flat[:-1] * _GOLD + flat[1:] if len(flat) else flat
    valid = np.ones(len(pairs), dtype=bool)
    boundaries = np.cumsum(lengths)[:-1] - 1
    valid[boundaries] = False
    pairs = pairs[valid]
    sizes = lengths - 1  # MIN_WORDS >= 2: every kept post has at least one pair
    return Signatures(
        pks=np.asarray([pks[i] for i in keep], dtype=np.int64),
        sigs=_sign_flat(pairs, sizes),
        sizes=sizes,
        truncated=np.asarray([prints[i].truncated for i in keep], dtype=bool),
        exact=np.asarray([_text_key(w) for w in words], dtype=np.int64),
        prefix=np.asarray(
            [_text_key(w[:PREFIX_WORDS]) if len(w) >= PREFIX_WORDS else 0 for w in words],
            dtype=np.int64,
        ),
        groups=np.asarray([pks[i] for i in keep], dtype=np.int64),
    )


def concat(a: Signatures, b: Signatures) -> Signatures:
    return Signatures(
        *(
            np.concatenate([getattr(a, name), getattr(b, name)])
            for name in ("pks", "sigs", "sizes", "truncated", "exact", "prefix", "groups")
        )
    )


def keys(s: Signatures) -> list[I64]:
    """The LSH keys of every post: one per band, the exact-text key and the prefix key."""
    wide = s.sigs[:, : BANDS * ROWS].astype(np.uint64).reshape(len(s), BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (wide * _BAND_MULT[None, None, :]).sum(axis=2, dtype=np.uint64)
        mixed = mixed ^ (np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD))
    band_keys = [mixed[:, j].view(np.int64) for j in range(BANDS)]
    # Posts too short for a prefix key get one no other post can have (their own -pk).
    prefix = np.where(s.prefix == 0, -s.pks, s.prefix)
    return [*band_keys, s.exact, prefix]


def _pairs(a: I64, b: I64) -> I64:
    return np.stack([a, b], axis=1) if len(a) else np.empty((0, 2), dtype=np.int64)


def candidates(tables: Sequence[lsh.KeyTable], new: Signatures) -> tuple[I64, I64]:
    """Pairs to verify for the rows of ``new``, whose posts all follow those of ``tables``.

    For each key, the posts having it form a run in time order (the earlier posts summed up
    by ``tables``, then the new rows). A new row is paired with the first post of the run
    (usually the original) and with the post just before it, which links chains of copies
    without comparing every pair of a crowded bucket. Returns ``(inner, outer)``: pairs
    ``(i, j)`` of new rows (``j`` came first), and pairs ``(i, pk)`` of a new row and an
    earlier post.
    """
    n = len(new)
    if not n:
        empty = np.empty((0, 2), dtype=np.int64)
        return empty, empty
    families = keys(new)
    old_first, old_last = lsh.lookup(tables, np.concatenate(families))
    index = np.arange(n, dtype=np.int64)
    inner: list[I64] = []
    outer: list[I64] = []
    for f, key in enumerate(families):
        first, last = old_first[f * n : (f + 1) * n], old_last[f * n : (f + 1) * n]
        order = np.argsort(key, kind="stable")  # ties in row order
        sorted_keys = key[order]
        same = np.empty(n, dtype=bool)
        same[0] = False
        same[1:] = sorted_keys[1:] == sorted_keys[:-1]
        run_start = np.maximum.accumulate(np.where(same, 0, index))
        earlier = first[order] != lsh.NONE  # the key was seen before this batch
        at = np.flatnonzero(earlier)
        outer.append(_pairs(order[at], first[order[at]]))
        at = at[~same[at]]  # first of the batch in its run: the one before it is old
        outer.append(_pairs(order[at], last[order[at]]))
        at = np.flatnonzero(same)
        inner.append(_pairs(order[at], order[at - 1]))
        at = at[~earlier[at]]
        inner.append(_pairs(order[at], order[run_start[at]]))
    return _unique_pairs(inner), _unique_pairs(outer)


def _unique_pairs(found: list[I64]) -> I64:
    """The distinct pairs, sorted (one integer per pair when both fit in 31 bits: faster)."""
    pairs = np.concatenate(found)
    if not len(pairs):
        return pairs
    if pairs.min() >= 0 and pairs.max() < 2**31:
        packed = np.unique((pairs[:, 0] << 32) | pairs[:, 1])
        return np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)
    return np.unique(pairs, axis=0)


def candidate_pairs(old: Signatures, new: Signatures) -> I64:
    """Candidate pairs as rows of ``old + new`` (see :func:`candidates`); ``i`` is new."""
    inner, outer = candidates([lsh.table_of(old.pks, keys(old))], new)
    n_old = len(old)
    order = np.argsort(old.pks, kind="stable")
    position = order[np.searchsorted(old.pks, outer[:, 1], sorter=order)]
    return np.concatenate([inner + n_old, _pairs(outer[:, 0] + n_old, position)])


FingerprintLookup = Callable[[Sequence[int]], dict[int, Fingerprint]]


def _exact_match(a: Fingerprint, b: Fingerprint) -> bool:
    sa, sb = set(shingles(a.words).tolist()), set(shingles(b.words).tolist())
    if not sa or not sb:
        return False
    common = len(sa & sb)
    if common / len(sa | sb) >= JACCARD:
        return True
    short, cut = (sa, a.truncated) if len(sa) <= len(sb) else (sb, b.truncated)
    return cut and common / len(short) >= CONTAINMENT


def verify(universe: Signatures, pairs: I64, lookup: FingerprintLookup) -> I64:
    """The candidate pairs that are near-duplicates."""
    if not len(pairs):
        return pairs
    agree = (universe.sigs[pairs[:, 0]] == universe.sigs[pairs[:, 1]]).mean(axis=1)
    cut = universe.truncated[pairs[:, 0]] | universe.truncated[pairs[:, 1]]
    sure = agree >= SURE
    unsure = ~sure & ((agree >= UNSURE) | cut)
    checked = pairs[unsure]
    if len(checked):
        prints = lookup(sorted({int(universe.pks[i]) for i in checked.ravel()}))
        ok = np.fromiter(
            (
                _exact_match(prints[int(universe.pks[i])], prints[int(universe.pks[j])])
                if int(universe.pks[i]) in prints and int(universe.pks[j]) in prints
                else False
                for i, j in checked
            ),
            dtype=bool,
            count=len(checked),
        )
        sure[np.nonzero(unsure)[0][ok]] = True
    verified: I64 = pairs[sure]
    return verified


def assign_groups(old: Signatures, new: Signatures, lookup: FingerprintLookup) -> I64:
    """The group of each new row: an old row's group it is a near-duplicate of, or new.

    ``old`` holds the earlier posts the candidates may point to (all of them, or just those
    a key search found). Groups are connected components of the verified pairs; a component
    keeps the smallest group id it touches (old groups are never renumbered), else the
    smallest new ``pk``.
    """
    universe = concat(old, new)
    edges = verify(universe, candidate_pairs(old, new), lookup)
    return union(universe.groups, len(old), edges)


def union(groups: I64, n_old: int, edges: I64) -> I64:
    """Connected components of ``edges`` over rows whose own groups are ``groups``.

    Each component takes the smallest group it touches; returns the groups of rows
    ``n_old:`` (the new ones — old rows are never renumbered).
    """
    parent = np.arange(len(groups), dtype=np.int64)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    group = groups.copy()
    for i, j in edges.tolist():
        ri, rj = find(i), find(j)
        if ri != rj:
            if group[ri] <= group[rj]:
                parent[rj] = ri
            else:
                parent[ri] = rj
    return np.asarray([group[find(i)] for i in range(n_old, len(groups))], dtype=np.int64)
