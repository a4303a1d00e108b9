"""Registration with limited seats: double opt-in by signed link, exact capacity under
concurrency (real threads, each with its own connection to the real SQLite file), the
waitlist and its expiring offers, the mails through a real SMTP server (aiosmtpd) with an
``.ics`` read back by icalendar, reminders sent once, anonymisation, a person's rights."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from aiosmtpd.controller import Controller
from itsdangerous import TimestampSigner

from veilleur import events
from veilleur.errors import UsageError
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL

START = "2027-03-15T14:00"
T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)  # two weeks before the event
EVENT_START = datetime(2027, 3, 15, 13, tzinfo=UTC)  # 14:00 in Paris (CET, +01:00)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Message]]]:
    received: list[Message] = []
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            with lock:
                received.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="smtp.test")
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def _setup(ws: Workspace, capacity: int = 15, port: int | None = None) -> events.Event:
    ws.set_setting("events.base_url", "https://ateliers.example")
    if port is not None:
        ws.set_setting("smtp.host", "127.0.0.1")
        ws.set_setting("smtp.port", str(port))
        ws.set_setting("smtp.starttls", "false")
        ws.set_setting("smtp.from", "ateliers@pme.example")
    return events.add_event(
        ws,
        "atelier-twitter",
        events.EventSpec(
            title="Atelier Découverte de Twitter",
            start=START,
            end="2027-03-15T17:00",
            timezone="Europe/Paris",
            location="CCI Lyon, salle 2",
            capacity=capacity,
            hashtag="AtelierTwitterLyon",
            description="Apportez votre téléphone.",
        ),
    )


def _applicant(i: int, lang: str = "fr") -> events.Applicant:
    return events.Applicant(
        name=f"Personne {i}",
        email=f"p{i}@pme.example",
        consent="J'accepte que mes données servent à l'organisation de l'atelier.",
        organisation="PME",
        handles={"twitter": f"@p{i}"} if i % 2 else {},
        lang=lang,
    )


def _token(ws: Workspace, registration_id: int, action: str) -> str:
    from veilleur.events.links import token

    return token(ws, registration_id, action)


def _links(message: Message) -> dict[str, str]:
    body = _text(message)
    return dict.fromkeys(re.findall(r"https://ateliers\.example/e/[\w-]+/l/(\S+)", body), "")


def _text(message: Message) -> str:
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _ics(message: Message) -> icalendar.Calendar:
    assert isinstance(message, EmailMessage)
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content())
    raise AssertionError("no .ics attached")


# -- events --------------------------------------------------------------------------------


def test_an_event_keeps_its_local_time_and_zone(ws: Workspace) -> None:
    event = _setup(ws)
    assert event.starts_at == EVENT_START
    assert event.local_start.isoformat() == "2027-03-15T14:00:00+01:00"
    assert event.hashtag == "#AtelierTwitterLyon"
    assert [e.slug for e in events.list_events(ws.store)] == ["atelier-twitter"]
    seats = events.seats_left(ws.store, "atelier-twitter")
    assert (seats.capacity, seats.left, seats.waiting) == (15, 15, 0)


def test_bad_event_input_is_refused_with_what_was_expected(ws: Workspace) -> None:
    _setup(ws)
    spec = events.EventSpec(title="x", start=START, end="2027-03-15T17:00", capacity=3)
    with pytest.raises(UsageError, match="already exists"):
        events.add_event(ws, "atelier-twitter", spec)
    with pytest.raises(UsageError, match="not a valid event name"):
        events.add_event(ws, "Atelier Twitter", spec)
    for reserved in ("mur", "l"):  # /e/SLUG/mur is a wall, /e/NAME/SLUG another workspace
        with pytest.raises(UsageError, match="the addresses of the public pages use it"):
            events.add_event(ws, reserved, spec)
    skipped = events.EventSpec(title="x", start="2027-03-28T02:30", end="2027-03-28T05:00",
                               capacity=3)  # fmt: skip
    with pytest.raises(UsageError, match="does not exist in Europe/Paris"):
        events.add_event(ws, "nuit", skipped)
    backwards = events.EventSpec(title="x", start=START, end="2027-03-15T10:00", capacity=3)
    with pytest.raises(UsageError, match="--end must come after --start"):
        events.add_event(ws, "envers", backwards)
    with pytest.raises(UsageError, match="no event 'nope'"):
        events.get_event(ws.store, "nope")


# -- double opt-in and the mails -----------------------------------------------------------


def test_sign_up_takes_no_seat_until_the_mailed_link_is_followed(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    port, received = smtp
    _setup(ws, capacity=2, port=port)
    person = events.register(ws, "atelier-twitter", _applicant(1), now=T0)
    assert person.status == "pending"
    assert person.consent.startswith("J'accepte")
    assert person.handles == {"x": "p1"}
    assert events.seats_left(ws.store, "atelier-twitter").left == 2
    assert len(received) == 1 and received[0]["To"] == "p1@pme.example"
    assert (
        received[0]["Subject"] == "Confirmez votre inscription\u00a0: Atelier Découverte de Twitter"
    )
    (confirm,) = _links(received[0])
    assert events.read_link(ws, confirm)[0].action == "confirm"

    outcome = events.follow_link(ws, confirm, slug="atelier-twitter", now=T0)
    assert (outcome.result, outcome.registration.status) == ("confirmed", "confirmed")
    assert events.seats_left(ws.store, "atelier-twitter").left == 1
    confirmed = received[1]
    assert "Votre place est confirmée" in confirmed["Subject"]
    # The link is single-use where it matters: a second click takes no second seat.
    again = events.follow_link(ws, confirm, now=T0)
    assert again.result == "already"
    assert events.seats_left(ws.store, "atelier-twitter").left == 1
    assert len(received) == 2


def test_the_invitation_is_at_the_right_hour_in_another_time_zone(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    port, received = smtp
    _setup(ws, port=port)
    person = events.register(ws, "atelier-twitter", _applicant(1, lang="en"), now=T0)
    events.follow_link(ws, _token(ws, person.id, "confirm"), now=T0)
    message = received[-1]
    assert message["Subject"] == "Your seat is confirmed: Atelier Découverte de Twitter"
    calendar = _ics(message)
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Paris"
    assert calendar.walk("VTIMEZONE"), "the zone is defined in the file"
    # New York is already on summer time on 15 March 2027, Paris not yet: 09:00 there.
    in_new_york = start.astimezone(ZoneInfo("America/New_York"))
    assert (in_new_york.hour, in_new_york.minute) == (9, 0)
    assert start.astimezone(UTC) == EVENT_START
    assert str(vevent["LOCATION"]) == "CCI Lyon, salle 2"
    assert "mailto:p1@pme.example" in str(vevent["ATTENDEE"])


def test_links_are_signed_and_expire(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(ws)
    person = events.register(ws, "atelier-twitter", _applicant(1), now=T0)
    good = _token(ws, person.id, "confirm")
    signature = good.rpartition(".")[2]
    forged = _token(ws, person.id + 1, "confirm").rpartition(".")[0] + "." + signature
    for bad in (forged, good[:-2], good.replace(".", "x", 1), "nonsense"):
        with pytest.raises(events.LinkError, match="not valid"):
            events.follow_link(ws, bad)
    with pytest.raises(events.LinkError, match="another event"):
        events.follow_link(ws, good, slug="autre-atelier")
    # A confirmation link made eight days ago has expired (seven days).
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 8 * 86400)
    old = _token(ws, person.id, "confirm")
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    with pytest.raises(events.LinkError, match="expired"):
        events.follow_link(ws, old)
    assert events.seats_left(ws.store, "atelier-twitter").taken == 0
    assert events.follow_link(ws, good, now=T0).result == "confirmed"


# -- capacity under concurrency ------------------------------------------------------------


def test_fifty_confirmations_at_once_give_exactly_fifteen_seats(ws: Workspace) -> None:
    _setup(ws, capacity=15)
    tokens = [
        _token(ws, events.register(ws, "atelier-twitter", _applicant(i), now=T0).id, "confirm")
        for i in range(50)
    ]
    folder = ws.path
    ws.close()
    barrier = threading.Barrier(len(tokens))
    results: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def confirm(token: str) -> None:
        try:
            with Workspace(folder) as own:  # its own connection, as a web worker has
                own.store  # noqa: B018 - opened before the start line
                barrier.wait()
                outcome = events.follow_link(own, token, now=T0)
            with lock:
                results.append(outcome.result)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=confirm, args=(tok,)) for tok in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(results) == ["confirmed"] * 15 + ["waitlisted"] * 35
    with Workspace(folder) as again:
        _, people = events.attendees(again.store, "atelier-twitter")
        seats = events.seats_left(again.store, "atelier-twitter")
    assert (seats.taken, seats.left, seats.waiting) == (15, 0, 35)
    positions = sorted(p.position for p in people if p.status == "waitlisted" and p.position)
    assert positions == list(range(1, 36)), "one place each, in the order recorded"


# -- cancellation and expiring offers ------------------------------------------------------


def _full_event(ws: Workspace, port: int | None = None) -> list[events.Registration]:
    _setup(ws, capacity=2, port=port)
    people = []
    for i in range(4):
        person = events.register(ws, "atelier-twitter", _applicant(i), now=T0)
        events.follow_link(ws, _token(ws, person.id, "confirm"), now=T0 + timedelta(minutes=i))
        people.append(person)
    return people


def test_a_cancellation_offers_the_seat_to_the_first_on_the_waitlist(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    port, received = smtp
    first, _, third, fourth = _full_event(ws, port)
    later = T0 + timedelta(days=1)
    outcome = events.follow_link(ws, _token(ws, first.id, "cancel"), now=later)
    assert outcome.result == "cancelled"
    _, people = events.attendees(ws.store, "atelier-twitter")
    status = {p.id: p.status for p in people}
    assert (status[third.id], status[fourth.id]) == ("offered", "waitlisted")
    assert events.seats_left(ws.store, "atelier-twitter").left == 0  # the offer holds it
    offer = next(m for m in received if m["To"] == "p2@pme.example" and "libre" in m["Subject"])
    (accept, _cancel) = _links(offer)
    assert events.read_link(ws, accept)[0].action == "accept"
    taken = events.follow_link(ws, accept, now=later + timedelta(hours=3))
    assert (taken.result, taken.registration.status) == ("accepted", "confirmed")
    # The cancel link of the first person, followed again, changes nothing.
    assert events.follow_link(ws, _token(ws, first.id, "cancel"), now=later).result == "already"


def test_an_offer_not_taken_in_time_passes_to_the_next(ws: Workspace) -> None:
    first, _, third, fourth = _full_event(ws)
    ws.set_setting("events.offer_hours", "24")
    later = T0 + timedelta(days=1)
    events.follow_link(ws, _token(ws, first.id, "cancel"), now=later)
    events.run_step(ws, now=later + timedelta(hours=25))
    _, people = events.attendees(ws.store, "atelier-twitter")
    status = {p.id: p.status for p in people}
    assert (status[third.id], status[fourth.id]) == ("expired", "offered")
    with pytest.raises(events.LinkError, match="passed to the next person"):
        events.follow_link(ws, _token(ws, third.id, "accept"), now=later + timedelta(hours=26))
    # A late click before the loop ran is refused too: the deadline is the row's.
    events.follow_link(ws, _token(ws, fourth.id, "cancel"), now=later + timedelta(hours=26))
    assert events.seats_left(ws.store, "atelier-twitter").left == 1


def test_the_offer_deadline_never_passes_the_start(ws: Workspace) -> None:
    first, _, third, _ = _full_event(ws)
    ws.set_setting("events.offer_hours", "48")
    late = EVENT_START - timedelta(hours=5)
    events.follow_link(ws, _token(ws, first.id, "cancel"), now=late)
    _, people = events.attendees(ws.store, "atelier-twitter")
    offered = next(p for p in people if p.id == third.id)
    assert offered.offer_expires_at == EVENT_START


# -- reminders, once -----------------------------------------------------------------------


def test_reminders_go_once_even_with_two_loops(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    port, received = smtp
    _full_event(ws, port)
    folder = ws.path
    ws.close()
    d2 = EVENT_START - timedelta(days=2) + timedelta(minutes=5)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def loop(now: datetime) -> None:
        try:
            with Workspace(folder) as own:
                own.store  # noqa: B018
                barrier.wait()
                events.run_step(own, now=now)
                events.run_step(own, now=now + timedelta(minutes=1))
        except BaseException as exc:
            failures.append(exc)

    for moment in (d2, datetime(2027, 3, 15, 6, 30, tzinfo=UTC)):  # 07:30 in Paris
        barrier.reset()
        threads = [threading.Thread(target=loop, args=(moment,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    subjects = [(m["To"], m["Subject"]) for m in received]
    two_days = [s for s in subjects if s[1].startswith("Dans deux jours")]
    today = [s for s in subjects if s[1].startswith("Aujourd’hui")]
    assert sorted(two_days) == sorted(
        (f"p{i}@pme.example", "Dans deux jours\u00a0: Atelier Découverte de Twitter")
        for i in (0, 1)
    )
    assert len(today) == 2 and len(set(today)) == 2
    reminder = next(m for m in received if m["Subject"].startswith("Dans deux jours"))
    actions = {events.read_link(ws_open(folder), tok)[0].action for tok in _links(reminder)}
    assert actions == {"come", "free"}


def ws_open(folder: Path) -> Workspace:
    return Workspace(folder)


# -- check-in, attendees, privacy ----------------------------------------------------------


def test_attendees_check_in_and_no_show_rate(ws: Workspace) -> None:
    _setup(ws, capacity=3)
    hostile = events.Applicant(
        name='=HYPERLINK("http://x")', email="h@pme.example", consent="oui", lang="fr"
    )
    ids = []
    for applicant in (_applicant(1), _applicant(2), hostile):
        person = events.register(ws, "atelier-twitter", applicant, now=T0)
        events.follow_link(ws, _token(ws, person.id, "confirm"), now=T0)
        ids.append(person.id)
    events.check_in(ws, "atelier-twitter", "p1@pme.example", now=EVENT_START)
    events.check_in(ws, "atelier-twitter", str(ids[2]), now=EVENT_START)
    with pytest.raises(UsageError, match="nobody registered"):
        events.check_in(ws, "atelier-twitter", "inconnu@pme.example")
    during = events.attendance(ws.store, "atelier-twitter", now=EVENT_START)
    assert (during.confirmed, during.attended, during.no_shows) == (3, 2, None)
    after = events.attendance(ws.store, "atelier-twitter", now=EVENT_START + timedelta(days=1))
    assert after.no_shows == 1 and after.no_show_rate == pytest.approx(1 / 3)
    _, people = events.attendees(ws.store, "atelier-twitter")
    table = events.attendees_csv(people)
    assert "'=HYPERLINK" in table and "\n=HYPERLINK" not in table
    assert [p.status for p in people] == ["attended", "confirmed", "attended"]


def test_i_am_coming_is_recorded_on_the_registration(ws: Workspace) -> None:
    """The D-2 reminder's « je viens » link leaves a trace the organiser sees (issue 18)."""
    first, second, _, _ = _full_event(ws)
    said = T0 + timedelta(days=12)
    outcome = events.follow_link(ws, _token(ws, first.id, "come"), now=said)
    assert outcome.result == "coming" and outcome.registration.coming_at == said
    again = events.follow_link(ws, _token(ws, first.id, "come"), now=said + timedelta(hours=1))
    assert again.registration.coming_at == said, "the first answer is kept"
    _, people = events.attendees(ws.store, "atelier-twitter")
    coming = {p.id: p.coming_at for p in people}
    assert coming[first.id] == said and coming[second.id] is None
    assert next(p for p in people if p.id == first.id).to_json()["coming_at"] == (
        "2027-03-13T09:00:00Z"
    )
    rows = events.attendees_csv(people).splitlines()
    assert "coming_at" in rows[0].split(",")
    assert "2027-03-13T09:00:00Z" in rows[1]


