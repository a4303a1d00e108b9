"""Write src/veilleur/demo/corpus.jsonl: the demo corpus, written for the project.

    .venv/bin/python scripts/make_demo_corpus.py

Seeded, so the same file comes out every time. Every text below was written for veilleur on
the themes of its method: an industrial SME's presence on LinkedIn (for the audit), and a watch
on recruitment and employment in France (for the digest): a syndicated press release, a
cross-post, "RT" copies, truncations, look-alike job ads that are not duplicates, a rising
hashtag, accounts that matter.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "veilleur" / "demo" / "corpus.jsonl"
rng = random.Random(2026)
records: list[dict[str, object]] = []


def add(network: str, author: str, text: str, when: datetime, **extra: object) -> str:
    n = len(records) + 1
    post_id = str(extra.pop("id", f"demo-{n:04d}"))
    record: dict[str, object] = {
        "id": post_id,
        "network": network,
        "author": author,
        "text": text,
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    record.update({k: v for k, v in extra.items() if v is not None})
    records.append(record)
    return post_id


def counts(high: bool = False) -> dict[str, int]:
    top = 300 if high else 60
    return {
        "likes": rng.randint(0, top),
        "reposts": rng.randint(0, top // 4),
        "replies": rng.randint(0, top // 10),
    }


def at(day: datetime, hour: int) -> datetime:
    return day.replace(hour=hour, minute=rng.randint(0, 59))


# --- 1. Dupont Usinage on LinkedIn: an SME whose feed the audit reviews -------------------

DUPONT_VALUE = [
    "Usinage 5 axes : comment nous réalisons en une seule prise des pièces de structure pour "
    "l'aéronautique. Moins de reprises, moins d'erreurs, des délais tenus. #Usinage5Axes",
    "Le titane ne pardonne rien : vitesse de coupe, lubrification, usure des outils. Notre "
    "régleur Karim explique ses choix sur une pièce de train d'atterrissage. #UsinageDePrécision",
    "Contrôle qualité : chaque série passe sur notre machine tridimensionnelle (MMT). Voici "
    "comment nous mesurons une tolérance de 5 microns.",
    "Portrait d'apprenti : Léa, 19 ans, prépare son bac pro technicien d'usinage chez nous. "
    "Elle raconte sa première pièce conforme du premier coup.",
    "Visite d'atelier : nos clients de l'aéronautique découvrent la nouvelle cellule robotisée "
    "qui charge les centres d'usinage la nuit.",
    "Retour sur le salon Global Industrie : trois jours d'échanges sur l'usinage de précision, "
    "le médical et la relocalisation de la sous-traitance.",
    "Pièces pour le médical : implants et ancillaires demandent une traçabilité complète. "
    "Comment nous la garantissons, de la barre de matière à l'expédition.",
    "Savoir-faire : le réglage d'un tour multi-axes en images, pas à pas, par notre chef "
    "d'atelier.",
    "Pourquoi nous investissons dans la mesure en cours d'usinage : détecter une dérive avant "
    "qu'elle ne coûte une pièce en titane.",
    "Aéronautique : la montée en cadence des programmes civils demande des sous-traitants "
    "fiables. Notre organisation en équipes pour tenir les délais.",
    "Nos opérateurs forment les nouveaux arrivants pendant trois mois en binôme : la "
    "transmission du geste reste notre meilleure assurance qualité.",
    "Usinage de l'Inconel : un matériau exigeant pour les pièces chaudes des moteurs. Nos "
    "retours d'expérience sur les outils céramique.",
    "Certification EN 9100 renouvelée : merci à toute l'équipe qualité pour ce travail de "
    "fond. #Aéronautique #Qualité",
    "Une pièce, une histoire : ce support de capteur médical a demandé six semaines de mise "
    "au point et zéro retouche depuis.",
    "Précision : ce que veut dire « 5 microns » dans un atelier où la température varie. "
    "Nous climatisons la salle de métrologie à 20 °C.",
    "Relocalisation : deux clients ont rapatrié en Haute-Loire des pièces usinées en Asie. "
    "Délai divisé par quatre, qualité suivie au jour le jour.",
    "Sécurité au poste : nos carters et la formation des opérateurs ont permis 500 jours sans "
    "accident. Bravo à tous !",
    "Le médical exige une propreté irréprochable : notre nouvelle ligne de lavage des pièces "
    "usinées en images.",
    "Programmation FAO : comment nous préparons un programme 5 axes pour qu'il tourne du "
    "premier coup sur la machine.",
    "Matière : titane, aluminium aéronautique, inox médical. Ce que chacun change dans notre "
    "façon d'usiner.",
    "Les coulisses d'une première pièce aéronautique : rapport FAI, cotation, validation client.",
    "Économie d'énergie : nos centres d'usinage se mettent en veille automatiquement, 12 % de "
    "consommation en moins sur l'année.",
    "Journée portes ouvertes pour les collégiens du Puy-en-Velay : faire découvrir les métiers "
    "de l'usinage, c'est préparer l'industrie de demain.",
    "L'aéronotique et le médical partagent une exigence : la précisions documentée. Retour "
    "sur notre méthode.",
    "Entretien préventif : pourquoi nous arrêtons chaque machine une demi-journée par mois.",
    "Usinage grande vitesse sur aluminium : état de surface, vibrations, choix des fraises.",
    "Nos régleurs partagent leurs astuces : le bon bridage fait la moitié de la précision.",
    "Innovation : essai d'un outil à plaquettes à arrosage central sur titane, durée de vie "
    "doublée.",
    "Qualité : nous publions nos indicateurs de non-conformité chaque trimestre, en interne "
    "et à nos clients.",
    "Du plan à la pièce : la lecture de cotation GPS expliquée par notre méthodiste.",
    "#usinagedeprecision : nos pièces de 3 mm à 600 mm, toutes contrôlées à 100 %.",
    "Les femmes dans l'industrie : Sandrine, programmeuse FAO depuis quinze ans, raconte son "
    "parcours.",
    "Salon Midest : nous y présentons nos pièces médicales en titane, stand B12.",
]
DUPONT_PROMO = [
    "On recrute ! Régleur CN H/F en CDI, équipe de jour. Postulez dès maintenant : "
    "https://dupont-usinage.example/emploi #recrutement",
    "Offre spéciale : -15 % sur les prototypes usinés commandés avant le 30 juin. Contactez "
    "notre service commercial.",
    "Rejoignez notre équipe : nous cherchons un opérateur sur centre d'usinage 5 axes H/F, CDI.",
    "Alternance 2026 : deux places de technicien d'usinage ouvertes. Candidatez avant le 15 mai.",
    "Nous recrutons un contrôleur qualité H/F (CDI, Haute-Loire). Envoyez votre CV !",
    "Promo sur nos délais express : pièce unitaire usinée en 5 jours ouvrés, devis sous 24 h.",
    "Recrutement : tourneur-fraiseur H/F, CDI, salaire selon expérience. Postulez ici : "
    "https://dupont-usinage.example/emploi",
    "ON RECRUTE !!! Trois opérateurs de production en CDI, formation assurée !!!",
    "Découvrez notre offre de sous-traitance clé en main : usinage, traitement, contrôle. "
    "Demandez votre devis gratuit.",
    "Job dating le 12 septembre à l'usine : venez avec votre CV, entretiens sur place. "
    "#emploi #HauteLoire",
    "Offre d'emploi : programmeur FAO H/F en CDI. Rejoignez une équipe passionnée !",
    "Nouveau : notre catalogue de pièces standard est en ligne, commandez en quelques clics.",
    "Nous recrutons des intérimaires pour la rentrée : opérateurs régleurs, postulez vite.",
    "-20 % sur la mise en service des séries lancées en octobre : profitez de l'offre !",
    "Vous cherchez un CDI dans l'industrie ? Candidatez chez Dupont Usinage, nous formons.",
    "Embauche : un technicien méthodes H/F pour accompagner notre croissance. CDI.",
    "Rejoignez-nous : régleur de nuit H/F, prime d'équipe, CDI après période d'essai.",
    "Dernière chance pour notre offre prototypes : -15 % jusqu'à vendredi.",
    "Stage de fin d'études : ingénieur industrialisation H/F, six mois. Postulez !",
    "On recrute encore ! Opérateur CN H/F, débutant accepté, formation interne.",
    "Offre découverte : premier lot de 10 pièces usinées au prix de 8.",
    "Recrutement en cours : chef d'équipe usinage H/F, CDI, Haute-Loire.",
    "Candidatez : apprentis chaudronniers et usineurs bienvenus pour la rentrée 2026.",
    "Soldes d'automne sur l'usinage de petites séries : devis gratuit sous 48 h.",
]
DUPONT_OFF_TOPIC = [
    "Quel match hier soir au stade ! Bravo au club de foot du Puy, l'équipe de l'atelier était "
    "en tribune.",
    "Bonnes vacances à toutes et à tous, on se retrouve à la rentrée !",
    "Joyeux anniversaire à notre doyen, Michel, 40 ans de maison !",
]


def dupont_dates() -> list[datetime]:
    """Irregular: busy weeks, quiet weeks, a summer silence of about five weeks."""
    days: list[datetime] = []
    day = datetime(2026, 5, 1, tzinfo=UTC)
    end = datetime(2026, 10, 31, tzinfo=UTC)
    while day <= end:
        if datetime(2026, 7, 10, tzinfo=UTC) <= day < datetime(2026, 8, 17, tzinfo=UTC):
            day += timedelta(days=1)
            continue
        busy = day.isocalendar().week % 3 == 0
        if day.weekday() < 5 and rng.random() < (0.95 if busy else 0.6):
            days.append(at(day, rng.choice([8, 9, 12])))
            if busy and rng.random() < 0.5:
                days.append(at(day, rng.choice([17, 18])))
        day += timedelta(days=1)
    return days


def build_dupont() -> None:
    texts = [(t, "value") for t in DUPONT_VALUE]
    texts += [(t, "promo") for t in DUPONT_PROMO]
    texts += [(t, "off") for t in DUPONT_OFF_TOPIC]
    rng.shuffle(texts)
    dates = sorted(rng.sample(dupont_dates(), len(texts)))
    for i, ((text, _kind), when) in enumerate(zip(texts, dates, strict=True)):
        media = None
        if i % 4 == 0:
            item: dict[str, str] = {"url": f"https://example.org/dupont/{i}.jpg"}
            if i % 8 == 0:
                item["alt"] = "Un opérateur règle un centre d'usinage dans l'atelier."
            media = [item]
        add(
            "linkedin",
            "dupont-usinage",
            text,
            when,
            author_name="Dupont Usinage",
            lang="fr",
            url=f"https://www.linkedin.com/feed/update/urn:li:activity:7{i:05d}",
            media=media,
            **counts(),
        )


MARTIN_VALUE = [
    "Mécanique de précision : la rectification cylindrique expliquée en trois images.",
    "Tolérances serrées : notre méthode pour tenir ± 3 µm sur des axes en inox.",
    "L'usinage de pièces de rechange pour des machines anciennes : un savoir-faire rare.",
    "Notre tourneur Paul a 30 ans de métier : ses conseils pour lire un plan.",
    "Métrologie : pourquoi nous étalonnons nos instruments chaque trimestre.",
    "Visite de nos élèves ingénieurs : découvrir l'usinage par la pratique.",
    "Fraisage de l'aluminium : le choix du lubrifiant change tout.",
    "Petites séries : comment nous passons du prototype à la production sans perdre la cote.",
    "Mécanique de précision et médical : la propreté des pièces, étape par étape.",
    "Le filetage à l'outil : un geste que nous transmettons encore à nos apprentis.",
    "Usinage et environnement : nous recyclons 100 % de nos copeaux métalliques.",
    "Un défi client : une pièce en bronze de 2 mètres, usinée en une journée.",
]


def build_martin() -> None:
    day = datetime(2026, 5, 5, 9, tzinfo=UTC)
    for i in range(26):
        add(
            "linkedin",
            "atelier-martin",
            MARTIN_VALUE[i % len(MARTIN_VALUE)] + ("" if i < 12 else " (suite)"),
            at(day + timedelta(weeks=i), 9),
            author_name="Atelier Martin",
            lang="fr",
            **counts(),
        )


# --- 2. The watch on recruitment and employment: three weeks up to 1 November 2026 --------

START = datetime(2026, 10, 12, tzinfo=UTC)
LAST = datetime(2026, 11, 1, tzinfo=UTC)


def watch_day(i: int) -> datetime:
    return START + timedelta(days=i)


def build_press_release() -> None:
    """One press release picked up by five sites, with the URL's variants."""
    title = "Semaine de l'emploi : 3 000 offres et 40 ateliers en Auvergne-Rhône-Alpes"
    body = (
        "La Semaine de l'emploi se tiendra du 2 au 6 novembre dans toute la région. Plus de "
        "3 000 offres seront proposées par 400 entreprises, de l'industrie aux services, et 40 "
        "ateliers aideront les candidats à préparer leur CV et leurs entretiens. Les "
        "organisateurs veulent rapprocher les PME qui peinent à recruter des personnes qui "
        "cherchent un emploi près de chez elles."
    )
    base = "https://actu-emploi.example/2026/10/semaine-emploi-3000-offres"
    variants = [
        ("actu-emploi.example", base, body),
        ("lejournal-eco.example", base + "?utm_source=twitter&utm_medium=social", body),
        ("www.info-region.example", base.replace("https://", "https://www."),
         body + " L'entrée est libre."),
        ("m.actu-mobile.example", base.replace("https://", "https://m."), body),
        ("amp.presse.example", base + "/amp/", body[:180].rsplit(" ", 1)[0] + " …"),
    ]  # fmt: skip
    for k, (site, url, text) in enumerate(variants):
        add(
            "rss",
            site,
            text,
            at(watch_day(16), 7 + k),
            title=title,
            url=url,
            lang="fr",
            source=f"flux {site}",
        )


