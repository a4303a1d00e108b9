"""The queue's calendar, each post's publishing journal and moving a post, over real HTTP
against uvicorn on 127.0.0.1 (and two users moving posts at once)."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from veilleur import publish
from veilleur.errors import UsageError
from veilleur.workspace import Workspace

from .web_support import Site, _isolated_env, csrf, site  # noqa: F401


def _form(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf": csrf(client, "/account"), **data})


def _queued(site: Site, text: str, at: str, *, submitted: bool = False) -> int:
    with Workspace(site.home) as ws:
        post = publish.queue_post(
            ws, publish.Draft(text), account="asso", at=at, draft_only=submitted
        )
        assert post is not None
        if submitted:
            post = publish.submit_post(ws, post.id, "editor@exemple.fr", at=at)
        return post.id


def _get(site: Site, post_id: int) -> publish.QueuedPost:
    with Workspace(site.home) as ws:
        return publish.open_queue(ws).get(post_id)


def test_the_week_and_the_month_show_posts_at_the_workspace_time(site: Site) -> None:
    post_id = _queued(site, "Atelier couture mardi, calendrier.", "2031-03-04T18:15")
    with site.login("viewer") as client:
        week = client.get(f"/w/{site.slug}/queue/calendar", params={"start": "2031-03-05"})
        assert week.status_code == 200
        assert "Europe/Paris" in week.text  # the zone is named on the page
        assert "Atelier couture mardi" in week.text
        assert 'datetime="2031-03-04T18:15:00+01:00"' in week.text
        assert "Semaine du 3 mars 2031 au 9 mars 2031" in week.text  # from Monday
        assert f"/w/{site.slug}/queue/{post_id}" in week.text
        month = client.get(
            f"/w/{site.slug}/queue/calendar", params={"view": "month", "start": "2031-03-20"}
        )
        assert month.status_code == 200 and "mars 2031" in month.text
        assert "Atelier couture mardi" in month.text and '<table class="cal-month"' in month.text
        other = client.get(f"/w/{site.slug}/queue/calendar", params={"start": "2031-04-01"})
        assert "Atelier couture mardi" not in other.text
        bad = client.get(f"/w/{site.slug}/queue/calendar", params={"start": "mardi"})
        assert bad.status_code == 400 and "2027-03-01" in bad.text


def test_moving_a_post_keeps_its_status_and_uses_the_workspace_zone(site: Site) -> None:
    post_id = _queued(site, "Réunion du bureau, à déplacer.", "2031-05-06T10:00", submitted=True)
    with site.login("viewer") as viewer:
        page = viewer.get(f"/w/{site.slug}/queue/{post_id}").text
        assert "Changer son heure" not in page  # a viewer reads, does not move
        refused = _form(viewer, f"/w/{site.slug}/queue/{post_id}/move", at="2031-05-07T10:00")
        assert refused.status_code == 403
    with site.login("editor") as editor:
        page = editor.get(f"/w/{site.slug}/queue/{post_id}").text
        # The editor is told who approves it, and may still change its time.
        assert "Elle attend qu’un administrateur ou un propriétaire l’approuve." in page
        assert "Changer son heure" in page
        seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        moved = _form(
            editor, f"/w/{site.slug}/queue/{post_id}/move", at="2031-05-08T14:30", seen=seen
        )
        assert moved.status_code == 303
        assert moved.headers["location"].endswith("start=2031-05-08")
    post = _get(site, post_id)
    assert post.status == "submitted"  # still waiting for approval
    assert post.scheduled_at == datetime(2031, 5, 8, 12, 30, tzinfo=UTC)  # 14:30 in Paris (CEST)


def test_an_editor_cannot_move_an_approved_post_an_admin_can(site: Site) -> None:
    post_id = _queued(site, "Annonce approuvée, heure fixée.", "2031-06-02T09:00")
    with site.login("editor") as editor:
        answer = _form(editor, f"/w/{site.slug}/queue/{post_id}/move", at="2031-06-03T09:00")
        assert answer.status_code == 400
    assert _get(site, post_id).scheduled_at == datetime(2031, 6, 2, 7, tzinfo=UTC)
    with site.login("admin") as admin:
        answer = _form(admin, f"/w/{site.slug}/queue/{post_id}/move", at="2031-06-03T09:00")
        assert answer.status_code == 303
    assert _get(site, post_id).scheduled_at == datetime(2031, 6, 3, 7, tzinfo=UTC)


def test_an_approval_between_the_page_check_and_the_move_keeps_the_editor_out(
    site: Site,
) -> None:
    """The editor's page saw the post waiting; an admin approves it before the move lands:
    the door, given the editor's states, refuses rather than move an approved post."""
    post_id = _queued(site, "Approuvée pendant le déplacement.", "2031-06-10T09:00", submitted=True)
    seen = _get(site, post_id).scheduled_at
    with Workspace(site.home) as ws:
        publish.review_post(ws, post_id, "admin@exemple.fr", approve=True)
        with pytest.raises(UsageError, match=r"approuvée|approved"):
            publish.move_post(ws, post_id, "2031-06-11T09:00", seen=seen, statuses=("submitted",))
    after = _get(site, post_id)
    assert after.status == "scheduled" and after.scheduled_at == seen


