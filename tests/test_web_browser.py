"""The main journeys in a real browser: Playwright (Python) driving Debian's Chromium.

Where ``/usr/bin/chromium`` is missing the tests are skipped with the reason; under
``CI=true`` they fail instead (``.ci/run`` installs the ``chromium`` package). Playwright's
own browser download is never used. With ``VEILLEUR_SCREENSHOTS=DIR`` (``make
screenshots``) each page visited is also saved as ``DIR/<name>-1280.png`` and ``-360.png``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from veilleur import publish
from veilleur.workspace import Workspace

from .web_support import PASSWORD, YEAR, Site, _isolated_env, email, site  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = os.environ.get("VEILLEUR_SCREENSHOTS")
THREADS_ON_FAILURE = True  # the server runs in this process: see conftest's report hook


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run these tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI must have it: .ci/run installs it)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
            locale="fr-FR",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    browser.clear_cookies()
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield tab
    tab.close()
    # A CSP violation or a script error shows up here (pages answering 401/403 on purpose
    # are logged as failed resources: those are the journeys' own checks).
    assert [e for e in errors if not e.startswith("Failed to load resource")] == [], errors


def shot(page: Any, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page: Any, site: Site, role: str) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Courriel").fill(email(role))
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(rf".*/w/{site.slug}$"))


def test_log_in_and_see_the_dashboard(page: Any, site: Site) -> None:
    page.goto(site.url + "/")
    page.wait_for_url(re.compile(r".*/login\?next=/$"))
    shot(page, "login")
    page.get_by_label("Courriel").fill(email("owner"))
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    assert "courriel ou mot de passe erroné" in page.locator("[role=alert]").inner_text()
    log_in(page, site, "owner")
    assert page.locator("h1").inner_text().startswith("Tableau de bord")
    assert page.get_by_role("link", name="Recherche").is_visible()
    shot(page, "dashboard")


def test_search_a_bad_then_a_good_query(page: Any, site: Site) -> None:
    log_in(page, site, "viewer")
    page.get_by_role("link", name="Recherche").click()
    box = page.get_by_label("Requête")
    box.fill("(emploi OR stage")
    verdict = page.locator("#query-verdict")
    verdict.filter(has_text="colonne 1").wait_for()
    assert "parenthèse" in verdict.inner_text()
    shot(page, "search-error")
    box.fill("emploi lang:fr")
    page.locator("#query-verdict.ok").wait_for()
    page.locator("form.search").get_by_role("button", name="Rechercher").click()
    heading = page.locator("h2").first.inner_text()
    assert re.match(r"\d+ publications? correspond", heading), heading
    assert page.get_by_role("link", name="Exporter en CSV").is_visible()
    shot(page, "search")


def test_save_a_watch_and_read_its_digest(page: Any, site: Site) -> None:
    """The digest « at the newest post » reads the week ending at the workspace's newest
    post: the module's other tests write posts of next year (the live wall's), so this test
    writes the newest ones, on its topic, rather than count on running before them."""
    from datetime import UTC, datetime, timedelta

    from veilleur.model import Post

    start = datetime(2099, 3, 2, 9, tzinfo=UTC)
    texts = ("Recrutement : l'atelier embauche deux régleurs en CDI à Yssingeaux",
             "Embauche : trois postes d'opérateur ouverts, recrutement en mars")  # fmt: skip
    with Workspace(site.home) as ws:
        ws.store.write_posts([
            Post(id=f"embauche-{i}-{n}", network=network, author=f"atelier{i}",
                 text=text, created_at=start + timedelta(hours=i, minutes=n))
            for i, text in enumerate(texts) for n, network in enumerate(("x", "mastodon"))
        ])  # fmt: skip
    log_in(page, site, "editor")
    page.goto(f"{site.url}/w/{site.slug}/search?q=recrutement+OR+embauche")
    page.get_by_label("Nom de la veille").fill("Embauches")
    page.get_by_role("button", name="Enregistrer comme veille").click()
    page.wait_for_url(re.compile(r".*/watches/Embauches$"))
    assert "Veille «\u00a0Embauches\u00a0» enregistrée." in page.locator(".note").inner_text()
    page.get_by_label("Se terminant").select_option("newest")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", name="Les sujets à retenir").wait_for()
    assert page.locator("ol.stories > li").count() > 0
    shot(page, "digest")


def test_an_editor_submits_and_an_admin_approves(page: Any, site: Site) -> None:
    text = "Atelier découverte jeudi : venez voir nos machines."
    log_in(page, site, "editor")
    page.get_by_role("link", name="File d’attente").click()
    page.get_by_label("Texte").fill(text)
    page.get_by_role("button", name="Soumettre à approbation").click()
    assert "soumise à approbation" in page.locator(".note").inner_text()
    assert page.get_by_role("button", name="Approuver").count() == 0  # not for an editor
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, site, "admin")
    page.get_by_role("link", name="File d’attente").click()
    waiting = page.locator("ul.queue > li", has_text=text)
    shot(page, "queue")
    waiting.get_by_role("button", name="Approuver").click()
    assert "approuvée" in page.locator(".note").inner_text()
    with Workspace(site.home) as ws:
        post = next(p for p in publish.open_queue(ws).posts() if p.texts == [text])
    assert post.status == "scheduled" and post.reviewed_by == email("admin")


def test_compose_for_three_networks_and_queue(page: Any, site: Site) -> None:
    log_in(page, site, "admin")
    page.get_by_role("link", name="Rédiger").click()
    for name in ("X", "Mastodon", "Bluesky"):
        box = page.get_by_label(name, exact=True)
        if not box.is_checked():
            box.check()
    page.get_by_label("LinkedIn", exact=True).uncheck()
    text = "Nouveau : la fiche métier « régleur » est en ligne, avec trois vidéos."
    page.get_by_label("Texte").fill(text)
    page.locator("#preview .counter").nth(2).wait_for()
    assert page.locator("#preview article.preview").count() == 3
    assert (
        page.locator("#preview .counter[data-network=mastodon]")
        .inner_text()
        .startswith(f"{len(text)} sur 500")
    )
    shot(page, "compose")
    # Named, so that a submission that never leaves, or a server that never answers, says so
    # (a CI run once waited 30 s here for the note with the page still on the form).
    with page.expect_navigation(url=re.compile(r".*/queue$"), wait_until="commit"):
        page.get_by_role("button", name="Programmer").click()
    assert "Publication programmée." in page.locator(".note").inner_text()
    with Workspace(site.home) as ws:
        post = next(p for p in publish.open_queue(ws).posts() if text in p.texts[0])
    assert post.status == "scheduled" and post.network == "mastodon"


def test_a_viewer_cannot_change_anything(page: Any, site: Site) -> None:
    log_in(page, site, "viewer")
    for part in ("queue", "watches", "search?q=emploi"):
        page.goto(f"{site.url}/w/{site.slug}/{part}")
        forms = page.locator("main form[method=post]")
        assert forms.count() == 0, part
    page.goto(f"{site.url}/o/{site.org}/members")
    assert "Votre rôle ici ne permet pas cette page." in page.locator("[role=alert]").inner_text()


def test_switch_to_english(page: Any, site: Site) -> None:
    log_in(page, site, "owner")
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Dashboard").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{site.url}/o/{site.org}/members")
    shot(page, "members")
    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name="Membres").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize("where", ["home", "second"])
def test_sign_up_in_french_and_confirm_from_the_mail(page: Any, site: Site, where: str) -> None:
    """On the served workspace (``/e/SLUG``) and on another one the server serves
    (``/e/NAME/SLUG``, its own mails and link key)."""
    from veilleur import accounts, events
    from veilleur.workspace import init_workspace

    from .smtp_support import Mailbox, links_in

    folder = site.home if where == "home" else site.home.parent / "navigateur"
    with Mailbox() as box:
        with init_workspace(folder)[0] as ws:
            box.configure(ws)
            ws.set_setting("events.base_url", site.url)
            events.add_event(ws, "atelier-navigateur", events.EventSpec(
                title="Atelier Découverte de Twitter", start=f"{YEAR}-05-20T14:00",
                end=f"{YEAR}-05-20T17:00", timezone="Europe/Paris", location="CCI Lyon", capacity=3,
            ))  # fmt: skip
        address = f"{site.url}/e/atelier-navigateur"
        if where == "second":
            with Workspace(site.home) as ws:  # another organisation: logins still land on
                # the site's one workspace (the other journeys log in and expect it)
                name = accounts.register_workspace(ws.store, folder, "Client navigateur").slug
            address = f"{site.url}/e/{name}/atelier-navigateur"
        page.goto(address)  # no login: a public page
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("#seats").inner_text() == "Plus que 3\u00a0places"
        page.get_by_label("Nom", exact=True).fill("Zoé Martin")
        page.get_by_label("Courriel").fill("zoe@pme.example")
        page.get_by_label("Organisation (facultatif)").fill("PME Lyon")
        page.get_by_label("Mastodon").fill("@zoe@mastodon.example")
        page.get_by_role("checkbox").check()
        if where == "home":  # the same page under /e/NAME/
            shot(page, "event-public")
        page.get_by_role("button", name="S’inscrire").click()
        page.get_by_role("heading", name="Vérifiez votre messagerie").wait_for()
        [message] = box.wait_for(1)
        assert message["To"] == "zoe@pme.example"
        [confirm] = links_in(message, site.url)[:1]
        assert site.url + confirm.split("/l/")[0] == address
        page.goto(site.url + confirm)  # the link of the mail: shows, does nothing yet
        with Workspace(folder) as ws:
            assert [p.status for p in events.attendees(ws.store, "atelier-navigateur")[1]] == [
                "pending"
            ]
        if where == "home":  # the same page under /e/NAME/
            shot(page, "event-link")
        page.get_by_role("button", name="Confirmer mon inscription").click()
        outcome = page.locator("#outcome")
        assert outcome.get_attribute("data-result") == "confirmed"
        assert "Votre place est confirmée" in outcome.inner_text()
        page.goto(address)
        assert page.locator("#seats").inner_text() == "Plus que 2\u00a0places"
        with Workspace(folder) as ws:
            [person] = events.attendees(ws.store, "atelier-navigateur")[1]
        assert person.status == "confirmed"
        assert person.handles == {"mastodon": "zoe@mastodon.example"}  # stored normalised
        assert person.consent.startswith("J’accepte")


def test_check_in_on_a_phone(page: Any, site: Site) -> None:
    from veilleur import events
    from veilleur.events.links import token

    with Workspace(site.home) as ws:
        ws.set_setting("smtp.host", None)  # the mails wait: none is needed here
        events.add_event(ws, "accueil", events.EventSpec(
            title="Matinée emploi", start=f"{YEAR}-06-02T09:00", end=f"{YEAR}-06-02T12:00",
            timezone="Europe/Paris", capacity=10,
        ))  # fmt: skip
        for name in ("Zoé Martin", "Inès Roux", "Léo Petit"):
            address = f"{name.split()[0].lower()}@pme.example"
            person = events.register(ws, "accueil", events.Applicant(
                name=name, email=address, consent="oui"))  # fmt: skip
            events.follow_link(ws, token(ws, person.id, "confirm"))
    log_in(page, site, "editor")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{site.url}/w/{site.slug}/events/accueil/checkin")
    assert page.locator("ul.checkin > li").count() == 3
    page.get_by_label("Chercher un nom").fill("zoe")
    page.locator("ul.checkin > li").filter(has_text="Inès").wait_for(state="detached")
    row = page.locator("ul.checkin > li", has_text="Zoé Martin")
    row.get_by_role("button", name="Marquer présent").click()
    page.locator("ul.checkin > li.present", has_text="Zoé Martin").wait_for()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "event-checkin-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    with Workspace(site.home) as ws:
        people = {p.name: p.status for p in events.attendees(ws.store, "accueil")[1]}
    assert people == {"Zoé Martin": "attended", "Inès Roux": "confirmed", "Léo Petit": "confirmed"}


def test_the_cancel_link_of_the_mail_frees_the_seat_for_the_waiting_list(
    page: Any, site: Site
) -> None:
    """Anne frees her seat from the link of her confirmation mail; Bruno, first on the
    waiting list, gets the offer by mail and takes the seat from its link."""
    from veilleur import events
    from veilleur.events.links import token

    from .smtp_support import Mailbox, links_in

    slug = "atelier-annulation"
    with Mailbox() as box:
        with Workspace(site.home) as ws:
            box.configure(ws)
            ws.set_setting("events.base_url", site.url)
            events.add_event(ws, slug, events.EventSpec(
                title="Atelier Découverte de Twitter", start=f"{YEAR}-05-21T14:00",
                end=f"{YEAR}-05-21T17:00", timezone="Europe/Paris", capacity=1,
            ))  # fmt: skip
            for name, address in (("Anne", "anne"), ("Bruno", "bruno"), ("Chloé", "chloe")):
                person = events.register(ws, slug, events.Applicant(
                    name=name, email=f"{address}-annul@pme.example", consent="oui"))  # fmt: skip
                events.follow_link(ws, token(ws, person.id, "confirm"))
        with Workspace(site.home) as ws:
            statuses = [p.status for p in events.attendees(ws.store, slug)[1]]
        assert statuses == ["confirmed", "waitlisted", "waitlisted"]
        [confirmed] = box.wait_to("anne-annul@pme.example", "confirmée")
        *_, free = links_in(confirmed, site.url)  # every mail carries the link to free the seat
        page.goto(site.url + free)
        page.get_by_text("Libérez votre place").wait_for()
        with Workspace(site.home) as ws:  # the page only shows: mail scanners follow links
            assert events.attendees(ws.store, slug)[1][0].status == "confirmed"
        page.get_by_role("button", name="Libérer ma place").click()
        outcome = page.locator("#outcome")
        assert outcome.get_attribute("data-result") == "cancelled"
        assert "la place revient à la personne suivante" in outcome.inner_text()
        with Workspace(site.home) as ws:
            statuses = [p.status for p in events.attendees(ws.store, slug)[1]]
        assert statuses == ["cancelled", "offered", "waitlisted"]  # the first in line, only
        [offer] = box.wait_to("bruno-annul@pme.example", "libre")
        assert box.to("chloe-annul@pme.example") and not [
            m for m in box.to("chloe-annul@pme.example") if "libre" in str(m["Subject"])
        ]
        accept, _let_go = links_in(offer, site.url)
        page.goto(site.url + accept)
        shot(page, "event-offer")
        page.get_by_role("button", name="Prendre la place").click()
        assert page.locator("#outcome").get_attribute("data-result") == "accepted"
        page.goto(f"{site.url}/e/{slug}")
        assert "Complet" in page.locator("#seats").inner_text()
        with Workspace(site.home) as ws:
            statuses = [p.status for p in events.attendees(ws.store, slug)[1]]
        assert statuses == ["cancelled", "confirmed", "waitlisted"]


def test_the_live_wall_shows_new_posts_and_the_editors_moderation(
    page: Any, browser: Any, site: Site
) -> None:
    """The public wall, open as in the room, shows a new post with the hashtag by itself;
    an editor hides one post and pins another on the workbench's wall; the public wall
    follows without a reload."""
    from datetime import UTC, datetime

    from veilleur import events
    from veilleur.model import Post

    slug = "conference-mur"

    def post(i: int, author: str, text: str) -> Post:
        return Post(id=f"w{i}", network="mastodon", author=author, text=f"{text} #MurConf",
                    created_at=datetime(YEAR, 6, 3, 8 + i, tzinfo=UTC),
                    url=f"https://mastodon.example/@x/{i}")  # fmt: skip

    with Workspace(site.home) as ws:
        events.add_event(ws, slug, events.EventSpec(
            title="Conférence au mur", start=f"{YEAR}-06-03T09:00", end=f"{YEAR}-06-03T18:00",
            timezone="Europe/Paris", capacity=100, hashtag="#MurConf",
        ))  # fmt: skip
        ws.store.write_posts([post(0, "anne@mastodon.example", "Bonjour la salle"),
                              post(1, "troll@mastodon.example", "Publicité")])  # fmt: skip
    room = browser.new_page()  # the room's screen: no login needed
    try:
        room.goto(f"{site.url}/e/{slug}/mur")
        wall = room.locator("#wall li[data-post]")
        assert wall.evaluate_all("els => els.map(e => e.dataset.post)") == ["w1", "w0"]
        with Workspace(site.home) as ws:  # collected while the page is open
            ws.store.write_posts([post(2, "bruno@mastodon.example", "Très belle intervention")])
        room.locator('#wall li[data-post="w2"]').wait_for(timeout=40_000)  # htmx polling
        assert "Très belle intervention" in room.locator("#wall").inner_text()

        log_in(page, site, "editor")
        page.goto(f"{site.url}/w/{site.slug}/events/{slug}/wall")
        troll = page.locator('#wall li[data-post="w1"]')
        troll.get_by_role("button", name="Masquer").click()
        troll = page.locator('#wall li[data-post="w1"]')
        troll.get_by_role("button", name="Réafficher").wait_for()  # the editor still sees it
        page.locator('#wall li[data-post="w0"]').get_by_role("button", name="Épingler").click()
        page.locator('#wall li[data-post="w0"]', has_text="Épinglé").wait_for()
        shot(page, "event-wall")

        room.locator('#wall li[data-post="w1"]').wait_for(state="detached", timeout=40_000)
        assert wall.evaluate_all("els => els.map(e => e.dataset.post)") == ["w0", "w2"]
        assert "Épinglé" in room.locator('#wall li[data-post="w0"]').inner_text()
        assert room.get_by_role("button", name="Masquer").count() == 0  # no moderation there
    finally:
        room.close()


def test_reschedule_a_post_on_the_calendar(page: Any, site: Site) -> None:
    text = "Calendrier : la réunion des bénévoles change de jour."
    with Workspace(site.home) as ws:
        queued = publish.queue_post(ws, publish.Draft(text), account="asso", at="2033-05-10T09:00")
        assert queued is not None
    log_in(page, site, "admin")
    page.get_by_role("link", name="File d’attente").click()
    page.get_by_role("link", name="Calendrier de la semaine").click()
    page.goto(f"{site.url}/w/{site.slug}/queue/calendar?start=2033-05-10")
    assert "Europe/Paris" in page.locator("main").inner_text()
    tuesday = page.locator("li.cal-day", has_text="10 mai 2033")
    assert tuesday.locator("time").first.inner_text() == "09 h 00"  # the workbench's French
    shot(page, "calendar-week")
    tuesday.get_by_role("link", name=re.compile("réunion des bénévoles")).click()
    page.get_by_role("heading", name="Journal de publication").wait_for()
    shot(page, "queue-post")
    page.get_by_label("Nouvelle date et heure (Europe/Paris)").fill("2033-05-12T16:45")
    page.get_by_role("button", name="Déplacer la publication").click()
    assert "déplacée" in page.locator(".note").inner_text()
    thursday = page.locator("li.cal-day", has_text="12 mai 2033")
    assert "réunion des bénévoles" in thursday.inner_text()
    assert "réunion des bénévoles" not in page.locator("li.cal-day", has_text="10 mai").inner_text()
    page.get_by_role("link", name="Mois", exact=True).click()
    page.locator("table.cal-month").wait_for()
    shot(page, "calendar-month")
    with Workspace(site.home) as ws:
        moved = publish.open_queue(ws).get(queued.id)
    assert moved.status == "scheduled"
    assert (
        moved.scheduled_at is not None
        and moved.scheduled_at.isoformat() == "2033-05-12T14:45:00+00:00"
    )
    page.get_by_role("link", name="Paramètres").click()
    page.get_by_role("heading", name="Comptes de publication").wait_for()
    shot(page, "settings")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_the_image_is_sent_once_not_at_every_keystroke(page: Any, site: Site) -> None:
    """The preview made when the image is chosen carries it; those made as one types carry
    only its name, and still show it; the post queued carries the image."""
    bodies: list[bytes] = []
    page.on(
        "request",
        lambda request: (
            bodies.append(request.post_data_buffer or b"")
            if request.url.endswith("/compose/preview")
            else None
        ),
    )
    log_in(page, site, "admin")
    page.goto(f"{site.url}/w/{site.slug}/compose")
    page.get_by_label("Texte").fill("Un atelier en image.")
    page.locator("#preview .counter").first.wait_for()
    page.locator("#image").set_input_files(
        files=[{"name": "atelier.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("#preview", has_text="atelier.png").wait_for()
    # (Chromium does not show Playwright a body holding a file: the one sent on choosing
    # the image is checked by the preview showing its name, the later ones by their text.)
    sent_with_image = len(bodies)
    page.get_by_label("Texte").press_sequentially(" Deux mots.", delay=60)
    page.locator("#preview .text", has_text="Deux mots.").first.wait_for()
    later = bodies[sent_with_image:]
    assert later and all(b'name="image_name"' in body for body in later)
    assert not any(b"filename=" in body or b"IHDR" in body for body in later)
    assert "atelier.png" in page.locator("#preview").inner_text()  # still shown
    page.get_by_label("Décrivez l’image", exact=False).fill("Deux couturières")
    # Named, so that a submission that never leaves, or a server that never answers, says so
    # (a CI run once waited 30 s here for the note with the page still on the form).
    with page.expect_navigation(url=re.compile(r".*/queue$"), wait_until="commit"):
        page.get_by_role("button", name="Programmer").click()
    assert "Publication programmée." in page.locator(".note").inner_text()
    with Workspace(site.home) as ws:
        post = next(
            p for p in publish.open_queue(ws).posts() if "Un atelier en image." in p.texts[0]
        )
    assert [m.alt for m in post.media] == ["Deux couturières"]
    assert Path(post.media[0].path).read_bytes() == PNG
