"""What the workbench's pages do, over real HTTP against uvicorn on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import UTC, datetime

import orjson

from veilleur import accounts, publish
from veilleur.model import Post
from veilleur.workspace import Workspace

from .web_support import PASSWORD, Site, _isolated_env, csrf, email, site  # noqa: F401


def _form(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    """POST ``data`` with the session's CSRF token (read from the page at ``path``)."""
    return client.post(path, data={"csrf": csrf(client, "/account"), **data})


def test_login_page_is_french_by_default_then_the_browser_language(site: Site) -> None:
    assert "Se connecter" in site.client().get("/login").text
    english = site.client(**{"Accept-Language": "en-GB,en;q=0.8"}).get("/login").text
    assert "Log in" in english and "Se connecter" not in english
    assert 'lang="en"' in english


def test_the_users_choice_wins_over_the_browser(site: Site) -> None:
    with site.login("viewer", **{"Accept-Language": "fr-FR"}) as client:
        answer = client.post("/language", data={"csrf": csrf(client, "/account"), "lang": "en",
                                                "next": f"/w/{site.slug}"})  # fmt: skip
        assert answer.status_code == 303
        assert "Dashboard" in client.get(f"/w/{site.slug}").text
        client.post("/language", data={"csrf": csrf(client, "/account"), "lang": "fr"})
        assert "Tableau de bord" in client.get(f"/w/{site.slug}").text


def test_session_cookie_flags_and_security_headers(site: Site) -> None:
    answer = site.client().get("/login")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert answer.headers["x-frame-options"] == "DENY"
    secure = site.client(**{"X-Forwarded-Proto": "https"}).get("/login")
    assert "secure" in secure.headers["set-cookie"].lower()


def test_a_wrong_password_is_refused_and_attempts_are_rate_limited(site: Site) -> None:
    client = site.client()
    for _ in range(5):
        wrong = client.post("/login", data={"csrf": csrf(client), "email": "ghost@exemple.fr",
                                            "password": "pas-le-bon-mot"})  # fmt: skip
        assert wrong.status_code == 401 and "Courriel ou mot de passe erroné" not in wrong.text
        assert "courriel ou mot de passe erroné" in wrong.text
    locked = client.post("/login", data={"csrf": csrf(client), "email": "ghost@exemple.fr",
                                         "password": "pas-le-bon-mot"})  # fmt: skip
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "trop d’essais manqués" in locked.text


def test_search_checks_the_query_as_it_is_typed(site: Site) -> None:
    with site.login("viewer") as client:
        check = client.get(f"/w/{site.slug}/search/check", params={"q": "(emploi OR stage"},
                           headers={"HX-Request": "true"})  # fmt: skip
        assert check.status_code == 200
        assert "colonne 1" in check.text and "(emploi OR stage\n^" in check.text
        good = client.get(f"/w/{site.slug}/search/check", params={"q": "emploi lang:fr"})
        assert "Requête comprise" in good.text
        bad = client.get(f"/w/{site.slug}/search", params={"q": "emploi AND ("})
        assert bad.status_code == 400 and 'role="alert"' in bad.text
        page = client.get(f"/w/{site.slug}/search", params={"q": "emploi", "explain": "1"})
        assert page.status_code == 200
        total = int(re.search(r"<h2>(\d+) publications? correspond", page.text).group(1))  # type: ignore[union-attr]
        assert total > 0 and "SELECT" in page.text
        export = client.get(
            f"/w/{site.slug}/search/export", params={"q": "emploi", "format": "csv"}
        )
        rows = list(csv.reader(io.StringIO(export.text)))
        assert rows[0][:3] == ["id", "network", "author"] and len(rows) - 1 == total
        jsonl = client.get(f"/w/{site.slug}/search/export", params={"q": "emploi"})
        assert len([orjson.loads(line) for line in jsonl.text.splitlines()]) == total


def test_post_text_is_escaped_and_only_web_links_are_rendered(site: Site) -> None:
    hostile = Post(id="hostile-1", network="mastodon", author="intrus",
                   text="<script>alert('x')</script> piège unique",
                   created_at=datetime(2026, 10, 1, 10, tzinfo=UTC),  # inside the demo's range
                   url="javascript:alert(1)")  # fmt: skip
    with Workspace(site.home) as ws:
        ws.store.write_posts([hostile])
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/search", params={"q": "piège"}).text
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "javascript:" not in page


