"""The keys an import has met: a file's repeats are found however far apart they are."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from veilleur.imports import seen
from veilleur.imports.seen import SeenKeys


def test_a_key_is_new_once_whether_it_is_recent_or_merged_long_ago() -> None:
    keys = SeenKeys(window=7)  # merges every 7 new keys: most lookups go to the array
    met: set[int] = set()
    rnd = random.Random(19)
    edges = [-(2**63), 2**63 - 1, 0, -1, 1]
    for i in range(5000):
        if i < len(edges):
            key = edges[i]
        elif met and rnd.random() < 0.4:
            key = rnd.choice(sorted(met)[:: max(1, len(met) // 50)])  # old and recent ones
        else:
            key = rnd.randrange(-(2**63), 2**63)
        assert keys.add(key) is (key not in met), (i, key)
        met.add(key)
    assert len(keys) == len(met)
    for key in met:  # every key met stays met, in the array and in the set alike
        assert keys.add(key) is False


def _line(i: int) -> str:
    return json.dumps(
        {
            "network": "mastodon",
            "id": f"p{i}",
            "author": "atelier",
            "created_at": f"2025-03-{1 + i % 28:02d}T10:00:00Z",
            "text": f"Atelier numéro {i} sur la veille",
        }
    )


def test_an_import_counts_repeats_far_apart_in_the_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A window of 3 keys: the repeats below are met long after their first post was merged.
    monkeypatch.setattr(seen, "WINDOW", 3)
    order = [*range(40), 0, 17, 39, *range(40, 60), 5, 59]
    src = tmp_path / "posts.jsonl"
    src.write_text("\n".join(_line(i) for i in order) + "\n", encoding="utf-8")
    result = cli("import", "jsonl", "--json", str(src))
    summary = json.loads(result.out)
    assert result.code == 0
    assert (summary["read"], summary["new"], summary["duplicates"]) == (65, 60, 5)
