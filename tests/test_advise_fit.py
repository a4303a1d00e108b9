"""Advice that fits the client: its kind of organisation, its sector, its region, its count.

Issue 15: an association offering a free workshop was advised as a company (« Page de
l'entreprise », « salariés », « offres d'emploi », « Choisir le prochain salon du secteur ») and
got nothing about an event page, a sign-up link, reminders or « plus que 5 places »; a software
firm got Instagram because « les métiers se montrent en images : gestes, ateliers »; ``--count 3``
listed 6 networks; « emploi Haute-Loire » was written in the knowledge base for every client.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from veilleur.advise.engine import advise, first_actions
from veilleur.advise.kb import FILES, default_folder, load_kb
from veilleur.advise.present import advice_dict
from veilleur.advise.render import advice_text
from veilleur.errors import InputError
from veilleur.model import Profile
from veilleur.profile import KINDS, profile_from_mapping

KB = load_kb()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "profiles"

WORKSHOP = Profile(
    name="Les Clés du Numérique",
    kind="association",
    positioning="Atelier gratuit, 15 places",
    sector="médiation numérique",
    keywords=["atelier numérique"],
    regions=["Le Puy-en-Velay"],
    languages=["fr"],
    goals=["atelier gratuit"],
)


def _markdown(profile: Profile, lang: str, objectives: tuple[str, ...] = ()) -> str:
    return advice_text(advice_dict(KB, advise(KB, profile, objectives), lang), "md")


# -- 1. the kind of organisation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "company"),
        ("entreprise", "company"),
        ("Association", "association"),
        ("non-profit", "association"),
        ("collectivité", "public"),
        ("public body", "public"),
        ("Indépendant", "freelancer"),
        ("freelance", "freelancer"),
    ],
)
def test_the_profile_says_what_kind_of_organisation_it_is(value: str | None, kind: str) -> None:
    data = {"name": "A"} | ({"kind": value} if value else {})
    assert profile_from_mapping(data).kind == kind


def test_an_unknown_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InputError, match="'kind' must be one of company, association"):
        profile_from_mapping({"name": "A", "kind": "coopérative spatiale"})


def test_the_knowledge_base_has_words_for_every_kind() -> None:
    assert set(KB.organisation_kinds) == set(KINDS)


COMPANY_WORDS_FR = ("salarié", "offre d'emploi", "offres d'emploi", "entreprise", "dirigeant",
                    "salon du secteur", "prochain salon")  # fmt: skip
COMPANY_WORDS_EN = ("employee", "job offer", "company", "executive", "sector's next fair")


def test_an_association_promoting_a_workshop_is_not_advised_as_a_company() -> None:
    fr = _markdown(WORKSHOP, "fr")
    en = _markdown(WORKSHOP, "en")
    for word in COMPANY_WORDS_FR:
        assert word not in fr.casefold(), word
    for word in COMPANY_WORDS_EN:
        assert word not in en.casefold(), word
    assert "Page de l'association" in fr and "Association page" in en
    assert "adhérents" in fr and "bénévoles" in fr
    assert "members" in en and "volunteers" in en
    company = _markdown(Profile(name="Dupont", goals=["events"]), "fr")
    assert "Page de l'entreprise" in company and "dirigeants" in company


def test_an_association_that_recruits_gets_the_words_of_recruiting() -> None:
    fr = _markdown(WORKSHOP, "fr", ("events", "recruit_local"))
    assert "offres d'emploi" in fr  # its goals ask for them


@pytest.mark.parametrize(
    ("kind", "words"),
    [("public", ["usagers", "organisme"]), ("freelancer", ["Votre profil personnel", "clients"])],
)
def test_each_kind_is_addressed_in_its_own_words(kind: str, words: list[str]) -> None:
    profile = Profile(name="X", kind=kind, goals=["events", "sales"], regions=["Loire"])
    fr = _markdown(profile, "fr")
    for word in words:
        assert word in fr
    assert "Page de l'entreprise" not in fr and "salariés" not in fr


def test_the_handout_of_an_association_speaks_its_words(tmp_path: Path) -> None:
    from veilleur.advise.handout import handout_dict

    data = handout_dict(KB, advise(KB, WORKSHOP, networks=["facebook", "x"]), "fr")
    text = json.dumps(data, ensure_ascii=False).casefold()
    assert "page de l'entreprise" not in text and "salariés" not in text
    assert "dirigeant" not in text


# -- 2. the event route ---------------------------------------------------------------------


def test_a_free_workshop_gets_the_event_route() -> None:
    advice = advise(KB, WORKSHOP)
    assert advice.objectives == ["events"]  # « atelier gratuit » is a name of the goal
    fr = " ".join(a["text"] for a in advice_dict(KB, advice, "fr")["actions"])
    en = " ".join(a["text"] for a in advice_dict(KB, advice, "en")["actions"])
    for expected in ("page de l'événement", "lien d'inscription", "J-2", "J-0", "mot-dièse",
                     "compte de chaque intervenant", "adhérents"):  # fmt: skip
        assert expected in fr, expected
    assert re.search("«[\u00a0\u202f]plus que 5 places[\u00a0\u202f]»", fr)
    for expected in ("event page", "sign-up link", "D-2", "D-0", "only 5 seats left", "hashtag",
                     "speaker's handle"):  # fmt: skip
        assert expected in en, expected


def test_the_event_route_links_to_the_event_commands() -> None:
    """Issues 15 and 18: the event route ends on what to type in veilleur — create the
    event, give its sign-up page, let the reminders go, prepare the kit, write the recap."""
    from veilleur.cli.main import app

    event_cli = typer.main.get_command(app).commands["event"]  # type: ignore[attr-defined]
    advice = advise(KB, WORKSHOP)
    for lang, heading, words in (
        ("fr", "## Votre événement avec veilleur", ("lien d'inscription", "rappels", "J-2")),
        ("en", "## Your event with veilleur", ("sign-up link", "reminders", "D-2")),
    ):
        data = advice_dict(KB, advice, lang)
        steps = data["event_steps"]
        commands = [step["command"] for step in steps]
        for sub in ("add", "kit", "recap", "attendees"):
            assert any(c.startswith(f"veilleur event {sub} ") for c in commands), (lang, sub)
        assert any(c.startswith("veilleur config set events.base_url") for c in commands)
        assert any(c.startswith("veilleur run") for c in commands)  # sends the reminders
        assert '--hashtag "#' in commands[0]  # unquoted, a shell would drop it as a comment
        for command in commands:
            if command.startswith("veilleur event "):
                assert command.split()[2] in event_cli.commands, command
        text = " ".join(step["text"] for step in steps)
        assert re.search(r"https://\S+/e/[a-z-]+ ", text)  # the public sign-up page
        for word in words:
            assert word in text, (lang, word)
        md = advice_text(data, "md")
        assert heading in md and "`veilleur event kit " in md
        html = advice_text(data, "html")
        assert "<code>veilleur event recap " in html
    company = advice_dict(KB, advise(KB, Profile(name="Dupont", goals=["sales"])), "fr")
    assert company["event_steps"] == []
    assert "Votre événement avec veilleur" not in advice_text(company, "md")


def test_the_event_route_is_sourced_and_chosen_by_kind() -> None:
    events = KB.objectives["events"]
    route = [a for a in events.actions if "J-2" in a.text.fr or "5 places" in a.text.fr]
    assert len(route) == 2 and all(a.source in KB.sources and a.checked for a in route)
    company = [a.text.fr for a in first_actions(KB, ["facebook"], [events], count=50)]
    association = [
        a.text.fr for a in first_actions(KB, ["facebook"], [events], count=50, kind="association")
    ]
    assert any("prochain salon" in text for text in company)
    assert not any("prochain salon" in text for text in association)
    assert any("adhérents" in text for text in association)
    assert not any("adhérents" in text for text in company)


def test_actions_name_only_commands_that_exist() -> None:
    from veilleur.cli.main import app

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    texts = [a.text for a in KB.common_actions]
    texts += [a.text for o in KB.objectives.values() for a in o.actions]
    for text in texts:
        for lang in ("fr", "en"):
            for kind in (None, *KINDS):
                for name in re.findall(r"\bveilleur ([a-z]+)", text.get(lang, kind)):
                    # « dans veilleur les requêtes… »: a word of the sentence, not a command
                    assert name in commands | {"les", "the"}, text.get(lang, kind)


# -- 3. reasons that depend on the sector ---------------------------------------------------


def _reasons(profile: Profile) -> dict[str, list[str]]:
    advice = advise(KB, profile)
    return {r.network: [reason.text.fr for reason in r.reasons] for r in advice.ranked}


def test_a_software_firm_is_not_told_its_trades_show_in_pictures() -> None:
    software = Profile(name="Compilia", sector="logiciel", goals=["employer_brand", "sales"])
    advice = advise(KB, software)
    assert "instagram" not in advice.chosen
    assert not any("gestes" in text for texts in _reasons(software).values() for text in texts)


def test_an_artisan_is_told_its_trade_shows_in_pictures() -> None:
    artisan = Profile(name="Menuiserie Roux", sector="artisanat (menuiserie)",
                      goals=["employer_brand", "sales"])  # fmt: skip
    assert any("gestes" in text for text in _reasons(artisan)["instagram"])
    baker = Profile(name="Fournil", sector="Boulangerie", goals=["employer_brand"])
    assert any("gestes" in text for text in _reasons(baker)["instagram"])


def test_every_trade_fact_carries_its_sectors() -> None:
    visual = next(f for f in KB.networks["instagram"].facts if f.id == "visual")
    assert set(visual.when["sectors"]) >= {"crafts", "industry", "food", "construction"}
    assert "tech" not in visual.when["sectors"]


# -- 4. --count N shows N and says who ties -------------------------------------------------

WATCH = """name = "H2 Conseil"
keywords = ["hydrogène"]
goals = ["watch_sector", "watch_competition", "watch_technology"]
languages = ["fr"]
"""


def test_count_shows_n_networks_and_names_those_tied(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "h2.toml"
    path.write_text(WATCH, encoding="utf-8")
    # X leads; Mastodon, Bluesky and the website tie for second place.
    data = json.loads(cli("advise", "-p", str(path), "--count", "2", "-f", "json").out)
    assert [n["network"] for n in data["networks"] if n["recommended"]] == ["x", "mastodon"]
    assert [t["network"] for t in data["tied"]] == ["bluesky", "website"]
    assert "--count 4" in data["tied_note"]
    md = cli("advise", "-p", str(path), "--count", "2", "--lang", "fr").out
    recommended = md.split("## Réseaux recommandés")[1].split("## Classement")[0]
    assert re.findall(r"^\d+\. ", recommended, flags=re.M) == ["1. ", "2. "]
    assert "À égalité avec Mastodon" in recommended and "Bluesky et Site web" in recommended
    html = cli("advise", "-p", str(path), "--count", "2", "-f", "html", "--lang", "en").out
    assert "Tied with Mastodon" in html and "Bluesky and Website" in html
    wide = json.loads(cli("advise", "-p", str(path), "--count", "4", "-f", "json").out)
    assert sum(n["recommended"] for n in wide["networks"]) == 4
    assert wide["tied"] == [] and wide["tied_note"] is None


# -- 5. no client's region in the knowledge base --------------------------------------------

REGIONS = """Auvergne-Rhône-Alpes, Bourgogne-Franche-Comté, Bretagne, Centre-Val de Loire, Corse,
Grand Est, Hauts-de-France, Île-de-France, Normandie, Nouvelle-Aquitaine, Occitanie,
Pays de la Loire, Provence-Alpes-Côte d'Azur, Guadeloupe, Martinique, Guyane, La Réunion,
Mayotte, Auvergne, Rhône-Alpes, Bourgogne, Franche-Comté, Limousin, Poitou-Charentes,
Aquitaine, Midi-Pyrénées, Languedoc-Roussillon, Picardie, Lorraine, Alsace,
Champagne-Ardenne, Nord-Pas-de-Calais, Basse-Normandie, Haute-Normandie, Velay"""
DEPARTEMENTS = """Ain, Aisne, Allier, Alpes-de-Haute-Provence, Hautes-Alpes, Alpes-Maritimes,
Ardèche, Ardennes, Ariège, Aube, Aude, Aveyron, Bouches-du-Rhône, Calvados, Cantal, Charente,
Charente-Maritime, Cher, Corrèze, Corse-du-Sud, Haute-Corse, Côte-d'Or, Côtes-d'Armor, Creuse,
Dordogne, Doubs, Drôme, Eure, Eure-et-Loir, Finistère, Gard, Haute-Garonne, Gers, Gironde,
Hérault, Ille-et-Vilaine, Indre, Indre-et-Loire, Isère, Jura, Landes, Loir-et-Cher, Loire,
Haute-Loire, Loire-Atlantique, Loiret, Lot, Lot-et-Garonne, Lozère, Maine-et-Loire, Manche,
Marne, Haute-Marne, Mayenne, Meurthe-et-Moselle, Meuse, Morbihan, Moselle, Nièvre, Nord, Oise,
Orne, Pas-de-Calais, Puy-de-Dôme, Pyrénées-Atlantiques, Hautes-Pyrénées, Pyrénées-Orientales,
Bas-Rhin, Haut-Rhin, Rhône, Haute-Saône, Saône-et-Loire, Sarthe, Savoie, Haute-Savoie, Paris,
Seine-Maritime, Seine-et-Marne, Yvelines, Deux-Sèvres, Somme, Tarn, Tarn-et-Garonne, Var,
Vaucluse, Vendée, Vienne, Haute-Vienne, Vosges, Yonne, Territoire de Belfort, Essonne,
Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne, Val-d'Oise, Yssingeaux, Le Puy-en-Velay"""
PLACES = [p.strip() for p in (REGIONS + "," + DEPARTEMENTS).replace("\n", " ").split(",")]


