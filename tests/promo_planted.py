"""A planted advice-and-relay account (issue 15): what the seed method asks an
organisation to publish, and what the promotion classifier must never call advertising.

« Conseil Loire Numérique », a small consultancy that helps SMEs with social networks,
posts every three days for six months (60 posts): advice, relays of its own blog articles
(« Lisez notre article : https://… »), questions to its audience (« Partagez vos questions
en commentaire »), behind the scenes — and one job ad in eight. Every text is distinct,
as on a real account. Written for the tests, not taken from the labelled set, and not
trained on (the classifier's training data is tests/data/promo_labelled.jsonl).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veilleur.model import Post

AUTHOR = "conseil-loire"
START = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
BLOG = "https://conseil-loire.example/blog"

# (subject as it reads in a sentence, slug of the blog article)
SUBJECTS = [
    ("structurer LinkedIn pour les PME", "linkedin-pme"),
    ("écrire un post qui donne envie de lire la suite", "accroche"),
    ("choisir ses hashtags sans en abuser", "hashtags"),
    ("publier régulièrement sans y passer ses soirées", "calendrier"),
    ("mettre en avant les savoir-faire de l'atelier", "savoir-faire"),
    ("répondre aux commentaires négatifs", "commentaires-negatifs"),
    ("rédiger un texte alternatif pour les images", "texte-alternatif"),
    ("faire de la veille avec des flux RSS", "veille-rss"),
    ("mesurer ce que rapporte une page entreprise", "mesure"),
    ("impliquer les salariés sans les forcer", "ambassadeurs"),
    ("raconter un chantier en trois photos", "chantier-photos"),
    ("préparer un live-tweet de salon professionnel", "live-tweet"),
    ("relayer les articles du site sur les réseaux", "relais-site"),
]

ADVICE = [
    "Nos conseils pour {s}. Rendez-vous jeudi pour en parler.",
    "Notre conseil de la semaine pour {s} : une idée par publication, pas plus.",
    "{S} : commencez petit, une publication par semaine, et tenez le rythme trois mois.",
]
RELAY = [
    "{S}. Lisez notre article : {u}",
    "Nouvel article sur notre blog : {s}, pas à pas. {u}",
    "À lire cette semaine sur le blog, comment {s} : {u}",
]
QUESTION = [
    "{S} : qu'est-ce qui vous bloque ? Partagez vos questions en commentaire.",
    "Vous voulez {s} ? Partagez vos questions en commentaire, on y répond jeudi.",
]
BEHIND = [
    "Ce que nos stagiaires ont appris sur l'art de {s}.",
    "Merci à toutes les personnes venues échanger avec nous sur l'art de {s} !",
    "Dans les coulisses : notre équipe a testé une autre façon de {s}.",
]
JOB_ADS = [
    "Nous recrutons un·e chargé·e de communication digitale en CDI à Saint-Étienne. "
    "Envoyez votre candidature à recrutement@conseil-loire.example",
    "Offre d'alternance : assistant·e community manager, rentrée de septembre, deux "
    "jours à l'agence et trois à l'école. Postulez avant le 30 avril.",
    "On recrute ! Consultant·e réseaux sociaux H/F, CDI temps plein, poste basé à Roanne. "
    "Détails et candidature : https://conseil-loire.example/emploi",
    "Stage de six mois en stratégie de contenu à pourvoir dès février. Vous aimez écrire "
    "et comprendre les PME ? Envoyez CV et lettre.",
    "Notre équipe s'agrandit : nous cherchons un·e graphiste en CDD de 8 mois pour nos "
    "clients industriels. Candidatures ouvertes jusqu'au 15 juin.",
    "Poste à pourvoir : chef·fe de projet social media (CDI, 38 k€ brut annuel, "
    "télétravail deux jours). Postulez via le lien https://conseil-loire.example/emploi",
    "Recherche formateur·rice indépendant·e pour nos sessions en entreprise, missions à "
    "la journée en Auvergne-Rhône-Alpes. Écrivez-nous à jobs@conseil-loire.example",
    "We're hiring: an English-speaking content writer (freelance, remote) to work on our "
    "clients' export pages. Apply at https://conseil-loire.example/jobs",
]


def texts() -> list[tuple[str, str]]:
    """The 60 posts' texts in publishing order, each with its true category: a job ad
    every eighth post (positions 0, 8, …, 56), value posts otherwise."""
    forms = [(f, "advice") for f in ADVICE] + [(f, "relay") for f in RELAY]
    forms += [(f, "question") for f in QUESTION] + [(f, "behind") for f in BEHIND]
    value: list[str] = []
    k = 0
    while len(value) < 52:
        form, _ = forms[k % len(forms)]
        subject, slug = SUBJECTS[(k + k // len(forms)) % len(SUBJECTS)]
        text = form.format(s=subject, S=subject[0].upper() + subject[1:], u=f"{BLOG}/{slug}")
        if text not in value:
            value.append(text)
        k += 1
    out: list[tuple[str, str]] = []
    ads = iter(JOB_ADS)
    values = iter(value)
    for i in range(60):
        out.append((next(ads), "recruiting") if i % 8 == 0 else (next(values), "value"))
    return out


def posts() -> list[Post]:
    """The account as posts, one every three days."""
    return [
        Post(
            id=f"{AUTHOR}-{i}",
            network="linkedin",
            author=AUTHOR,
            text=text,
            created_at=START + timedelta(days=3 * i),
        )
        for i, (text, _) in enumerate(texts())
    ]
