"""The demo event of ``veilleur demo``: a forum of the corpus's « Semaine de l'emploi » with
four seats, six sign-ups (a waiting list, a cancellation and its offer taken), check-ins, a
live-tweet kit from a small programme and the recap from the corpus's posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from veilleur.events import links, tables
from veilleur.events.config import BASE_URL
from veilleur.events.kit import build_kit, kit_html
from veilleur.events.manage import EventSpec, add_event, seats
from veilleur.events.model import Event, Registration
from veilleur.events.recap import build_recap, recap_html
from veilleur.events.roster import attendance
from veilleur.events.seats import Applicant, check_in, follow_link, register
from veilleur.i18n import colon, t, using
from veilleur.workspace import Workspace

SLUG = "forum-semaine-emploi"
SIGN_UP = datetime(2026, 10, 15, 9, tzinfo=UTC)
PEOPLE = (
    ("Claire Martin", "Menuiserie Martin"),
    ("Karim Benali", "Transports Benali"),
    ("Sophie Roux", "Cabinet Roux"),
    ("Luc Garnier", "Garnier Usinage"),
    ("Inès Moreau", "Boulangerie Moreau"),
    ("Thomas Petit", "Petit & Fils"),
)
PROGRAMME = """\
titre,début,fin,intervenants
Ouverture du forum,09:00,09:30,Anne Dupont
Recruter avec les réseaux sociaux,10:00,11:00,anne;Marc Lefèvre
"""
DIRECTORY = """\
anne:
  name: Anne Dupont
  x: anne_dupont
  mastodon: anne@piaille.fr
  bluesky: anne.bsky.social
"""


def _registrations(ws: Workspace, event: Event, lang: str) -> None:
    people: list[Registration] = []
    for i, (name, organisation) in enumerate(PEOPLE):
        first = name.split()[0].lower().replace("è", "e").replace("é", "e")
        person = register(
            ws,
            SLUG,
            Applicant(
                name=name,
                email=f"{first}@example.org",
                organisation=organisation,
                consent=t("I agree that my data is used to organise this event.", lang),
                lang=lang,
            ),
            now=SIGN_UP + timedelta(hours=i),
        )
        follow_link(ws, links.token(ws, person.id, "confirm"), now=SIGN_UP + timedelta(hours=i))
        people.append(person)
    cancelled_on = SIGN_UP + timedelta(days=5)
    follow_link(ws, links.token(ws, people[1].id, "cancel"), now=cancelled_on)
    follow_link(ws, links.token(ws, people[4].id, "accept"), now=cancelled_on + timedelta(hours=2))
    for person in (people[0], people[2], people[4]):
        check_in(ws, SLUG, person.email, now=event.starts_at)


def demo_event(ws: Workspace, out_dir: Path, lang: str = "fr") -> str:
    """Create the demo event once (a second run keeps it), write its kit and recap to
    ``out_dir``; the lines the demo prints."""
    if not ws.setting(BASE_URL):
        ws.set_setting(BASE_URL, "https://ateliers.example.org")
    directory = ws.path / "directory.yaml"
    if not any(
        (ws.path / n).exists() for n in ("directory.yaml", "directory.yml", "directory.toml")
    ):
        directory.write_text(DIRECTORY, encoding="utf-8")
    row = tables.event_by_slug(ws.store, SLUG)
    with using(lang):
        if row is None:
            event = add_event(
                ws,
                SLUG,
                EventSpec(
                    title=t("Social networks job forum", lang),
                    start="2026-10-30T09:00",
                    end="2026-10-30T18:00",
                    timezone="Europe/Paris",
                    location="Lyon",
                    capacity=4,
                    hashtag="#SemaineDeLEmploi",
                    lang=lang,
                ),
            )
            _registrations(ws, event, lang)
        else:
            event = Event.from_row(row)
        out_dir.mkdir(parents=True, exist_ok=True)
        programme = out_dir / "programme.csv"
        programme.write_text(PROGRAMME, encoding="utf-8")
        kit = build_kit(ws, SLUG, programme, "x,mastodon,bluesky,linkedin", queue=True)
        kit_path = out_dir / f"kit-{SLUG}.html"
        kit_path.write_text(kit_html(kit), encoding="utf-8")
        recap = build_recap(ws, SLUG)
        recap_path = out_dir / f"recap-{SLUG}.html"
        recap_path.write_text(recap_html(recap), encoding="utf-8")
        figures = attendance(ws.store, SLUG, now=event.ends_at)
        counts = seats(ws.store, event)
        sep = colon(lang)
        lines = [
            f"{event.title} — {SLUG} ({event.hashtag})",
            t("Seats", lang)
            + sep
            + t(
                "{taken}/{capacity} taken, {left} left",
                lang,
                taken=counts.taken,
                capacity=counts.capacity,
                left=counts.left,
            ),
            figures.summary(lang),
            t("Live-tweet kit written to {path}", lang, path=kit_path),
            t(
                "Recap written to {path}: {count} posts, {stories} stories",
                lang,
                path=recap_path,
                count=recap.posts,
                stories=len(recap.stories),
            ),
        ]
    return "\n".join(lines)
