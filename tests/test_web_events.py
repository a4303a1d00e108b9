"""The events' web pages over real HTTP (uvicorn on 127.0.0.1) with a real SMTP server:
the public sign-up and its double opt-in, capacity under 50 concurrent requests, the mail
links that act only on POST, the bot trap and the rate limit, and the organiser's pages
(attendees and ranks, check-in, printable list, live wall, recap)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from veilleur import events
from veilleur.model import Post
from veilleur.web.limits import RateLimit
from veilleur.workspace import Workspace

from .pdf_support import pdf_text
from .smtp_support import Mailbox, SilentServer, links_in
from .web_support import EVENT, YEAR, Site, _isolated_env, csrf, site  # noqa: F401

CONSENT = "yes"


@pytest.fixture(scope="module")
def mailbox(site: Site) -> Iterator[Mailbox]:
    with Mailbox() as box:
        with Workspace(site.home) as ws:
            box.configure(ws)
            ws.set_setting("events.base_url", site.url)
            ws.set_setting("events.signups_per_hour", "1000")
        yield box


def _event(site: Site, slug: str, capacity: int, hashtag: str | None = None) -> None:
    with Workspace(site.home) as ws:
        events.add_event(ws, slug, events.EventSpec(
            title=f"Atelier {slug}", start=f"{YEAR}-04-01T09:30", end=f"{YEAR}-04-01T12:00",
            timezone="Europe/Paris", location="Lyon", capacity=capacity, hashtag=hashtag,
        ))  # fmt: skip


def _people(site: Site, slug: str) -> list[events.Registration]:
    with Workspace(site.home) as ws:
        return events.attendees(ws.store, slug)[1]


def _sign_up(client: httpx.Client, slug: str, i: int, token: str, **extra: str) -> httpx.Response:
    return client.post(f"/e/{slug}", data={
        "csrf": token, "name": f"Personne {i}", "email": f"p{i}@pme.example",
        "organisation": "PME", "handle_mastodon": f"@p{i}@mastodon.example",
        "consent": CONSENT, **extra,
    })  # fmt: skip


def test_the_public_page_speaks_french_first_then_the_browser_language(
    site: Site, mailbox: Mailbox
) -> None:
    with site.client() as client:
        page = client.get(f"/e/{EVENT}")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Plus que 15\u00a0places" in page.text
    assert "Atelier Découverte de Twitter" in page.text and f"15 mars {YEAR}, 14 h 00" in page.text
    assert "J’accepte" in page.text  # the consent, in full
    with site.client(**{"Accept-Language": "en-GB,en;q=0.8"}) as client:
        english = client.get(f"/e/{EVENT}").text
    assert '<html lang="en">' in english and "Only 15 seats left" in english


def test_fifty_simultaneous_sign_ups_for_fifteen_seats(site: Site, mailbox: Mailbox) -> None:
    slug = "cinquante"
    _event(site, slug, 15)
    clients = [site.client() for _ in range(50)]
    tokens = [csrf(c, f"/e/{slug}") for c in clients]

    def at_once(work: list) -> list[httpx.Response]:  # type: ignore[type-arg]
        answers: list[httpx.Response | None] = [None] * len(work)
        start = threading.Barrier(len(work))

        def run(i: int) -> None:
            start.wait()
            answers[i] = work[i]()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(a is not None for a in answers)
        return [a for a in answers if a is not None]

    signed = at_once([
        (lambda i=i: _sign_up(clients[i], slug, i, tokens[i])) for i in range(50)
    ])  # fmt: skip
    assert [a.status_code for a in signed] == [200] * 50, [a.text[:300] for a in signed]
    assert all("Vérifiez votre messagerie" in a.text for a in signed)
    people = _people(site, slug)
    assert len(people) == 50 and {p.status for p in people} == {"pending"}  # no seat yet
    confirm = {}
    for i in range(50):  # by address: the mails of the tests before may still be arriving
        [message] = mailbox.wait_to(f"p{i}@pme.example", "Confirm")
        [path] = links_in(message, site.url)
        confirm[i] = path
    # the link pages, read first: they change nothing
    pages = [clients[i].get(confirm[i]) for i in range(50)]
    assert all(p.status_code == 200 and "Confirmer mon inscription" in p.text for p in pages)
    assert {p.status for p in _people(site, slug)} == {"pending"}
    link_tokens = [re.search(r'name="csrf" value="([^"]+)"', p.text).group(1) for p in pages]  # type: ignore[union-attr]
    done = at_once([
        (lambda i=i: clients[i].post(confirm[i], data={"csrf": link_tokens[i]}))
        for i in range(50)
    ])  # fmt: skip
    assert [a.status_code for a in done] == [200] * 50
    people = {p.email: p for p in _people(site, slug)}
    statuses = [p.status for p in people.values()]
    assert statuses.count("confirmed") == 15 and statuses.count("waitlisted") == 35
    positions = sorted(p.position for p in people.values() if p.status == "waitlisted")
    assert positions == list(range(1, 36))
    for i, answer in enumerate(done):  # each person was told what the database says
        person = people[f"p{i}@pme.example"]
        result = re.search(r'data-result="(\w+)"', answer.text).group(1)  # type: ignore[union-attr]
        assert result == person.status, (i, result, person.status)
        if person.status == "waitlisted":
            assert f"numéro\u00a0{person.position} " in answer.text, answer.text
    with site.client() as client:
        assert "Complet" in client.get(f"/e/{slug}").text
    for client in clients:
        client.close()


def test_a_link_acts_only_on_a_post_with_the_sessions_token(site: Site, mailbox: Mailbox) -> None:
    slug = "lien"
    _event(site, slug, 1)
    with site.client() as first, site.client() as second:
        _sign_up(first, slug, 100, csrf(first, f"/e/{slug}"))
        [message] = mailbox.wait_to("p100@pme.example")
        [path] = links_in(message, site.url)
        for _ in range(3):  # a mail scanner, a preview, the person: GET changes nothing
            assert first.get(path).status_code == 200
        assert [p.status for p in _people(site, slug)] == ["pending"]
        assert first.post(path, data={}).status_code == 403
        theirs = csrf(second, f"/e/{slug}")
        assert first.post(path, data={"csrf": theirs}).status_code == 403
        cross = first.post(path, data={"csrf": csrf(first, path)},
                           headers={"Origin": "https://evil.example"})  # fmt: skip
        assert cross.status_code == 403
        assert [p.status for p in _people(site, slug)] == ["pending"]
        assert first.post(path, data={"csrf": csrf(first, path)}).status_code == 200
        assert [p.status for p in _people(site, slug)] == ["confirmed"]
        again = first.post(path, data={"csrf": csrf(first, path)})
        assert again.status_code == 200 and 'data-result="already"' in again.text
        # the « confirmed » mail's cancel link frees the seat, on POST only
        confirmed = mailbox.wait_to("p100@pme.example", "confirmée")
        cancel = [p for m in confirmed for p in links_in(m, site.url) if p != path]
        assert cancel, [m["Subject"] for m in mailbox.to("p100@pme.example")]
        page = first.get(cancel[0])
        assert "Libérer ma place" in page.text
        assert [p.status for p in _people(site, slug)] == ["confirmed"]
        freed = first.post(cancel[0], data={"csrf": csrf(first, cancel[0])})
        assert 'data-result="cancelled"' in freed.text
        assert [p.status for p in _people(site, slug)] == ["cancelled"]
        # an altered token, a token for another event
        assert first.get(path[:-3] + "xyz").status_code == 410
        assert first.get(path.replace(f"/e/{slug}/", f"/e/{EVENT}/")).status_code == 410


def test_bots_filling_the_hidden_field_are_not_registered(site: Site, mailbox: Mailbox) -> None:
    slug = "robots"
    _event(site, slug, 5)
    with site.client() as client:
        answer = _sign_up(client, slug, 200, csrf(client, f"/e/{slug}"), website="http://spam")
    assert answer.status_code == 200 and "Vérifiez votre messagerie" in answer.text
    assert _people(site, slug) == []


def test_without_consent_or_with_a_bad_address_nothing_is_recorded(
    site: Site, mailbox: Mailbox
) -> None:
    slug = "consentement"
    _event(site, slug, 5)
    with site.client() as client:
        token = csrf(client, f"/e/{slug}")
        refused = _sign_up(client, slug, 300, token, consent="")
        assert refused.status_code == 400 and "Cochez" in refused.text
        assert 'value="Personne 300"' in refused.text  # what was typed is kept
        bad = _sign_up(client, slug, 301, token, email="pas-une-adresse")
        assert bad.status_code == 400 and "pas-une-adresse" in bad.text
    assert _people(site, slug) == []
    with site.client() as client:
        _sign_up(client, slug, 302, csrf(client, f"/e/{slug}"))
    [person] = _people(site, slug)
    assert person.consent.startswith("J’accepte")
    assert "«\u00a0Atelier consentement\u00a0»" in person.consent


def test_sign_ups_are_limited_per_address(site: Site, mailbox: Mailbox) -> None:
    slug = "limite"
    _event(site, slug, 5)
    with Workspace(site.home) as ws:
        ws.set_setting("events.signups_per_hour", "1")
    try:
        # An address of its own: 127.0.0.1's count depends on which tests this worker ran.
        with _limited_client(site, "127.0.0.3") as client:
            assert _sign_up(client, slug, 400, csrf(client, f"/e/{slug}")).status_code == 200
            answer = _sign_up(client, slug, 401, csrf(client, f"/e/{slug}"))
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "3600"
        assert [p.email for p in _people(site, slug)] == ["p400@pme.example"]
    finally:
        with Workspace(site.home) as ws:
            ws.set_setting("events.signups_per_hour", "1000")


def test_the_rate_limit_counts_per_address_within_its_window() -> None:
    limit = RateLimit(window=60)
    assert [limit.allow("a", 3, now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limit.allow("b", 3, now=3)  # another address
    assert limit.allow("a", 3, now=61)  # the first hit left the window


def test_the_organisers_pages(site: Site, mailbox: Mailbox) -> None:
    slug = "organisation"
    _event(site, slug, 1, hashtag="AtelierOrga")
    with Workspace(site.home) as ws:
        for i, name in enumerate(("Zoé Martin", "Léo <b>Petit</b>", "Inès Roux")):
            person = events.register(ws, slug, events.Applicant(
                name=name, email=f"o{i}@pme.example", consent="oui"))  # fmt: skip
            from veilleur.events.links import token

            events.follow_link(ws, token(ws, person.id, "confirm"))
        ws.store.write_posts([
            Post(id="mur-1", network="mastodon", author="intrus", url="javascript:alert(1)",
                 text="<script>alert('x')</script> #AtelierOrga",
                 created_at=datetime(YEAR, 4, 1, 8, tzinfo=UTC)),
            Post(id="mur-2", network="bluesky", author="zoe.bsky.social",
                 url="https://bsky.app/profile/zoe.bsky.social/post/1",
                 text="Très bon atelier #AtelierOrga",
                 created_at=datetime(YEAR, 4, 1, 9, tzinfo=UTC)),
        ])  # fmt: skip
    with site.login("editor") as editor:
        listing = editor.get(f"/w/{site.slug}/events")
        assert listing.status_code == 200 and "Atelier organisation" in listing.text
        detail = editor.get(f"/w/{site.slug}/events/{slug}").text
        assert "Léo &lt;b&gt;Petit&lt;/b&gt;" in detail and "<b>Petit" not in detail
        rows = re.findall(r'<tr data-status="(\w+)">.*?<td class="num">(\d*)</td>', detail, re.S)
        assert rows == [("confirmed", ""), ("waitlisted", "1"), ("waitlisted", "2")]
        # check-in: the search ignores accents and case; one tap marks present (htmx)
        found = editor.get(f"/w/{site.slug}/events/{slug}/checkin", params={"q": "zoe"})
        assert "Zoé Martin" in found.text and "Inès" not in found.text
        zoe = next(p for p in _people(site, slug) if p.name == "Zoé Martin")
        token = csrf(editor, f"/w/{site.slug}/events/{slug}/checkin")
        tap = editor.post(f"/w/{site.slug}/events/{slug}/checkin/{zoe.id}",
                          data={"present": "1"},
                          headers={"HX-Request": "true", "X-CSRF-Token": token})  # fmt: skip
        assert tap.status_code == 200 and 'class="present"' in tap.text
        assert next(p for p in _people(site, slug) if p.id == zoe.id).status == "attended"
        waiting = next(p for p in _people(site, slug) if p.name == "Inès Roux")
        refused = editor.post(f"/w/{site.slug}/events/{slug}/checkin/{waiting.id}",
                              data={"csrf": token, "present": "1"})  # fmt: skip
        assert refused.status_code == 400  # no seat, no check-in
        printed = editor.get(f"/w/{site.slug}/events/{slug}/print").text
        assert "Zoé Martin" in printed and "Inès Roux" not in printed  # seats only
    with site.login("viewer") as viewer:
        assert viewer.get(f"/w/{site.slug}/events/{slug}").status_code == 403  # personal data
        wall = viewer.get(f"/w/{site.slug}/events/{slug}/wall").text
        assert 'hx-trigger="every 15s"' in wall
        posts = viewer.get(f"/w/{site.slug}/events/{slug}/wall/posts").text
        assert "&lt;script&gt;alert(" in posts and "<script>alert(" not in posts
        assert "javascript:" not in posts
        assert 'href="https://bsky.app/profile/zoe.bsky.social/post/1"' in posts
        assert posts.index("Très bon atelier") < posts.index("&lt;script&gt;")  # newest first
        recap = viewer.get(f"/w/{site.slug}/events/{slug}/recap")
        assert recap.status_code == 200 and "2\u00a0publications avec le mot-dièse" in recap.text
        assert "<script>alert(" not in recap.text and "javascript:" not in recap.text


def test_a_freed_seat_is_offered_and_taken_through_the_mail_link(
    site: Site, mailbox: Mailbox
) -> None:
    slug = "offre"
    _event(site, slug, 1)

    def confirm(client: httpx.Client, address: str) -> None:
        [message] = mailbox.wait_to(address, "Confirm")
        [path] = links_in(message, site.url)
        client.post(path, data={"csrf": csrf(client, path)})

    with site.client() as anne, site.client() as bruno:
        _sign_up(anne, slug, 500, csrf(anne, f"/e/{slug}"))
        _sign_up(bruno, slug, 501, csrf(bruno, f"/e/{slug}"))
        confirm(anne, "p500@pme.example")
        confirm(bruno, "p501@pme.example")
        assert [p.status for p in _people(site, slug)] == ["confirmed", "waitlisted"]
        # Anne frees her seat from her « confirmed » mail
        [seat] = mailbox.wait_to("p500@pme.example", "confirmée")
        [free] = links_in(seat, site.url)
        anne.post(free, data={"csrf": csrf(anne, free)})
        assert [p.status for p in _people(site, slug)] == ["cancelled", "offered"]
        [offer] = mailbox.wait_to("p501@pme.example", "libre")
        accept, _let_go = links_in(offer, site.url)
        page = bruno.get(accept)
        assert "Prendre la place" in page.text and "Prenez-la avant le" in page.text
        assert [p.status for p in _people(site, slug)] == ["cancelled", "offered"]
        taken = bruno.post(accept, data={"csrf": csrf(bruno, accept)})
        assert 'data-result="accepted"' in taken.text
        assert [p.status for p in _people(site, slug)] == ["cancelled", "confirmed"]


def test_the_wall_is_moderated_and_can_show_attendees_only(site: Site, mailbox: Mailbox) -> None:
    slug = "mur-lyon"  # not « mur »: a word of the public addresses (/e/SLUG/mur)
    _event(site, slug, 5, hashtag="MurLyon")
    with Workspace(site.home) as ws:
        person = events.register(ws, slug, events.Applicant(
            name="Zoé", email="zoe-mur@pme.example", consent="oui",
            handles={"mastodon": "@Zoe@mastodon.example"}))  # fmt: skip
        from veilleur.events.links import token

        events.follow_link(ws, token(ws, person.id, "confirm"))

        def post(i: int, author: str, text: str) -> Post:
            return Post(id=f"m{i}", network="mastodon", author=author, text=f"{text} #MurLyon",
                        created_at=datetime(YEAR, 4, 1, 8 + i, tzinfo=UTC),
                        url=f"https://mastodon.example/@x/{i}")  # fmt: skip

        ws.store.write_posts([
            post(0, "zoe@mastodon.example", "Bonjour de Zoé"),
            post(1, "troll@mastodon.example", "<img src=x onerror=alert(1)> pub"),
            post(2, "zoe@mastodon.example", "Zoé encore"),
            post(3, "anne@mastodon.example", "Belle salle"),
        ])  # fmt: skip
    base = f"/w/{site.slug}/events/{slug}/wall"

    def public() -> list[str]:
        with site.client() as client:  # the public wall, without a login
            page = client.get(f"/e/{slug}/mur/posts")
        assert page.status_code == 200
        return re.findall(r'data-post="(\w+)"', page.text)

    assert public() == ["m3", "m2", "m1", "m0"]  # newest first
    with site.client() as client:
        page = client.get(f"/e/{slug}/mur").text
        polled = client.get(f"/e/{slug}/mur/posts").text
    for text in (page, polled):  # who attends is not told to the world
        assert "Premier message" not in text and "first" not in text
    assert 'hx-trigger="every 15s"' in page and "&lt;img src=x" in page and "<img src" not in page
    assert "Masquer" not in page  # no moderation in public
    with site.login("editor") as editor:
        wall = editor.get(base).text
        first = re.search(r'data-post="m0" class="([^"]*)"', wall)
        assert first and "first" in first.group(1)  # Zoé's first post is marked
        assert "Premier message d’un participant" in wall
        assert 'class="first"' not in wall.split('data-post="m2"')[1][:40]
        token_ = csrf(editor, base)
        hx = {"HX-Request": "true", "X-CSRF-Token": token_}
        hidden = editor.post(f"{base}/moderate", data={"network": "mastodon", "post": "m1",
                                                       "action": "hide"}, headers=hx)  # fmt: skip
        assert hidden.status_code == 200 and "Réafficher" in hidden.text  # the editor still sees it
        editor.post(f"{base}/moderate", data={"network": "mastodon", "post": "m0",
                                              "action": "pin"}, headers=hx)  # fmt: skip
        assert public() == ["m0", "m3", "m2"]  # pinned first, the troll gone
        editor.post(f"{base}/options", data={"csrf": token_, "attendees_only": "yes"})
        assert public() == ["m0", "m2"]  # Zoé registered with that handle; Anne did not
        editor.post(f"{base}/options", data={"csrf": token_})
        editor.post(f"{base}/moderate", data={"network": "mastodon", "post": "m1",
                                              "action": "show"}, headers=hx)  # fmt: skip
        assert public() == ["m0", "m3", "m2", "m1"]
    with site.login("viewer") as viewer:
        refused = viewer.post(
            f"{base}/moderate",
            data={
                "csrf": csrf(viewer, base),
                "network": "mastodon",
                "post": "m3",
                "action": "hide",
            },
        )
        assert refused.status_code == 403
        assert "Masquer" not in viewer.get(base).text
    assert public() == ["m0", "m3", "m2", "m1"]


def _limited_client(site: Site, address: str) -> httpx.Client:
    """A client whose requests come from another loopback address: a fresh quota."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=site.url, transport=transport, timeout=60)


