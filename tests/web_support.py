"""A workbench served for real: uvicorn on 127.0.0.1 in a thread, over a workspace holding
the demo corpus, a Mastodon publishing account and one user per role.

Test modules import the fixtures (``from .web_support import site, …``). The workspace
lives for the module; so does its secret key (the publishing account's token is sealed
with it), hence ``_isolated_env`` overridden below with a key of the module's.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

PASSWORD = "motdepasse-de-test"
ROLES = ("viewer", "editor", "admin", "owner")
EVENT = "atelier-decouverte"
"""An event of the served workspace (15 seats, in March of YEAR), for the public pages."""
YEAR = datetime.now(UTC).year + 1
"""The year of the tests' events: next year, whatever today is, so that they stay events to
come (sign-ups open) as the calendar moves; 15 March to 1 May keep the same Paris offset
every year (summer time starts on the last Sunday of March, 25–31 March)."""


def email(role: str) -> str:
    return f"{role}@exemple.fr"


class Client(httpx.Client):
    """An httpx client that may be used before its ``with`` block (logged in first)."""

    def __enter__(self) -> Client:
        return self


@dataclass
class Site:
    url: str
    home: Path
    slug: str
    org: int
    key_file: Path

    def client(self, **headers: str) -> Client:
        return Client(base_url=self.url, follow_redirects=False, timeout=60, headers=headers)

    def login(self, role: str, **headers: str) -> Client:
        """A client logged in as the user with ``role``."""
        client = self.client(**headers)
        answer = client.post(
            "/login",
            data={"csrf": csrf(client), "email": email(role), "password": PASSWORD, "next": "/"},
        )
        assert answer.status_code == 303, answer.text
        return client


def csrf(client: httpx.Client, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _build(home: Path) -> tuple[str, int]:
    from veilleur import accounts, events, publish
    from veilleur.imports import import_demo_corpus
    from veilleur.workspace import init_workspace

    ws, _ = init_workspace(home)
    with ws:
        import_demo_corpus(ws.store)
        publish.add_account(ws, "asso", "mastodon", server="https://mastodon.example",
                            secret="jeton-de-test")  # fmt: skip
        ws.set_setting("events.base_url", "https://ateliers.example")
        events.add_event(ws, EVENT, events.EventSpec(
            title="Atelier Découverte de Twitter", start=f"{YEAR}-03-15T14:00",
            end=f"{YEAR}-03-15T17:00", timezone="Europe/Paris", location="CCI Lyon",
            capacity=15, hashtag="AtelierTwitterLyon",
        ))  # fmt: skip
        entry = accounts.register_workspace(ws.store, home)
        names = dict(accounts.organisations(ws.store))
        for role in ROLES:
            accounts.add_user(ws.store, email(role), PASSWORD, role, names[entry.organisation_id])
        return entry.slug, entry.organisation_id


def _serve(home: Path, *extra_modules: str) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 serving ``home``; ``extra_modules``: page modules a test
    adds to the workbench's own (``PAGE_MODULES``)."""
    import uvicorn

    from veilleur.web.app import PAGE_MODULES, create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(home, modules=(*PAGE_MODULES, *extra_modules))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def serve_site(
    tmp_path_factory: pytest.TempPathFactory, name: str, *extra_modules: str
) -> Iterator[Site]:
    """A built workspace served by a real uvicorn, with its own key file (what the ``site``
    fixtures of the web tests yield; ``extra_modules`` as :func:`_serve`)."""
    base = tmp_path_factory.mktemp(name)
    key = base / "secret.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VEILLEUR_KEY_FILE", str(key))
        mp.setenv("VEILLEUR_LANG", "en")
        home = base / "espace"
        slug, org = _build(home)
        for url in _serve(home, *extra_modules):
            yield Site(url, home, slug, org, key)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(tmp_path_factory, "web")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, site: Site) -> None:
    """As conftest's, with the site's key (its sealed secrets must stay readable)."""
    monkeypatch.setenv("VEILLEUR_WORKSPACE", str(tmp_path / "default-ws"))
    monkeypatch.setenv("VEILLEUR_LANG", "en")
    monkeypatch.setenv("VEILLEUR_KEY_FILE", str(site.key_file))
