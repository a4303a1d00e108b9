"""The live-tweet kit: for each session of the programme, posts ready for each network.

The programme is a CSV file with a header ``title,start,end,speakers`` (French headers
``titre,début,fin,intervenants`` too); speakers are separated by ``;``; times are the
event's local time (``2027-03-15T14:30``, or ``14:30`` for the event's first day). A
speaker found in the workspace's people directory (by key, name or handle) is mentioned as
each network writes it; another is named in plain text.

For each session the kit holds, rendered per network through publish's compose (the
mentions, the event's hashtag, the exact count by the text core, the lint findings):

* the announcement of the session (« En ce moment : … avec @… #… »);
* a quote template per speaker, with the room left for the quote on each network.

``queue=True`` adds each announcement to the publishing queue as a **draft** at the
session's start (the queue has no approval state yet: a draft is never published on its
own; someone schedules it, which is the approval).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from veilleur import publish
from veilleur.errors import InputError, UsageError
from veilleur.events.manage import get_event
from veilleur.events.model import Event
from veilleur.i18n import t, using
from veilleur.model import format_datetime
from veilleur.workspace import Workspace

HEADERS = {
    "title": "title",
    "titre": "title",
    "start": "start",
    "debut": "start",
    "end": "end",
    "fin": "end",
    "speakers": "speakers",
    "intervenants": "speakers",
}
MAX_SESSIONS = 500
QUOTE = "…"


@dataclass(frozen=True, slots=True)
class Session:
    line: int
    title: str
    start: datetime
    end: datetime
    speakers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    key: str | None
    mentions: dict[str, str]
    """How each network names the speaker (``@anne_dupont`` on X, the name on LinkedIn)."""


@dataclass(slots=True)
class Prepared:
    """One prepared post: ``kind`` announce or quote (of ``speaker``)."""

    kind: str
    speaker: str | None
    composition: publish.Composition
    room: dict[str, int] = field(default_factory=dict)
    """Quote templates: the characters left for the quote on each network."""

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "speaker": self.speaker, **self.composition.to_json()}
        if self.room:
            data["room"] = self.room
        return data


@dataclass(slots=True)
class SessionKit:
    session: Session
    speakers: list[Speaker]
    posts: list[Prepared]
    queued: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Kit:
    event: Event
    networks: list[str]
    sessions: list[SessionKit]
    hashtag: dict[str, Any]
    queued: int = 0

    def to_json(self) -> dict[str, Any]:
        zone = self.event.zone
        return {
            "event": self.event.to_json(),
            "networks": self.networks,
            "hashtag": self.hashtag,
            "queued_drafts": self.queued,
            "sessions": [
                {
                    "title": s.session.title,
                    "start": s.session.start.astimezone(zone).isoformat(),
                    "end": s.session.end.astimezone(zone).isoformat(),
                    "speakers": [
                        {"name": p.name, "directory": p.key, "mentions": p.mentions}
                        for p in s.speakers
                    ],
                    "posts": [p.to_json() for p in s.posts],
                }
                for s in self.sessions
            ],
        }


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _time(value: str, event: Event, where: str, column: str) -> datetime:
    from veilleur.events.model import local_time

    text = value.strip()
    if len(text) <= 5 and ":" in text:  # 14:30: on the event's first day
        text = f"{event.local_start.date().isoformat()}T{text.zfill(5)}"
    try:
        return local_time(text, event.zone, column)
    except UsageError as exc:
        raise InputError(str(exc), where=where) from None


def read_program(path: Path, event: Event) -> list[Session]:
    """The sessions of the programme file; an :class:`InputError` naming file:line and
    what was expected at the first bad line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            t("cannot read the programme: {reason}", reason=exc.strerror), where=str(path)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            t("the programme is not UTF-8 text (byte {offset})", offset=exc.start),
            where=str(path),
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        raise InputError(t("the programme is empty"), where=f"{path}:1") from None
    except csv.Error as exc:
        raise InputError(str(exc), where=f"{path}:1") from None
    columns = [HEADERS.get(_fold(name)) for name in header]
    missing = [c for c in ("title", "start", "end") if c not in columns]
    if missing:
        raise InputError(
            t(
                "expected a header title,start,end,speakers (or titre,début,fin,intervenants); "
                "missing: {missing}",
                missing=", ".join(missing),
            ),
            where=f"{path}:1",
        )
    sessions: list[Session] = []
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path}:{number}"
            if len(row) != len(header):
                raise InputError(
                    t(
                        "expected {expected} columns, found {found}",
                        expected=len(header),
                        found=len(row),
                    ),
                    where=where,
                )
            cells = {c: v for c, v in zip(columns, row, strict=True) if c}
            title = " ".join(cells["title"].split())
            if not title:
                raise InputError(t("a session needs a title"), where=where)
            start = _time(cells["start"], event, where, "start")
            end = _time(cells["end"], event, where, "end")
            if end <= start:
                raise InputError(t("the session ends before it starts"), where=where)
            speakers = tuple(
                " ".join(s.split()) for s in cells.get("speakers", "").split(";") if s.strip()
            )
            sessions.append(Session(number, title, start, end, speakers))
            if len(sessions) > MAX_SESSIONS:
                raise InputError(t("more than {most} sessions", most=MAX_SESSIONS), where=where)
    except csv.Error as exc:
        raise InputError(str(exc), where=f"{path}:{rows.line_num}") from None
    if not sessions:
        raise InputError(t("the programme has no session"), where=f"{path}:2")
    return sessions


