"""The Bluesky repository export: a CAR file of DAG-CBOR blocks (Settings › Export my data).

A CAR v1 file is a header ``{version: 1, roots: [CID]}`` then blocks, each a varint length,
a CID and the block's bytes. The root is the repository's signed commit
``{did, version: 3, data: CID, rev, sig}``; ``data`` is the root of a Merkle search tree
whose nodes ``{l: CID?, e: [{p, k, v, t}]}`` map keys ``collection/rkey`` to records (``k``
is written after dropping the ``p`` bytes it shares with the previous key; ``l`` and ``t``
are the subtrees before and after an entry). The framing is read here so that a file cut
short keeps every block before the cut; blocks are decoded with libipld (DAG-CBOR, links
as CID bytes).

Records read:

- ``app.bsky.feed.post``: ``text``, ``createdAt``, ``langs``, ``facets`` (a link facet
  whose text is the shortened address shown by the app is replaced by the full address),
  ``embed`` (images with alt text, an external link added to the text, a quoted record),
  ``reply`` (its parent);
- ``app.bsky.feed.repost``: a repost of ``subject.uri``;
- ``app.bsky.actor.profile/self``: its ``displayName`` becomes the posts' author name.

Records become posts through :func:`veilleur.networks.bluesky.record_to_post`, the
collector's normaliser too. The repository knows only the DID: ``--author`` gives the
handle, otherwise the DID stands for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import libipld

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, ArchiveError, Limits, read_bounded
from veilleur.imports.exports import DEFAULT_CLOCK, Clock, member_reason
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    Rejection,
    check_post,
    failure,
)
from veilleur.networks import normalize_handle
from veilleur.networks.bluesky import POST, PROFILE, REPOST, record_to_post
from veilleur.networks.payload import as_str


def bluesky_car_reader(
    author: str | None = None, *, clock: Clock = DEFAULT_CLOCK, limits: Limits = DEFAULT_LIMITS
) -> Reader:
    """A reader of Bluesky repository exports; ``author`` is the account's handle."""
    return partial(read_bluesky_car, author=author, clock=clock, limits=limits)


