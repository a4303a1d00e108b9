"""Paramètres as one page (old addresses redirect, one account form), a watch's alerts and
rising-terms chart, the OpenAPI description and the API's answers for an unknown
workspace — over real HTTP against uvicorn on 127.0.0.1."""

from __future__ import annotations

import re
from typing import Any

from veilleur import publish, watch
from veilleur.model import Watch
from veilleur.workspace import Workspace

from .web_support import Site, _isolated_env, csrf, site  # noqa: F401


def _form(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf": csrf(client, "/account"), **data})


def test_old_settings_addresses_redirect_to_the_sections(site: Site) -> None:
    with site.login("admin") as admin:
        for old, anchor in (("publishing", "#accounts"), ("settings/all", "#all")):
            answer = admin.get(f"/w/{site.slug}/{old}")
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/w/{site.slug}/settings{anchor}"
        page = admin.get(f"/w/{site.slug}/settings").text
        assert 'id="workspace"' in page and 'id="accounts"' in page and 'id="all"' in page
        assert page.count('name="secret"') == 1  # ONE form adds a publishing account
        assert "publish.timezone" in page and "smtp.password" in page
    with site.login("editor") as editor:
        assert editor.get(f"/w/{site.slug}/publishing").status_code == 403


def test_the_one_account_form_keeps_what_was_typed_but_never_the_secret(site: Site) -> None:
    with site.login("admin") as admin:
        bad = _form(
            admin,
            f"/w/{site.slug}/settings/accounts",
            name="quartier",
            network="mastodon",
            server="http://piaille.example",
            secret="jeton-a-ne-pas-montrer",
            times="08:15",
            timezone="Europe/Brussels",
        )
        assert bad.status_code == 400 and "http://" in bad.text
        assert 'value="quartier"' in bad.text and 'value="08:15"' in bad.text
        assert 'value="Europe/Brussels"' in bad.text
        assert "jeton-a-ne-pas-montrer" not in bad.text
        good = _form(
            admin,
            f"/w/{site.slug}/settings/accounts",
            name="quartier",
            network="bluesky",
            handle="@quartier.bsky.social",
            secret="abcd-efgh-ijkl-mnop",
            times="08:15",
            timezone="Europe/Brussels",
        )
        assert good.status_code == 303
        page = admin.get(f"/w/{site.slug}/settings").text
        assert "@quartier.bsky.social" in page and "abcd-efgh" not in page
    with Workspace(site.home) as ws:
        saved = publish.open_queue(ws).account("quartier")
    assert (saved.handle, saved.timezone, saved.secret) == (
        "quartier.bsky.social",
        "Europe/Brussels",
        "abcd-efgh-ijkl-mnop",
    )


def test_alerts_of_a_watch_are_the_cli_rules(site: Site) -> None:
    with Workspace(site.home) as ws:
        watch.save_watch(ws.store, Watch(name="Alertes", query="emploi OR recrutement"))
    url = f"/w/{site.slug}/watches/Alertes"
    with site.login("viewer") as viewer:
        assert "Enregistrer l’alerte" not in viewer.get(url).text
        assert (
            _form(viewer, url + "/alerts", alert="x", spike="3", mail="a@exemple.fr").status_code
            == 403
        )
    with site.login("editor") as editor:
        saved = _form(
            editor,
            url + "/alerts",
            alert="pic-emploi",
            accounts="@Mairie, cci",
            spike="2,5",
            mail="veille@exemple.fr",
        )
        assert saved.status_code == 303
        bad = _form(editor, url + "/alerts", alert="sans-canal", spike="3")
        assert bad.status_code == 400 and "--mail" not in bad.text  # the form's words
        assert "une adresse e-mail ou un webhook" in bad.text
        nothing = _form(editor, url + "/alerts", alert="sans-objet", mail="a@exemple.fr")
        assert nothing.status_code == 400 and "--account" not in nothing.text
        assert "des comptes à suivre, un seuil de pic" in nothing.text
        wrong = _form(editor, url + "/alerts", alert="x", spike="-1", mail="pas-une-adresse")
        assert wrong.status_code == 400 and "--" not in wrong.text.split("<main")[-1]
        page = editor.get(url).text
        assert "pic-emploi" in page and "@mairie" in page and "veille@exemple.fr" in page
    with Workspace(site.home) as ws:
        rules = {r.name: r for r in watch.alert_rules(ws.store)}
    assert rules["pic-emploi"].accounts == ["mairie", "cci"] and rules["pic-emploi"].spike == 2.5
    assert "sans-canal" not in rules
    with site.login("editor") as editor:
        assert _form(editor, url + "/alerts/delete", alert="pic-emploi").status_code == 303
        assert _form(editor, url + "/alerts/delete", alert="pic-emploi").status_code == 400
    with Workspace(site.home) as ws:
        assert all(r.name != "pic-emploi" for r in watch.alert_rules(ws.store))


def test_rising_terms_are_a_chart_with_a_table_beside(site: Site) -> None:
    with Workspace(site.home) as ws:
        watch.save_watch(ws.store, Watch(name="Montée", query="emploi OR recrutement OR stage"))
    with site.login("viewer") as viewer:
        page = viewer.get(f"/w/{site.slug}/watches/Montée", params={"end": "newest"}).text
    if "Aucun hashtag ni mot" in page:  # nothing rises in the demo's week: no chart
        assert "<svg" not in page
        return
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in page and '<title id="rising-title">' in svg
    bars = re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', svg)
    rows = re.findall(r'<tr><th scope="row">', page.split("<svg", 1)[1])
    assert len(bars) == 2 * len(rows[: len(bars) // 2]) and bars
    assert 'style="' not in svg  # the CSP refuses inline styles


def _api_client(site: Site, role: str = "viewer") -> Any:
    with site.login(role) as client:
        page = client.post(
            "/account/tokens", data={"csrf": csrf(client, "/account"), "name": "openapi"}
        )
        token = re.search(r"<code>(vl_[^<]+)</code>", page.text)
        assert token
    return site.client(Authorization=f"Bearer {token.group(1)}")


def test_an_unknown_workspace_in_the_api_is_a_404_that_says_so_without_a_cookie(
    site: Site,
) -> None:
    api = _api_client(site)
    answer = api.get("/api/w/nulle-part/search", params={"q": "emploi"})
    assert answer.status_code == 404
    assert answer.json() == {"error": "Espace de travail inconnu."}  # the user's language
    assert "set-cookie" not in answer.headers
    good = api.get(f"/api/w/{site.slug}/watches")
    assert good.status_code == 200 and "set-cookie" not in good.headers


def _check_schema(schema: dict[str, Any], components: dict[str, Any], where: str) -> None:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        assert name in components, f"{where}: dangling {schema['$ref']}"
        return
    for part in schema.get("allOf", []):
        _check_schema(part, components, where)
    if schema.get("type") == "array":
        _check_schema(schema["items"], components, where)
    for prop in schema.get("properties", {}).values():
        _check_schema(prop, components, where)


def test_the_openapi_description_covers_every_api_route_and_is_well_formed(site: Site) -> None:
    from starlette.routing import Route

    from veilleur.web import create_app

    doc = site.client().get("/api/openapi.json")  # public, no token
    assert doc.status_code == 200 and "set-cookie" not in doc.headers
    spec = doc.json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] and spec["info"]["version"]
    app = create_app(site.home)
    try:
        api_routes = [r for r in app.routes if isinstance(r, Route) and r.path.startswith("/api/")]
    finally:
        app.state.server.close()
    assert len(api_routes) >= 3
    components = spec["components"]["schemas"]
    operation_ids: set[str] = set()
    for route in api_routes:
        path = re.sub(r"\{(\w+)(?::\w+)?\}", r"{\1}", route.path)
        assert path in spec["paths"], f"{path} missing from the description"
        for method in (route.methods or set()) - {"HEAD"}:
            op = spec["paths"][path][method.lower()]
            assert op["operationId"] not in operation_ids
            operation_ids.add(op["operationId"])
            assert op["responses"] and all(code.isdigit() for code in op["responses"])
            for response in op["responses"].values():
                assert response["description"]
                for media in response.get("content", {}).values():
                    _check_schema(media["schema"], components, path)
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"\{(\w+)\}", path)), path
            for param in op.get("parameters", []):
                assert param["in"] in ("path", "query", "header", "cookie") and "schema" in param
                assert param["in"] != "path" or param["required"] is True
    assert set(spec["security"][0]) <= set(spec["components"]["securitySchemes"])