def test_a_sign_up_answers_and_pages_stay_up_while_the_smtp_server_hangs(
    site: Site, mailbox: Mailbox
) -> None:
    slug = "smtp-muet"
    _event(site, slug, 5)
    with SilentServer() as silent:
        with Workspace(site.home) as ws:
            ws.set_setting("smtp.port", str(silent.port))
        try:
            with site.client() as client, site.login("editor") as editor:
                answer = _sign_up(client, slug, 600, csrf(client, f"/e/{slug}"))
                # the page answered before the mail went: the SMTP client has not given up
                assert answer.status_code == 200 and "Vérifiez votre messagerie" in answer.text
                assert not silent.gave_up.is_set()
                assert silent.connected.wait(60), "the confirmation mail was never tried"
                # while the mail hangs, the pages of the served workspace answer
                assert client.get(f"/e/{EVENT}").status_code == 200
                assert editor.get(f"/w/{site.slug}/events").status_code == 200
                assert not silent.gave_up.is_set()
            [person] = _people(site, slug)
            assert person.status == "pending"
        finally:
            silent.release()
            with Workspace(site.home) as ws:
                mailbox.configure(ws)


def _second(
    site: Site,
    mailbox: Mailbox,
    folder: str,
    capacity: int = 1,
    *,
    register: bool = True,
    address: bool = True,
) -> str:
    """A workspace ``folder`` beside the served one, registered on the server (its name in
    the addresses is returned), its mails going to the test's SMTP server, with an event of
    the same slug as the home's (:data:`EVENT`) but its own title; ``address``: whether it
    has its own ``events.base_url``."""
    from veilleur import accounts
    from veilleur.workspace import init_workspace

    path = site.home.parent / folder
    second, _ = init_workspace(path)
    with second:
        mailbox.configure(second)
        if address:
            second.set_setting("events.base_url", site.url)
        second.set_setting("events.signups_per_hour", "1000")
        events.add_event(second, EVENT, events.EventSpec(
            title=f"Atelier de {folder}", start=f"{YEAR}-05-01T09:30", end=f"{YEAR}-05-01T12:00",
            timezone="Europe/Paris", capacity=capacity, hashtag=f"Atelier{folder.title()}",
        ))  # fmt: skip
    if not register:
        return folder
    with Workspace(site.home) as ws:
        return accounts.register_workspace(ws.store, path).slug


