"""Publishing times without a zone are wall-clock times of the account (or workspace) zone,
stored in UTC and shown with their zone — across a change of daylight saving time (issue 20).

Europe/Paris goes from CET (+01:00) to CEST (+02:00) on 2027-03-28 at 02:00; New York from
EST (-05:00) to EDT on 2027-03-14.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from veilleur.publish.queue import Queue
from veilleur.workspace import Workspace


def setup(cli) -> None:  # type: ignore[no-untyped-def]
    added = cli(
        "queue", "account", "add", "asso", "--network", "mastodon",
        "--server", "https://piaille.example", "--secret", "token", "--timezone", "Europe/Paris",
    )  # fmt: skip
    assert added.code == 0, added.err


def stored(ws: Path) -> dict[str, datetime | None]:
    with Workspace(ws) as w:
        return {p.texts[0]: p.scheduled_at for p in Queue(w.store).posts()}


def test_at_without_zone_is_the_accounts_wall_clock(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    setup(cli)
    for day, text in (("27", "Avant le changement"), ("29", "Après le changement")):
        added = cli("queue", "add", "-a", "asso", "--at", f"2027-03-{day}T09:30", text)
        assert added.code == 0, added.err
    assert cli("queue", "add", "-a", "asso", "--at", "2027-03-30T09:30Z", "En UTC").code == 0
    assert stored(tmp_path / "ws") == {
        "Avant le changement": datetime(2027, 3, 27, 8, 30, tzinfo=UTC),
        "Après le changement": datetime(2027, 3, 29, 7, 30, tzinfo=UTC),
        "En UTC": datetime(2027, 3, 30, 9, 30, tzinfo=UTC),
    }
    listed = json.loads(cli("queue", "list", "--format", "json").out)
    assert {p["texts"][0]: p["scheduled_at"] for p in listed} == {
        "Avant le changement": "2027-03-27T09:30:00+01:00",
        "Après le changement": "2027-03-29T09:30:00+02:00",
        "En UTC": "2027-03-30T11:30:00+02:00",
    }
    table = cli("queue", "list").out
    assert "09:30 CET" in table and "09:30 CEST" in table
    exported = cli("queue", "export", "--layout", "buffer").out
    times = {row["Text"]: row["Posting Time"] for row in csv.DictReader(io.StringIO(exported))}
    assert times == {
        "Avant le changement": "2027-03-27 09:30",
        "Après le changement": "2027-03-29 09:30",
        "En UTC": "2027-03-30 11:30",
    }


def test_schedule_reads_and_shows_the_accounts_zone(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    setup(cli)
    assert cli("queue", "add", "-n", "mastodon", "--draft", "Brouillon").code == 0
    moved = cli("queue", "schedule", "1", "-a", "asso", "--at", "2027-03-29T09:30")
    assert moved.code == 0, moved.err
    assert "2027-03-29T09:30:00+02:00" in moved.out
    assert stored(tmp_path / "ws") == {"Brouillon": datetime(2027, 3, 29, 7, 30, tzinfo=UTC)}


def test_a_time_the_clocks_skip_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    setup(cli)
    skipped = cli("queue", "add", "-a", "asso", "--at", "2027-03-28T02:30", "Dans le trou")
    assert skipped.code != 0
    assert "2027-03-28T02:30" in skipped.err and "Europe/Paris" in skipped.err


def test_drafts_use_the_workspace_zone(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "publish.timezone", "America/New_York").code == 0
    for day in ("10", "16"):  # EST, then EDT
        added = cli("queue", "add", "-n", "x", "--at", f"2027-03-{day}T09:30", f"Le {day}")
        assert added.code == 0, added.err
    assert stored(tmp_path / "ws") == {
        "Le 10": datetime(2027, 3, 10, 14, 30, tzinfo=UTC),
        "Le 16": datetime(2027, 3, 16, 13, 30, tzinfo=UTC),
    }
    exported = cli("queue", "export", "--layout", "buffer").out  # the workspace's zone
    assert [r["Posting Time"] for r in csv.DictReader(io.StringIO(exported))] == [
        "2027-03-10 09:30",
        "2027-03-16 09:30",
    ]
    paris = cli("queue", "export", "--layout", "buffer", "--timezone", "Europe/Paris").out
    assert [r["Posting Time"] for r in csv.DictReader(io.StringIO(paris))] == [
        "2027-03-10 15:30",
        "2027-03-16 14:30",
    ]


def test_posting_times_are_the_accounts_wall_clock(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    setup(cli)
    shown = cli("queue", "account", "times", "asso", "09:30,17:00")
    assert shown.code == 0 and "09:30, 17:00" in shown.out and "Europe/Paris" in shown.out
    with Workspace(tmp_path / "ws") as w:
        queue = Queue(w.store)
        before = queue.next_slot("asso", datetime(2027, 3, 27, 12, 0, tzinfo=UTC))
        after = queue.next_slot("asso", datetime(2027, 3, 28, 12, 0, tzinfo=UTC))
    assert before == datetime(2027, 3, 27, 16, 0, tzinfo=UTC)  # 17:00 CET
    assert after == datetime(2027, 3, 28, 15, 0, tzinfo=UTC)  # 17:00 CEST
