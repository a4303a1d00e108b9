"""The Audit and Conseil pages over real HTTP against uvicorn on 127.0.0.1: an audit of the
demo corpus's account read as a page and downloaded, a verdict corrected from the post list
and marked in the next report, the advice wizard, its PDF handout, a saved profile."""

from __future__ import annotations

import re
from html import unescape

import orjson

from .web_support import Site, _isolated_env, csrf, site  # noqa: F401

AUTHOR = "dupont-usinage"
POST = "demo-0007"


def _audit(site: Site, **extra: str) -> str:
    return f"/w/{site.slug}/audit?" + "&".join(
        f"{k}={v}" for k, v in {"author": AUTHOR, "profile": "demo", **extra}.items()
    )


def _plain(html: str) -> str:
    """The page's text with its no-break spaces as plain spaces."""
    return unescape(html).replace("\u202f", " ").replace("\u00a0", " ")


def _verdict(page: str, post_id: str) -> str:
    """The verdict line of ``post_id`` in the report's post list."""
    item = re.search(rf"<code>{post_id}</code>.*?<p class=\"verdict\">(.*?)</p>", page, re.S)
    assert item, f"{post_id} is not in the post list"
    return unescape(re.sub(r"<[^>]+>", "", item.group(1)))


def test_the_audit_form_suggests_the_accounts_and_profiles(site: Site) -> None:
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/audit")
    assert page.status_code == 200
    assert f'<option value="{AUTHOR}">' in page.text  # the datalist of accounts
    assert "Dupont Usinage (profil de démonstration)" in page.text
    assert 'id="report"' in page.text and "Audit en cours" in page.text


def test_an_audit_reads_as_a_page_with_its_figures_and_charts(site: Site) -> None:
    with site.login("viewer") as client:
        page = client.get(_audit(site))
    assert page.status_code == 200, page.text[:500]
    text = unescape(page.text)
    for expected in ("Audit de présence — @dupont-usinage", "Pertinence", "Qualité", "Fréquence",
                     "Promotionnel", "Recrutement", "Événements de l’organisation",
                     "Langues", "Réponses", "Calendrier des publications"):  # fmt: skip
        assert expected in text, expected
    assert text.count("<svg") >= 4  # scores, calendar, heatmap, themes
    assert "style=" not in page.text and "<script>" not in page.text  # the CSP allows neither
    # a viewer reads the verdicts but gets no form to change them
    assert 'class="verdict"' in page.text and "/audit/label" not in page.text


def test_an_unknown_account_says_so_and_suggests(site: Site) -> None:
    with site.login("viewer") as client:
        page = client.get(_audit(site, author="dupond-usinage"))
    assert page.status_code == 400
    alert = re.search(r'role="alert">([^<]*)<', page.text)
    assert alert is not None  # the suggestion is in the message, not only in the datalist
    assert "dupont-usinage" in unescape(alert[1])
    with site.login("viewer") as client:  # the same through htmx: shown in place
        part = client.get(_audit(site, author="dupond-usinage"), headers={"HX-Request": "true"})
    assert part.status_code == 200 and 'role="alert"' in part.text
    assert "<html" not in part.text
    with site.login("viewer") as client:
        for wrong in ({"profile": "absent"}, {"since": "hier"}):
            page = client.get(_audit(site, **wrong))
            assert page.status_code == 400 and 'role="alert"' in page.text, wrong
            assert 'name="author"' in page.text  # the form stays, to correct the answer


def test_the_report_downloads_as_pdf_markdown_and_json(site: Site) -> None:
    base = f"/w/{site.slug}/audit/download?author={AUTHOR}&profile=demo"
    with site.login("viewer") as client:
        pdf = client.get(base + "&format=pdf")
        md = client.get(base + "&format=md")
        data = client.get(base + "&format=json")
        bad = client.get(base + "&format=exe")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="audit-dupont-usinage.pdf"' in pdf.headers["content-disposition"]
    assert md.text.startswith("# Audit de présence — @dupont-usinage")
    assert orjson.loads(data.content)["author"] == AUTHOR
    assert bad.status_code == 400


def test_an_editor_overrides_a_verdict_and_the_next_report_marks_it(site: Site) -> None:
    with site.login("editor") as client:
        before = client.get(_audit(site))
        assert "/audit/label" in before.text
        assert "verdict corrigé à la main" not in _verdict(before.text, POST)
        token = csrf(client, "/account")
        answer = client.post(
            f"/w/{site.slug}/audit/label",
            data={
                "csrf": token,
                "post_id": POST,
                "post_network": "linkedin",
                "category": "event",
                "anchor": "10007",
                "author": AUTHOR,
                "profile": "demo",
            },
        )
        assert answer.status_code == 303
        assert answer.headers["location"].endswith("#post-10007")
        assert f"author={AUTHOR}" in answer.headers["location"]
        after = client.get(answer.headers["location"].split("#")[0])
        line = _verdict(after.text, POST)
        assert line.startswith("événement") and "verdict corrigé à la main" in line
        assert "Verdicts corrigés à la main" in unescape(after.text)
        data = client.get(
            f"/w/{site.slug}/audit/download?author={AUTHOR}&profile=demo&format=json"
        ).json()
        post = next(p for p in data["posts"] if p["id"] == POST)
        assert post["overridden"] and post["category"] == "event"
        # the classifier's verdict back
        client.post(
            f"/w/{site.slug}/audit/label",
            data={"csrf": token, "post_id": POST, "category": "none", "author": AUTHOR},
        )
        assert "verdict corrigé à la main" not in _verdict(client.get(_audit(site)).text, POST)


