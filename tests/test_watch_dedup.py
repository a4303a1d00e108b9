"""Canonical URLs, fingerprints, MinHash signatures (against datasketch), near-duplicates and
the incremental index of stories, on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from veilleur.model import Post
from veilleur.watch import dedup
from veilleur.watch.canonical import canonical_url, site_of
from veilleur.watch.fingerprint import fingerprint
from veilleur.watch.index import update_index
from veilleur.workspace import Workspace

ARTICLE = "lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html",
        "http://lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html?utm_source=tw&utm_medium=social",
        "https://m.lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html?xtor=RSS-3#comments",
        "https://www.lemonde.fr/amp/economie/article/2026/10/01/plan-emploi_123.html",
        "https://amp.lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html?fbclid=x&at_medium=rs",
        "https://www.lemonde.fr/economie/article/2026/10/01/plan-emploi_123.html/amp/",
    ],
)
def test_canonical_url_folds_variants_of_one_article(url: str) -> None:
    assert canonical_url(url) == ARTICLE


def test_canonical_url_keeps_what_names_the_page() -> None:
    assert canonical_url("https://example.com/p?id=3&ref=rss") == "example.com/p?id=3"
    assert canonical_url("https://example.com/p?id=3") != canonical_url(
        "https://example.com/p?id=4"
    )
    assert canonical_url("https://x.com/a/status/1?s=20") == canonical_url(
        "https://mobile.twitter.com/a/status/1"
    )
    assert site_of("https://www.lefigaro.fr/emploi/x.html") == "lefigaro.fr"
    assert canonical_url("   ") == ""


def test_fingerprint_removes_what_copies_add() -> None:
    original = fingerprint("Le plan #Emploi des jeunes est annoncé https://t.co/abc")
    assert fingerprint("RT @lemonde: Le plan #emploi des jeunes est annoncé") == original
    assert fingerprint("Le plan emploi des JEUNES est annonce via @lemonde") == original
    cut = fingerprint("Le plan #Emploi des jeunes est ann…")
    assert cut.truncated
    assert cut.words == ("le", "plan", "emploi", "des", "jeunes", "est")
    assert fingerprint("Merci @marie@mastodon.social !").words == ("merci", "marie")
    assert fingerprint("<p>Un <b>texte</b> &amp; du HTML</p>").words == (
        "un",
        "texte",
        "du",
        "html",
    )


def test_signatures_are_datasketch_minhashes() -> None:
    prints = [fingerprint(t) for t in ("un deux trois quatre cinq", "six sept huit neuf dix onze")]
    sigs = dedup.signatures([1, 2], prints)
    for row, fp in zip(sigs.sigs, prints, strict=True):
        reference = MinHash(dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32", hashfunc=int)
        for h in dedup.shingles(fp.words).tolist():
            reference.update(h)
        assert np.array_equal(reference.hashvalues, row)


def _group(texts: list[str]) -> list[int]:
    prints = [fingerprint(t) for t in texts]
    pks = list(range(1, len(texts) + 1))
    sigs = dedup.signatures(pks, prints)
    groups = dedup.assign_groups(
        dedup.Signatures(), sigs, lambda ps: {p: prints[p - 1] for p in ps}
    )
    found = dict(zip(sigs.pks.tolist(), groups.tolist(), strict=True))
    return [found.get(pk, pk) for pk in pks]


def test_near_duplicates_and_look_alikes() -> None:
    texts = [
        "Le gouvernement annonce un plan de formation pour l'emploi des jeunes diplômés",
        "RT @gouv: Le gouvernement annonce un plan de formation pour l'emploi des jeunes diplômés",
        "Le gouvernement annonce un plan de formation pour l’emploi des jeunes diplômés"
        " via @lemonde",
        "Le gouvernement annonce un plan de formation pour l'emploi des…",
        "Nous recrutons un développeur Python à Lyon, rejoignez notre équipe produit",
        "Nous recrutons un développeur Java à Nantes, rejoignez notre équipe produit",
        "Merci !",
        "Merci !",
    ]
    groups = _group(texts)
    assert groups[:4] == [1, 1, 1, 1]
    assert groups[4] == 5 and groups[5] == 6  # one template, two different offers
    assert groups[6:] == [7, 8]  # too short to say anything


def test_lsh_candidates_agree_with_datasketch_lsh() -> None:
    """Every pair datasketch's MinHashLSH (same bands) proposes, our banding proposes too."""
    sentence = "la veille stratégique commence par le besoin quel réseau pour en faire quoi"
    base = sentence.split(" ")
    rng = np.random.default_rng(3)
    texts = []
    for _ in range(60):
        words = list(base)
        for _ in range(int(rng.integers(0, 5))):
            words[int(rng.integers(0, len(words)))] = f"mot{int(rng.integers(0, 50))}"
        texts.append(" ".join(words))
    prints = [fingerprint(t) for t in texts]
    sigs = dedup.signatures(list(range(len(texts))), prints)
    lsh = MinHashLSH(num_perm=dedup.NUM_PERM, params=(dedup.BANDS, dedup.ROWS))
    ours = {tuple(sorted(p)) for p in dedup.candidate_pairs(dedup.Signatures(), sigs).tolist()}
    reachable: set[tuple[int, int]] = set()
    for i in range(len(texts)):
        m = MinHash(dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32", hashvalues=sigs.sigs[i])
        for j in lsh.query(m):
            reachable.add((j, i))
        lsh.insert(i, m)
    # We pair each post with the first and previous post of each bucket, not all of them:
    # every datasketch pair must be connected in our candidate graph.
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in ours:
        parent[find(a)] = find(b)
    assert reachable
    assert all(find(a) == find(b) for a, b in reachable)


def _post(i: int, text: str, network: str = "x", hours: float = 0, url: str | None = None) -> Post:
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    return Post(
        id=f"p{i}",
        network=network,
        author=f"a{i}",
        text=text,
        created_at=start + timedelta(hours=hours),
        url=url,
    )


def test_index_is_incremental_and_groups_stories(ws: Workspace) -> None:
    store = ws.store
    plan = "Le gouvernement annonce un plan de formation pour l'emploi des jeunes diplômés"
    store.write_posts(
        [
            _post(1, plan + " https://www.lemonde.fr/a.html?utm_source=tw", hours=0),
            _post(2, "RT @a1: " + plan, hours=1),
            _post(3, "Lu ce matin https://lemonde.fr/a.html", network="mastodon", hours=2),
            _post(
                4, "Nous recrutons un développeur Python à Lyon, rejoignez notre équipe", hours=3
            ),
        ]
    )
    first = update_index(store)
    assert (first.posts, first.duplicates) == (4, 1)
    assert update_index(store).posts == 0  # nothing new, nothing done

    store.write_posts([_post(5, plan + " via @lemonde", network="bluesky", hours=30)])
    second = update_index(store)
    assert (second.posts, second.duplicates, second.new_stories) == (1, 1, 0)
    rows = dict(
        (r[0], (r[1], r[2]))
        for r in store.conn.execute("SELECT pk, story, reason FROM story_posts")
    )
    story = rows[1][0]
    assert rows[2] == (story, "duplicate")
    assert rows[3] == (story, "link")
    assert rows[5] == (story, "duplicate")
    assert rows[4][0] != story
    size = store.conn.execute("SELECT size FROM stories WHERE id = ?", (story,)).fetchone()[0]
    assert size == 4