def _speaker(name: str, directory: publish.Directory, networks: list[str]) -> Speaker:
    wanted = _fold(name.lstrip("@"))
    person = directory.lookup(name.lstrip("@")) or next(
        (p for p in directory.people.values() if _fold(p.name) == wanted), None
    )
    if person is None:
        return Speaker(name, None, dict.fromkeys(networks, name))
    return Speaker(person.name, person.key, {n: person.mention(n) for n in networks})


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return t("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


def hashtag_use(ws: Workspace, hashtag: str | None) -> dict[str, Any]:
    """Is the hashtag already used in the collected posts, by whom, and how long is it."""
    if not hashtag:
        return {"hashtag": None}
    from veilleur.query import parse

    posts = ws.store.search(parse(hashtag).root, limit=None)
    authors: dict[str, int] = {}
    for post in posts:
        authors[f"{post.network}:{post.author}"] = (
            authors.get(f"{post.network}:{post.author}", 0) + 1
        )
    top = sorted(authors.items(), key=lambda item: (-item[1], item[0]))[:5]
    return {
        "hashtag": hashtag,
        "length": len(hashtag),
        "posts_seen": len(posts),
        "first_seen": format_datetime(min(p.created_at for p in posts)) if posts else None,
        "top_authors": [{"account": a, "posts": n} for a, n in top],
    }


def build_kit(
    ws: Workspace,
    slug: str,
    program: Path,
    networks: str = "x,mastodon,bluesky,linkedin",
    *,
    queue: bool = False,
) -> Kit:
    """The kit of the event ``slug`` from the programme file (see the module's docstring)."""
    event = get_event(ws.store, slug)
    sessions = read_program(program, event)
    directory = publish.find_directory(ws.path)
    probe = publish.compose_post(ws, publish.Draft(event.title, lang=event.lang), networks)
    targets = [r.network for r in probe.renderings]
    tag = event.hashtag or ""
    kits = []
    with using(event.lang):
        for session in sessions:
            speakers = [_speaker(s, directory, targets) for s in session.speakers]
            named = [f"@{p.key}" if p.key else p.name for p in speakers]
            if named:
                text = t(
                    "Now: “{title}” with {speakers}", title=session.title, speakers=_and(named)
                )
            else:
                text = t("Now: “{title}”", title=session.title)
            posts = [_prepare(ws, "announce", None, f"{text} {tag}".strip(), event, networks)]
            for speaker, name in zip(speakers, named, strict=True):
                quote = t("“{quote}” — {speaker}", quote=QUOTE, speaker=name)
                posts.append(
                    _prepare(ws, "quote", speaker.name, f"{quote} {tag}".strip(), event, networks)
                )
            kits.append(SessionKit(session, speakers, posts))
    kit = Kit(event, targets, kits, hashtag_use(ws, event.hashtag))
    if queue:
        kit.queued = _queue(ws, kit)
    return kit


def _prepare(
    ws: Workspace, kind: str, speaker: str | None, text: str, event: Event, networks: str
) -> Prepared:
    composition = publish.compose_post(
        ws, publish.Draft(text, lang=event.lang), networks, message_lang=event.lang
    )
    room = (
        {r.network: r.limit - r.weighted_length + len(QUOTE) for r in composition.renderings}
        if kind == "quote"
        else {}
    )
    return Prepared(kind, speaker, composition, room)


def _queue(ws: Workspace, kit: Kit) -> int:
    queue = publish.open_queue(ws)
    added = 0
    for item in kit.sessions:
        announce = item.posts[0]
        for rendering in announce.composition.renderings:
            post_id = queue.add(
                rendering.network,
                rendering.texts,
                draft=True,
                scheduled_at=item.session.start,
                lang=kit.event.lang,
                key=f"event:{kit.event.slug}:{item.session.line}:{rendering.network}:"
                f"{format_datetime(item.session.start)}",
                source=f"event:{kit.event.slug}",
            )
            if post_id is not None:
                item.queued.append(post_id)
                added += 1
    return added


def kit_json(kit: Kit) -> str:
    return orjson.dumps(kit.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"


def kit_html(kit: Kit) -> str:
    """The kit as one printable page per session (the script of the live-tweeter)."""
    from veilleur.report import render

    data = kit.to_json()
    with using(kit.event.lang) as lang:
        labels = {
            "title": t("Live-tweet kit: {title}", title=kit.event.title),
            "hashtag": t("Hashtag"),
            "seen": t(
                "already seen in {count} collected posts", count=kit.hashtag.get("posts_seen", 0)
            ),
            "speakers": t("Speakers"),
            "announce": t("Announcement"),
            "quote": t("Quote template"),
        }
        return render("veilleur.events", "kit.html", kit=data, labels=labels, lang=lang)


def kit_pdf(kit: Kit, output: Path) -> None:
    """The printable kit as a PDF (WeasyPrint, the ``pdf`` extra), written whole or not at all."""
    write_pdf(kit_html(kit), output)


def write_pdf(html: str, output: Path) -> None:
    """``report.html_to_pdf`` through ``NAME.part``: a failed render leaves no half file."""
    from veilleur.report import html_to_pdf

    tmp = output.with_name(output.name + ".part")
    try:
        html_to_pdf(html, tmp)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
