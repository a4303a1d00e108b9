"""The watch's evaluation set: French and English posts with known duplicate groups and stories.

Written for veilleur. Every seed text below was written by hand for this set; a seeded
generator (:func:`build`) turns each into what a watch really receives — the original, its
"RT @…" copies, a cross-post on another network (mentions written the other network's way),
copies cut with « … », syndicated articles with tracking parameters and www./m./AMP URLs,
"via @site" credits — and adds, for each story, posts telling it in other words (same story,
not duplicates) and look-alikes built from one template with other slot values (neither the
same duplicate group nor the same story).

Labels: ``dup`` (near-duplicate group) and ``story``. Pairwise precision/recall is computed
by benchmarks/watch_bench.py; ``--write FILE`` saves the set as JSONL (posts with two extra
fields, ``dup`` and ``story``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from veilleur.model import Post

START = datetime(2026, 9, 1, 8, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Seed:
    lang: str
    author: str
    text: str
    retellings: tuple[str, ...] = ()  # the same story in other words
    title: str | None = None  # an article: syndicated by several sites
    url: str | None = None
    sites: tuple[str, ...] = ()


SEEDS: tuple[Seed, ...] = (
    Seed(
        "fr",
        "observatoire_emploi",
        "Étude : 62 % des PME industrielles ont renoncé à un recrutement cette année faute de "
        "candidats. Les réseaux sociaux locaux deviennent leur premier canal d'embauche.",
        (
            "Six PME industrielles sur dix n'ont pas trouvé les candidats qu'elles cherchaient : "
            "l'observatoire constate qu'elles recrutent désormais d'abord via les groupes locaux.",
            "Pénurie de candidats dans l'industrie : les PME se tournent vers les réseaux sociaux "
            "de leur territoire pour recruter, montre l'étude annuelle de l'observatoire.",
        ),
    ),
    Seed(
        "fr",
        "actu_emploi",
        "La Semaine de l'emploi se tiendra du 2 au 6 novembre dans toute la région. Plus de 3 000 "
        "offres seront proposées par 400 entreprises, et 40 ateliers aideront les candidats à "
        "préparer leur CV et leurs entretiens.",
        (
            "3 000 offres, 400 entreprises et 40 ateliers : le programme de la Semaine de l'emploi "
            "début novembre est en ligne.",
        ),
        title="Semaine de l'emploi : 3 000 offres et 40 ateliers dans la région",
        url="https://actu-emploi.example/2026/10/semaine-emploi-3000-offres",
        sites=(
            "actu-emploi.example",
            "lejournal-eco.example",
            "info-region.example",
            "presse-locale.example",
        ),
    ),
    Seed(
        "fr",
        "marie_dupont",
        "Mon conseil du jour pour recruter sans en avoir l'air : racontez vos métiers avant de "
        "publier vos offres. Les candidats suivent les entreprises qui leur apprennent quelque "
        "chose. Avec @agence_rh, nous en parlons jeudi.",
        (
            "Recruter commence bien avant l'offre : montrer les métiers, expliquer le travail, "
            "c'est ce qui attire les candidats. Marie Dupont en parle jeudi avec l'Agence RH.",
        ),
    ),
    Seed(
        "fr",
        "france_travail_info",
        "France Travail va publier ses offres directement dans les groupes locaux des réseaux "
        "sociaux à partir de janvier, pour toucher les candidats qui ne consultent jamais son "
        "site.",
        (
            "Dès janvier, les annonces de France Travail seront diffusées sur les réseaux sociaux, "
            "dans les groupes de quartier et de commune.",
            "France Travail mise sur les groupes Facebook locaux pour ses offres d'emploi : "
            "une expérimentation commence en janvier.",
        ),
        title="France Travail diffusera ses offres sur les réseaux sociaux",
        url="https://presse-eco.example/france-travail-reseaux-sociaux",
        sites=("presse-eco.example", "rh-info.example", "quotidien.example"),
    ),
    Seed(
        "fr",
        "ville_lepuy",
        "Le forum de l'alternance aura lieu samedi au centre des congrès du Puy-en-Velay : "
        "soixante entreprises y recrutent des apprentis du CAP au diplôme d'ingénieur.",
        (
            "Soixante entreprises, des CAP aux écoles d'ingénieurs : rendez-vous samedi au centre "
            "des congrès pour le forum de l'alternance.",
        ),
    ),
    Seed(
        "fr",
        "cci_auvergne",
        "La CCI lance un programme gratuit pour aider les artisans à publier leurs offres "
        "d'emploi sur LinkedIn et Facebook : six ateliers de deux heures, inscriptions ouvertes.",
        (
            "Artisans : la chambre de commerce vous forme gratuitement à recruter sur les réseaux "
            "sociaux, en six ateliers courts.",
        ),
    ),
    Seed(
        "fr",
        "sociologue_travail",
        "Une offre d'emploi sans salaire affiché perd près de la moitié de ses candidats : les "
        "chiffres de notre enquête auprès de 5 000 demandeurs d'emploi sont sans appel.",
        (
            "Afficher le salaire double presque le nombre de candidatures, selon une enquête menée "
            "auprès de cinq mille demandeurs d'emploi.",
        ),
    ),
    Seed(
        "fr",
        "usine_velay",
        "Notre usine du Velay embauche quarante opérateurs en CDI d'ici l'été, avec une "
        "formation de trois mois assurée sur place. Portes ouvertes le 14 mars.",
        (
            "Quarante CDI à pourvoir à l'usine du Velay : formation interne de trois mois, "
            "journée portes ouvertes mi-mars.",
        ),
        title="L'usine du Velay recrute quarante opérateurs",
        url="https://www.journal-velay.example/economie/usine-velay-recrute-40-operateurs.html",
        sites=("journal-velay.example", "eco-auvergne.example", "info-region.example"),
    ),
    Seed(
        "fr",
        "agence_rh",
        "Entretien d'embauche : trois questions à ne plus poser en 2026, et ce qu'il faut "
        "demander à la place pour connaître vraiment un candidat.",
        (
            "Les questions d'entretien qui ne servent plus à rien, et celles qui révèlent le "
            "mieux un candidat : notre guide 2026.",
        ),
    ),
    Seed(
        "fr",
        "lycee_pro_loire",
        "Nos élèves de bac pro usinage ont tous trouvé une entreprise pour leur alternance cette "
        "année : merci aux trente partenaires industriels qui leur font confiance.",
        (),
    ),
    Seed(
        "fr",
        "meteo_emploi",
        "Le taux de chômage de la région recule au troisième trimestre, porté par l'industrie "
        "et les services à la personne, selon les chiffres publiés ce matin par l'Insee.",
        (
            "Bonne nouvelle pour l'emploi régional : moins de chômeurs au troisième trimestre, "
            "grâce à l'industrie et aux services à la personne.",
        ),
        title="Le chômage recule dans la région au troisième trimestre",
        url="https://www.insee-region.example/chomage-t3?at_medium=rss&at_campaign=flux",
        sites=("insee-region.example", "lejournal-eco.example"),
    ),
    Seed(
        "fr",
        "startup_lyon",
        "Nous ouvrons notre deuxième bureau à Lyon et recrutons quinze développeurs, "
        "designers et chargés de clientèle d'ici décembre. Toutes les offres sont sur notre site.",
        (),
    ),
    Seed(
        "fr",
        "syndicat_metallurgie",
        "Accord signé dans la métallurgie : les salaires minimaux augmentent de 4 % au 1er "
        "janvier et une prime d'ancienneté est créée pour les ouvriers qualifiés.",
        (
            "Métallurgie : +4 % sur les minima dès janvier et une nouvelle prime d'ancienneté, "
            "prévoit l'accord signé hier.",
        ),
    ),
    Seed(
        "fr",
        "coach_emploi",
        "Votre profil LinkedIn est votre première lettre de motivation : une photo récente, un "
        "titre qui dit ce que vous cherchez, trois expériences détaillées. Le reste attendra.",
        (),
    ),
    Seed(
        "fr",
        "mairie_clermont",
        "Job dating géant place de Jaude mercredi de 10 h à 17 h : cent recruteurs, aucun CV "
        "exigé, des entretiens de dix minutes pour décrocher un emploi saisonnier.",
        (
            "Cent recruteurs sans rendez-vous ni CV mercredi à Clermont : le job dating de la "
            "place de Jaude revient pour les emplois saisonniers.",
        ),
    ),
    Seed(
        "fr",
        "dirigeante_pme",
        "Nous avons supprimé la lettre de motivation de nos recrutements il y a un an. "
        "Résultat : deux fois plus de candidatures, et des profils que nous n'aurions jamais vus.",
        (),
    ),
    Seed(
        "fr",
        "journal_rh",
        "Télétravail : un salarié sur trois dit qu'il quitterait son entreprise si elle "
        "supprimait les jours à distance, d'après le baromètre publié ce mardi.",
        (
            "Un tiers des salariés prêts à démissionner si le télétravail disparaît, selon un "
            "baromètre paru mardi.",
        ),
        title="Un salarié sur trois partirait sans télétravail",
        url="https://journal-rh.example/barometre-teletravail-2026?utm_source=newsletter",
        sites=("journal-rh.example", "rh-info.example", "quotidien.example"),
    ),
    Seed(
        "fr",
        "asso_insertion",
        "Notre chantier d'insertion cherche des bénévoles pour accompagner vingt jeunes dans "
        "leur recherche d'emploi : une heure par semaine suffit pour changer un parcours.",
        (),
    ),
    Seed(
        "fr",
        "ecole_numerique",
        "Formation gratuite de développeur web en six mois, ouverte aux demandeurs d'emploi sans "
        "diplôme : la prochaine promotion démarre en février, candidatures jusqu'au 15 janvier.",
        (
            "Devenir développeur web en six mois sans diplôme : l'école rouvre ses candidatures "
            "pour la promotion de février.",
        ),
    ),
    Seed(
        "fr",
        "cabinet_conseil",
        "La marque employeur ne se décrète pas dans un service communication : ce sont les "
        "salariés qui la portent, et les candidats les lisent bien plus que vos pages carrières.",
        (),
    ),
    Seed(
        "fr",
        "region_aura",
        "La région finance 2 000 places supplémentaires en formation aux métiers de l'industrie "
        "et du soin, avec une rémunération pour les stagiaires demandeurs d'emploi.",
        (
            "Deux mille nouvelles places de formation dans l'industrie et le soin, rémunérées, "
            "annonce la région.",
        ),
        title="2 000 places de formation en plus pour l'industrie et le soin",
        url="https://m.region-aura.example/actualites/formation-2000-places/amp/",
        sites=("region-aura.example", "eco-auvergne.example"),
    ),
    Seed(
        "fr",
        "transport_local",
        "Pour aller travailler dans les zones industrielles, la navette gratuite du matin est "
        "prolongée jusqu'en juin : départs à 5 h 30 et 6 h 15 depuis la gare.",
        (),
    ),
    Seed(
        "en",
        "hr_insights",
        "Hiring in manufacturing: small firms now recruit first through local social groups, "
        "not job boards, according to a survey of 800 plant managers across Europe.",
        (
            "Plant managers say local community groups on social media beat job boards for "
            "factory hiring, an 800-firm European survey finds.",
        ),
    ),
    Seed(
        "en",
        "worktrends",
        "Skills-based hiring is rising across Europe: fewer diploma requirements, more work "
        "samples and paid trial days, especially in tech and logistics companies.",
        (
            "Employers in tech and logistics are dropping degree requirements in favour of work "
            "samples and paid trial days, a European trend report shows.",
        ),
        title="Skills-based hiring spreads across Europe",
        url="https://worktrends.example/reports/skills-based-hiring-2026",
        sites=("worktrends.example", "hr-daily.example", "people-news.example"),
    ),
    Seed(
        "en",
        "talent_lead",
        "Employer branding works when employees tell their own stories. Hiring managers, give "
        "your team the time and the permission to post about their work.",
        (),
    ),
    Seed(
        "en",
        "remote_jobs",
        "A four-day week pilot in 60 UK companies ends with 56 of them keeping it: sick days "
        "fell by two thirds and resignations by more than half.",
        (
            "Most firms in the UK four-day week trial are sticking with it after fewer sick days "
            "and far fewer resignations.",
        ),
        title="Four-day week: 56 of 60 pilot companies keep it",
        url="https://www.remote-jobs.example/news/four-day-week-results?ref=rss",
        sites=("remote-jobs.example", "people-news.example"),
    ),
    Seed(
        "en",
        "recruiter_tips",
        "Posting a salary range in the job ad is the single change that most improved our "
        "applicant numbers this year, ahead of shorter ads and mobile-friendly forms.",
        (),
    ),
    Seed(
        "en",
        "ai_hr_watch",
        "New EU rules classify AI tools that screen job applicants as high-risk: employers "
        "will have to inform candidates and keep a human in the loop from 2027.",
        (
            "From 2027, employers using AI to sort CVs in the EU must tell candidates and keep a "
            "human decision-maker, under the new high-risk rules.",
        ),
    ),
    Seed(
        "en",
        "campus_careers",
        "Our spring careers fair moves online this year: 120 employers, live chats with "
        "recruiters and CV reviews, open to every student and recent graduate.",
        (),
    ),
    Seed(
        "en",
        "logistics_news",
        "Warehouse operator opens a new hub near Lyon and plans to hire 300 people by spring, "
        "from forklift drivers to maintenance technicians.",
        (
            "300 jobs coming to a new logistics hub near Lyon, with drivers and technicians "
            "among the first roles.",
        ),
    ),
)

# Look-alikes: one template, other slot values. Different groups AND different stories.
LOOKALIKES: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = (
    (
        "fr",
        "Nous recrutons {0} à {1}, CDI, télétravail partiel possible. Postulez sur notre site "
        "avant la fin du mois. #recrutement #emploi",
        (
            ("un développeur Python", "Lyon"),
            ("un comptable", "Saint-Étienne"),
            ("une chargée de communication", "Grenoble"),
            ("un technicien de maintenance", "Clermont"),
            ("une juriste en droit social", "Nantes"),
            ("un chef de projet data", "Bordeaux"),
        ),
    ),
    (
        "fr",
        "Notre agence de {0} recrute trois conseillers en insertion professionnelle pour "
        "accompagner les demandeurs d'emploi du bassin. Entretiens la semaine prochaine.",
        (("Vichy",), ("Montluçon",), ("Moulins",), ("Aurillac",)),
    ),
    (
        "fr",
        "Offre du jour : {0} en alternance chez {1}, rythme deux semaines en entreprise, deux "
        "semaines à l'école. Candidatures ouvertes.",
        (
            ("assistant RH", "Michelin"),
            ("mécanicien poids lourds", "Transports Girard"),
            ("vendeur conseil", "Decathlon Vichy"),
            ("cuisinier", "l'hôtel du Parc"),
            ("électricien", "Bouygues Énergies"),
        ),
    ),
    (
        "fr",
        "Webinaire {0} à 12 h : « {1} ». Inscription gratuite, replay envoyé aux inscrits.",
        (
            ("mardi", "Recruter sur LinkedIn sans budget"),
            ("jeudi", "Réussir l'intégration des nouveaux salariés"),
            ("vendredi", "Préparer l'entretien annuel"),
            ("lundi", "La marque employeur des PME industrielles"),
        ),
    ),
    (
        "en",
        "We're hiring a {0} in {1}: full-time, hybrid, competitive salary. Apply through our "
        "careers page before the end of the month.",
        (
            ("senior data engineer", "Berlin"),
            ("product designer", "Lisbon"),
            ("customer success manager", "Dublin"),
            ("payroll specialist", "Amsterdam"),
            ("backend developer", "Madrid"),
        ),
    ),
    (
        "en",
        "Job of the week: {0} at {1}. Training provided, no experience needed, start in {2}.",
        (
            ("warehouse associate", "Northgate Logistics", "March"),
            ("care assistant", "Riverside Home", "April"),
            ("barista", "Bean & Co", "May"),
            ("delivery driver", "QuickParcel", "June"),
        ),
    ),
)

RESPONDERS = (
    "lecteur_rh",
    "veille_pro",
    "emploi_fan",
    "jobwatcher",
    "rh_news",
    "candidat_42",
    "consultante_rh",
    "dirigeant_pme",
    "etudiante_rh",
    "talent_scout",
)
TRACKERS = (
    "?utm_source=twitter&utm_medium=social",
    "?utm_source=newsletter&utm_campaign=hebdo",
    "?xtor=RSS-3",
    "?fbclid=IwAR0abc",
    "#comments",
    "?at_medium=rs&at_campaign=fb",
)


@dataclass(slots=True)
class Labeled:
    post: Post
    dup: str
    story: str


@dataclass(slots=True)
class _Builder:
    rng: random.Random
    items: list[Labeled] = field(default_factory=list)

    def add(self, network: str, author: str, text: str, when: datetime, dup: str, story: str,
            **extra: object) -> Post:  # fmt: skip
        post = Post(f"e{len(self.items) + 1:04d}", network, author, text, when, **extra)  # type: ignore[arg-type]
        self.items.append(Labeled(post, dup, story))
        return post


def _cut(text: str, rng: random.Random) -> str:
    """A copy cut at 60-85 % of its length, at a word, ending with an ellipsis."""
    at = int(len(text) * rng.uniform(0.6, 0.85))
    return text[:at].rsplit(" ", 1)[0] + rng.choice(("…", "...", " …"))


def _mention_variant(text: str, network: str) -> str:
    if network == "mastodon":
        return text.replace("@agence_rh", "@agence_rh@piaille.fr")
    if network == "bluesky":
        return text.replace("@agence_rh", "@agence-rh.bsky.social")
    return text


def _url_variant(url: str, rng: random.Random) -> str:
    host_change = rng.choice(("", "www.", "m.", "amp."))
    out = url.replace("https://www.", "https://").replace("https://m.", "https://")
    if host_change:
        out = out.replace("https://", "https://" + host_change, 1)
    if "?" not in out and rng.random() < 0.7:
        out += rng.choice(TRACKERS)
    return out


def build(seed: int = 2026) -> list[Labeled]:
    """The evaluation set, the same for a given seed."""
    rng = random.Random(seed)
    b = _Builder(rng)
    for k, s in enumerate(SEEDS):
        story = f"s{k}"
        dup = f"d{k}"
        t0 = START + timedelta(days=2 * k, hours=rng.randint(0, 8))
        counts = {"likes": rng.randint(0, 300), "reposts": rng.randint(0, 80)}
        if s.title and s.url:
            # The article, syndicated: same title and body, URLs with tracking and host variants.
            for j, site in enumerate(s.sites):
                body = s.text if j != 2 else s.text + rng.choice(
                    (" Plus d'informations sur le site des organisateurs.", " (avec AFP)",
                     " More details on the organisers' website."))  # fmt: skip
                if j == 3:
                    body = _cut(s.text, rng)
                b.add("rss", site, body, t0 + timedelta(hours=j), dup, story, title=s.title,
                      url=_url_variant(s.url, rng) if j else s.url, lang=s.lang)  # fmt: skip
            # A post sharing the article: title and link — same story, not a copy of the text.
            b.add("x", s.author, f"{s.title} {_url_variant(s.url, rng)}", t0 + timedelta(hours=5),
                  f"{dup}-share", story, lang=s.lang)  # fmt: skip
        original = b.add(rng.choice(("x", "mastodon", "linkedin")), s.author, s.text,
                         t0 + timedelta(hours=1), dup, story, lang=s.lang, **counts)  # fmt: skip
        # Cross-posts on the other networks, the same person, mentions their way.
        for network in rng.sample(["x", "mastodon", "bluesky"], rng.randint(1, 2)):
            if network != original.network:
                b.add(network, s.author, _mention_variant(s.text, network),
                      t0 + timedelta(hours=1, minutes=rng.randint(1, 30)), dup, story,
                      lang=s.lang)  # fmt: skip
        # "RT @…" copies, reposts with a credit, and cut copies.
        for j in range(rng.randint(3, 5)):
            who = rng.choice(RESPONDERS)
            b.add("x", f"{who}{j}", f"RT @{s.author}: {s.text}",
                  t0 + timedelta(hours=2 + j), dup, story, lang=s.lang)  # fmt: skip
        if rng.random() < 0.6:
            b.add("mastodon", rng.choice(RESPONDERS), f"{s.text} via @{s.author}",
                  t0 + timedelta(hours=3), dup, story, lang=s.lang)  # fmt: skip
        # Copies with a word of comment before, or tags after: still the same text.
        comment = rng.choice(("À lire 👇", "Très intéressant :", "Important !", "To read:",
                              "Worth a look 👀"))  # fmt: skip
        b.add("bluesky", rng.choice(RESPONDERS), f"{comment} {s.text}",
              t0 + timedelta(hours=3, minutes=30), dup, story, lang=s.lang)  # fmt: skip
        b.add("x", rng.choice(RESPONDERS), f"{s.text} #emploi #RH 📌",
              t0 + timedelta(hours=3, minutes=40), dup, story, lang=s.lang)  # fmt: skip
        for j in range(rng.randint(1, 2)):
            cut = f"{_cut(s.text, rng)} https://t.co/x{k}{j}"
            b.add("x", rng.choice(RESPONDERS), cut, t0 + timedelta(hours=4 + j), dup, story,
                  lang=s.lang)  # fmt: skip
        # The same story told in other words, by other accounts: new groups, same story.
        for j, retelling in enumerate(s.retellings):
            b.add(rng.choice(("x", "bluesky", "mastodon")), rng.choice(RESPONDERS) + "_r",
                  retelling, t0 + timedelta(hours=6 + j), f"{dup}-r{j}", story,
                  lang=s.lang)  # fmt: skip
    for k, (lang, template, slots) in enumerate(LOOKALIKES):
        for j, values in enumerate(slots):
            when = START + timedelta(days=3 * j + k, hours=9)
            b.add(rng.choice(("linkedin", "x")), f"employeur_{k}", template.format(*values), when,
                  f"l{k}-{j}", f"l{k}-{j}", lang=lang)  # fmt: skip
    return b.items


if __name__ == "__main__":
    import sys

    import orjson

    items = build()
    out = sys.stdout.buffer
    for item in items:
        record = item.post.to_json() | {"dup": item.dup, "story": item.story}
        out.write(orjson.dumps(record) + b"\n")
