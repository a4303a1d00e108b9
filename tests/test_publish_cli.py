"""The queue, publish and relay commands: messages and exit statuses."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


def test_queue_draft_list_schedule_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = cli("queue", "add", "-n", "linkedin", "Notre guide de la veille est en ligne.")
    assert added.code == 0 and added.out.split()[:3] == ["1", "draft", "linkedin"]
    again = cli("queue", "add", "-n", "linkedin", "Notre guide de la veille est en ligne.")
    assert again.code == 1 and "already in the queue" in again.err
    listed = json.loads(cli("queue", "list", "-f", "json").out)
    assert [(p["id"], p["status"], p["account"]) for p in listed] == [(1, "draft", None)]
    # A LinkedIn draft has no account to publish with: scheduling needs one.
    refused = cli("queue", "schedule", "1", "--at", "now")
    assert refused.code == 2 and "no account" in refused.err
    out = tmp_path / "hootsuite.csv"
    assert cli("queue", "export", "--layout", "hootsuite", "-o", str(out)).code == 0
    (row,) = list(csv.reader(out.open(encoding="utf-8")))
    assert row[1] == "Notre guide de la veille est en ligne." and row[2] == ""
    assert cli("queue", "cancel", "1").code == 0
    assert json.loads(cli("queue", "list", "-f", "json").out)[0]["status"] == "cancelled"


def test_too_long_for_the_network_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    text = "Une phrase de veille. " * 30
    refused = cli("queue", "add", "-n", "x", text)
    assert refused.code == 2 and "--thread" in refused.err
    threaded = cli("queue", "add", "-n", "x", "--thread", text)
    assert threaded.code == 0
    (post,) = json.loads(cli("queue", "list", "-f", "json").out)
    assert len(post["texts"]) > 1


def test_accounts_and_times(cli) -> None:  # type: ignore[no-untyped-def]
    no_server = cli("queue", "account", "add", "m", "--network", "mastodon", "--secret", "s")
    assert no_server.code == 2 and "--server" in no_server.err
    ok = cli(
        "queue",
        "account",
        "add",
        "m",
        "--network",
        "mastodon",
        "--server",
        "https://m.example",
        "--secret",
        "very-secret",
        "--times",
        "09:30,17:00",
    )
    assert ok.code == 0
    listed = cli("queue", "account", "list")
    assert "09:30,17:00" in listed.out and "very-secret" not in listed.out
    assert cli("queue", "account", "times", "m", "8:00").code == 0
    assert cli("queue", "account", "times", "m", "8h").code == 2
    scheduled = cli("queue", "add", "-a", "m", "--at", "next", "Bonjour la veille.")
    assert scheduled.code == 0 and "scheduled" in scheduled.out
    (post,) = json.loads(cli("queue", "list", "-f", "json").out)
    assert post["scheduled_at"] is not None


def test_publish_needs_due(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("publish")
    assert result.code == 2 and "--due" in result.err
    assert "nothing due" in cli("publish", "--due").out


def test_compose_reads_stdin_and_a_directory(
    cli,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import io

    people = tmp_path / "annuaire.yaml"
    people.write_text(
        "anne:\n  name: Anne Dupont\n  x: anne_d\n  mastodon: anne@piaille.fr\n", encoding="utf-8"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("Merci @anne pour cette relecture attentive.\n"))
    result = cli("compose", "-n", "x,mastodon", "--directory", str(people), "-f", "json", "-")
    assert result.code == 0, result.err
    texts = {r["network"]: r["text"] for r in json.loads(result.out)["renderings"]}
    assert texts == {
        "x": "Merci @anne_d pour cette relecture attentive.",
        "mastodon": "Merci @anne@piaille.fr pour cette relecture attentive.",
    }
    broken = tmp_path / "broken.yaml"
    broken.write_text("anne: [\n", encoding="utf-8")
    bad = cli("compose", "-n", "x", "--directory", str(broken), "Bonjour à tous.")
    assert bad.code == 2 and "broken.yaml" in bad.err


def test_messages_in_french(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    assert "Rien à publier" in cli("publish", "--due").out
    result = cli("compose", "-n", "x", "--lang", "fr", "Bravo à toute l'équipe !!")
    assert "ponctuation excessive" in result.out


def test_publishing_errors_speak_french_under_a_french_language(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    nb = "\u00a0"

    def err(*args: str) -> str:
        result = cli(*args)
        assert result.code != 0
        return re.sub(r"[ \n]+", " ", result.err)  # lines wrapped to the terminal, joined

    assert f"aucun compte de publication nommé «{nb}personne{nb}»" in err(
        "queue", "add", "-a", "personne", "Bonjour"
    )
    added = cli(
        "queue", "account", "add", "asso", "-n", "mastodon", "--server", "https://m.example",
        "--secret", "t",
    )  # fmt: skip
    assert added.code == 0
    assert f"n'existe pas dans le fuseau Europe/Paris{nb}:" in err(
        "queue", "add", "-a", "asso", "--at", "2027-03-28T02:30", "Bonjour"
    )
    assert f"aucun relais nommé «{nb}inconnu{nb}»" in err("relay", "run", "inconnu")
