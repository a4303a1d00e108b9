"""CSV files: the exports of rtweet, twarc2 and minet, recognised by their headers, and any
other CSV through an explicit ``--map column=field``.

French Excel writes ``;`` and a BOM; both are handled. ``NA`` (R) and empty cells are
missing values.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from veilleur.errors import InputError, UsageError
from veilleur.i18n import t
from veilleur.imports.records import (
    COUNTS,
    OPTIONAL_TEXT,
    REQUIRED,
    ProgressFn,
    Reader,
    Record,
    RecordError,
    Rejection,
    open_text,
    post_from_mapping,
)

FIELDS = (*REQUIRED, *OPTIONAL_TEXT, *COUNTS, "media", "collected_at")
MISSING = {"", "NA", "N/A", "NaN", "null", "None"}

Converter = Callable[[str], str]


def _epoch(value: str) -> str:
    return datetime.fromtimestamp(float(value), tz=UTC).isoformat()


def _space_date(value: str) -> str:
    """rtweet writes '2021-03-01 10:00:00' (UTC) or 'Mon Mar 01 10:00:00 +0000 2021'."""
    if value[:3].isalpha():
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").isoformat()
    return value.replace(" ", "T", 1)


@dataclass(frozen=True, slots=True)
class Dialect:
    """A known export: the headers that identify it and how its columns map to fields."""

    name: str
    signature: frozenset[str]
    columns: dict[str, str]
    network: str | None = None
    convert: dict[str, Converter] = field(default_factory=dict)
    url: Callable[[dict[str, Any]], str | None] | None = None


def _tweet_url(record: dict[str, Any]) -> str | None:
    if record.get("author") and record.get("id"):
        return f"https://x.com/{record['author']}/status/{record['id']}"
    return None


DIALECTS = (
    Dialect(
        name="twarc2",
        signature=frozenset({"id", "author.username", "created_at", "text"}),
        network="x",
        columns={
            "id": "id",
            "author.username": "author",
            "author.name": "author_name",
            "text": "text",
            "created_at": "created_at",
            "lang": "lang",
            "public_metrics.like_count": "likes",
            "public_metrics.retweet_count": "reposts",
            "public_metrics.reply_count": "replies",
            "public_metrics.quote_count": "quotes",
            "public_metrics.impression_count": "views",
            "referenced_tweets.replied_to.id": "reply_to",
            "referenced_tweets.retweeted.id": "repost_of",
            "referenced_tweets.quoted.id": "quote_of",
            "__twarc.retrieved_at": "collected_at",
        },
        url=_tweet_url,
    ),
    Dialect(
        name="minet (X)",
        signature=frozenset({"id", "timestamp_utc", "user_screen_name", "text"}),
        network="x",
        columns={
            "id": "id",
            "user_screen_name": "author",
            "user_name": "author_name",
            "text": "text",
            "timestamp_utc": "created_at",
            "lang": "lang",
            "like_count": "likes",
            "retweet_count": "reposts",
            "reply_count": "replies",
            "quote_count": "quotes",
            "impression_count": "views",
            "to_tweetid": "reply_to",
            "retweeted_id": "repost_of",
            "quoted_id": "quote_of",
            "url": "url",
        },
        convert={"created_at": _epoch},
        url=_tweet_url,
    ),
    Dialect(
        name="minet (Bluesky)",
        signature=frozenset({"uri", "timestamp_utc", "user_handle", "text"}),
        network="bluesky",
        columns={
            "uri": "id",
            "user_handle": "author",
            "user_display_name": "author_name",
            "text": "text",
            "timestamp_utc": "created_at",
            "url": "url",
            "like_count": "likes",
            "repost_count": "reposts",
            "reply_count": "replies",
            "quote_count": "quotes",
            "to_post_uri": "reply_to",
            "quoted_uri": "quote_of",
        },
        convert={"created_at": _epoch},
    ),
    Dialect(
        name="rtweet",
        signature=frozenset({"status_id", "screen_name", "created_at", "text"}),
        network="x",
        columns={
            "status_id": "id",
            "screen_name": "author",
            "name": "author_name",
            "text": "text",
            "created_at": "created_at",
            "lang": "lang",
            "favorite_count": "likes",
            "retweet_count": "reposts",
            "reply_count": "replies",
            "quote_count": "quotes",
            "reply_to_status_id": "reply_to",
            "retweet_status_id": "repost_of",
            "quoted_status_id": "quote_of",
            "status_url": "url",
        },
        convert={"created_at": _space_date},
        url=_tweet_url,
    ),
)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``["Texte=text", "Date=created_at"]`` → ``{"Texte": "text", ...}``; checks fields."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column or not target:
            raise UsageError(t("--map expects column=field, got '{item}'", item=item))
        if target not in FIELDS:
            raise UsageError(
                t(
                    "--map {item}: unknown field '{field}' (known: {known})",
                    item=item,
                    field=target,
                    known=", ".join(FIELDS),
                )
            )
        mapping[column] = target
    return mapping


def _detect_separator(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _choose(header: list[str], mapping: dict[str, str], network: str | None, path: Path) -> Dialect:
    columns = set(header)
    if mapping:
        unknown = [c for c in mapping if c not in columns]
        if unknown:
            raise InputError(
                t(
                    "--map names column(s) not in the header: {columns} (header: {header})",
                    columns=", ".join(unknown),
                    header=", ".join(header),
                ),
                where=str(path),
            )
        plain = {c: c for c in header if c in FIELDS and c not in mapping.values()}
        return Dialect("mapped", frozenset(), {**plain, **mapping}, network)
    for dialect in DIALECTS:
        if dialect.signature <= columns:
            return Dialect(
                dialect.name,
                dialect.signature,
                dialect.columns,
                network or dialect.network,
                dialect.convert,
                dialect.url,
            )
    plain = {c: c for c in header if c in FIELDS}
    needed = [
        f
        for f in REQUIRED
        if f != "id" and f not in plain.values() and not (f == "network" and network)
    ]
    if needed:
        raise InputError(
            t(
                "CSV not recognised: no column for {fields}. Columns found: {columns}. "
                "Name them with --map column=field (e.g. --map Texte=text)",
                fields=", ".join(needed),
                columns=", ".join(header[:15]) + ("…" if len(header) > 15 else ""),
            ),
            where=str(path),
        )
    return Dialect("interchange", frozenset(), plain, network)


def csv_reader(
    mapping: dict[str, str], network: str | None = None, id_from: str | None = None
) -> Reader:
    """A reader for CSV files with this explicit mapping (empty: recognise the header).

    ``id_from``: the column whose value is each post's id. Without it and without an id
    column, a row's id is its URL's hash, else the hash of its content
    (:func:`~veilleur.imports.records.content_id`).
    """

    def read(path: Path, progress: ProgressFn | None = None) -> Iterator[Record]:
        return read_csv(path, progress, mapping=mapping, network=network, id_from=id_from)

    return read


def read_csv(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    mapping: dict[str, str] | None = None,
    network: str | None = None,
    id_from: str | None = None,
) -> Iterator[Record]:
    with open_text(path) as (head, binary):
        try:
            head_text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:
                raise InputError(
                    t(
                        "is not UTF-8 (byte {byte}); save it as 'CSV UTF-8' and try again",
                        byte=exc.start + 1,
                    ),
                    where=str(path),
                ) from None
            head_text = head[: exc.start].decode("utf-8-sig")
        first_line = head_text.splitlines()[0] if head_text.strip() else ""
        if not first_line:
            raise InputError(t("is empty: a CSV with a header line was expected"), where=str(path))
        separator = _detect_separator(first_line)
        bad: list[tuple[int, int]] = []  # (line, byte) of the lines that are not UTF-8
        rows = csv.reader(_lines(binary, progress, bad), delimiter=separator)
        header = [h.strip() for h in next(rows)]
        bad.clear()  # a non-UTF-8 byte in the header was refused from the sniffed head
        dialect = _choose(header, mapping or {}, network, path)
        index = [(i, dialect.columns[h]) for i, h in enumerate(header) if h in dialect.columns]
        if id_from is not None:
            if id_from not in header:
                raise InputError(
                    t(
                        "--id-from {column}: no such column (header: {header})",
                        column=id_from,
                        header=", ".join(header),
                    ),
                    where=str(path),
                )
            index = [(i, name) for i, name in index if name != "id"]
            index.append((header.index(id_from), "id"))
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                # The reader starts afresh on the next line: one bad row, not the rest.
                bad.clear()
                yield Rejection(
                    f"{path}:{rows.line_num}", t("malformed CSV: {reason}", reason=str(exc))
                )
                continue
            except OSError as exc:
                yield Rejection(
                    f"{path}:{rows.line_num + 1}",
                    t("cannot be read ({reason}); reading stopped", reason=exc.strerror),
                )
                return
            where = f"{path}:{rows.line_num}"
            if bad:
                line, byte = bad[0]
                bad.clear()
                yield Rejection(
                    f"{path}:{line}",
                    t("not UTF-8 (byte {byte} of the line); the row is skipped", byte=byte),
                )
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Rejection(
                    where,
                    t(
                        "expected {expected} columns, found {found}",
                        expected=len(header),
                        found=len(row),
                    ),
                )
                continue
            yield _record(row, index, dialect, where, id_from)


def _lines(
    binary: IO[bytes], progress: ProgressFn | None, bad: list[tuple[int, int]]
) -> Iterator[str]:
    """The file's lines decoded one at a time, so that a byte that is not UTF-8 costs its
    row only and is named at its own line (a decoder reading ahead by blocks stopped
    everything at the block before it, with the wrong line number).

    A line that is not UTF-8 is decoded with replacement characters and noted in ``bad``
    for the reader to reject the row it belongs to.
    """
    for number, raw in enumerate(binary, start=1):
        if progress is not None:
            progress(len(raw))
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.append((number, exc.start + 1))
            yield raw.decode("utf-8", "replace")


def _record(
    row: list[str],
    index: list[tuple[int, str]],
    dialect: Dialect,
    where: str,
    id_from: str | None = None,
) -> Record:
    data: dict[str, Any] = {}
    for i, name in index:
        value = row[i].strip()
        if value in MISSING:
            continue
        convert = dialect.convert.get(name)
        if convert is not None:
            try:
                value = convert(value)
            except (ValueError, OverflowError):
                return Rejection(
                    where,
                    t("'{name}' cannot be read as a date: {value}", name=name, value=repr(value)),
                )
        data[name] = value
    if id_from is not None and "id" not in data:
        return Rejection(where, t("no id in column '{column}' (--id-from)", column=id_from))
    if dialect.network and "network" not in data:
        data["network"] = dialect.network
    if dialect.url is not None and "url" not in data:
        url = dialect.url(data)
        if url:
            data["url"] = url
    try:
        return post_from_mapping(data, derive_id=True)
    except RecordError as exc:
        return Rejection(where, str(exc))
