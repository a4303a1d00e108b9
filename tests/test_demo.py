"""`veilleur demo` builds its workspace from the shipped corpus and shows what veilleur does."""

from __future__ import annotations

import json
from pathlib import Path

from veilleur.demo import corpus_path
from veilleur.workspace import Workspace


def test_demo_corpus_is_valid_interchange(tmp_path: Path) -> None:
    lines = corpus_path().read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) >= 200
    assert {r["lang"] for r in records} == {"fr", "en", "de"}  # German: not assessed
    assert len({(r["network"], r["id"]) for r in records}) == len(records)


def test_demo_builds_its_workspace_and_can_run_twice(tmp_path: Path, cli) -> None:
    out = tmp_path / "demo"
    n = len(corpus_path().read_text(encoding="utf-8").splitlines())
    first = cli("demo", "--out", str(out), "--lang", "en")
    assert first.code == 0, first.err
    assert f"{n} new" in first.out and "0 rejected" in first.out
    assert (out / "reports" / "audit-dupont-usinage.html").is_file()
    assert (out / "reports" / "digest-recrutement.html").is_file()
    for section in ("Advise", "Presence audit", "Watch", "Publish"):
        assert section in first.out
    again = cli("demo", "--out", str(out))  # French by default
    assert again.code == 0 and f"{n} déjà connus" in again.out
    with Workspace(out) as ws:
        assert ws.store.count_posts() == n