def test_two_movers_with_the_same_seen_time_one_wins_the_other_is_told(site: Site) -> None:
    post_id = _queued(site, "Deux déplacements simultanés.", "2031-06-12T09:00", submitted=True)
    seen = _get(site, post_id).scheduled_at
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def mover(at: str, statuses: tuple[str, ...]) -> None:
        with Workspace(site.home) as ws:
            start.wait()
            try:
                publish.move_post(ws, post_id, at, seen=seen, statuses=statuses)
                outcomes.append(at)
            except UsageError as exc:
                outcomes.append(str(exc))

    threads = [
        threading.Thread(target=mover, args=("2031-06-13T09:00", ("submitted",))),
        threading.Thread(target=mover, args=("2031-06-14T09:00", publish.MOVABLE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    won = [o for o in outcomes if o.startswith("2031-")]
    assert len(won) == 1 and len(outcomes) == 2
    lost = next(o for o in outcomes if not o.startswith("2031-"))
    assert "someone else" in lost or "quelqu’un d’autre" in lost
    after = _get(site, post_id)
    assert after.status == "submitted"
    assert after.scheduled_at is not None
    assert after.scheduled_at.astimezone(ZoneInfo("Europe/Paris")).isoformat()[:16] == won[0]


def test_a_post_that_cannot_move_says_why_in_words_that_agree(site: Site) -> None:
    """Published, cancelled or draft: not a question of role; the message agrees with
    « publication » (feminine) rather than « une publication publié »."""
    done = _queued(site, "Déjà partie.", "2031-06-20T09:00")
    gone = _queued(site, "Annulée.", "2031-06-21T09:00")
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        queue.mark_published(done)
        queue.cancel(gone)
    with site.login("editor") as editor:
        answer = _form(editor, f"/w/{site.slug}/queue/{done}/move", at="2031-06-22T09:00")
        assert answer.status_code == 400
        assert "Seul un administrateur" not in answer.text
        assert "a déjà été publiée\u00a0: elle ne peut plus être déplacée" in answer.text
        approved = _queued(site, "Approuvée, pas pour l’éditeur.", "2031-06-23T09:00")
        answer = _form(editor, f"/w/{site.slug}/queue/{approved}/move", at="2031-06-24T09:00")
        assert "Seul un administrateur ou un propriétaire déplace une publication " in answer.text
        assert "approuvée et programmée" in answer.text
    with site.login("admin") as admin:
        answer = _form(admin, f"/w/{site.slug}/queue/{gone}/move", at="2031-06-22T09:00")
        assert answer.status_code == 400
        assert "a été annulée\u00a0: elle ne peut plus être déplacée" in answer.text
        assert "publié" not in answer.text.replace("publiée", "")


def test_a_start_date_far_out_is_a_usage_error_not_a_crash(site: Site) -> None:
    with site.login("viewer") as client:
        for start in ("0001-01-01", "9999-12-27", "1899-12-31", "3000-01-01"):
            for view in ("week", "month"):
                answer = client.get(
                    f"/w/{site.slug}/queue/calendar", params={"start": start, "view": view}
                )
                assert answer.status_code == 400, (start, view)
                assert "2027-03-01" in answer.text
        assert (
            client.get(f"/w/{site.slug}/queue/calendar", params={"start": "2999-12-31"})
        ).status_code == 200


def test_a_move_made_meanwhile_by_someone_else_is_not_undone(site: Site) -> None:
    post_id = _queued(site, "Deux administrateurs, un seul créneau.", "2031-07-01T09:00")
    with site.login("admin") as first, site.login("owner") as second:
        seen_first = re.search(
            r'name="seen" value="([^"]+)"',  # type: ignore[union-attr]
            first.get(f"/w/{site.slug}/queue/{post_id}").text,
        ).group(1)
        seen_second = re.search(
            r'name="seen" value="([^"]+)"',  # type: ignore[union-attr]
            second.get(f"/w/{site.slug}/queue/{post_id}").text,
        ).group(1)
        assert (
            _form(
                first,
                f"/w/{site.slug}/queue/{post_id}/move",
                at="2031-07-02T09:00",
                seen=seen_first,
            ).status_code
            == 303
        )
        late = _form(
            second, f"/w/{site.slug}/queue/{post_id}/move", at="2031-07-03T09:00", seen=seen_second
        )
        assert late.status_code == 400 and "déplacée par quelqu’un d’autre" in late.text
    assert _get(site, post_id).scheduled_at == datetime(2031, 7, 2, 7, tzinfo=UTC)


def test_two_users_editing_the_queue_at_once_lose_nothing(site: Site) -> None:
    """An admin moves twelve posts while an editor submits twelve others, in parallel over
    HTTP: every move and every submission is there afterwards."""
    moved = [
        _queued(site, f"Publication {n} à déplacer en même temps.", f"2032-01-{n + 1:02d}T09:00")
        for n in range(12)
    ]
    errors: list[str] = []

    def admin_moves() -> None:
        with site.login("admin") as admin:
            for n, post_id in enumerate(moved):
                answer = _form(
                    admin, f"/w/{site.slug}/queue/{post_id}/move", at=f"2032-02-{n + 1:02d}T11:00"
                )
                if answer.status_code != 303:
                    errors.append(answer.text[:200])

    def editor_submits() -> None:
        with site.login("editor") as editor:
            for n in range(12):
                answer = _form(
                    editor,
                    f"/w/{site.slug}/queue",
                    text=f"Proposition {n} en parallèle.",
                    account="asso",
                    at=f"2032-03-{n + 1:02d}T08:00",
                )
                if answer.status_code != 303:
                    errors.append(answer.text[:200])

    threads = [threading.Thread(target=admin_moves), threading.Thread(target=editor_submits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert errors == []
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        for n, post_id in enumerate(moved):
            assert queue.get(post_id).scheduled_at == datetime(2032, 2, n + 1, 10, tzinfo=UTC)
        texts = {p.texts[0] for p in queue.posts("submitted")}
    assert {f"Proposition {n} en parallèle." for n in range(12)} <= texts


def test_the_journal_lists_each_try_with_its_link_and_says_why_not_out(site: Site) -> None:
    post_id = _queued(site, "Journal : un essai raté puis publié.", "2031-08-01T09:00")
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        queue.mark_failed(post_id, "HTTP 503 from mastodon.example", retryable=True)
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/queue/{post_id}").text
        assert "HTTP 503 from mastodon.example" in page
        assert "Pourquoi elle n’est pas partie" in page
        assert "réessaiera" in page  # a plain-language reason: it will be tried again
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        queue.record_part(post_id, ["110000000000000001"], ["javascript:alert(1)"])
        queue.mark_published(post_id)
        other = publish.queue_post(
            ws,
            publish.Draft("Journal : publié avec un lien."),
            account="asso",
            at="2031-08-02T09:00",
        )
        assert other is not None
        queue.record_part(
            other.id, ["110000000000000002"], ["https://mastodon.example/@asso/110000000000000002"]
        )
        queue.mark_published(other.id)
        assert [a.outcome for a in queue.attempts(post_id)] == ["failed", "published"]
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/queue/{post_id}").text
        assert "110000000000000001" in page and "javascript:" not in page  # only http(s) links
        assert "Pourquoi elle n’est pas partie" not in page
        linked = client.get(f"/w/{site.slug}/queue/{other.id}").text
        assert 'href="https://mastodon.example/@asso/110000000000000002"' in linked
        assert client.get(f"/w/{site.slug}/queue/999999").status_code == 400


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _compose(client, path: str, files: dict, **data: str):  # type: ignore[no-untyped-def,type-arg]
    return client.post(path, data={"csrf": csrf(client, "/account"), **data}, files=files)


def test_an_image_needs_its_alt_text_is_checked_and_goes_with_the_post(site: Site) -> None:
    kept = site.home / "media"  # the module's workspace: other tests may have left images
    before = set(kept.iterdir()) if kept.exists() else set()
    with site.login("editor") as editor:
        preview = _compose(
            editor,
            f"/w/{site.slug}/compose/preview",
            {"image": ("atelier.png", PNG, "image/png")},
            text="Notre atelier en photo.",
            network="mastodon",
        )
        assert preview.status_code == 200
        assert "atelier.png" in preview.text and "texte alternatif" in preview.text
        described = _compose(
            editor,
            f"/w/{site.slug}/compose/preview",
            {"image": ("atelier.png", PNG, "image/png")},
            text="Notre atelier en photo.",
            network="mastodon",
            alt="Deux couturières à leurs machines",
        )
        assert "Deux couturières à leurs machines" in described.text
        fake = _compose(
            editor,
            f"/w/{site.slug}/queue",
            {"image": ("virus.png", b"MZ\x90\x00 not an image", "image/png")},
            text="Une image qui n’en est pas une.",
            account="asso",
            alt="rien",
        )
        assert fake.status_code == 400 and "virus.png" in fake.text and "PNG" in fake.text
        bare = _compose(
            editor,
            f"/w/{site.slug}/queue",
            {"image": ("atelier.png", PNG, "image/png")},
            text="Une image sans description.",
            account="asso",
        )
        assert bare.status_code == 400 and "atelier.png" in bare.text
        queued = _compose(
            editor,
            f"/w/{site.slug}/queue",
            {"image": ("atelier.png", PNG, "image/png")},
            text="Notre atelier, image décrite.",
            account="asso",
            alt="Deux couturières à leurs machines",
        )
        assert queued.status_code == 303, queued.text[:300]
    with Workspace(site.home) as ws:
        post = next(
            p
            for p in publish.open_queue(ws).posts()
            if p.texts == ["Notre atelier, image décrite."]
        )
    assert [m.alt for m in post.media] == ["Deux couturières à leurs machines"]
    # One file more, the queued post's: the refused ones (not an image, no alt) left none.
    [added] = set(kept.iterdir()) - before
    assert added.read_bytes() == PNG
    assert post.media[0].path == str(added.resolve())


def test_the_preview_checks_the_image_without_alt_and_a_refused_post_keeps_no_file(
    site: Site,
) -> None:
    """The preview says an image is not one (or too large) even before its alternative
    text is typed; a post refused (bad time) leaves no image in ``media/``, which only
    the workspace's user may read."""
    kept = site.home / "media"
    before = set(kept.iterdir()) if kept.exists() else set()
    other = PNG[:-12] + b"\x00" * 4 + PNG[-12:]  # another PNG's bytes: another file
    with site.login("editor") as editor:
        fake = _compose(
            editor,
            f"/w/{site.slug}/compose/preview",
            {"image": ("faux.png", b"GIF? non, du texte", "image/png")},
            text="Une image qui n’en est pas une, sans description.",
            network="mastodon",
        )
        assert fake.status_code == 200
        assert "faux.png" in fake.text and "PNG, JPEG, GIF" in fake.text
        refused = _compose(
            editor,
            f"/w/{site.slug}/queue",
            {"image": ("autre.png", other, "image/png")},
            text="Une heure impossible.",
            account="asso",
            alt="Une image décrite",
            at="mardi prochain vers midi",
        )
        assert refused.status_code == 400
    after = set(kept.iterdir()) if kept.exists() else set()
    assert after == before  # nothing kept for a post that was not queued
    with site.login("admin") as admin:
        queued = _compose(
            admin,
            f"/w/{site.slug}/queue",
            {"image": ("autre.png", other, "image/png")},
            text="La même image, heure correcte.",
            account="asso",
            alt="Une image décrite",
            at="2031-10-01T09:00",
        )
        assert queued.status_code == 303, queued.text[:300]
    assert len(set(kept.iterdir()) - before) == 1
    assert kept.stat().st_mode & 0o077 == 0


def test_the_new_routes_are_walked_with_their_roles(site: Site) -> None:
    """The route × role walk (test_web_routes.py) enumerates the app's routes: these are
    among them with the role they are declared with, and refuse a form without CSRF."""
    from .test_web_routes import _routes

    routes = set(_routes(site))
    expected = {
        ("GET", "/w/{ws}/queue/calendar", "viewer"),
        ("GET", "/w/{ws}/queue/{post:int}", "viewer"),
        ("POST", "/w/{ws}/queue/{post:int}/move", "editor"),
        ("POST", "/w/{ws}/watches/{name}/alerts", "editor"),
        ("POST", "/w/{ws}/watches/{name}/alerts/delete", "editor"),
        ("POST", "/w/{ws}/settings/accounts", "admin"),
        ("GET", "/w/{ws}/publishing", "admin"),
        ("GET", "/w/{ws}/settings/all", "admin"),
        ("GET", "/api/openapi.json", "public"),
    }
    assert expected <= routes
    assert not any(path == "/w/{ws}/publishing" and m == "POST" for m, path, _ in routes)
    post_id = _queued(site, "Sans jeton CSRF, rien ne bouge.", "2031-09-01T09:00")
    with site.login("owner") as owner:
        owner.get("/account")
        refused = owner.post(
            f"/w/{site.slug}/queue/{post_id}/move", data={"at": "2031-09-02T09:00"}
        )
        assert refused.status_code == 403
    assert _get(site, post_id).scheduled_at == datetime(2031, 9, 1, 7, tzinfo=UTC)


def test_a_failed_post_s_journal_speaks_french_and_its_form_says_its_next_try(
    site: Site,
) -> None:
    """The calendar places a failed post at its next try: the journal's form starts there
    too; times read « 09 h 30 », the error follows « échoué » with a French colon, and
    the next try is a date as the reader writes it, not an ISO one."""
    post_id = _queued(site, "Un essai raté, un prochain essai.", "2031-11-04T09:30")
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        queue.mark_failed(post_id, "HTTP 503", retryable=True)
        failed = queue.get(post_id)
    assert failed.next_attempt_at is not None
    paris = ZoneInfo("Europe/Paris")
    retry = failed.next_attempt_at.astimezone(paris)
    with site.login("admin") as admin:
        page = admin.get(f"/w/{site.slug}/queue/{post_id}").text
        assert f'value="{retry:%Y-%m-%dT%H:%M}"' in page  # the form: where the calendar shows it
        assert "échoué</span>\u00a0: HTTP 503" in page
        assert "prochain essai\u00a0: " in page and f"{retry:%H} h {retry:%M}" in page
        assert f"{retry:%Y-%m-%d %H:%M}" not in page
        week = admin.get(
            f"/w/{site.slug}/queue/calendar", params={"start": retry.date().isoformat()}
        ).text
        assert f">{retry:%H} h {retry:%M}</time>" in week
    with site.login("viewer") as viewer:
        later = _queued(site, "Une heure en français.", "2031-11-05T09:30")
        page = viewer.get(f"/w/{site.slug}/queue/{later}").text
        assert ">5 novembre 2031, 09 h 30</time>" in page
