"""``veilleur event …`` on the command line, and ``veilleur run`` sending the mails owed."""

from __future__ import annotations

import csv
import email
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from email import policy
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from veilleur import events
from veilleur.events.links import token
from veilleur.workspace import Workspace

from .pdf_support import pdf_text, squeeze

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL

# The event is in March of next year, whatever today is: forgetting someone frees their
# seat only for an event to come, so a fixed year would turn into a past event one day.
# 13 and 15 March stay before Europe's summer time (last Sunday of March) every year.
YEAR = datetime.now(UTC).year + 1
ADD = ("event", "add", "atelier", "--title", "Atelier Découverte de Twitter",
       "--start", f"{YEAR}-03-15T14:00", "--end", f"{YEAR}-03-15T17:00", "--timezone",
       "Europe/Paris", "--location", "CCI Lyon", "--capacity", "2",
       "--hashtag", "#AtelierTwitterLyon")  # fmt: skip
T0 = datetime(YEAR, 3, 1, 9, tzinfo=UTC)


def _people(folder: Path, count: int) -> None:
    with Workspace(folder) as ws:
        ws.set_setting("events.base_url", "https://ateliers.example")
        for i in range(count):
            person = events.register(
                ws,
                "atelier",
                events.Applicant(
                    name=f"=cmd|{i}" if i == 0 else f"Personne {i}",
                    email=f"p{i}@pme.example",
                    consent="oui",
                ),
                now=T0,
            )
            events.follow_link(ws, token(ws, person.id, "confirm"), now=T0)


