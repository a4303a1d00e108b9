"""LSH key tables and the candidate search against them: what the index relies on to find the
near-duplicates of new posts among earlier ones without reloading their signatures."""

from __future__ import annotations

import numpy as np
import pytest

from veilleur.watch import dedup, lsh
from veilleur.watch.fingerprint import fingerprint


def _reference_pairs(
    old_keys: list[list[int]], new_keys: list[list[int]], old_pks: list[int], new_pks: list[int]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Candidates by the definition: for each key, the posts having it in pk order; a new
    post is paired with the first of them and with the one just before it."""
    inner: set[tuple[int, int]] = set()
    outer: set[tuple[int, int]] = set()
    posts = [(pk, keys, None) for pk, keys in zip(old_pks, old_keys, strict=True)]
    posts += [(pk, keys, i) for i, (pk, keys) in enumerate(zip(new_pks, new_keys, strict=True))]
    posts.sort(key=lambda p: p[0])
    runs: dict[int, list[tuple[int, int | None]]] = {}
    for pk, keys, row in posts:
        for key in keys:
            runs.setdefault(key, []).append((pk, row))
    for run in runs.values():
        for at, (_, row) in enumerate(run):
            if row is None or at == 0:
                continue
            for other_pk, other_row in (run[0], run[at - 1]):
                if other_row is None:
                    outer.add((row, other_pk))
                else:
                    inner.add((row, other_row))
    return inner, outer


def test_candidates_match_the_definition_across_stored_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(11)
    n_old, n_new, families = 400, 300, 5
    # Few distinct key values so that runs mix old and new posts, repeats and gaps; each
    # family its own values, as hashes mixed with the band number are.
    offsets = np.arange(families, dtype=np.int64)[:, None] * 1000
    old_keys = rng.integers(0, 120, size=(families, n_old)).astype(np.int64) + offsets
    new_keys = rng.integers(0, 120, size=(families, n_new)).astype(np.int64) + offsets
    old_pks = np.arange(1, n_old + 1, dtype=np.int64) * 3
    new_pks = np.arange(n_old + 1, n_old + n_new + 1, dtype=np.int64) * 3
    # Earlier posts summed up in three tables, as three stored segments would be.
    tables = [
        lsh.table_of(old_pks[part], [k[part] for k in old_keys])
        for part in (slice(0, 150), slice(150, 151), slice(151, None))
    ]
    new = dedup.Signatures(pks=new_pks)
    # Keys drawn at random rather than from signatures, to get crowded runs.
    monkeypatch.setattr(dedup, "keys", lambda s: list(new_keys))
    inner, outer = dedup.candidates(tables, new)
    monkeypatch.undo()
    want_inner, want_outer = _reference_pairs(
        old_keys.T.tolist(), new_keys.T.tolist(), old_pks.tolist(), new_pks.tolist()
    )
    assert {tuple(p) for p in inner.tolist()} == want_inner
    assert {tuple(p) for p in outer.tolist()} == want_outer
    assert want_inner and want_outer


def test_tables_merge_and_pack_without_losing_anything() -> None:
    rng = np.random.default_rng(5)
    pks = np.arange(1, 1001, dtype=np.int64)
    keys = [rng.integers(-(2**62), 2**62, size=1000) for _ in range(3)]
    keys[1][500:] = keys[1][:500]  # shared keys: first and last must span both halves
    whole = lsh.table_of(pks, keys)
    halves = [
        lsh.table_of(pks[:400], [k[:400] for k in keys]),
        lsh.table_of(pks[400:], [k[400:] for k in keys]),
    ]
    merged = lsh.merge(halves)
    for a, b in ((whole, merged), (whole, lsh.unpack(lsh.pack(whole)))):
        assert np.array_equal(a.keys, b.keys)
        assert np.array_equal(a.first, b.first)
        assert np.array_equal(a.last, b.last)
    first, last = lsh.lookup(halves, keys[1][:3])
    assert first.tolist() == [1, 2, 3] and last.tolist() == [501, 502, 503]
    first, last = lsh.lookup(halves, np.asarray([12345], dtype=np.int64))
    assert (first[0], last[0]) == (lsh.NONE, lsh.NONE)


def test_a_short_post_never_shares_its_prefix_key() -> None:
    """Posts too short for a prefix key get one of their own, stable across batches."""
    prints = [fingerprint("un deux trois quatre cinq"), fingerprint("un deux trois quatre six")]
    a = dedup.signatures([1], prints[:1])
    b = dedup.signatures([2], prints[1:])
    assert dedup.keys(a)[-1].tolist() != dedup.keys(b)[-1].tolist()
    assert dedup.keys(a)[-1].tolist() == dedup.keys(dedup.signatures([1], prints[:1]))[-1].tolist()