def test_the_knowledge_base_names_no_region() -> None:
    assert len(PLACES) > 130
    for name in FILES:
        text = (default_folder() / name).read_text(encoding="utf-8")
        for place in PLACES:
            found = re.search(r"(?<![\w-])" + re.escape(place) + r"(?![\w-])", text)
            assert found is None, f"{name} names {place!r}: regions come from the profile"


def test_regions_come_from_the_profile_at_render_time() -> None:
    for region in ("Bretagne", "Haute-Loire"):
        profile = Profile(name="A", regions=[region], goals=["recruit_local"], languages=["fr"])
        data = advice_dict(KB, advise(KB, profile), "fr")
        facebook = next(n for n in data["networks"] if n["network"] == "facebook")
        local = next(r for r in facebook["reasons"] if r["fact"] == "facebook.local_groups")
        assert region in local["text"] and "{regions}" not in local["text"]
        other = "Haute-Loire" if region == "Bretagne" else "Bretagne"
        assert other not in json.dumps(data, ensure_ascii=False)
    nowhere = advice_dict(KB, advise(KB, Profile(name="A", goals=["recruit_local"])), "en")
    reasons = [r["text"] for n in nowhere["networks"] for r in n["reasons"]]
    assert not any("{" in text for text in reasons)


def test_region_is_accepted_as_a_single_value() -> None:
    assert profile_from_mapping({"name": "A", "region": "Bretagne"}).regions == ["Bretagne"]
    with pytest.raises(InputError, match="'regions' or 'region'"):
        profile_from_mapping({"name": "A", "region": "Bretagne", "regions": ["Loire"]})


