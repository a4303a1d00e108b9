"""Alerts: listed accounts and volume spikes, evaluated on new posts, delivered to a real
webhook on 127.0.0.1 (pytest-httpserver) or by mail, never twice for one story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from pytest_httpserver import HTTPServer

from veilleur.model import Post, Watch
from veilleur.watch.alerts import Rule, add_rule, check, on_new_posts
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


T0 = datetime(2026, 10, 20, 9, tzinfo=UTC)


def _post(i: int, author: str, text: str, when: datetime, network: str = "x") -> Post:
    return Post(f"a{i}", network, author, text, when)


def _write(ws: Workspace, posts: list[Post]) -> list[Post]:
    ws.store.write_posts(posts)
    return posts


@pytest.fixture
def hooked(ws: Workspace, httpserver: HTTPServer) -> Workspace:
    save_watch(ws.store, Watch("emploi", "emploi OR recrutement"))
    ws.set_setting("network.allow_private", "true")
    add_rule(
        ws.store,
        Rule("experts", "emploi", ["@Marie_Dupont"], None, None, httpserver.url_for("/hook")),
    )
    return ws


def test_account_alert_once_per_story(hooked: Workspace, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    text = "Le recrutement des PME passe par les réseaux sociaux locaux, selon notre étude annuelle"
    first = _write(hooked, [
        _post(1, "marie_dupont", text, T0),
        _post(2, "quelquun", "Un avis sur l'emploi des jeunes diplômés cette année", T0),
        _post(3, "marie_dupont", "Vacances à la montagne, à bientôt", T0),
    ])  # fmt: skip
    alerts = on_new_posts(hooked, first)
    assert [(a.kind, a.post.id, a.delivered) for a in alerts] == [("account", "a1", True)]
    (request, _), *_ = httpserver.log
    payload = orjson.loads(request.get_data())
    assert payload["rule"] == "experts" and payload["post"]["author"] == "marie_dupont"
    assert "recrutement" in payload["text"]

    # The same text again, cross-posted on Mastodon: the same story, no second alert.
    again = _write(hooked, [_post(4, "marie_dupont", text, T0 + timedelta(hours=1), "mastodon")])
    assert on_new_posts(hooked, again) == []
    # A new story by her: a new alert.
    advice = "Emploi : trois conseils pour les candidatures spontanées dans l'industrie"
    other = _write(hooked, [_post(5, "marie_dupont", advice, T0 + timedelta(hours=2))])
    assert [a.post.id for a in on_new_posts(hooked, other)] == ["a5"]
    assert len(httpserver.log) == 2


def test_webhook_to_a_private_address_is_refused_by_default(
    hooked: Workspace, httpserver: HTTPServer
) -> None:
    hooked.set_setting("network.allow_private", "false")
    posts = _write(hooked, [_post(1, "marie_dupont", "Un mot sur l'emploi local aujourd'hui", T0)])
    (alert,) = on_new_posts(hooked, posts)
    assert not alert.delivered and alert.error is not None
    assert "private or local address" in alert.error and "allow_private" in alert.error
    assert httpserver.log == []


def test_spike_alert(ws: Workspace, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/spike", method="POST").respond_with_data("ok")
    save_watch(ws.store, Watch("emploi", "emploi"))
    ws.set_setting("network.allow_private", "true")
    add_rule(ws.store, Rule("pic", "emploi", [], 3.0, None, httpserver.url_for("/spike")))
    usual = [
        _post(i, f"u{i}", f"Offre d'emploi numéro {i} dans la région, postulez", when)
        for i in range(1, 8)
        for when in [T0 - timedelta(days=i % 6, hours=i)]
    ]
    assert on_new_posts(ws, _write(ws, usual)) == []
    burst_text = "Fermeture de l'usine : 300 emplois menacés, les syndicats appellent à la grève"
    burst = [
        _post(100 + k, f"b{k}", f"{burst_text} emploi", T0 + timedelta(minutes=5 * k))
        for k in range(8)
    ]
    alerts = on_new_posts(ws, _write(ws, burst))
    assert [(a.kind, a.count, a.delivered) for a in alerts] == [("spike", 8, True)]
    more = [_post(200, "b9", f"{burst_text} emploi", T0 + timedelta(minutes=50))]
    assert on_new_posts(ws, _write(ws, more)) == []  # same story: not again
    assert len(httpserver.log) == 1


def test_alert_cli_and_check(ws: Workspace, cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/c", method="POST").respond_with_data("ok")
    save_watch(ws.store, Watch("emploi", "emploi"))
    ws.set_setting("network.allow_private", "true")
    _write(ws, [_post(1, "marie", "Un ancien message sur l'emploi des cadres", T0)])
    path = ws.path
    ws.close()
    res = cli("alert", "add", "a", "--watch", "emploi", "--account", "marie",
              "--webhook", httpserver.url_for("/c"), workspace=path)  # fmt: skip
    assert res.code == 0, res.err
    assert "@marie" in cli("alert", "list", workspace=path).out
    res = cli("alert", "add", "b", "--watch", "nope", "--spike", "3", "--mail", "x@y.example",
              workspace=path)  # fmt: skip
    assert res.code == 2 and "no watch named 'nope'" in res.err
    res = cli("alert", "add", "b", "--watch", "emploi", "--spike", "3", workspace=path)
    assert res.code == 2 and "--mail ADDRESS or --webhook URL" in res.err
    # The post stored before the alert existed is not news.
    assert cli("alert", "check", workspace=path).code == 0 and httpserver.log == []
    with Workspace(path) as again:
        _write(again, [_post(2, "marie", "Nouveau : l'emploi des cadres repart en Auvergne", T0)])
    res = cli("alert", "check", workspace=path)
    assert res.code == 0 and "sent" in res.err and len(httpserver.log) == 1
    assert cli("alert", "check", workspace=path).code == 0 and len(httpserver.log) == 1
    assert cli("alert", "rm", "a", workspace=path).code == 0
    assert cli("alert", "rm", "a", workspace=path).code == 2


def test_check_function_without_rules_is_quiet(ws: Workspace) -> None:
    _write(ws, [_post(1, "x", "Rien à signaler sur l'emploi", T0)])
    assert check(ws) == []
