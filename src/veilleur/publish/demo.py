"""One composed post linted for three networks, as ``veilleur demo`` shows it."""

from __future__ import annotations

from veilleur.i18n import t
from veilleur.publish.compose import Draft, Image, compose
from veilleur.publish.directory import Directory, Person

TEXT = {
    "fr": (
        "Nous RECRUTONS !!! Rejoignez la meilleure équipe de Lyon: avec @anne, vous "
        "ferez la veille stratégique de nos clients. Le poste, les missions et l'équipe "
        "sont décrits sur notre site. #recrutement #communicationdigitale #Lyon #emploi"
    ),
    "en": (
        "We are HIRING !!! Join the best team in Lyon: with @anne you will run our "
        "clients' strategic watch. The job, the tasks and the team are on our site. "
        "#hiring #digitalcommunication #Lyon #jobs"
    ),
}


def demo_directory() -> Directory:
    directory = Directory()
    directory.add(
        Person(
            "anne",
            "Anne Dupont",
            {"x": "anne_dupont", "mastodon": "anne@piaille.fr", "bluesky": "anne.bsky.social"},
        )
    )
    return directory


def demo_compose(lang: str = "fr") -> str:
    """A plain-text tour: one draft, its X, Mastodon and Bluesky renderings, its findings."""
    lang = lang if lang in TEXT else "en"
    draft = Draft(
        TEXT[lang],
        (Image("affiche-poste.png", None),),
        "https://exemple.fr/offres/charge-de-veille",
    )
    composition = compose(draft, ["x", "mastodon", "bluesky"], demo_directory(), message_lang=lang)
    lines = [
        "veilleur compose --networks x,mastodon,bluesky --image affiche-poste.png "
        "--link https://exemple.fr/offres/charge-de-veille TEXT",
        "",
    ]
    for rendering in composition.renderings:
        mark = "ok" if rendering.valid else t("TOO LONG", lang)
        lines.append(
            f"── {rendering.network} · {rendering.weighted_length}/{rendering.limit} {mark}"
        )
        lines.extend(rendering.sent)  # as the network receives it (Bluesky: short links)
        lines.append("")
    for finding in composition.findings:
        where = f"[{finding.network}] " if finding.network else ""
        lines.append(f"{finding.severity:<7} {where}{finding.rule}: {finding.message}")
    return "\n".join(lines)