def test_anonymised_after_the_delay_by_the_loop(ws: Workspace) -> None:
    _full_event(ws)
    end = datetime(2027, 3, 15, 16, tzinfo=UTC)
    events.run_step(ws, now=end + timedelta(days=89))
    _, people = events.attendees(ws.store, "atelier-twitter")
    assert people[0].name == "Personne 0"
    events.run_step(ws, now=end + timedelta(days=91))
    _, people = events.attendees(ws.store, "atelier-twitter")
    assert {p.name for p in people} == {"—"}
    assert all(p.email.endswith("@invalid") and not p.handles for p in people)
    assert all(p.consent.startswith("J'accepte") for p in people), "the consent text is kept"
    figures = events.attendance(ws.store, "atelier-twitter", now=end + timedelta(days=91))
    assert (figures.confirmed, figures.waitlisted) == (2, 2), "the figures survive"


def test_forget_frees_the_seat_and_export_shows_everything(ws: Workspace) -> None:
    first, _, third, _ = _full_event(ws)
    exported = events.export_person(ws, "P0@pme.example")
    (entry,) = exported["registrations"]
    assert entry["name"] == "Personne 0" and entry["event"]["slug"] == "atelier-twitter"
    assert entry["consent"].startswith("J'accepte")
    assert events.forget_person(ws, "p0@pme.example", now=T0 + timedelta(days=1)) == 1
    assert events.export_person(ws, "p0@pme.example")["registrations"] == []
    _, people = events.attendees(ws.store, "atelier-twitter")
    status = {p.id: p.status for p in people}
    assert status[first.id] == "cancelled" and status[third.id] == "offered"