def build_cross_post() -> None:
    text = (
        "Mon conseil du jour pour recruter sans en avoir l'air : racontez vos métiers avant "
        "de publier vos offres. Les candidats suivent les entreprises qui leur apprennent "
        "quelque chose. Avec {mention}, nous en parlons jeudi."
    )
    for network, author, mention in [
        ("x", "marie_dupont", "@agence_rh"),
        ("mastodon", "marie@mastodon.social", "@agence_rh@piaille.fr"),
        ("bluesky", "mariedupont.bsky.social", "@agence-rh.bsky.social"),
    ]:
        add(
            network,
            author,
            text.format(mention=mention),
            at(watch_day(15), 10),
            author_name="Marie Dupont",
            lang="fr",
            **counts(high=True),
        )


def build_retweets() -> str:
    original_text = (
        "Étude : 62 % des PME industrielles ont renoncé à un recrutement cette année faute de "
        "candidats. Les réseaux sociaux locaux deviennent leur premier canal d'embauche. "
        "#recrutement"
    )
    original = add(
        "x",
        "observatoire_emploi",
        original_text,
        at(watch_day(13), 9),
        id="1850000000000000001",
        author_name="Observatoire de l'emploi",
        lang="fr",
        url="https://x.com/observatoire_emploi/status/1850000000000000001",
        likes=412,
        reposts=188,
        replies=37,
    )
    for k in range(7):
        add(
            "x",
            f"lecteur_{k + 1}",
            f"RT @observatoire_emploi: {original_text}",
            at(watch_day(13 + k // 3), 11 + k),
            lang="fr",
            repost_of=original,
        )
    for k in range(3):
        add(
            "x",
            f"rh_{k + 1}",
            original_text[:197].rsplit(" ", 1)[0] + "…",
            at(watch_day(14), 15 + k),
            lang="fr",
            **counts(),
        )
    return original


def build_job_ads() -> None:
    """One template, different jobs and cities: alike, but not the same post."""
    jobs = [
        ("un·e développeur·se Python", "Lyon"),
        ("un·e développeur·se Java", "Nantes"),
        ("un·e technicien·ne de maintenance", "Clermont-Ferrand"),
        ("un·e comptable", "Saint-Étienne"),
        ("un·e chargé·e de communication", "Grenoble"),
    ]
    for k, (job, city) in enumerate(jobs):
        add(
            "linkedin",
            "cabinet-talents",
            f"Nous recrutons {job} à {city}, CDI, télétravail partiel. Postulez sur notre site. "
            "#recrutement #emploi",
            at(watch_day(5 + 3 * k), 8),
            author_name="Cabinet Talents",
            lang="fr",
            **counts(),
        )


def build_story_in_other_words() -> None:
    url = "https://presse-eco.example/france-travail-reseaux-sociaux"
    texts = [
        ("france_travail_fan", "x",
         "France Travail va publier ses offres directement sur les réseaux sociaux locaux à "
         f"partir de janvier. {url}?utm_source=x"),
        ("emploi-lyon.bsky.social", "bluesky",
         "Les offres de France Travail bientôt diffusées dans les groupes locaux des réseaux "
         f"sociaux : une petite révolution pour les PME. {url}"),
        ("veille_rh@mastodon.social", "mastodon",
         f"France Travail mise sur les réseaux sociaux pour ses offres d'emploi. {url}?ref=rss"),
        ("journaliste_eco", "x",
         "Janvier : France Travail diffusera ses annonces sur les réseaux sociaux. Bonne idée "
         "pour l'emploi local, à condition de modérer les groupes."),
    ]  # fmt: skip
    for k, (author, network, text) in enumerate(texts):
        add(network, author, text, at(watch_day(18), 9 + k), lang="fr", **counts(high=k == 0))


CLOSINGS = [
    "Entrée libre.",
    "Venez nombreux !",
    "Programme complet sur notre site.",
    "Inscription gratuite en mairie.",
    "Partagez autour de vous.",
    "Au Puy-en-Velay, à Yssingeaux et à Brioude.",
    "Avec France Travail et la CCI.",
    "Les entreprises du bassin vous attendent.",
    "Pensez à apporter plusieurs CV.",
    "Accessible en transports en commun.",
    "Rendez-vous dès 9 h.",
    "Ouvert aux jeunes comme aux seniors.",
]


def build_rising_hashtag() -> None:
    phrases = [
        "Programme de la #SemaineDeLEmploi : ateliers CV le lundi, job dating le jeudi.",
        "Nous serons au forum de la #SemaineDeLEmploi à Clermont, venez nous voir.",
        "#SemaineDeLEmploi : 40 ateliers gratuits pour préparer vos entretiens.",
        "Les PME de la Loire ouvrent leurs portes pendant la #SemaineDeLEmploi.",
        "Inscriptions ouvertes aux visites d'entreprises de la #SemaineDeLEmploi.",
        "Recruteurs, préparez vos offres : la #SemaineDeLEmploi commence lundi.",
        "Jeunes diplômés, la #SemaineDeLEmploi est faite pour vous : 3 000 offres.",
    ]
    authors = ["mairie_lepuy", "cci_auvergne", "asso_insertion", "lycee_pro_loire", "pme_velay",
               "agence_interim", "emploi_local"]  # fmt: skip
    for day in range(20):
        per_day = 1 if day < 17 else 12
        for k in range(per_day):
            add(
                rng.choice(["x", "mastodon", "bluesky"]),
                rng.choice(authors),
                phrases[(day + k) % len(phrases)] + " " + rng.choice(CLOSINGS),
                at(watch_day(day), 8 + k % 10),
                lang="fr",
                **counts(),
            )


def build_experts() -> None:
    """Accounts that post on the theme all through the period, each with its own words, and
    are cited by others. Marie Dupont posts the same text on X and Mastodon (a cross-post)."""
    experts: list[tuple[list[tuple[str, str]], str, list[str]]] = [
        (
            [("x", "marie_dupont"), ("mastodon", "marie@mastodon.social")],
            "Marie Dupont",
            [
                "La marque employeur commence par les salariés : ce sont eux que les "
                "candidats lisent.",
                "Une offre d'emploi sans salaire affiché perd la moitié de ses candidats.",
                "Cooptation : vos salariés sont vos meilleurs recruteurs, à condition de les "
                "outiller.",
                "Recruter sans en avoir l'air : montrez le métier, pas l'annonce.",
                "Le meilleur moment pour publier une offre ? Quand l'équipe peut répondre "
                "aux questions dans l'heure.",
                "Trois mois après l'embauche, demandez aux nouveaux ce qui les a décidés : "
                "vous saurez où recruter.",
            ],
        ),
        (
            [("x", "agence_rh")],
            "Agence RH Conseil",
            [
                "Recruter des profils peu qualifiés : les groupes Facebook locaux restent "
                "imbattables.",
                "Nos chiffres du trimestre : une offre partagée par les salariés reçoit trois "
                "fois plus de candidatures.",
                "Job dating en usine : la visite vaut mieux que dix entretiens.",
                "Les PME qui répondent à chaque candidat sous 48 h recrutent deux fois plus vite.",
                "Intérim ou CDI d'emblée ? Notre retour d'expérience dans l'industrie.",
            ],
        ),
        (
            [("bluesky", "sociologue-travail.bsky.social")],
            "Claire Martin",
            [
                "Le recrutement d'experts très pointus passe par X et LinkedIn, rarement par "
                "les jobboards.",
                "Enquête : les jeunes ouvriers qualifiés cherchent d'abord des horaires "
                "stables, ensuite le salaire.",
                "La mobilité géographique freine plus l'emploi industriel que la qualification.",
                "Lire les offres d'emploi d'un bassin, c'est lire son économie.",
            ],
        ),
        (
            [("linkedin", "jean-recruteur")],
            "Jean Moreau",
            [
                "Entretien d'embauche : trois questions à ne plus poser en 2026.",
                "L'alternance reste la meilleure porte d'entrée vers l'emploi industriel.",
                "Un bon intitulé de poste vaut mieux qu'un long descriptif.",
                "Candidats seniors : l'expérience se recrute aussi, et elle reste.",
                "Ce que j'ai appris en recrutant 40 techniciens de maintenance cette année.",
            ],
        ),
    ]
    for accounts, name, sentences in experts:
        step = 19 / len(sentences)
        for k, sentence in enumerate(sentences):
            when = at(watch_day(int(k * step) + rng.randint(0, 1)), rng.randint(7, 19))
            for network, author in accounts:
                add(network, author, sentence, when, author_name=name, lang="fr",
                    **counts(high=True))  # fmt: skip
    citations = [
        ("consultante_rh", "@marie_dupont", "Très juste, {t}, sur la marque employeur en PME."),
        ("dirigeant_pme", "@agence_rh", "Merci {t} pour ce retour : on essaie le job dating."),
        ("etudiante_rh", "@marie_dupont", "À lire absolument, le fil de {t} sur la cooptation."),
        ("coach_emploi", "@jean-recruteur", "D'accord avec {t} : l'alternance ouvre des portes."),
        ("consultante_rh", "@agence_rh", "Les chiffres de {t} confirment ce qu'on voit."),
        ("dirigeant_pme", "@marie_dupont", "Conseil de {t} appliqué : trois candidatures de plus."),
        ("coach_emploi", "@sociologue-travail.bsky.social", "L'enquête de {t} est éclairante."),
        ("etudiante_rh", "@jean-recruteur", "Merci {t} pour ces questions d'entretien."),
    ]
    for k, (citer, target, text) in enumerate(citations):
        add("x", citer, text.format(t=target), at(watch_day(3 + 2 * k), 12), lang="fr",
            **counts())  # fmt: skip


def build_english_and_off_topic() -> None:
    english = [
        ("x", "hr_insights", "Hiring in manufacturing: small firms now recruit first through "
         "local social groups, not job boards. #hiring"),
        ("bluesky", "worktrends.bsky.social", "Strategic watch tip: follow the people who "
         "write the job ads, not only the companies. #recruitment"),
        ("mastodon", "talent@fosstodon.org", "Employer branding works when employees tell "
         "their own stories. Hiring managers, take note."),
        ("x", "hr_insights", "Skills-based hiring is rising across Europe: fewer diploma "
         "requirements, more work samples. #hiring"),
    ]  # fmt: skip
    for k, (network, author, text) in enumerate(english):
        add(network, author, text, at(watch_day(4 + 4 * k), 14), lang="en", **counts())
    off_topic = [
        ("x", "meteo_velay", "Premières gelées attendues cette nuit sur le plateau."),
        ("mastodon", "cuisine@piaille.fr", "Recette de saison : la soupe aux lentilles vertes "
         "du Puy."),
        ("bluesky", "rando43.bsky.social", "Randonnée au mont Mézenc ce dimanche, départ 9 h."),
        ("x", "club_lecture", "Notre sélection de romans pour les longues soirées d'automne."),
    ]  # fmt: skip
    for k, (network, author, text) in enumerate(off_topic):
        add(network, author, text, at(watch_day(2 + 5 * k), 19), lang="fr", **counts())


def main() -> None:
    build_dupont()
    build_martin()
    build_press_release()
    build_cross_post()
    build_retweets()
    build_job_ads()
    build_story_in_other_words()
    build_rising_hashtag()
    build_experts()
    build_english_and_off_topic()
    records.sort(key=lambda r: (str(r["created_at"]), str(r["id"])))
    with OUT.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} posts written to {OUT}")


if __name__ == "__main__":
    main()