def test_an_editor_saves_a_watch_and_reads_its_digest(site: Site) -> None:
    with site.login("viewer") as viewer:
        refused = _form(viewer, f"/w/{site.slug}/search/save", q="usinage", name="usinage")
        assert refused.status_code == 403
    with site.login("editor") as client:
        saved = _form(client, f"/w/{site.slug}/search/save", q="recrutement OR emploi OR embauche",
                      name="Mécanique")  # fmt: skip
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/w/{site.slug}/watches/M%C3%A9canique"
        digest = client.get(saved.headers["location"], params={"end": "newest"})
        assert digest.status_code == 200
        assert "Veille «\u00a0Mécanique\u00a0»" in digest.text
        assert "Les sujets à retenir" in digest.text
        again = _form(client, f"/w/{site.slug}/search/save", q="usinage", name="Mécanique")
        assert again.status_code == 400 and "existe déjà" in again.text


def _queue_by(site: Site, role: str, text: str) -> int:
    with site.login(role) as client:
        answer = _form(client, f"/w/{site.slug}/queue", text=text, account="asso",
                       at="2030-01-15T09:30")  # fmt: skip
        assert answer.status_code == 303, answer.text[:400]
    with Workspace(site.home) as ws:
        return next(p.id for p in publish.open_queue(ws).posts() if p.texts == [text])


def test_an_editor_submits_and_an_admin_approves(site: Site) -> None:
    post_id = _queue_by(site, "editor", "Portes ouvertes samedi à l’atelier.")
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        post = queue.get(post_id)
        assert post.status == "submitted" and post.submitted_by == email("editor")
        assert queue.local(post).isoformat() == "2030-01-15T09:30:00+01:00"  # type: ignore[union-attr]
    with site.login("editor") as editor:
        assert _form(editor, f"/w/{site.slug}/queue/{post_id}/approve").status_code == 403
    with site.login("admin") as admin:
        page = admin.get(f"/w/{site.slug}/queue").text
        assert "En attente d’approbation" in page and "Portes ouvertes samedi" in page
        assert _form(admin, f"/w/{site.slug}/queue/{post_id}/approve").status_code == 303
        twice = _form(admin, f"/w/{site.slug}/queue/{post_id}/approve")
        assert twice.status_code == 400 and "n’attend pas d’approbation" in twice.text
    with Workspace(site.home) as ws:
        post = publish.open_queue(ws).get(post_id)
        assert post.status == "scheduled" and post.reviewed_by == email("admin")


def test_submitted_posts_are_never_due_until_approved(site: Site) -> None:
    post_id = _queue_by(site, "editor", "Un texte qui attend l’accord de l’équipe.")
    with Workspace(site.home) as ws:
        queue = publish.open_queue(ws)
        later = queue.get(post_id).scheduled_at
        assert later is not None
        assert post_id not in [p.id for p in queue.due(later.replace(year=2031))]
    with site.login("admin") as admin:
        sent_back = _form(admin, f"/w/{site.slug}/queue/{post_id}/reject", note="Trop long")
        assert sent_back.status_code == 303
    with Workspace(site.home) as ws:
        post = publish.open_queue(ws).get(post_id)
        assert post.status == "draft" and post.review_note == "Trop long"