# -- 6. French first, English complete ------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_reads_right_in_both_languages(kind: str) -> None:
    profile = Profile(name="X", kind=kind, goals=["events", "employer_brand"], languages=["fr"])
    fr = advice_dict(KB, advise(KB, profile), "fr")
    en = advice_dict(KB, advise(KB, profile), "en")
    texts_fr = [a["text"] for a in fr["actions"]] + [r["text"] for r in fr["rules"]]
    texts_fr += [c["label"] for a in fr["accounts"] for c in a["choices"]]
    assert not any(" :" in t or " ;" in t or "« " in t or " »" in t for t in texts_fr)
    texts_en = [a["text"] for a in en["actions"]] + [r["text"] for r in en["rules"]]
    texts_en += [c["label"] for a in en["accounts"] for c in a["choices"]]
    assert not any(re.search(r"[éèàù]\w", t) for t in texts_en), texts_en
    assert not any("\u00a0" in t or "\u202f" in t for t in texts_en)


def test_the_association_example_profile_is_an_association() -> None:
    from veilleur.profile import load_profile

    profile = load_profile(EXAMPLES / "atelier-numerique-association.toml")
    assert profile.kind == "association" and advise(KB, profile).objectives == ["events"]


def test_no_placeholder_is_left_in_any_rendering() -> None:
    from veilleur.advise import demo_summary
    from veilleur.advise.handout import handout_dict

    for lang in ("fr", "en"):
        assert "{" not in demo_summary(lang)  # the demo's first reason has {regions}
    for kind, lang in zip(KINDS, ("fr", "en", "en", "fr"), strict=True):
        profile = Profile(name="X", kind=kind, goals=list(KB.objectives), regions=["Loire"])
        advice = advise(KB, profile, networks=list(KB.networks))
        text = json.dumps(handout_dict(KB, advice, lang), ensure_ascii=False)
        assert re.search(r"\{[a-z_]+\}", text) is None