def _people_of(site: Site, folder: str) -> list[events.Registration]:
    with Workspace(site.home.parent / folder) as ws:
        return events.attendees(ws.store, EVENT)[1]


def _confirm(client: httpx.Client, mailbox: Mailbox, site: Site, address: str) -> str:
    """Follow the confirmation link mailed to ``address`` (its page, then its button)."""
    [message] = mailbox.wait_to(address, "Confirm")
    [path] = links_in(message, site.url)
    page = client.get(path)
    assert page.status_code == 200 and "Confirmer mon inscription" in page.text
    done = client.post(path, data={"csrf": csrf(client, path)})
    assert done.status_code == 200, done.text[:300]
    return path


def test_every_registered_workspace_has_public_pages_and_working_mail_links(
    site: Site, mailbox: Mailbox
) -> None:
    other = _second(site, mailbox, "clienta")
    home_people = len(_people(site, EVENT))
    with site.client() as anne, site.client() as bruno:
        page = anne.get(f"/e/{other}/{EVENT}")
        assert page.status_code == 200
        assert "Atelier de clienta" in page.text and "Plus que 1\u00a0place" in page.text
        assert f'action="/e/{other}/{EVENT}"' in page.text  # the form posts to its own page
        # the home's old address still shows the home's event of the same slug
        assert "Atelier Découverte de Twitter" in anne.get(f"/e/{EVENT}").text
        signed = _sign_up(anne, f"{other}/{EVENT}", 800, csrf(anne, f"/e/{other}/{EVENT}"))
        assert signed.status_code == 200 and "Vérifiez votre messagerie" in signed.text
        assert f'href="/e/{other}/{EVENT}"' in signed.text  # « back to the event »
        assert [p.status for p in _people_of(site, "clienta")] == ["pending"]
        path = _confirm(anne, mailbox, site, "p800@pme.example")
        assert path.startswith(f"/e/{other}/{EVENT}/l/")
        assert [p.status for p in _people_of(site, "clienta")] == ["confirmed"]
        assert len(_people(site, EVENT)) == home_people  # the home's event untouched
        # the « confirmed » mail: its cancel link and its invitation name this workspace
        [seat] = mailbox.wait_to("p800@pme.example", "confirmée")
        [cancel] = links_in(seat, site.url)
        assert cancel.startswith(f"/e/{other}/{EVENT}/l/")
        invitation = next(
            p for p in seat.iter_attachments() if p.get_filename() == "invitation.ics"
        )
        unfolded = invitation.get_content().replace("\r\n ", "").replace("\n ", "")
        assert f"{site.url}/e/{other}/{EVENT}" in unfolded
        # full: Bruno waits; Anne's cancel link frees the seat and Bruno's offer mail works
        _sign_up(bruno, f"{other}/{EVENT}", 801, csrf(bruno, f"/e/{other}/{EVENT}"))
        _confirm(bruno, mailbox, site, "p801@pme.example")
        assert [p.status for p in _people_of(site, "clienta")] == ["confirmed", "waitlisted"]
        assert "Libérer ma place" in anne.get(cancel).text
        freed = anne.post(cancel, data={"csrf": csrf(anne, cancel)})
        assert 'data-result="cancelled"' in freed.text
        [offer] = mailbox.wait_to("p801@pme.example", "libre")
        accept, _let_go = links_in(offer, site.url)
        assert accept.startswith(f"/e/{other}/{EVENT}/l/")
        taken = bruno.post(accept, data={"csrf": csrf(bruno, accept)})
        assert 'data-result="accepted"' in taken.text
        assert [p.status for p in _people_of(site, "clienta")] == ["cancelled", "confirmed"]
    # its live wall, without a login, polls its own posts
    with Workspace(site.home.parent / "clienta") as ws:
        ws.store.write_posts([Post(
            id="clienta-1", network="mastodon", author="zoe", text="Super #AtelierClienta",
            created_at=datetime(YEAR, 5, 1, 8, tzinfo=UTC), url="https://mastodon.example/@z/1",
        )])  # fmt: skip
    with site.client() as room:
        wall = room.get(f"/e/{other}/{EVENT}/mur")
        assert wall.status_code == 200 and "Atelier de clienta" in wall.text
        assert f'hx-get="/e/{other}/{EVENT}/mur/posts"' in wall.text
        posts = room.get(f"/e/{other}/{EVENT}/mur/posts")
        assert posts.status_code == 200 and "Super #AtelierClienta" in posts.text
        assert "Super #AtelierClienta" not in room.get(f"/e/{EVENT}/mur/posts").text
    # the organiser's pages link to these addresses; the home's to /e/SLUG as before
    with site.login("editor", **{"Accept-Language": "fr"}) as editor:
        public = f'href="/e/{other}/{EVENT}"'
        assert public in editor.get(f"/w/{other}/events").text
        assert public in editor.get(f"/w/{other}/events/{EVENT}").text
        assert (
            f'href="/e/{other}/{EVENT}/mur"' in editor.get(f"/w/{other}/events/{EVENT}/wall").text
        )
        home = editor.get(f"/w/{site.slug}/events").text
        assert f'href="/e/{EVENT}"' in home and f'href="/e/{site.slug}/' not in home
        assert f'href="/e/{EVENT}/mur"' in editor.get(f"/w/{site.slug}/events/{EVENT}/wall").text


