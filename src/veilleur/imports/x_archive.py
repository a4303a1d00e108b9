"""The X (Twitter) account archive: the zip, or the folder once unzipped.

What the archive gives, and how it becomes posts:

- ``data/tweets.js`` (split into ``tweets-part1.js``… for large accounts; ``data/tweet.js``
  in archives before 2022): ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]``. Each
  tweet has ``id_str``, ``full_text`` (HTML entities escaped, links as t.co), ``created_at``
  (``Wed Oct 10 20:19:24 +0000 2018``), counts as strings (``favorite_count``,
  ``retweet_count``), ``in_reply_to_status_id_str`` and ``entities`` whose ``urls`` give
  the real address behind each t.co link.
- ``data/note-tweet.js``: long posts (over 280 characters). The tweet keeps only the start
  of the text; the note has it whole. The archive links them by nothing but their text and
  date, so a note completes the tweet whose text it starts with, posted within minutes.
- ``data/account.js``: the handle (``username``) and display name; ``data/manifest.js``
  (``userInfo``) when account.js is missing. ``--author``, when given, wins over both.

Tweets become posts through :func:`veilleur.networks.x.tweet_to_post`. Retweets: the
archive keeps ``RT @handle: text…`` (cut at 140 characters) and not the id of
the original, so ``repost_of`` holds ``@handle``, the only reference the archive gives.
Quotes: the quoted post appears as a link to ``…/status/ID`` among the urls; ``quote_of``
is that ID. Links in the text are written out in full (the t.co form is dropped), and the
t.co link of attached media is removed from the text since the media are listed apart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, Archive, Limits, open_archive
from veilleur.imports.exports import (
    DEFAULT_CLOCK,
    Clock,
    MemberError,
    iter_json_array,
    load_ytd,
    member_reason,
    parse_parts,
    read_member,
    ytd_start,
)
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    Rejection,
    check_post,
    failure,
)
from veilleur.model import parse_datetime
from veilleur.networks import normalize_handle
from veilleur.networks.payload import as_str
from veilleur.networks.x import tweet_to_post

TWEET_FILES = r"tweets?(-part\d+)?\.js"
NOTE_FILES = r"note-tweet(-part\d+)?\.js"
ACCOUNT_FILE = r"account\.js"
MANIFEST_FILE = r"manifest\.js"
EXPECTED_TWEETS = 'window.YTD.tweets.part0 = [ {"tweet": {...}}, … ]'
NOTE_WINDOW = timedelta(minutes=10)


def x_archive_reader(
    author: str | None = None, *, clock: Clock = DEFAULT_CLOCK, limits: Limits = DEFAULT_LIMITS
) -> Reader:
    """A reader of X archives; ``author`` is the handle when the archive does not name it."""
    return partial(read_x_archive, author=author, clock=clock, limits=limits)


def read_x_archive(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    author: str | None = None,
    clock: Clock = DEFAULT_CLOCK,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Record]:
    """Posts of an X archive. Unusable archive: InputError before any post."""
    with open_archive(path, limits) as archive:
        files = archive.find(TWEET_FILES)
        if not files:
            raise InputError(
                t(
                    "no data/tweets.js (nor data/tweet.js) in it: an X archive was expected "
                    "(the zip from Settings › Your account › Download an archive of your data)"
                ),
                where=str(path),
            )
        handle, name = _account(archive, author)
        notes, note_failures = _notes(archive)
        collected_at = clock()
        for part in parse_parts(archive, files, _parse_tweets, progress):
            if isinstance(part, Rejection):
                yield part
                continue
            yield from note_failures
            note_failures = []
            member, entries = part
            where = archive.where(member)
            for index, entry in enumerate(entries):
                if isinstance(entry, Rejection):
                    yield entry
                    continue
                tweet = entry.get("tweet", entry) if isinstance(entry, dict) else None
                entry_where = t("{file} (entry {n})", file=where, n=index + 1)
                if not isinstance(tweet, dict):
                    yield Rejection(
                        entry_where, t("expected an object {example}", example='{"tweet": {...}}')
                    )
                    continue
                try:
                    post = check_post(tweet_to_post(tweet, handle, name, notes.complete))
                except Exception as exc:  # any failure is this entry's rejection
                    yield failure(entry_where, exc)
                    continue
                post.collected_at = collected_at
                yield post


def _parse_tweets(data: bytes, where: str) -> Iterator[Any]:
    start = ytd_start(data, where, EXPECTED_TWEETS)
    return iter_json_array(data, where, EXPECTED_TWEETS, start=start)


def _account(archive: Archive, author: str | None) -> tuple[str, str | None]:
    """The handle: --author when given, else data/account.js; one of them is needed."""
    name: str | None = None
    handle = normalize_handle(author) if author else None
    for member in archive.find(ACCOUNT_FILE):
        try:
            data = load_ytd(
                read_member(archive, member),
                archive.where(member),
                'window.YTD.account.part0 = [ {"account": {...}} ]',
            )
        except MemberError:
            break
        account = data[0].get("account") if isinstance(data, list) and data else None
        if isinstance(account, dict):
            handle = handle or as_str(account.get("username"))
            name = as_str(account.get("accountDisplayName"))
        break
    if not handle or not name:
        manifest_handle, manifest_name = _manifest(archive)
        handle, name = handle or manifest_handle, name or manifest_name
    if not handle:
        raise InputError(
            t(
                "the archive does not say whose it is (no readable data/account.js): "
                "give the handle with --author HANDLE"
            ),
            where=str(archive.path),
        )
    return handle, name


def _manifest(archive: Archive) -> tuple[str | None, str | None]:
    """``data/manifest.js`` (``window.__THAR_CONFIG = {"userInfo": {...}}``), a fallback."""
    for member in archive.find(MANIFEST_FILE):
        try:
            data = load_ytd(read_member(archive, member), archive.where(member), "a manifest")
        except MemberError:
            return None, None
        info = data.get("userInfo") if isinstance(data, dict) else None
        if isinstance(info, dict):
            return as_str(info.get("userName")), as_str(info.get("displayName"))
    return None, None


LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")
LINK = re.compile(r"https?://\S+")
SHOW_MORE = re.compile(r"https?://(?:www\.)?(?:twitter|x)\.com/i/web/status/\d+")


class _Notes:
    """Long posts' full texts, found by date and by the start of their text.

    The tweet keeps the start of the note, cut with "…" and followed by links: the "show
    more" link (``…/i/web/status/ID``) and, for a quote, the quoted post's address. A reply
    starts with the @mentions of the people it answers, which the note leaves out. So both
    texts are compared without links (removed *before* the ellipsis is, or "Check… URL"
    would keep its "…") and without leading @mentions; the joined text keeps the reply's
    mentions and the quoted link, as a short reply or quote does.
    """

    def __init__(self) -> None:
        self.notes: list[tuple[datetime, str, str]] = []

    def add(self, created: datetime, text: str) -> None:
        self.notes.append((created, text, _comparable(text)))

    def complete(self, created: datetime, text: str) -> str | None:
        start = _comparable(text).removesuffix("…").rstrip()
        mentions = LEADING_MENTIONS.match(start)
        body = start[mentions.end() :] if mentions else start
        if not body:
            return None
        for when, full, comparable in self.notes:
            if abs(when - created) > NOTE_WINDOW:
                continue
            if comparable.startswith(start):
                return _with_trailing_links(full, text)
            if mentions and comparable.startswith(body):
                return _with_trailing_links(mentions.group(0) + full, text)
        return None


def _with_trailing_links(full: str, tweet_text: str) -> str:
    """``full`` followed by the links the tweet adds after its "…" (a quoted post's)."""
    _, ellipsis, tail = tweet_text.rpartition("…")
    if not ellipsis:
        return full
    extra = [link for link in LINK.findall(tail) if not SHOW_MORE.match(link) and link not in full]
    return " ".join([full, *extra]) if extra else full


def _comparable(text: str) -> str:
    """Text without links and with single spaces: the tweet's start as the note has it."""
    text = LINK.sub("", html.unescape(text))
    return " ".join(text.split())


def _notes(archive: Archive) -> tuple[_Notes, list[Rejection]]:
    notes = _Notes()
    failures: list[Rejection] = []
    for member in archive.find(NOTE_FILES):
        where = archive.where(member)
        try:
            entries = load_ytd(
                read_member(archive, member),
                where,
                'window.YTD.note_tweet.part0 = [ {"noteTweet": {...}} ]',
            )
        except MemberError as exc:
            failures.append(
                Rejection(
                    where,
                    t(
                        "{reason} (long posts keep their shortened text)",
                        reason=member_reason(exc),
                    ),
                )
            )
            continue
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            note = entry.get("noteTweet") if isinstance(entry, dict) else None
            core = note.get("core") if isinstance(note, dict) else None
            text = core.get("text") if isinstance(core, dict) else None
            try:
                created = parse_datetime(str(note.get("createdAt"))) if note else None
            except ValueError:
                created = None
            if not isinstance(text, str) or created is None:
                failures.append(
                    Rejection(
                        t("{file} (entry {n})", file=where, n=index + 1),
                        t("expected a noteTweet with createdAt and core.text"),
                    )
                )
                continue
            notes.add(created, _note_text(text, core))
    return notes, failures


def _note_text(text: str, core: Any) -> str:
    """The note's text with its t.co links written out (``core.urls``), entities unescaped."""
    urls = core.get("urls") if isinstance(core, dict) else None
    for url in urls if isinstance(urls, list) else []:
        if isinstance(url, dict):
            short, full = as_str(url.get("shortUrl")), as_str(url.get("expandedUrl"))
            if short and full:
                text = text.replace(short, full)
    return html.unescape(text)