def test_a_viewer_cannot_override_and_a_form_without_csrf_is_refused(site: Site) -> None:
    form = {"post_id": POST, "category": "event", "author": AUTHOR}
    with site.login("viewer") as viewer:
        refused = viewer.post(f"/w/{site.slug}/audit/label",
                              data={"csrf": csrf(viewer, "/account"), **form})  # fmt: skip
        assert refused.status_code == 403
    with site.login("editor") as editor:
        assert editor.post(f"/w/{site.slug}/audit/label", data=form).status_code == 403
        page = editor.get(_audit(site))
    assert "verdict corrigé à la main" not in _verdict(page.text, POST)


ANSWERS = {
    "name": "Les Amis du Bourg",
    "kind": "association",
    "positioning": "Ateliers numériques gratuits pour les habitants",
    "sector": "services",
    "audiences": "habitants, bénévoles",
    "regions": "Yssingeaux",
    "languages": "fr",
    "keywords": "atelier, numérique",
}


def test_the_advice_wizard_carries_the_answers_step_by_step(site: Site) -> None:
    with site.login("viewer") as client:
        first = client.get(f"/w/{site.slug}/advice")
        assert "Étape 1 sur 3" in unescape(first.text) and 'name="kind"' in first.text
        missing = client.get(f"/w/{site.slug}/advice", params={"step": "2"})
        assert missing.status_code == 400 and "nom de l’organisation" in unescape(missing.text)
        second = client.get(
            f"/w/{site.slug}/advice",
            params={
                "step": "2",
                **{k: ANSWERS[k] for k in ("name", "kind", "positioning", "sector")},
            },
        )
        assert 'name="audiences"' in second.text
        assert 'type="hidden" name="name" value="Les Amis du Bourg"' in second.text
        third = client.get(f"/w/{site.slug}/advice", params={"step": "3", **ANSWERS})
        assert 'name="objective" value="events"' in third.text
        assert "/advice/result" in third.text


def test_the_advice_for_an_association_with_a_workshop(site: Site) -> None:
    params = {**ANSWERS, "objective": ["events", "collaboration"]}
    with site.login("viewer") as client:
        page = client.get(f"/w/{site.slug}/advice/result", params=params)
        assert page.status_code == 200, page.text[:500]
        text = _plain(page.text)
        for expected in ("Quel réseau ? Pour en faire quoi ?", "Réseaux recommandés",
                         "Quels comptes ?", "Ce qu'on publie", "À quel rythme ?",
                         "Votre événement avec veilleur", "veilleur event add"):  # fmt: skip
            assert expected in text, expected
        assert "style=" not in page.text
        assert "/advice/profile" not in page.text  # a viewer saves nothing
        handout = client.get(f"/w/{site.slug}/advice/download",
                             params={**params, "doc": "handout"})  # fmt: skip
        assert handout.status_code == 200 and handout.content.startswith(b"%PDF")
        assert "attachment" in handout.headers["content-disposition"]
        none = client.get(f"/w/{site.slug}/advice/result", params={**ANSWERS})
        assert none.status_code == 400 and 'role="alert"' in none.text


def test_a_saved_profile_is_offered_by_the_audit(site: Site) -> None:
    params = {**ANSWERS, "objective": "events"}
    with site.login("editor") as client:
        page = client.get(f"/w/{site.slug}/advice/result", params=params)
        assert "/advice/profile" in page.text
        saved = client.post(f"/w/{site.slug}/advice/profile",
                            data={"csrf": csrf(client, "/account"), **params})  # fmt: skip
        assert saved.status_code == 303
        assert saved.headers["location"].endswith("/audit?profile=les-amis-du-bourg")
        audit = client.get(saved.headers["location"])
        assert '<option value="les-amis-du-bourg" selected>Les Amis du Bourg</option>' in audit.text
        assert (site.home / "profiles" / "les-amis-du-bourg.toml").is_file()
        report = client.get(_audit(site, profile="les-amis-du-bourg"))
        assert report.status_code == 200 and "Les Amis du Bourg" in report.text
        again = client.get(f"/w/{site.slug}/advice/result",
                           params={"profile": "les-amis-du-bourg"})  # fmt: skip
        assert again.status_code == 200 and "Votre événement avec veilleur" in unescape(again.text)
    with site.login("viewer") as viewer:
        refused = viewer.post(f"/w/{site.slug}/advice/profile",
                              data={"csrf": csrf(viewer, "/account"), **params})  # fmt: skip
        assert refused.status_code == 403


def test_both_pages_speak_english_too(site: Site) -> None:
    with site.login("editor", **{"Accept-Language": "en"}) as client:
        audit = client.get(_audit(site))
        advice = client.get(
            f"/w/{site.slug}/advice/result", params={**ANSWERS, "objective": "events"}
        )
    assert "Run the audit" in audit.text and "Presence audit — @dupont-usinage" in audit.text
    assert ">Advice</a>" in audit.text and "Correct</button>" in audit.text
    assert "Which network? To do what?" in advice.text and "Training handout (PDF)" in advice.text
    assert "Audit en cours" not in audit.text and "Étape" not in advice.text