def test_a_link_of_one_workspace_never_acts_on_anothers_event(site: Site, mailbox: Mailbox) -> None:
    other = _second(site, mailbox, "clientb", capacity=3)
    with site.client() as client:
        _sign_up(client, EVENT, 810, csrf(client, f"/e/{EVENT}"))
        _sign_up(client, f"{other}/{EVENT}", 811, csrf(client, f"/e/{other}/{EVENT}"))
        [home_mail] = mailbox.wait_to("p810@pme.example", "Confirm")
        [theirs_mail] = mailbox.wait_to("p811@pme.example", "Confirm")
        [home_link] = links_in(home_mail, site.url)
        [their_link] = links_in(theirs_mail, site.url)
        token = csrf(client, f"/e/{EVENT}")
        home_token, their_token = home_link.rsplit("/", 1)[1], their_link.rsplit("/", 1)[1]
        crossed = [f"/e/{other}/{EVENT}/l/{home_token}", f"/e/{EVENT}/l/{their_token}",
                   f"/e/{site.slug}/{EVENT}/l/{their_token}"]  # fmt: skip
        for path in crossed:  # same event slug, another workspace's key: refused
            assert client.get(path).status_code == 410, path
            assert client.post(path, data={"csrf": token}).status_code == 410, path
        assert [p.status for p in _people_of(site, "clientb")] == ["pending"]
        mine = next(p for p in _people(site, EVENT) if p.email == "p810@pme.example")
        assert mine.status == "pending"
        # the home answers under its registered name too, with its own links
        assert client.get(f"/e/{site.slug}/{EVENT}/l/{home_token}").status_code == 200


