"""A new user's first hour, in French: every line the command line prints is French (issue 20's
walk-through, for the commands of the CLI: init, a feed on a local server, collect, search,
watch, digest, compose, queue, publish to a local Mastodon)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from veilleur.cli.main import execute

from .test_cli_french import english_words

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Emploi en Auvergne</title><link>https://emploi.example/</link>
<description>Offres et actualités</description>
<item><title>Le recrutement repart à Clermont</title><link>https://emploi.example/1</link>
<guid>https://emploi.example/1</guid><pubDate>Tue, 10 Nov 2026 09:00:00 +0000</pubDate>
<description>Les entreprises de Clermont recrutent : emploi des cadres en hausse.</description>
</item>
<item><title>Salon de l'emploi à Vichy</title><link>https://emploi.example/2</link>
<guid>https://emploi.example/2</guid><pubDate>Wed, 11 Nov 2026 09:00:00 +0000</pubDate>
<description>Un salon pour l'emploi et le recrutement des jeunes, jeudi à Vichy.</description>
</item>
</channel></rss>
"""


@pytest.fixture
def mastodon() -> Iterator[Any]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


def test_a_new_users_first_hour_is_french(
    tmp_path: Path,
    httpserver: HTTPServer,
    mastodon: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VEILLEUR_LANG")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    httpserver.expect_request("/flux.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    ws = str(tmp_path / "veille")
    steps: list[tuple[list[str], int]] = [
        (["stats"], 2),  # no workspace yet: the hint says to run init
        (["init", ws], 0),
        (["-w", ws, "config", "set", "network.allow_private", "true"], 0),
        (["-w", ws, "source", "add", "rss", httpserver.url_for("/flux.xml")], 0),
        (["-w", ws, "source", "list"], 0),
        (["-w", ws, "collect"], 0),
        (["-w", ws, "collect"], 0),  # nothing due
        (["-w", ws, "search", "recrutement"], 0),
        (["-w", ws, "watch", "add", "emploi", "emploi OR recrutement"], 0),
        (["-w", ws, "watch", "list"], 0),
        (["-w", ws, "watch", "show", "emploi"], 0),
        (
            [
                "-w",
                ws,
                "digest",
                "emploi",
                "--since",
                "2026-11-01",
                "--until",
                "2026-12-01",
                "-f",
                "md",
            ],
            0,
        ),
        (["-w", ws, "compose", "Salon de l'emploi jeudi à Vichy #emploi", "-n", "x,mastodon"], 0),
        (["-w", ws, "queue", "add", "-n", "linkedin", "Salon de l'emploi jeudi", "--draft"], 0),
        (["-w", ws, "queue", "list"], 0),
        (
            [
                "-w",
                ws,
                "queue",
                "account",
                "add",
                "asso",
                "-n",
                "mastodon",
                "--server",
                mastodon.base_url,
                "--secret",
                "alice_token",
                "--insecure",  # the local test server speaks http://
            ],
            0,
        ),
        (
            [
                "-w",
                ws,
                "queue",
                "add",
                "-a",
                "asso",
                "Salon de l'emploi jeudi à Vichy",
                "--at",
                "now",
            ],
            0,
        ),
        (["-w", ws, "publish", "--due"], 0),
        (["-w", ws, "queue", "list"], 0),
        (["-w", ws, "stats"], 0),
        (["-w", ws, "serach", "emploi"], 2),
    ]
    monkeypatch.setenv("VEILLEUR_WORKSPACE", str(tmp_path / "absent"))
    for args, expected in steps:
        capsys.readouterr()
        code = execute(args)
        shown = capsys.readouterr()
        text = shown.out + shown.err
        assert code == expected, (args, text)
        assert text.strip(), args
        assert english_words(text) == set(), (args, text)
    # The post really went out, once, to the local Mastodon.
    api = mastodon.client("alice")
    me = api.account_verify_credentials()
    published = [s["content"] for s in api.account_statuses(me["id"], limit=40)]
    assert len(published) == 1 and "Vichy" in published[0]
    # The detector sees the English of the same commands.
    monkeypatch.setenv("VEILLEUR_LANG", "en")
    for args in (["-w", ws, "collect"], ["-w", ws, "queue", "list"], ["-w", ws, "stats"]):
        capsys.readouterr()
        execute(args)
        shown = capsys.readouterr()
        assert english_words(shown.out + shown.err), args
