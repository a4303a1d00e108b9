"""Writes a Bluesky repository export (CAR v1) from records written by hand in JSON.

The layout is the one the AT Protocol documents: a CAR header naming the commit, the
commit ``{did, version: 3, data, rev, prev, sig}``, a Merkle search tree over the keys
``collection/rkey`` (here a root with a left subtree and a right subtree, keys
prefix-compressed) and the records. ``{"$link": "bafy…"}`` in the JSON becomes a CID link.
The tree's layering by key hash is not reproduced: readers do not check it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import libipld

DAG_CBOR = 0x71


def _links(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$link"}:
            return libipld.decode_multibase(value["$link"])[1]
        return {k: _links(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_links(v) for v in value]
    return value


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Blocks:
    def __init__(self) -> None:
        self.items: list[tuple[bytes, bytes]] = []

    def put(self, value: Any) -> bytes:
        data = libipld.encode_dag_cbor(value)
        cid = bytes([1, DAG_CBOR, 0x12, 0x20]) + hashlib.sha256(data).digest()
        self.items.append((cid, data))
        return cid


def _node(
    blocks: Blocks, entries: list[tuple[str, bytes, bytes | None]], left: bytes | None
) -> bytes:
    encoded = []
    previous = b""
    for key, value, subtree in entries:
        raw = key.encode()
        shared = 0
        while shared < min(len(raw), len(previous)) and raw[shared] == previous[shared]:
            shared += 1
        encoded.append({"p": shared, "k": raw[shared:], "v": value, "t": subtree})
        previous = raw
    return blocks.put({"l": left, "e": encoded})


def build_car(source: Path, dest: Path) -> Path:
    spec = json.loads(source.read_text(encoding="utf-8"))
    blocks = Blocks()
    keyed = sorted((key, blocks.put(_links(record))) for key, record in spec["records"].items())
    left = _node(blocks, [(k, v, None) for k, v in keyed[:2]], None)
    right = _node(blocks, [(k, v, None) for k, v in keyed[3:]], None)
    middle_key, middle_value = keyed[2]
    root = _node(blocks, [(middle_key, middle_value, right)], left)
    commit = blocks.put(
        {
            "did": spec["did"],
            "version": 3,
            "data": root,
            "rev": spec["rev"],
            "prev": None,
            "sig": b"\x00" * 64,
        }
    )
    header = libipld.encode_dag_cbor({"version": 1, "roots": [commit]})
    order = [commit, root, left, right]
    items = dict(blocks.items)
    body = bytearray(_varint(len(header)) + header)
    for cid in order + [c for c, _ in blocks.items if c not in order]:
        data = items[cid]
        body += _varint(len(cid) + len(data)) + cid + data
    dest.write_bytes(bytes(body))
    return dest