def test_workspaces_sharing_a_link_key_still_refuse_each_others_links(
    site: Site, mailbox: Mailbox
) -> None:
    """A workspace copied from another keeps its link key (and its registrations' ids):
    the name each link carries still keeps it on its own workspace."""
    from veilleur.events.links import token

    first = _second(site, mailbox, "copiea", capacity=3)
    with site.client() as client:  # opened by the server under its name first
        assert client.get(f"/e/{first}/{EVENT}").status_code == 200
    second = _second(site, mailbox, "copieb", capacity=3)
    with site.client() as client:
        assert client.get(f"/e/{second}/{EVENT}").status_code == 200
    tokens = {}
    for folder in ("copiea", "copieb"):
        with Workspace(site.home.parent / folder) as ws:
            person = events.register(ws, EVENT, events.Applicant(
                name="Même", email="meme@pme.example", consent="oui"), send=False)  # fmt: skip
            if folder == "copieb":
                with Workspace(site.home.parent / "copiea") as source:
                    ws.set_setting("events.link_key", source.setting("events.link_key"))
            tokens[folder] = token(ws, person.id, "confirm")
    ids = {p.id for f in ("copiea", "copieb") for p in _people_of(site, f)}
    assert len(ids) == 1  # the same registration id in both, under the same key
    with site.client() as client:
        assert client.get(f"/e/{first}/{EVENT}/l/{tokens['copiea']}").status_code == 200
        for path in (f"/e/{second}/{EVENT}/l/{tokens['copiea']}",
                     f"/e/{first}/{EVENT}/l/{tokens['copieb']}"):  # fmt: skip
            answer = client.get(path)
            assert answer.status_code == 410 and "un autre événement" in answer.text, path
            refused = client.post(path, data={"csrf": csrf(client, f"/e/{first}/{EVENT}")})
            assert refused.status_code == 410
    assert [p.status for f in ("copiea", "copieb") for p in _people_of(site, f)] == ["pending"] * 2


def test_unknown_or_gone_workspaces_and_events_answer_404(site: Site, mailbox: Mailbox) -> None:
    import shutil

    other = _second(site, mailbox, "clientc")
    gone = _second(site, mailbox, "disparu")
    shutil.rmtree(site.home.parent / "disparu")
    with site.client() as client:
        token = csrf(client, f"/e/{EVENT}")
        for name in ("inconnu", gone):
            base = f"/e/{name}/{EVENT}"
            for path in (base, f"{base}/mur", f"{base}/mur/posts", f"{base}/l/abc.def"):
                answer = client.get(path)
                assert answer.status_code == 404, (path, answer.text[:300])
                assert str(site.home.parent) not in answer.text
            assert _sign_up(client, f"{name}/{EVENT}", 820, token).status_code == 404
        assert client.get(f"/e/{other}/inconnu").status_code == 404
        assert client.get(f"/e/{other}/inconnu/mur").status_code == 404
        # a link on a workspace that never made one (no key yet): refused, not an error
        assert client.get(f"/e/{other}/{EVENT}/l/abc.def").status_code == 410
        # the home's events under its registered name, as under /e/SLUG
        named = client.get(f"/e/{site.slug}/{EVENT}")
        assert named.status_code == 200 and "Atelier Découverte de Twitter" in named.text


