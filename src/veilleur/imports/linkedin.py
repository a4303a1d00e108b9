"""LinkedIn's "Get a copy of your data": the posts of Shares.csv.

The zip (or its folder, or Shares.csv alone) holds ``Shares.csv`` with the columns
``Date, ShareLink, ShareCommentary, SharedUrl, MediaUrl, Visibility``:

- ``Date`` is ``2024-02-01 08:00:00``, in UTC;
- ``ShareLink`` is the post's address, ``…/feed/update/urn%3Ali%3Ashare%3A7158…``: its
  URN (``urn:li:share:7158…``, or ``urn:li:ugcPost:…``) is the post's id;
- ``ShareCommentary`` is the text, quoted over several lines. LinkedIn quotes it once
  more before writing the CSV, so that once the CSV is read the text may still be wrapped
  in ``"…"``, with each line break written ``"\\n"`` and its own quotes doubled; that
  second layer is removed when the value carries it (starts and ends with a quote);
- ``SharedUrl`` is a shared link (added to the text when the text does not already have
  it, so that it is searched like any link) or, for a repost, the address of the LinkedIn
  post shared: with no commentary it is a repost, with one a quote;
- ``MediaUrl`` an image or video; ``Visibility`` (``PUBLIC``, ``MEMBER_NETWORK``…) is kept
  in the raw record.

The export does not name the account, hence ``--author`` (the end of the profile address,
``linkedin.com/in/HANDLE``); ``Profile.csv``, when present, gives the display name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, Archive, Limits, open_archive
from veilleur.imports.exports import DEFAULT_CLOCK, Clock, MemberError, read_member
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    Rejection,
    check_post,
    failure,
)
from veilleur.model import Media, Post, url_id
from veilleur.networks import normalize_handle

COLUMNS = ("Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility")
REQUIRED = ("Date", "ShareCommentary")
URN = re.compile(r"urn:li:(?:share|ugcPost|activity):\d+")
POST_URL = re.compile(r"https?://(?:www\.)?linkedin\.com/(?:feed/update|posts)/")


def linkedin_reader(
    author: str | None = None, *, clock: Clock = DEFAULT_CLOCK, limits: Limits = DEFAULT_LIMITS
) -> Reader:
    """A reader of LinkedIn exports for the account ``author``."""
    return partial(read_linkedin, author=author, clock=clock, limits=limits)


def read_linkedin(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    author: str | None = None,
    clock: Clock = DEFAULT_CLOCK,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Record]:
    """Posts of Shares.csv. Unusable export: InputError before any post."""
    if not author:
        raise InputError(
            t(
                "LinkedIn's export does not name the account: give it with --author HANDLE "
                "(the end of the profile address, linkedin.com/in/HANDLE)"
            ),
            where=str(path),
        )
    handle = normalize_handle(author)
    with open_archive(path, limits) as archive:
        members = archive.find(r"Shares\.csv") or (
            archive.names() if path.is_file() and path.suffix.lower() == ".csv" else []
        )
        if not members:
            raise InputError(
                t(
                    "no Shares.csv in it: LinkedIn's data export was expected (Settings › Data "
                    "privacy › Get a copy of your data, with Posts)"
                ),
                where=str(path),
            )
        member = members[0]
        where = archive.where(member)
        text = _decode(read_member(archive, member), where)  # MemberError: exit 2
        rows = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(rows, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(
                t(
                    "is not LinkedIn's Shares.csv: no column {missing} (expected {expected}; "
                    "found {found})",
                    missing=", ".join(missing),
                    expected=", ".join(COLUMNS),
                    found=", ".join(header[:8]) or t("nothing"),
                ),
                where=where,
            )
        name = _profile_name(archive)
        if progress is not None:
            progress(archive.stored_size(member))
        collected_at = clock()
        line = rows.line_num
        try:
            for row in rows:
                start, line = line + 1, rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield Rejection(
                        f"{where}:{start}",
                        t(
                            "expected {expected} columns, found {found}",
                            expected=len(header),
                            found=len(row),
                        ),
                    )
                    continue
                record = dict(zip(header, row, strict=True))
                try:
                    post = check_post(share_to_post(record, handle, name))
                except Exception as exc:  # any failure is this row's rejection
                    yield failure(f"{where}:{start}", exc)
                    continue
                post.collected_at = collected_at
                yield post
        except csv.Error as exc:
            yield Rejection(
                f"{where}:{rows.line_num}",
                t("malformed CSV ({reason}); reading stopped", reason=str(exc)),
            )


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MemberError(
            t("line {line}: not UTF-8 as LinkedIn writes it", line=line), where
        ) from None


def _profile_name(archive: Archive) -> str | None:
    for member in archive.find(r"Profile\.csv"):
        try:
            text = _decode(read_member(archive, member), archive.where(member))
        except MemberError:
            return None
        for row in csv.DictReader(io.StringIO(text, newline="")):
            full = f"{row.get('First Name') or ''} {row.get('Last Name') or ''}".strip()
            return full or None
    return None


def clean_commentary(value: str) -> str:
    """The text LinkedIn meant: its own second layer of quoting removed (see the module)."""
    text = value.replace("\r\n", "\n").strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('"\n"', "\n").replace('""', '"')
    return text.strip()


def _date(value: str) -> datetime:
    text = value.strip()
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(t("Date {value} is not a date like '2024-02-01 08:00:00'", value=repr(value)))


def _urn(link: str) -> str | None:
    found = URN.search(unquote(link))
    return found.group(0) if found else None


def share_to_post(record: dict[str, str], handle: str, name: str | None) -> Post:
    """One row of Shares.csv as a Post; ValueError says what is wrong."""
    created = _date(record.get("Date", ""))
    text = clean_commentary(record.get("ShareCommentary", ""))
    link = (record.get("ShareLink") or "").strip()
    shared = (record.get("SharedUrl") or "").strip()
    repost_of = quote_of = None
    if shared and POST_URL.match(shared):
        if text:
            quote_of = _urn(shared) or shared
        else:
            repost_of = _urn(shared) or shared
    elif shared and shared not in text:
        text = f"{text}\n{shared}" if text else shared
    if not text and not repost_of and not record.get("MediaUrl"):
        raise ValueError(t("empty post: no ShareCommentary, SharedUrl nor MediaUrl"))
    media_url = (record.get("MediaUrl") or "").strip()
    return Post(
        id=_urn(link) or url_id(link or f"linkedin\n{record.get('Date')}\n{text}"),
        network="linkedin",
        author=handle,
        author_name=name,
        text=text,
        created_at=created,
        url=link or None,
        repost_of=repost_of,
        quote_of=quote_of,
        media=[Media(url=media_url)] if media_url else [],
        source="linkedin-export",
        raw=dict(record),
    )
