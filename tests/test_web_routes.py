"""Every route of the workbench, with every role and without a session: the answer is the
one its declared role calls for. Routes are enumerated from the app's router, so a page
added later is walked too (and a page cannot be declared without a role)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route

from veilleur import accounts
from veilleur.web import create_app

from .web_support import EVENT, ROLES, Site, _isolated_env, csrf, site  # noqa: F401

# Values for the path parameters: none names a real watch, post or user, so that walking
# the state-changing routes changes nothing the other tests rely on.
PARAMS = {"ws": None, "org": None, "name": "veille-inconnue", "post": "999999",
          "user": "999999", "token": "999999", "slug": EVENT, "person": "999999"}  # fmt: skip


def _routes(site: Site) -> list[tuple[str, str, str]]:
    """``(method, path, role)`` of every route of a freshly built app."""
    app = create_app(site.home)
    try:
        found: list[tuple[str, str, str]] = []
        for route in app.routes:
            if isinstance(route, Mount):
                found.append(("GET", "/static/veilleur.css", "public"))
                continue
            assert isinstance(route, Route)
            role = getattr(route.endpoint, "veilleur_role", None)
            assert role is not None, f"{route.path} was not declared through Router.page"
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, route.path, role))
        return found
    finally:
        app.state.server.close()


def _concrete(site: Site, path: str) -> str:
    values = {**PARAMS, "ws": site.slug, "org": str(site.org)}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m.group(1)]), path)


def _send(client: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
    return client.request(method, path, **kw)


def _to_login(answer: httpx.Response) -> bool:
    return answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_the_walk_sees_every_kind_of_route(site: Site) -> None:
    routes = _routes(site)
    roles = {role for _, _, role in routes}
    assert roles == {"public", "user", *ROLES}
    assert len(routes) >= 30
    assert ("POST", "/w/{ws}/queue/{post:int}/approve", "admin") in routes


def test_without_a_session_only_public_pages_answer(site: Site) -> None:
    for method, path, role in _routes(site):
        with site.client() as client:
            answer = _send(client, method, _concrete(site, path))
        where = f"{method} {path}"
        if path.startswith("/api/") and role != "public":
            assert answer.status_code == 401, where
        elif role == "public":
            assert not _to_login(answer), where
            # a form posted without the session's CSRF token is refused
            expected = {403} if method == "POST" else {200, 410}
            assert answer.status_code in expected, (where, answer.status_code)
        else:
            assert _to_login(answer), (where, answer.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_pages_it_may(site: Site, role: str) -> None:
    routes = sorted(_routes(site), key=lambda r: r[1] == "/logout")  # logging out last
    client = site.login(role)
    with client:
        token = csrf(client, "/account")
        with site.login("owner") as owner:
            bearer = owner.post("/account/tokens", data={"csrf": csrf(owner, "/account"),
                                                         "name": "walk"})  # fmt: skip
        assert bearer.status_code == 200
        for method, path, needed in routes:
            url = _concrete(site, path)
            where = f"{role} {method} {path}"
            if path.startswith("/api/") and needed != "public":
                assert client.get(url).status_code == 401, where  # the cookie is not enough
                continue
            data = {"csrf": token} if method == "POST" else None
            answer = _send(client, method, url, data=data)
            allowed = needed in ("public", "user") or accounts.rank(role) >= accounts.rank(needed)
            assert not _to_login(answer), where
            if allowed:
                assert answer.status_code in {200, 204, 303, 400, 401, 404, 410}, (
                    where, answer.status_code, answer.text[:300])  # fmt: skip
            else:
                assert answer.status_code == 403, (where, answer.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_takes_a_personal_token_not_the_cookie(site: Site, role: str) -> None:
    with site.login(role) as client:
        page = client.post("/account/tokens", data={"csrf": csrf(client, "/account"),
                                                    "name": "api"})  # fmt: skip
        token = re.search(r"<code>(vl_[^<]+)</code>", page.text)
        assert token, page.text[:500]
    api = site.client(Authorization=f"Bearer {token.group(1)}")
    answer = api.get(f"/api/w/{site.slug}/search", params={"q": "emploi"})
    assert answer.status_code == 200 and answer.json()["total"] > 0
    wrong = site.client(Authorization="Bearer vl_not-a-token")
    assert wrong.get(f"/api/w/{site.slug}/search", params={"q": "emploi"}).status_code == 401


def test_every_post_without_the_csrf_token_is_refused(site: Site) -> None:
    with site.login("owner") as client:
        mine = csrf(client, "/account")
        with site.login("owner") as other:
            theirs = csrf(other, "/account")
        for method, path, _ in _routes(site):
            if method != "POST" or path.startswith("/api/"):
                continue
            url = _concrete(site, path)
            assert client.post(url, data={}).status_code == 403, path
            assert client.post(url, data={"csrf": theirs}).status_code == 403, path
            cross = client.post(
                url, data={"csrf": mine}, headers={"Origin": "https://evil.example"}
            )
            assert cross.status_code == 403, path


def test_a_body_too_large_is_refused_before_anything_even_anonymous(site: Site) -> None:
    """Every form is read before the login, CSRF and role checks: its size is limited
    first, by its Content-Length or by counting a chunked body, with a larger limit only
    for the pages that take a file."""
    big = b"x" * (2 * 1024 * 1024)
    with site.client() as anonymous:
        declared = anonymous.post(
            "/login", content=big, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert declared.status_code == 413
        assert "trop volumineuse" in declared.text and "1\u00a0Mo" in declared.text

        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(32):
                yield b"y" * 65536

        streamed = anonymous.post(
            f"/w/{site.slug}/settings",
            content=chunks(),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "accept-language": "en",
            },
        )
        assert streamed.status_code == 413 and "too large" in streamed.text
    with site.login("editor") as editor:
        token = csrf(editor, f"/w/{site.slug}/compose")
        image = editor.post(  # 2 MB of image: the compose page takes files
            f"/w/{site.slug}/compose/preview",
            data={"csrf": token, "text": "Une image un peu lourde."},
            files={"image": ("lourde.png", big, "image/png")},
        )
        assert image.status_code == 200
        huge = editor.post(
            f"/w/{site.slug}/compose/preview",
            data={"csrf": token, "text": "Une image beaucoup trop lourde."},
            files={"image": ("enorme.png", big * 9, "image/png")},
        )
        assert huge.status_code == 413  # the app-wide cap, the same as the upload pages'