def test_an_empty_secret_field_keeps_the_secret_clear_it_to_remove_it(site: Site) -> None:
    """Saving a secret setting with its (always empty) field left empty must not reset it:
    a new ``events.link_key`` would break every link already mailed."""
    with Workspace(site.home) as ws:
        ws.set_setting("smtp.password", "mot-de-passe-smtp")
    with site.login("admin") as admin:
        page = admin.get(f"/w/{site.slug}/settings").text
        assert "mot-de-passe-smtp" not in page and 'name="clear"' in page
        kept = _form(admin, f"/w/{site.slug}/settings/all", key="smtp.password", value="")
        assert kept.status_code == 303
        with Workspace(site.home) as ws:
            assert ws.setting("smtp.password") == "mot-de-passe-smtp"
        cleared = _form(
            admin, f"/w/{site.slug}/settings/all", key="smtp.password", value="", clear="yes"
        )
        assert cleared.status_code == 303
        with Workspace(site.home) as ws:
            assert ws.setting("smtp.password") is None


def test_the_broker_address_is_shown_without_its_password(site: Site) -> None:
    with Workspace(site.home) as ws:
        ws.set_setting("queue.broker_url", "redis://:s3cr3t-du-broker@127.0.0.1:6379/0")
    with site.login("admin") as admin:
        page = admin.get(f"/w/{site.slug}/settings").text
        assert "s3cr3t-du-broker" not in page
        assert "redis://:********@127.0.0.1:6379/0" in page
        # Sent back as shown, masked: the password stays.
        again = _form(
            admin,
            f"/w/{site.slug}/settings/all",
            key="queue.broker_url",
            value="redis://:********@127.0.0.1:6379/0",
        )
        assert again.status_code == 303
        with Workspace(site.home) as ws:
            assert ws.setting("queue.broker_url") == "redis://:s3cr3t-du-broker@127.0.0.1:6379/0"
            ws.set_setting("queue.broker_url", None)