class CarError(InputError, ValueError):
    """The CAR framing is broken at some byte."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise CarError(t("ends inside a length"))
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise CarError(t("has a length that is not a varint"))


def _cid_length(data: bytes, pos: int) -> int:
    """Length in bytes of the CID starting at ``pos`` (v0: a bare sha-256 multihash)."""
    if data[pos : pos + 2] == b"\x12\x20":
        return 34
    end = pos
    for _ in range(3):  # version, codec, hash code
        _, end = _varint(data, end)
    size, end = _varint(data, end)
    return end + size - pos


@dataclass(slots=True)
class Car:
    roots: list[bytes]
    blocks: dict[bytes, bytes]
    cut_at: int | None  # byte where the file stops making sense, when it does


def parse_car(data: bytes) -> Car:
    """Header and raw blocks; a broken tail is noted in ``cut_at``, the rest is kept."""
    try:
        size, pos = _varint(data, 0)
        header = libipld.decode_dag_cbor(data[pos : pos + size])
    except (CarError, ValueError) as exc:
        raise CarError(t("no CAR header ({reason})", reason=str(exc))) from None
    if not isinstance(header, dict) or header.get("version") != 1:
        raise CarError(t("its header is not that of a CAR version 1 file"))
    roots = [r for r in header.get("roots") or [] if isinstance(r, bytes)]
    pos += size
    blocks: dict[bytes, bytes] = {}
    while pos < len(data):
        start = pos
        try:
            size, pos = _varint(data, pos)
            if size == 0 or pos + size > len(data):
                raise CarError(t("block cut short"))
            cid_len = _cid_length(data, pos)
            if cid_len >= size:
                raise CarError(t("bad block"))
        except CarError:
            return Car(roots, blocks, start)
        blocks[data[pos : pos + cid_len]] = data[pos + cid_len : pos + size]
        pos += size
    return Car(roots, blocks, None)


class _Repo:
    """Blocks decoded on demand; missing or undecodable ones say so."""

    def __init__(self, car: Car) -> None:
        self.car = car

    def get(self, cid: Any) -> Any:
        if not isinstance(cid, bytes):
            raise LookupError(t("a link that is not a CID"))
        raw = self.car.blocks.get(cid)
        if raw is None:
            block = libipld.encode_cid(cid)
            if self.car.cut_at:
                raise LookupError(
                    t(
                        "block {block} is missing (the file is cut short at byte {n})",
                        block=block,
                        n=self.car.cut_at,
                    )
                )
            raise LookupError(t("block {block} is missing", block=block))
        try:
            return libipld.decode_dag_cbor(raw)
        except ValueError as exc:
            raise LookupError(
                t(
                    "block {block} is not DAG-CBOR ({reason})",
                    block=libipld.encode_cid(cid),
                    reason=str(exc),
                )
            ) from None


def walk_mst(repo: _Repo, root: bytes) -> Iterator[tuple[str, bytes] | str]:
    """Keys and record CIDs in key order; a str is a problem met on the way."""
    stack: list[tuple[str, Any]] = [("node", root)]
    seen: set[bytes] = set()
    while stack:
        kind, item = stack.pop()
        if kind == "entry":
            yield item
            continue
        if not isinstance(item, bytes):  # a link must be a CID; a hostile file puts anything
            yield t("a search tree link is not a CID")
            continue
        if item in seen:
            yield t("the search tree loops back on itself")
            continue
        seen.add(item)
        try:
            node = repo.get(item)
        except LookupError as exc:
            yield t("part of the repository is unreadable: {reason}", reason=str(exc))
            continue
        entries = node.get("e") if isinstance(node, dict) else None
        if not isinstance(entries, list):
            yield t("a search tree node has no entries")
            continue
        todo: list[tuple[str, Any]] = []
        if node.get("l"):
            todo.append(("node", node["l"]))
        key = b""
        for entry in entries:
            try:
                key = key[: entry["p"]] + entry["k"]
                todo.append(("entry", (key.decode("utf-8"), entry["v"])))
            except (KeyError, TypeError, UnicodeDecodeError):
                todo.append(("entry", t("a search tree entry is malformed")))
                continue
            if entry.get("t"):
                todo.append(("node", entry["t"]))
        stack.extend(reversed(todo))


def read_bluesky_car(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    author: str | None = None,
    clock: Clock = DEFAULT_CLOCK,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Record]:
    """Posts and reposts of a repository export. Unusable file: InputError before any."""
    where = str(path)
    try:
        data = read_bounded(path, limits.max_member)  # not st_size: 0 for a pipe
    except ArchiveError as exc:
        raise InputError(member_reason(exc), where=where) from None
    except FileNotFoundError:
        raise InputError(t("no such file"), where=where) from None
    except IsADirectoryError:
        raise InputError(
            t("is a folder: the .car file of the export was expected"), where
        ) from None
    except OSError as exc:
        raise InputError(t("cannot be read: {reason}", reason=exc.strerror), where=where) from None
    expected = t("a Bluesky repository export (a .car file: Settings › Export my data)")
    try:
        car = parse_car(data)
    except CarError as exc:
        raise InputError(
            t(
                "is not a CAR file: {reason}; expected {expected}",
                reason=str(exc),
                expected=expected,
            ),
            where,
        ) from None
    repo = _Repo(car)
    try:
        commit = repo.get(car.roots[0]) if car.roots else None
    except LookupError as exc:
        raise InputError(t("its commit cannot be read: {reason}", reason=str(exc)), where) from None
    if not isinstance(commit, dict) or not isinstance(commit.get("did"), str):
        raise InputError(
            t("has no repository commit (did, data); expected {expected}", expected=expected),
            where,
        )
    did: str = commit["did"]
    handle = normalize_handle(author) if author else did
    if progress is not None:
        progress(len(data))
    if car.cut_at is not None:
        yield Rejection(
            t("{file} (byte {n})", file=where, n=car.cut_at),
            t("the file is cut short here; the records before are kept"),
        )
    collected_at = clock()
    name: str | None = None
    for found in walk_mst(repo, commit.get("data", b"")):
        if isinstance(found, str):
            yield Rejection(where, found)
            continue
        key, cid = found
        collection, _, rkey = key.partition("/")
        if key == PROFILE:  # sorts before the posts: its name serves them all
            with suppress(LookupError):
                profile = repo.get(cid)
                name = as_str(profile.get("displayName")) if isinstance(profile, dict) else None
            continue
        if collection not in (POST, REPOST):
            continue
        record_where = f"{where} ({key})"
        try:
            record = repo.get(cid)
            post = check_post(record_to_post(record, collection, did, rkey, handle))
        except LookupError as exc:
            yield Rejection(record_where, str(exc))
            continue
        except Exception as exc:  # any failure is this record's rejection
            yield failure(record_where, exc)
            continue
        post.collected_at = collected_at
        post.author_name = name
        yield post