def test_add_list_show_edit_cancel(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = cli(*ADD)
    assert res.code == 0, res.err
    assert "event 'atelier' created" in res.err
    res = cli("event", "list")
    assert "atelier" in res.out and "0/2" in res.out
    res = cli("event", "show", "atelier")
    assert f"start: {YEAR}-03-15 14:00 (Europe/Paris)" in res.out
    assert "#AtelierTwitterLyon" in res.out
    res = cli("event", "edit", "atelier", "--capacity", "3", "--location", "Salle 2")
    assert res.code == 0, res.err
    assert "0/3 taken, 3 left" in res.out and "location: Salle 2" in res.out
    res = cli("event", "add", "atelier", "--title", "x", "--start", f"{YEAR}-03-15T14:00",
              "--end", f"{YEAR}-03-15T17:00", "--capacity", "2")  # fmt: skip
    assert res.code == 2 and "already exists" in res.err
    res = cli("event", "show", "nope")
    assert res.code == 2 and "no event 'nope' (events: atelier)" in res.err
    res = cli("event", "cancel", "atelier")
    assert res.code == 0 and "event 'atelier' cancelled" in res.err
    assert "cancelled" in cli("event", "show", "atelier").out


def test_attendees_in_three_formats_check_in_forget_export(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    assert cli(*ADD).code == 0
    _people(tmp_path / "ws", 3)
    res = cli("event", "attendees", "atelier")
    assert res.code == 0
    assert "waitlisted (1)" in res.out
    assert "3 registered, 2 confirmed, 1 waiting, 0 attended" in res.err
    rows = list(csv.reader(io.StringIO(cli("event", "attendees", "atelier", "-f", "csv").out)))
    assert rows[0][:4] == ["id", "status", "position", "name"]
    assert rows[1][3] == "'=cmd|0", "a formula is neutralised"
    assert [r[1] for r in rows[1:]] == ["confirmed", "confirmed", "waitlisted"]
    data = json.loads(cli("event", "attendees", "atelier", "-f", "json").out)
    assert data["attendance"]["registered"] == 3 and len(data["registrations"]) == 3
    res = cli("event", "check-in", "atelier", "p1@pme.example")
    assert res.code == 0 and "Personne 1: attended" in res.err
    res = cli("event", "check-in", "atelier", "p2@pme.example")
    assert res.code == 2 and "has no confirmed seat" in res.err
    exported = tmp_path / "p1.json"
    assert cli("event", "export", "p1@pme.example", "-o", str(exported)).code == 0
    assert json.loads(exported.read_text())["registrations"][0]["status"] == "attended"
    res = cli("event", "forget", "p0@pme.example")
    assert res.code == 0 and "1 registrations anonymised" in res.err
    rows = list(csv.reader(io.StringIO(cli("event", "attendees", "atelier", "-f", "csv").out)))
    assert rows[1][3] == "—" and rows[1][1] == "cancelled"
    assert rows[3][1] == "offered", "the freed seat went to the waiting list"


def test_attendees_show_who_said_they_come(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch
) -> None:
    """« je viens » (the D-2 reminder's link) shows in the list, in both languages."""
    assert cli(*ADD).code == 0
    _people(tmp_path / "ws", 2)
    with Workspace(tmp_path / "ws") as ws:
        _, people = events.attendees(ws.store, "atelier")
        said = datetime(YEAR, 3, 13, 9, tzinfo=UTC)
        events.follow_link(ws, token(ws, people[1].id, "come"), now=said)
    res = cli("event", "attendees", "atelier")
    assert res.code == 0, res.err
    row = next(line for line in res.out.splitlines() if "Personne 1" in line)
    # when they said « je viens », in the event's time zone
    assert "coming" in res.out and f"{YEAR}-03-13 10:00" in row
    assert f"{YEAR}-03-13" not in next(line for line in res.out.splitlines() if "cmd" in line)
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    res = cli("event", "attendees", "atelier")
    assert "«\u00a0je viens\u00a0»" in res.out


def test_kit_and_recap_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(*ADD).code == 0
    programme = tmp_path / "programme.csv"
    programme.write_text("title,start,end,speakers\nOuverture,14:00,14:30,Anne\n", "utf-8")
    res = cli("event", "kit", "atelier", "--program", str(programme), "--networks", "x,bluesky",
              "-f", "json", "--queue")  # fmt: skip
    assert res.code == 0, res.err
    kit = json.loads(res.out)
    assert [r["network"] for r in kit["sessions"][0]["posts"][0]["renderings"]] == ["x", "bluesky"]
    assert "2 drafts queued" in res.err
    bad = tmp_path / "bad.csv"
    bad.write_text("title,start,end,speakers\nOuverture,quatorze heures,15:00,Anne\n", "utf-8")
    res = cli("event", "kit", "atelier", "--program", str(bad))
    assert res.code == 2 and f"{bad}:2" in res.err
    res = cli("event", "recap", "atelier", "-f", "md")
    assert res.code == 0, res.err
    assert res.out.startswith(
        "# Bilan\u00a0: Atelier Découverte de Twitter"
    )  # the event's language


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_veilleur_run_sends_the_mails_owed(tmp_path: Path) -> None:
    received: list[Message] = []
    arrived = threading.Event()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            received.append(email.message_from_bytes(envelope.content, policy=policy.default))
            if len(received) >= 2:
                arrived.set()
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="smtp.test")
    controller.start()
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        events.add_event(ws, "atelier", events.EventSpec(
            title="Atelier", start=f"{YEAR}-03-15T14:00", end=f"{YEAR}-03-15T17:00", capacity=2,
        ))  # fmt: skip
    _people(folder, 1)  # no SMTP yet: the mails wait in the workspace
    with Workspace(folder) as ws:
        ws.set_setting("smtp.host", "127.0.0.1")
        ws.set_setting("smtp.port", str(port))
        ws.set_setting("smtp.starttls", "false")
        ws.set_setting("smtp.from", "ateliers@pme.example")
    env = {**os.environ, "VEILLEUR_WORKSPACE": str(folder), "VEILLEUR_LANG": "en"}
    process = subprocess.Popen(
        [sys.executable, "-m", "veilleur.cli.main", "run", "--tick", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert arrived.wait(60), "veilleur run sent nothing"
        time.sleep(0.5)  # a third mail, if any, would have come in the same turn
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        controller.stop()
    assert process.returncode == 0, err
    subjects = sorted(m["Subject"] for m in received)
    assert subjects == [  # in the language the person signed up in
        "Confirmez votre inscription\u00a0: Atelier",
        "Votre place est confirmée\u00a0: Atelier",
    ]


def test_attendees_table_prints_names_with_brackets_as_typed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A name from the public form is not Rich markup: « [/x] » once crashed the table
    # (MarkupError) and « [b]…[/b] », « [link=…] » were read as styles and links.
    assert cli(*ADD).code == 0
    with Workspace(tmp_path / "ws") as ws:
        ws.set_setting("events.base_url", "https://ateliers.example")
        for name in ("[/x]", "[b]Zoé[/b]"):
            person = events.register(
                ws, "atelier", events.Applicant(name=name, email=f"{len(name)}@pme.example",
                                                consent="oui"), now=T0,
            )  # fmt: skip
            events.follow_link(ws, token(ws, person.id, "confirm"), now=T0)
    res = cli("event", "attendees", "atelier")
    assert res.code == 0, res.err
    assert "[/x]" in res.out and "[b]Zoé[/b]" in res.out


def test_kit_and_recap_as_pdf(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The printable kit and the recap as PDF files whose text names the event."""
    assert cli(*ADD).code == 0
    programme = tmp_path / "programme.csv"
    programme.write_text("titre,début,fin,intervenants\nOuverture,14:00,14:30,Anne\n", "utf-8")
    kit_pdf = tmp_path / "out" / "kit.pdf"
    res = cli("event", "kit", "atelier", "--program", str(programme), "-f", "pdf",
              "--output", str(kit_pdf))  # fmt: skip
    assert res.code == 0, res.err
    assert str(kit_pdf) in res.err
    data = kit_pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert any(squeeze("Atelier Découverte de Twitter") in text for text in pdf_text(data))
    assert any("Ouverture" in text for text in pdf_text(data))
    assert not list(kit_pdf.parent.glob("*.part"))

    monkeypatch.chdir(tmp_path)  # without --output: recap-SLUG.pdf in the current folder
    res = cli("event", "recap", "atelier", "--format", "pdf")
    assert res.code == 0, res.err
    data = (tmp_path / "recap-atelier.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert any(squeeze("Bilan : Atelier Découverte de Twitter") in text for text in pdf_text(data))


def test_the_check_in_list_as_pdf(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Those holding a seat, not the waiting list, in a PDF named after the event."""
    assert cli(*ADD).code == 0  # two seats
    _people(tmp_path / "ws", 3)  # two confirmed, the third waitlisted
    monkeypatch.chdir(tmp_path)
    res = cli("event", "check-in-list", "atelier")
    assert res.code == 0, res.err
    data = (tmp_path / "checkin-atelier.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    texts = pdf_text(data)
    assert any(squeeze("Atelier Découverte de Twitter") in text for text in texts)
    assert any("Personne1" in text for text in texts)
    assert not any("Personne2" in text for text in texts)  # on the waiting list
    res = cli("event", "check-in-list", "atelier", "-f", "html")
    assert res.code == 0 and "<title>Liste d’émargement</title>" in res.out, res.out[:300]
    res = cli("event", "check-in-list", "nulle-part")
    assert res.code != 0 and "nulle-part" in res.err
