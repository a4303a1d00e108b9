"""Planted accounts for the audit tests: each pair differs on one criterion only, so an
audit that ranks them the wrong way round has a bug in that criterion's scorer."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from veilleur.model import Media, Post
from veilleur.profile import profile_from_mapping

PROFILE = profile_from_mapping(
    {
        "name": "Dupont Usinage",
        "positioning": "Sous-traitant en usinage de précision pour l'aéronautique et le "
        "médical : pièces en titane, contrôle qualité, savoir-faire des opérateurs.",
        "keywords": ["usinage", "aéronautique", "titane", "contrôle qualité", "médical"],
        "languages": ["fr"],
    }
)

ON_TOPIC = [
    "Nos opérateurs ont terminé une série de pièces en titane pour l'aéronautique : "
    "chaque cote est vérifiée au contrôle qualité avant l'expédition.",
    "Comment usiner un implant médical en titane sans déformer la pièce ? Notre "
    "responsable d'atelier explique les réglages de la machine cinq axes.",
    "Retour sur la visite de notre atelier d'usinage : les étudiants ont découvert le "
    "contrôle qualité tridimensionnel des pièces aéronautiques.",
    "Le titane chauffe vite à l'usinage : lubrification, vitesse de coupe et outils "
    "adaptés font la différence sur les pièces médicales.",
    "Pourquoi mesurer chaque pièce aéronautique deux fois ? Notre contrôle qualité "
    "repose sur une traçabilité complète, de la matière au carton.",
    "Portrait de Julie, technicienne d'usinage depuis dix ans, qui forme nos apprentis "
    "aux pièces de précision pour le médical.",
]
OFF_TOPIC = [
    "Quel beau match ce week-end ! Bravo au club de rugby de la ville pour sa victoire.",
    "Joyeux anniversaire à notre standardiste, le gâteau au chocolat était délicieux.",
    "Il pleut depuis trois jours, vivement le retour du soleil sur la région.",
    "Bonne fête à toutes les mamans, pensez à leur offrir des fleurs dimanche.",
    "La fanfare du village a joué tout l'après-midi sur la place de la mairie.",
    "Nos pensées vont aux supporters déçus après la défaite de samedi soir.",
]
MISSPELT = [
    "Nos opérateur on terminer une série de pièse en titane pour l'aéronotique : "
    "chaque cote est vérifier au controle qualitée avant l'expédission.",
    "Comment usiné un implent médicale en titane sans déformé la pièse ? Notre "
    "responsible d'atelié explique les réglage de la machinne.",
    "Retour sur la visitte de notre atellier d'usinage : les étudients ont découvers "
    "le controle qualitée des pièses aéronotiques.",
]
PROMOTIONAL = [
    "On recrute ! Régleur sur commande numérique H/F en CDI, postulez sur notre site "
    "avant le 30 juin.",
    "Offre spéciale : -20 % sur les prototypes en titane commandés ce mois-ci, "
    "contactez-nous pour un devis.",
    "Nous recrutons un technicien contrôle qualité (CDD de 12 mois) : envoyez votre CV "
    "et rejoignez notre équipe !",
    "Profitez de notre promo d'été sur l'usinage de séries courtes : livraison offerte "
    "jusqu'au 31 août.",
]

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


def _post(i: int, author: str, text: str, when: datetime, **extra: object) -> Post:
    return Post(
        id=f"{author}-{i}",
        network="linkedin",
        author=author,
        text=text,
        created_at=when,
        **extra,  # type: ignore[arg-type]
    )


def regular(author: str = "regular", weeks: int = 20, texts: list[str] | None = None) -> list[Post]:
    """Two posts every week, Tuesday and Thursday morning."""
    texts = texts or ON_TOPIC
    posts = []
    for w in range(weeks):
        for j, offset in enumerate((1, 3)):
            i = 2 * w + j
            when = START + timedelta(weeks=w, days=offset, hours=1)
            posts.append(_post(i, author, texts[i % len(texts)], when))
    return posts


def bursty(author: str = "bursty", weeks: int = 20) -> list[Post]:
    """As many posts as ``regular``, all crammed into three weeks of the same period."""
    rng = random.Random(7)
    posts = []
    for i in range(2 * weeks):
        week = (0, 9, 19)[i % 3]
        when = START + timedelta(weeks=week, days=rng.randrange(5), hours=rng.randrange(9))
        posts.append(_post(i, author, ON_TOPIC[i % len(ON_TOPIC)], when))
    return posts


def mixed(author: str, main: list[str], other: list[str], every: int) -> list[Post]:
    """``regular`` posts where one post in ``every`` comes from ``other``."""
    posts = regular(author)
    for i, post in enumerate(posts):
        if i % every == 0:
            post.text = other[(i // every) % len(other)]
        else:
            post.text = main[i % len(main)]
    return posts


def with_images(posts: list[Post], alt: bool) -> list[Post]:
    for post in posts:
        post.media = [Media("https://example.org/p.jpg", alt="Pièce usinée" if alt else None)]
    return posts