def test_an_alert_name_of_another_watch_is_refused_and_each_page_removes_its_own(
    site: Site,
) -> None:
    """Alert names are shared by every watch: saving « pic » on watch B must not take
    watch A's « pic » away, and B's page must not remove A's alert."""
    with Workspace(site.home) as ws:
        watch.save_watch(ws.store, Watch(name="VeilleA", query="emploi"))
        watch.save_watch(ws.store, Watch(name="VeilleB", query="recrutement"))
    a, b = f"/w/{site.slug}/watches/VeilleA", f"/w/{site.slug}/watches/VeilleB"
    with site.login("editor") as editor:
        assert (
            _form(editor, a + "/alerts", alert="pic", spike="3", mail="a@exemple.fr").status_code
            == 303
        )
        clash = _form(editor, b + "/alerts", alert="pic", spike="2", mail="b@exemple.fr")
        assert clash.status_code == 400 and "VeilleA" in clash.text
        assert _form(editor, b + "/alerts/delete", alert="pic").status_code == 400
    with Workspace(site.home) as ws:
        rules = {r.name: r for r in watch.alert_rules(ws.store)}
    assert rules["pic"].watch == "VeilleA" and rules["pic"].mail == "a@exemple.fr"
    with site.login("editor") as editor:
        assert (
            _form(editor, a + "/alerts", alert="pic", spike="4", mail="a@exemple.fr").status_code
            == 303
        )
        assert _form(editor, a + "/alerts/delete", alert="pic").status_code == 303