def test_a_workspace_once_served_by_name_elsewhere_keeps_its_links_as_a_home(
    site: Site, mailbox: Mailbox
) -> None:
    """Its mails carry /e/NAME/SLUG: its own server answers there too, as its home."""
    from veilleur.events.links import token

    from .web_support import _serve

    _second(site, mailbox, "ailleurs", register=False)
    path = site.home.parent / "ailleurs"
    with Workspace(path) as ws:
        events.serve_as(ws, "ancien-nom")
        person = events.register(ws, EVENT, events.Applicant(
            name="Zoé", email="zoe@pme.example", consent="oui"), send=False)  # fmt: skip
        link = token(ws, person.id, "confirm")
    for url in _serve(path):
        with httpx.Client(base_url=url, timeout=60) as client:
            page = client.get(f"/e/ancien-nom/{EVENT}")
            assert page.status_code == 200 and "Atelier de ailleurs" in page.text
            assert client.get(f"/e/{EVENT}").status_code == 200
            for prefix in (f"/e/ancien-nom/{EVENT}", f"/e/{EVENT}"):
                assert client.get(f"{prefix}/l/{link}").status_code == 200, prefix
            assert client.get(f"/e/autre-nom/{EVENT}").status_code == 404


def test_user_workspace_serves_another_workspace_from_the_command_line(
    cli, site: Site, mailbox: Mailbox
) -> None:  # type: ignore[no-untyped-def]
    from veilleur.events.links import page_url

    _second(site, mailbox, "cliente", register=False)
    path = site.home.parent / "cliente"
    done = cli("user", "workspace", str(path), workspace=site.home)
    assert done.code == 0, done.err
    assert "/w/cliente/" in done.out and "/e/cliente/SLUG" in done.out
    # named at once: mails made before the server opens it (veilleur run) link right
    with Workspace(path) as ws:
        assert page_url(ws, EVENT) == f"{site.url}/e/cliente/{EVENT}"
    with site.client() as client:
        page = client.get(f"/e/cliente/{EVENT}")
        assert page.status_code == 200 and "Atelier de cliente" in page.text
    again = cli("user", "workspace", str(path), workspace=site.home)  # nothing changes
    assert again.code == 0 and "/w/cliente/" in again.out
    itself = cli("user", "workspace", str(site.home), workspace=site.home)
    assert itself.code == 2 and "/e/SLUG" in itself.err
    (site.home.parent / "papiers").mkdir()
    (site.home.parent / "papiers" / "lettre.txt").write_text("bonjour", encoding="utf-8")
    elsewhere = cli("user", "workspace", str(site.home.parent / "papiers"), workspace=site.home)
    assert elsewhere.code == 2 and "not a veilleur workspace" in elsewhere.err


def test_a_workspace_without_an_address_of_its_own_takes_the_servers(
    cli, site: Site, mailbox: Mailbox
) -> None:  # type: ignore[no-untyped-def]
    from veilleur.events.links import page_url

    # registered by the server's registry: the first page opened by name gives it the address
    other = _second(site, mailbox, "clientf", address=False)
    with site.client() as client:
        form = f"/e/{other}/{EVENT}"
        signed = _sign_up(client, f"{other}/{EVENT}", 845, csrf(client, form))
        assert signed.status_code == 200 and "Vérifiez votre messagerie" in signed.text
        assert _confirm(client, mailbox, site, "p845@pme.example").startswith(f"{form}/l/")
    # registered with the command: the address is given at once, before any page is served
    _second(site, mailbox, "clientg", register=False, address=False)
    assert (
        cli("user", "workspace", str(site.home.parent / "clientg"), workspace=site.home).code == 0
    )
    with Workspace(site.home.parent / "clientg") as ws:
        assert page_url(ws, EVENT) == f"{site.url}/e/clientg/{EVENT}"
        ws.set_setting("events.base_url", "https://evenements.example")
    # an address of its own is never replaced by the server's
    with site.client() as client:
        assert client.get(f"/e/clientg/{EVENT}").status_code == 200
    with Workspace(site.home.parent / "clientg") as ws:
        assert page_url(ws, EVENT) == f"https://evenements.example/e/clientg/{EVENT}"