def test_cancelling_the_event_sends_a_calendar_cancellation(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    port, received = smtp
    _full_event(ws, port)
    before = len(received)
    events.cancel_event(ws, "atelier-twitter")
    sent = received[before:]
    assert len(sent) == 4  # two seats, two on the waitlist
    with_seat = [m for m in sent if m["To"] in ("p0@pme.example", "p1@pme.example")]
    assert all(_ics(m)["METHOD"] == "CANCEL" for m in with_seat)
    with pytest.raises(UsageError, match="cancelled"):
        events.register(ws, "atelier-twitter", _applicant(9))


def test_a_mail_claimed_by_a_process_that_died_is_sent_once_later(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    from veilleur.events import tables
    from veilleur.model import format_datetime

    _setup(ws)  # no SMTP yet: the confirmation mail is owed, not sent
    events.register(ws, "atelier-twitter", _applicant(1), now=T0)
    port, received = smtp
    ws.set_setting("smtp.host", "127.0.0.1")
    ws.set_setting("smtp.port", str(port))
    ws.set_setting("smtp.starttls", "false")
    ws.set_setting("smtp.from", "ateliers@pme.example")
    claimed_at = datetime.now(UTC)
    with ws.store.transaction() as tx:  # a loop claims it, then is killed before sending
        stale = format_datetime(claimed_at - timedelta(hours=1))
        assert tables.claim_mails(tx, format_datetime(claimed_at), stale, 5) == [(1, "confirm")]
    soon = events.deliver_mails(ws, now=claimed_at + timedelta(minutes=10))
    assert (soon.sent, received) == (0, []), "another loop does not take a fresh claim"
    later = events.deliver_mails(ws, now=claimed_at + timedelta(hours=2))
    assert later.sent == 1 and len(received) == 1
    assert events.deliver_mails(ws, now=claimed_at + timedelta(hours=4)).sent == 0


def test_the_waiting_list_mail_gives_the_rank_not_the_position(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    # Positions are kept when people ahead leave: the mail says where the newcomer stands
    # among those still waiting, not the position.
    port, received = smtp
    _setup(ws, capacity=1, port=port)
    people = []
    for i in range(4):
        person = events.register(ws, "atelier-twitter", _applicant(i), now=T0)
        events.follow_link(ws, _token(ws, person.id, "confirm"), now=T0)
        people.append(person)
        if i == 2:  # the first two waiting leave before the fourth person comes
            for gone in people[1:3]:
                events.follow_link(ws, _token(ws, gone.id, "cancel"), now=T0)
    late = next(p for p in events.attendees(ws.store, "atelier-twitter")[1] if p.id == people[3].id)
    assert late.status == "waitlisted" and (late.position or 0) > 1
    events.deliver_mails(ws)
    mine = [m for m in received if m["To"] == "p3@pme.example"]
    assert mine and "numéro\u00a01 sur la liste" in _text(mine[-1])


def test_a_sign_up_sends_its_own_mail_never_the_backlog(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    # A sign-up runs in a web request: sending every mail owed there would hold the page
    # (and the workspace) for as long as the whole backlog takes.
    _setup(ws)  # no SMTP yet: two confirmation mails are owed
    for i in (1, 2):
        events.register(ws, "atelier-twitter", _applicant(i), now=T0)
    port, received = smtp
    _setup_smtp = {"smtp.host": "127.0.0.1", "smtp.port": str(port), "smtp.starttls": "false",
                   "smtp.from": "ateliers@pme.example"}  # fmt: skip
    for key, value in _setup_smtp.items():
        ws.set_setting(key, value)
    third = events.register(ws, "atelier-twitter", _applicant(3), now=T0)
    assert [m["To"] for m in received] == ["p3@pme.example"]
    outcome = events.follow_link(ws, _token(ws, third.id, "confirm"), now=T0)
    assert outcome.owed == (third.id,) and [m["To"] for m in received][1:] == ["p3@pme.example"]
    pending = events.register(ws, "atelier-twitter", _applicant(4), now=T0, send=False)
    assert len(received) == 2  # owed, sent by whoever delivers (the web's courier, the loop)
    assert events.deliver_mails(ws).sent == 3  # the backlog: p1, p2, p4
    assert pending.status == "pending"


def test_a_page_never_sends_a_reminder_owed_the_same_second(
    ws: Workspace, smtp: tuple[int, list[Message]]
) -> None:
    # The server's courier sends the mails a page handed it; the events step writes the
    # reminders and sends them itself. A courier that also took a reminder owed within the
    # same second (the store keeps dates to the second) left a claim that a step run with
    # its clock ahead took for a dead process's, and the reminder went twice (seen in CI).
    port, received = smtp
    _setup(ws, port=port)
    person = events.register(ws, "atelier-twitter", _applicant(1), now=T0, send=False)
    from veilleur.events import mails

    with ws.store.transaction() as tx:
        assert mails.owe(tx, person.id, "d2")
    page = events.deliver_mails(ws, registrations=[person.id])
    assert page.sent == 1 and len(received) == 1 and received[0]["Subject"].startswith("Confirmez")
    step = events.deliver_mails(ws, now=EVENT_START - timedelta(days=2))
    assert step.sent == 1 and received[-1]["Subject"].startswith("Dans deux jours")
    assert len(received) == 2
