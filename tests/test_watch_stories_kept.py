"""Making the index faster must not move a post to another story.

The clusterer's hot path was rewritten for speed (issue 19: candidate stories found pair of
postings by pair, vectors without a multiplication by 1.0, texts read by the process that
prepares batches). Every rewrite is meant to compute the same numbers in the same order, so
the index of a generated corpus — near-duplicates (« RT @ », cut with « … », « via @ »),
shared links, topics whose posts join by content, six weeks of posts so that quiet stories
are forgotten and revived — must be the one the code gave before the rewrite, to the last
similarity. The digest below was computed with the code at e6760d6 (before issue 19).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from veilleur.model import Post
from veilleur.store import SQLiteStore
from veilleur.watch.index import update_index

START = datetime(2026, 3, 1, tzinfo=UTC)
SYLLABLES = "ra te lo mi ne su ka do pi ve ri an on er ti ma co re in ul ba se fo gu".split()


def _corpus(n: int = 6000, seed: int = 19) -> list[Post]:
    rng = random.Random(seed)
    vocabulary = sorted(
        {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    )
    topics = [rng.sample(vocabulary, 12) for _ in range(40)]
    weights = [1 / (r + 1) for r in range(len(vocabulary))]
    posts: list[Post] = []
    for i in range(n):
        when = START + timedelta(minutes=10 * i)  # 6,000 posts over about six weeks
        author = f"a{rng.randint(0, 300)}"
        network = rng.choice(("x", "mastodon", "bluesky", "rss"))
        url = None
        if posts and rng.random() < 0.2:
            back = 3000 if rng.random() < 0.1 else 300  # some copies revive quiet stories
            source = posts[-rng.randint(1, min(len(posts), back))]
            kind = rng.random()
            if kind < 0.35:
                text = f"RT @{source.author}: {source.text}"
            elif kind < 0.6:
                text = source.text[: int(len(source.text) * 0.75)].rsplit(" ", 1)[0] + " …"
            elif kind < 0.8:
                text = f"{source.text} via @{source.author}"
            else:
                text = source.text
        else:
            words = rng.choices(vocabulary, weights, k=rng.randint(8, 30))
            if rng.random() < 0.5:  # on one of the topics: shares its rarer words
                topic = topics[(i // 150 + rng.randint(0, 2)) % len(topics)]
                words = words[: len(words) // 2] + rng.sample(topic, rng.randint(5, 10))
                rng.shuffle(words)
            text = " ".join(words)
            if rng.random() < 0.04:
                text += f" https://example.org/article/{rng.randint(0, 200)}?utm_source=x"
            if network == "rss" and rng.random() < 0.2:
                url = f"https://www.example.org/article/{rng.randint(0, 200)}"
        posts.append(Post(f"p{i}", network, author, text, when, url=url))
    return posts


def _digest(store: SQLiteStore) -> tuple[str, Counter[str], int]:
    rows = store.conn.execute(
        "SELECT p.id, g.id, r.id, sp.reason, sp.similarity, s.size, s.first_seen, "
        "s.last_seen FROM story_posts sp JOIN posts p ON p.pk = sp.pk "
        "JOIN posts g ON g.pk = sp.grp JOIN stories s ON s.id = sp.story "
        "JOIN posts r ON r.pk = s.representative ORDER BY p.pk"
    ).fetchall()
    terms = store.conn.execute("SELECT term, df FROM story_terms ORDER BY term").fetchall()
    digest = hashlib.sha256(repr((rows, terms)).encode()).hexdigest()
    return digest, Counter(r[3] for r in rows), len({r[2] for r in rows})


@pytest.mark.parametrize("workers", [0, 1])
def test_the_faster_index_gives_every_post_the_story_it_had(tmp_path: Path, workers: int) -> None:
    store = SQLiteStore(tmp_path / "kept.sqlite")
    store.write_posts(_corpus())
    update_index(store, chunk=1000, workers=workers)
    digest, reasons, stories = _digest(store)
    store.close()
    # Every kind of evidence occurs (the figures say where to look if the digest moves).
    assert (reasons, stories) == (Counter(EXPECTED_REASONS), EXPECTED_STORIES)
    assert digest == EXPECTED_DIGEST


EXPECTED_REASONS = {"new": 3002, "duplicate": 1180, "content": 1579, "link": 239}
EXPECTED_STORIES = 3002
EXPECTED_DIGEST = "1ed1882ccdc9870cdad4c29196e83299f7675e350dc8b72bc19a9fb66fe231d8"