def test_a_workspace_that_cannot_be_written_is_served_under_its_name(
    site: Site, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered workspace on a read-only mount: its name cannot be recorded in it, and
    its pages answer all the same (a GET wrote the name and failed every page before)."""
    from veilleur.store import health

    other = _second(site, mailbox, "lecture", address=False)
    database = site.home.parent / "lecture" / "veilleur.sqlite"
    # Root writes anywhere: stand in for a read-only mount where veilleur asks the system.
    writable = health.writable
    monkeypatch.setattr(health, "writable", lambda path: path != database and writable(path))
    with site.client() as client:
        for _ in range(2):
            page = client.get(f"/e/{other}/{EVENT}")
            assert page.status_code == 200, page.text[:300]
            assert "Atelier de lecture" in page.text
            assert f'action="/e/{other}/{EVENT}"' in page.text  # its links keep its name
        assert client.get(f"/e/{other}/{EVENT}/mur").status_code == 200
    with site.login("viewer") as viewer:
        listed = viewer.get(f"/w/{other}/events")
        assert listed.status_code == 200, listed.text[:300]
        assert f'href="/e/{other}/{EVENT}"' in listed.text
    monkeypatch.undo()
    with Workspace(site.home.parent / "lecture") as ws:  # nothing was written in it
        assert events.public_name(ws) == "" and events.public_base(ws) == ""


def test_a_sign_up_on_a_workspace_that_cannot_be_written_says_so_plainly(
    site: Site, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace on a read-only mount, served by name: a sign-up cannot be recorded. The
    visitor reads that nothing can be recorded now (503), not a bare « Internal Server
    Error »; the staff, saving a wall option there, read that the workspace is read-only
    and what to check. Nothing is written."""
    from veilleur.store import health

    other = _second(site, mailbox, "figee")
    database = site.home.parent / "figee" / "veilleur.sqlite"
    before = database.read_bytes()
    # Root writes anywhere: stand in for a read-only mount where veilleur asks the system.
    writable = health.writable
    monkeypatch.setattr(health, "writable", lambda path: path != database and writable(path))
    with site.client() as visitor:
        page = f"{other}/{EVENT}"
        refused = _sign_up(visitor, page, 840, csrf(visitor, f"/e/{page}"))
        assert refused.status_code == 503, refused.text[:300]
        assert "Rien ne peut être enregistré ici pour le moment" in refused.text
        assert "read-only" not in refused.text and "lecture seule" not in refused.text
    with site.login("editor") as editor:
        wall = f"/w/{other}/events/{EVENT}/wall"
        token = csrf(editor, wall)
        saved = editor.post(f"{wall}/options", data={"csrf": token, "attendees_only": "yes"})
        assert saved.status_code == 503, saved.text[:300]
        assert "lecture seule" in saved.text and "Vérifiez les droits" in saved.text
    monkeypatch.undo()
    assert database.read_bytes() == before
    assert _people_of(site, "figee") == []


def test_workspaces_named_like_the_words_of_the_public_addresses_are_served(
    site: Site, mailbox: Mailbox
) -> None:
    """Only events may not be called « mur » or « l » (``/e/SLUG/mur`` is the home's wall):
    a workspace so named is served at ``/e/mur/SLUG``… without ambiguity, so
    ``events.served_as`` takes these names as the registry gives them."""
    for folder in ("mur", "l"):
        name = _second(site, mailbox, folder)
        assert name == folder
        with site.client() as client:
            page = client.get(f"/e/{name}/{EVENT}")
            assert page.status_code == 200 and f"Atelier de {folder}" in page.text, folder
            wall = client.get(f"/e/{name}/{EVENT}/mur")
            assert wall.status_code == 200 and f"Atelier de {folder}" in wall.text
            assert client.get(f"/e/{name}/{EVENT}/mur/posts").status_code == 200
            assert client.get(f"/e/{name}/{EVENT}/l/abc.def").status_code == 410
            home = client.get(f"/e/{EVENT}/mur")  # the home's wall is still the home's
            assert home.status_code == 200 and "Atelier Découverte de Twitter" in home.text


def test_a_public_page_opens_its_workspace_once_per_request(
    site: Site, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each public page of a workspace served by name opens it once (it opened it two or
    three times: to know it was there, then for each part of the answer)."""
    from veilleur.web.server import Server

    other = _second(site, mailbox, "unefois", capacity=3)
    folder = (site.home.parent / "unefois").resolve()
    opened: list[Path] = []
    original = Server.workspace

    def counted(self: Server, path: Path, name: str | None = None):  # type: ignore[no-untyped-def]
        opened.append(Path(path).resolve())
        return original(self, path, name)

    with site.client() as client:
        token = csrf(client, f"/e/{other}/{EVENT}")  # opened (and named) once before
        monkeypatch.setattr(Server, "workspace", counted)
        base = f"/e/{other}/{EVENT}"
        asked = [
            ("GET", base, {}),
            ("GET", f"{base}/mur", {}),
            ("GET", f"{base}/mur/posts", {}),
            ("GET", f"{base}/l/abc.def", {}),
            ("POST", f"{base}/l/abc.def", {"csrf": token}),
            ("POST", base, {"csrf": token, "name": "Robot", "website": "x"}),  # a bot
            ("POST", base, {"csrf": token, "name": "Oubli", "email": "o@pme.example"}),
        ]
        for method, path, form in asked:
            opened.clear()
            answer = client.request(method, path, data=form or None)
            assert answer.status_code in (200, 400, 410), (path, answer.text[:300])
            assert opened.count(folder) == 1, (method, path, opened)
    assert _people_of(site, "unefois") == []


def test_user_workspace_says_when_its_sign_ups_would_be_refused(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Registered beside a home that has no public address, a workspace without one of its
    own cannot link its mails: every sign-up on its pages would be refused. Said, with the
    way out; nothing said when either has one."""
    from veilleur.workspace import init_workspace

    for folder in ("cliente", "autre", "sienne"):
        init_workspace(tmp_path / folder)[0].close()
    with Workspace(tmp_path / "sienne") as ws:
        ws.set_setting("events.base_url", "https://sienne.example")
    home = tmp_path / "maison"  # a server's home without events.base_url
    done = cli("user", "workspace", str(tmp_path / "cliente"), workspace=home)
    assert done.code == 0, done.err
    assert "/e/cliente/SLUG" in done.out
    assert "no public address for the links of cliente's event mails" in done.err
    assert "sign-ups on its event pages are refused" in done.err
    assert f"veilleur -w {home} config set events.base_url https://your.site" in done.err
    assert f"veilleur -w {tmp_path / 'cliente'} config set events.base_url" in done.err
    mine = cli(
        "user", "workspace", str(tmp_path / "sienne"), workspace=home
    )  # an address of its own
    assert mine.code == 0 and "events.base_url" not in mine.err
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    french = cli("user", "workspace", str(tmp_path / "autre"), workspace=home)
    assert french.code == 0 and "les inscriptions sur ses pages d’événements" in french.err
    monkeypatch.setenv("VEILLEUR_LANG", "en")
    assert (
        cli("config", "set", "events.base_url", "https://ateliers.example", workspace=home).code
        == 0
    )
    again = cli(
        "user", "workspace", str(tmp_path / "cliente"), workspace=home
    )  # as the warning says
    assert again.code == 0 and "events.base_url" not in again.err
    with Workspace(tmp_path / "cliente") as ws:
        assert events.public_base(ws) == "https://ateliers.example"


def test_reminders_of_another_workspace_link_to_its_pages(site: Site, mailbox: Mailbox) -> None:
    """The D-2 reminder, made by the events' job step (as ``veilleur run`` or a worker
    runs it, away from the server), links to the workspace's own pages."""
    from veilleur.events.reminders import STEP

    other = _second(site, mailbox, "clientd", capacity=2)
    with site.client() as zoe:
        _sign_up(zoe, f"{other}/{EVENT}", 830, csrf(zoe, f"/e/{other}/{EVENT}"))
        _confirm(zoe, mailbox, site, "p830@pme.example")
        # The seat's mail first: the server's courier sends it after the response, and the
        # step below runs two days ahead, where the courier's claim would look a dead one's.
        mailbox.wait_to("p830@pme.example", "confirmée")
        with Workspace(site.home.parent / "clientd") as ws:
            event = events.get_event(ws.store, EVENT)
            assert STEP.due(ws, event.starts_at - timedelta(days=1)) == ["turn"]
            events.run_step(ws, now=event.starts_at - timedelta(days=1))
        [reminder] = mailbox.wait_to("p830@pme.example", "Dans deux jours")
        come, free = links_in(reminder, site.url)
        assert come.startswith(f"/e/{other}/{EVENT}/l/") and free.startswith(f"/e/{other}/")
        assert "Je viens" in zoe.get(come).text
        answer = zoe.post(come, data={"csrf": csrf(zoe, come)})
        assert answer.status_code == 200 and 'data-result="coming"' in answer.text
    [person] = _people_of(site, "clientd")
    assert person.coming_at is not None


def test_only_sign_ups_that_reach_the_register_are_counted(site: Site, mailbox: Mailbox) -> None:
    slug = "quota"
    _event(site, slug, 5)
    with Workspace(site.home) as ws:
        ws.set_setting("events.signups_per_hour", "2")
    try:
        with _limited_client(site, "127.0.0.2") as client:
            token = csrf(client, f"/e/{slug}")
            for i in range(5):  # the consent box forgotten, an unknown event: not counted
                assert _sign_up(client, slug, 700 + i, token, consent="").status_code == 400
                assert _sign_up(client, "inconnu", 700 + i, token).status_code == 404
            assert _sign_up(client, slug, 710, token).status_code == 200
            assert _sign_up(client, slug, 711, token).status_code == 200
            assert _sign_up(client, slug, 712, token).status_code == 429
        assert len(_people(site, slug)) == 2
    finally:
        with Workspace(site.home) as ws:
            ws.set_setting("events.signups_per_hour", "1000")


def test_the_rate_limit_forgets_idle_addresses_and_counts_ipv6_by_64() -> None:
    from veilleur.web.limits import client_key

    limit = RateLimit(window=60)
    for i in range(100):
        assert limit.allow(f"10.0.0.{i}", 3, now=i / 10)
    assert len(limit) == 100
    assert limit.allow("10.1.0.1", 3, now=200)  # the others' last hit left the window
    assert len(limit) == 1
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7" == client_key("192.0.2.7")
    hosts = [f"2001:db8:1:2:{i:x}::1" for i in range(4)]  # one /64, four addresses
    assert [limit.allow(client_key(h), 3, now=300) for h in hosts] == [True, True, True, False]


def test_a_pinned_post_stays_on_the_wall_however_old(site: Site, mailbox: Mailbox) -> None:
    slug = "epingle"
    _event(site, slug, 5, hashtag="EpingleLyon")
    with Workspace(site.home) as ws:
        ws.store.write_posts([
            Post(id=f"e{i}", network="mastodon", author=f"a{i}@mastodon.example",
                 text=f"Message {i} #EpingleLyon", url=f"https://mastodon.example/@a/{i}",
                 created_at=datetime(YEAR, 3, 31, 12, tzinfo=UTC) + timedelta(minutes=i))
            for i in range(260)
        ])  # fmt: skip
        events.moderate(ws, slug, "mastodon", "e0", "pin")  # the oldest of 260
    with site.client() as client:
        page = client.get(f"/e/{slug}/mur/posts").text
    shown = re.findall(r'data-post="(\w+)"', page)
    assert shown[0] == "e0" and shown[1] == "e259"


def test_without_a_base_url_visitors_get_a_plain_message(
    site: Site, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    slug = "sans-adresse"
    _event(site, slug, 5)
    with Workspace(site.home) as ws:
        ws.set_setting("events.base_url", None)
    try:
        with site.client() as client:
            answer = _sign_up(client, slug, 800, csrf(client, f"/e/{slug}"))
        assert answer.status_code == 503
        assert "Les inscriptions ne sont pas ouvertes pour le moment." in answer.text
        assert "events.base_url" not in answer.text and "config set" not in answer.text
        assert any("events.base_url" in r.getMessage() for r in caplog.records)
        assert _people(site, slug) == []
        # the organisers are told what to set, and where (the admin has the link)
        with site.login("admin", **{"Accept-Language": "fr"}) as admin:
            listed = admin.get(f"/w/{site.slug}/events").text
        warning = re.search(r'<p class="error" id="no-base-url">(.*?)</p>', listed, re.S)
        assert warning and "events.base_url" in warning.group(1)
        assert "Les inscriptions sont refusées" in warning.group(1)
        assert f'href="/w/{site.slug}/settings"' in warning.group(1)
    finally:
        with Workspace(site.home) as ws:
            ws.set_setting("events.base_url", site.url)
    with site.login("admin") as admin:
        assert 'id="no-base-url"' not in admin.get(f"/w/{site.slug}/events").text


def test_the_seats_taken_agree_in_number(site: Site, mailbox: Mailbox) -> None:
    slug = "accord"
    _event(site, slug, 15)
    with Workspace(site.home) as ws:
        person = events.register(ws, slug, events.Applicant(
            name="Une", email="une@pme.example", consent="oui"))  # fmt: skip
        from veilleur.events.links import token

        events.follow_link(ws, token(ws, person.id, "confirm"))
    with site.login("editor", **{"Accept-Language": "fr"}) as editor:
        page = editor.get(f"/w/{site.slug}/events/{slug}").text
        assert "1\u00a0place prise sur 15" in page
    with site.login("editor", **{"Accept-Language": "en"}) as editor:
        assert "1 seat taken out of 15" in editor.get(f"/w/{site.slug}/events/{slug}").text


def test_the_check_in_list_downloads_as_pdf(site: Site, mailbox: Mailbox) -> None:
    """The printable list links to the same list as a PDF (editors only: personal data)."""
    slug = "emargement"
    _event(site, slug, 1)
    with Workspace(site.home) as ws:
        from veilleur.events.links import token

        for i, name in enumerate(("Zoé Martin", "Inès Roux")):
            person = events.register(ws, slug, events.Applicant(
                name=name, email=f"em{i}@pme.example", consent="oui"))  # fmt: skip
            events.follow_link(ws, token(ws, person.id, "confirm"))
    path = f"/w/{site.slug}/events/{slug}/print.pdf"
    with site.login("editor") as editor:
        assert f'href="{path}"' in editor.get(f"/w/{site.slug}/events/{slug}/print").text
        answer = editor.get(path)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/pdf"
    assert f'filename="checkin-{slug}.pdf"' in answer.headers["content-disposition"]
    assert answer.content.startswith(b"%PDF")
    texts = pdf_text(answer.content)
    assert any("Atelieremargement" in text for text in texts)  # the title (bold: its font)
    assert any("ZoéMartin" in text for text in texts)
    assert not any("InèsRoux" in text for text in texts)  # waitlisted: no seat, not listed
    with site.login("viewer") as viewer:
        assert viewer.get(path).status_code == 403