def test_two_admins_approving_at_once_one_wins_nothing_lost(site: Site) -> None:
    post_id = _queue_by(site, "editor", "Deux relecteurs en même temps.")
    admin, owner = site.login("admin"), site.login("owner")
    tokens = {id(c): csrf(c, "/account") for c in (admin, owner)}
    answers: list[int] = []

    def approve(client) -> None:  # type: ignore[no-untyped-def]
        url = f"/w/{site.slug}/queue/{post_id}/approve"
        answers.append(client.post(url, data={"csrf": tokens[id(client)]}).status_code)

    threads = [threading.Thread(target=approve, args=(c,)) for c in (admin, owner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [303, 400]
    with Workspace(site.home) as ws:
        assert publish.open_queue(ws).get(post_id).status == "scheduled"


def test_a_viewer_changes_nothing(site: Site) -> None:
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/queue").text
        assert "Nouvelle publication" not in page and "Approuver" not in page
        refused = _form(client, f"/w/{site.slug}/queue", text="Essai", account="asso")
        assert refused.status_code == 403
        assert client.get(f"/o/{site.org}/members").status_code == 403


def test_an_invitation_link_works_once(site: Site) -> None:
    with site.login("admin") as admin:
        page = _form(admin, f"/o/{site.org}/invitations", role="editor", email="")
        link = re.search(r'<code class="link-out">([^<]+)</code>', page.text)
        assert link, page.text[:500]
        too_strong = _form(admin, f"/o/{site.org}/invitations", role="owner", email="")
        assert too_strong.status_code == 403
    path = httpx_path(link.group(1))
    newcomer = site.client()
    form = newcomer.get(path)
    assert form.status_code == 200
    joined = newcomer.post(path, data={"csrf": csrf(newcomer, path), "email": "nouvelle@exemple.fr",
                                       "password": PASSWORD, "again": PASSWORD})  # fmt: skip
    assert joined.status_code == 303
    assert newcomer.get(f"/w/{site.slug}/queue").status_code == 200
    with Workspace(site.home) as ws:
        user = accounts.authenticate(ws.store, "nouvelle@exemple.fr", PASSWORD, "test")
        assert accounts.role_in(ws.store, user.id, site.org) == "editor"
    late = site.client()
    assert late.get(path).status_code == 410
    assert "déjà servi" in late.get(path).text


def httpx_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_changing_the_password_ends_the_other_sessions(site: Site) -> None:
    with Workspace(site.home) as ws:
        accounts.add_user(ws.store, "change@exemple.fr", PASSWORD, "viewer",
                          accounts.DEFAULT_ORGANISATION)  # fmt: skip
    first, second = site.client(), site.client()
    for client in (first, second):
        client.post("/login", data={"csrf": csrf(client), "email": "change@exemple.fr",
                                    "password": PASSWORD})  # fmt: skip
    changed = _form(first, "/account/password", current=PASSWORD, new="un-nouveau-secret",
                    again="un-nouveau-secret")  # fmt: skip
    assert changed.status_code == 303
    assert first.get("/account").status_code == 200
    assert second.get("/account").status_code == 303  # logged out


def test_write_previews_each_network_with_its_count(site: Site) -> None:
    text = "Portes ouvertes à l’atelier samedi : démonstrations et café. " * 6
    with site.login("editor") as client:
        page = client.get(f"/w/{site.slug}/compose")
        assert page.status_code == 200 and "Rédiger" in page.text
        preview = client.post(
            f"/w/{site.slug}/compose/preview",
            data={
                "csrf": csrf(client, "/account"),
                "text": text,
                "network": ["x", "mastodon", "bluesky"],
            },
            headers={"HX-Request": "true"},
        )
        assert preview.status_code == 200
        counters = dict(re.findall(r'data-network="(\w+)">(\d+) sur', preview.text))
        assert set(counters) == {"x", "mastodon", "bluesky"}
        assert int(counters["mastodon"]) == len(text.strip())  # under Mastodon's 500
        assert "publications dans un fil" in preview.text  # too long for X and Bluesky
    with site.login("viewer") as viewer:
        assert viewer.get(f"/w/{site.slug}/compose").status_code == 403


FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Atelier</title>'
    "<link>https://atelier.example/</link><item><title>Portes ouvertes</title>"
    "<link>https://atelier.example/po</link><guid>1</guid></item></channel></rss>"
)


def test_sources_lists_health_and_adds_a_checked_feed(site: Site, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    url = httpserver.url_for("/feed.xml")
    with site.login("editor") as client:
        refused = _form(client, f"/w/{site.slug}/sources", url=url)
        assert refused.status_code == 400 and 'role="alert"' in refused.text  # a local address
        with Workspace(site.home) as ws:
            ws.set_setting("network.allow_private", "true")
        try:
            added = _form(client, f"/w/{site.slug}/sources", url=url, name="atelier")
        finally:
            with Workspace(site.home) as ws:
                ws.set_setting("network.allow_private", None)
        assert added.status_code == 303
        page = client.get(f"/w/{site.slug}/sources").text
        assert "atelier" in page and url in page
    with site.login("viewer") as viewer:
        assert "Ajouter le flux" not in viewer.get(f"/w/{site.slug}/sources").text
        assert _form(viewer, f"/w/{site.slug}/sources", url=url).status_code == 403


def test_settings_keep_secrets_write_only(site: Site) -> None:
    with site.login("editor") as editor:
        assert editor.get(f"/w/{site.slug}/settings").status_code == 403
    with site.login("admin") as admin:
        bad = _form(admin, f"/w/{site.slug}/settings", timezone="Lune/Mare", report_lang="fr")
        assert bad.status_code == 400 and "Lune/Mare" in bad.text
        saved = _form(admin, f"/w/{site.slug}/settings/accounts", name="labo",
                      network="mastodon", server="https://mastodon.example",
                      secret="jeton-tres-secret", times="09:30")  # fmt: skip
        assert saved.status_code == 303
        page = admin.get(f"/w/{site.slug}/settings").text
        assert "labo" in page and "09:30" in page and "jeton-tres-secret" not in page
        plain = _form(admin, f"/w/{site.slug}/settings/accounts", name="clair",
                      network="mastodon", server="http://mastodon.example", secret="x")  # fmt: skip
        assert plain.status_code == 400 and "https://" in plain.text
    with Workspace(site.home) as ws:
        assert publish.open_queue(ws).account("labo").secret == "jeton-tres-secret"


def test_search_counts_past_their_budget_say_so_and_can_count_all(site: Site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past the page's budget the tables say they cover the N most recent matches, with a
    link that counts every match; the total stays exact for words only (counted in the
    index), and reads « plus de N » for other queries."""
    from veilleur.web.pages import search

    def heading(text: str) -> str:
        return re.search(r"<h2>([^<]*correspond[^<]*)</h2>", text).group(1)  # type: ignore[union-attr]

    with site.login("viewer") as client:
        pages = {}
        for q in ("emploi", "lang:fr"):
            page = client.get(f"/w/{site.slug}/search", params={"q": q})
            assert page.status_code == 200 and "summary-budget" not in page.text
            pages[q] = page.text
        monkeypatch.setattr(search, "SUMMARY_BUDGET", 3)
        words = client.get(f"/w/{site.slug}/search", params={"q": "emploi"}).text
        assert heading(words) == heading(pages["emploi"])  # exact, as before
        assert "les 3 plus récentes" in words
        other = client.get(f"/w/{site.slug}/search", params={"q": "lang:fr"}).text
        assert heading(other) == "Plus de 3 publications correspondent"
        link = re.search(r'id="summary-budget">.*?<a href="([^"]+)"', other, re.S)
        assert link and "count=all" in link.group(1)
        every = client.get(link.group(1).replace("&amp;", "&")).text
        assert heading(every) == heading(pages["lang:fr"]) and "summary-budget" not in every


def test_search_counts_matches_by_day_in_the_readers_time_zone(site: Site) -> None:
    """The search page's « Par jour » table: a post at 23:30 UTC on 14 March is on 15 March
    for a reader in Paris (the workbench's default zone, CET in March)."""
    from datetime import UTC, datetime

    from veilleur.model import Post

    moments = [datetime(2026, 3, 14, 23, 30, tzinfo=UTC), datetime(2026, 3, 15, 10, tzinfo=UTC),
               datetime(2026, 3, 14, 12, tzinfo=UTC)]  # fmt: skip
    with Workspace(site.home) as ws:
        ws.store.write_posts([
            Post(id=f"jour-{i}", network="mastodon", author="zoe", text="quokkadaire du jour",
                 created_at=moment)
            for i, moment in enumerate(moments)
        ])  # fmt: skip
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/search", params={"q": "quokkadaire"}).text
    table = re.search(r'<table id="by-day">(.*?)</table>', page, re.S)
    assert table is not None and "Par jour" in page
    rows = re.findall(
        r'<time datetime="([^"]+)">([^<]+)</time></td><td class="num">(\d+)<', table.group(1)
    )
    assert rows == [("2026-03-15", "15 mars 2026", "2"), ("2026-03-14", "14 mars 2026", "1")]
