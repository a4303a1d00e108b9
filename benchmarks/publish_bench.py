"""Compose: time to render and lint one draft for seven networks, against the bare counts.

Baseline: ``veilleur.text.count`` of the raw text for the same seven networks (the least any
composer must do). veilleur: ``compose`` (mentions, hashtags, links, facets, LinkedIn little,
counts of each rendering, and the linter with spelling and typography). The ratio says what
the rendering and the advice cost on top of counting; the absolute figure says whether
compose-as-you-type fits (it should stay well under 50 ms a draft).

    .venv/bin/python benchmarks/publish_bench.py --drafts 300
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import post_text
from veilleur.publish.compose import Draft, compose
from veilleur.text import count

NETWORKS = ["x", "mastodon", "bluesky", "linkedin", "threads", "facebook", "instagram"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drafts", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    drafts = [post_text(rng) for _ in range(args.drafts)]
    compose(Draft(drafts[0][0], lang=drafts[0][1]), NETWORKS)  # warm caches (word lists)

    start = time.perf_counter()
    for text, _ in drafts:
        for network in NETWORKS:
            count(text, network)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for text, lang in drafts:
        compose(Draft(text, link="https://exemple.fr/article", lang=lang), NETWORKS)
    ours = time.perf_counter() - start

    n = len(drafts)
    print("| drafts | compose ms/draft | count-only ms/draft | ratio |")
    print("|---:|---:|---:|---:|")
    print(
        f"| {n} | {ours / n * 1000:.2f} | {baseline / n * 1000:.3f} | "
        f"{ours / baseline:.1f}x slower |"
    )


if __name__ == "__main__":
    main()
