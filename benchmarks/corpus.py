"""A seeded generator of realistic posts (French and English), shared by the benchmarks."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

FR_WORDS = (
    "recrutement emploi veille stratégique réseaux sociaux entreprise équipe formation atelier "
    "communication écrite salon innovation numérique industrie région artisans marque employeur "
    "candidats offre poste stage alternance projet clients partenaires événement conférence "
    "témoignage savoir-faire usine métier compétences qualité sécurité environnement énergie "
    "l'emploi d'experts qu'il aujourd'hui très bien nouveau lancement découvrez merci bravo"
).split()
EN_WORDS = (
    "hiring jobs strategic watch social networks company team training workshop writing "
    "innovation digital industry region brand candidates role internship project customers "
    "partners event conference story skills quality safety energy launch discover thanks great "
    "today new experts community growth market research trends report insight"
).split()
FILLER_FR = "le la les des du de et en pour avec sur dans un une nous vous notre votre".split()
FILLER_EN = "the a an of and in for with on to our your we you this that is are".split()
TAGS = (
    "Recrutement VeilleStrategique EmploiLocal RH Industrie Numerique Hiring OSINT Events".split()
)
NETWORKS = ("x", "mastodon", "bluesky", "linkedin", "facebook")


def post_text(rng: random.Random) -> tuple[str, str]:
    lang = "fr" if rng.random() < 0.6 else "en"
    words, filler = (FR_WORDS, FILLER_FR) if lang == "fr" else (EN_WORDS, FILLER_EN)
    n = rng.randint(6, 45)
    tokens = [rng.choice(words) if rng.random() < 0.55 else rng.choice(filler) for _ in range(n)]
    tokens[0] = tokens[0].capitalize()
    if rng.random() < 0.4:
        tokens.append("#" + rng.choice(TAGS))
    if rng.random() < 0.2:
        tokens.insert(rng.randint(0, len(tokens)), f"@compte{rng.randint(1, 500)}")
    if rng.random() < 0.3:
        tokens.append(f"https://exemple{rng.randint(1, 80)}.fr/article/{rng.randint(1, 10**6)}")
    return " ".join(tokens) + rng.choice([".", " !", " ?", "…", ""]), lang


def posts(n: int, seed: int = 42) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        text, lang = post_text(rng)
        created = start + timedelta(seconds=rng.randint(0, 365 * 86400))
        yield {
            "id": str(10**15 + i),
            "network": rng.choice(NETWORKS),
            "author": f"compte{rng.randint(1, 5000)}",
            "text": text,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lang": lang,
            "likes": rng.randint(0, 500),
            "reposts": rng.randint(0, 80),
        }


def write_jsonl(path: Path, n: int, seed: int = 42) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in posts(n, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
