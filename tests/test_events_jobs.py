"""The events' periodic step is a registered job step: ``veilleur scheduler`` enqueues it and
a worker runs it (so a team server sends event reminders too), ``veilleur run`` runs it
inline; either way a reminder reaches a real SMTP server once."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from veilleur import events
from veilleur.events.links import token
from veilleur.jobs import work
from veilleur.jobs.steps import steps
from veilleur.jobs.tables import Claims
from veilleur.model import utcnow
from veilleur.workspace import Workspace

from .jobs_support import broker, kill_group, running, stop, veilleur
from .smtp_support import Mailbox


def _event_tomorrow(ws: Workspace, box: Mailbox) -> None:
    """An event starting in a day, one person confirmed a week ago: the D-2 reminder is due."""
    box.configure(ws)
    ws.set_setting("events.base_url", "https://ateliers.example")
    start = utcnow() + timedelta(days=1)
    events.add_event(ws, "demain", events.EventSpec(
        title="Atelier de demain", start=start.isoformat(),
        end=(start + timedelta(hours=3)).isoformat(), capacity=5,
    ))  # fmt: skip
    week_ago = utcnow() - timedelta(days=7)
    person = events.register(ws, "demain", events.Applicant(
        name="Zoé", email="zoe@pme.example", consent="oui", lang="en"), now=week_ago)  # fmt: skip
    events.follow_link(ws, token(ws, person.id, "confirm"), now=week_ago)
    box.wait_for(2)  # « confirm your registration », « your seat is confirmed »


def _reminders(box: Mailbox) -> list[str]:
    return [str(m["Subject"]) for m in box.messages if "In two days" in str(m["Subject"])]


def test_the_events_step_is_in_the_registry() -> None:
    assert "events" in {step.name for step in steps()}


def test_the_scheduler_enqueues_it_and_a_worker_sends_the_reminder_once(ws: Workspace) -> None:
    with Mailbox() as box:
        _event_tomorrow(ws, box)
        sent: list[tuple[str, list[str], str]] = []
        claims = Claims(ws.store)
        try:
            work.schedule_once(ws, claims, lambda step, keys, tok: sent.append((step, keys, tok)))
            work.schedule_once(ws, claims, lambda step, keys, tok: sent.append((step, keys, tok)))
            mine = [job for job in sent if job[0] == "events"]
            assert [(s, k) for s, k, _ in mine] == [("events", ["turn"])]  # claimed: sent once
            assert _reminders(box) == []  # enqueued, not run: nothing sent yet
            step, key, tok = mine[0]
            assert work.run_message(ws, claims, step, key, tok) == "done"
            assert work.run_message(ws, claims, step, key, tok) == "stale"  # a copy of it
            assert _reminders(box) == ["In two days: Atelier de demain"]
            work.run_steps_inline(ws, claims, now=utcnow() + timedelta(minutes=5))
            # `veilleur run` beside the worker: the mail is a row claimed once
            assert _reminders(box) == ["In two days: Atelier de demain"]
        finally:
            claims.close()


def test_veilleur_run_runs_the_step_inline(ws: Workspace) -> None:
    with Mailbox() as box:
        _event_tomorrow(ws, box)
        claims = Claims(ws.store)
        try:
            done = work.run_steps_inline(ws, claims)
        finally:
            claims.close()
        assert done.get("events") == 1
        assert _reminders(box) == ["In two days: Atelier de demain"]
        message = next(m for m in box.messages if "In two days" in str(m["Subject"]))
        body = message.get_body(preferencelist=("plain",))
        assert body is not None and "/l/" in str(body.get_content())  # « je viens » links


def test_two_real_schedulers_and_a_restarted_worker_send_each_reminder_once(
    tmp_path: Path,
) -> None:
    """Two ``veilleur scheduler`` processes started by mistake and a ``veilleur worker``
    killed (SIGKILL, with its pool) after it sent the D-2 reminder, then started again: the
    reminder reached the SMTP server once. A second person, confirmed after the kill, gets
    hers from the restarted worker's next turn (so a turn did run after the restart), and
    once too."""
    url = broker("redis", 9)
    path = tmp_path / "ws"
    with Mailbox() as box:
        with Workspace(path) as ws:
            ws.set_setting("queue.lease", "10")
            _event_tomorrow(ws, box)
        first = veilleur(path, url, "scheduler", "--tick", "0.2")
        second = veilleur(path, url, "scheduler", "--tick", "0.2")
        doomed = veilleur(path, url, "worker", "--concurrency", "2")
        with running(first, second, doomed):
            box.wait_to("zoe@pme.example", "In two days", timeout=180)
            kill_group(doomed)
            with Workspace(path) as ws:
                week_ago = utcnow() - timedelta(days=7)
                person = events.register(ws, "demain", events.Applicant(
                    name="Inès", email="ines@pme.example", consent="oui", lang="en"),
                    now=week_ago)  # fmt: skip
                events.follow_link(ws, token(ws, person.id, "confirm"), now=week_ago)
            restarted = veilleur(path, url, "worker", "--concurrency", "2")
            with running(restarted):
                # the step rests 30 s after a run: the restarted worker's turn comes after
                box.wait_to("ines@pme.example", "In two days", timeout=240)
                time.sleep(2)  # a few more passes of both schedulers
                errors = stop(first) + stop(second)
                log = stop(restarted)
        assert "Traceback" not in errors + log, errors + log
        assert "to ines@pme.example" in log and "to zoe@pme.example" not in log  # its own turn
        assert _reminders(box) == ["In two days: Atelier de demain"] * 2
        assert len(box.wait_to("zoe@pme.example", "In two days")) == 1
        assert len(box.wait_to("ines@pme.example", "In two days")) == 1
