"""A local XRPC fake of a Bluesky PDS (127.0.0.1), strict about the records it accepts.

It serves what veilleur's Bluesky client calls: createSession, resolveHandle, uploadBlob,
createRecord, getRecord, listRecords. Every ``app.bsky.feed.post`` is checked against the
shapes of the official lexicons (app.bsky.feed.post, app.bsky.richtext.facet,
app.bsky.embed.images, app.bsky.embed.external, com.atproto.repo.strongRef), written here
from the lexicon documentation; a record that breaks them is refused with 400
InvalidRecord, as a real PDS does, and the reason is kept in ``rejected`` for the test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import regex

TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DID = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$")
LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$")


def _jwt(sub: str) -> str:
    def enc(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    payload = {"sub": sub, "exp": int(time.time()) + 3600, "iat": int(time.time())}
    return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(payload)}.c2ln"


def _graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


class LexiconError(ValueError):
    pass


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise LexiconError(message)


def _check_blob(blob: Any, blobs: dict[str, dict[str, Any]], accept: str, where: str) -> None:
    _need(isinstance(blob, dict) and blob.get("$type") == "blob", f"{where}: not a blob")
    link = blob.get("ref", {}).get("$link")
    _need(link in blobs, f"{where}: blob {link} was never uploaded")
    _need(str(blob.get("mimeType", "")).startswith(accept), f"{where}: mimeType not {accept}*")
    _need(blob.get("size") == blobs[link]["size"], f"{where}: size differs from the upload")
    _need(blob["size"] <= 1_000_000, f"{where}: image over 1,000,000 bytes")


def _check_strong_ref(ref: Any, where: str) -> None:
    _need(isinstance(ref, dict), f"{where}: not an object")
    _need(str(ref.get("uri", "")).startswith("at://"), f"{where}.uri: not an at-uri")
    _need(isinstance(ref.get("cid"), str) and ref["cid"], f"{where}.cid: missing")


def check_post(record: Any, blobs: dict[str, dict[str, Any]]) -> None:
    """Raise LexiconError when ``record`` is not a valid app.bsky.feed.post."""
    _need(isinstance(record, dict), "record: not an object")
    _need(record.get("$type") == "app.bsky.feed.post", "$type: not app.bsky.feed.post")
    text = record.get("text")
    _need(isinstance(text, str), "text: required string")
    data = text.encode("utf-8")
    _need(len(data) <= 3000, "text: over maxLength 3000 (UTF-8 bytes)")
    _need(_graphemes(text) <= 300, f"text: {_graphemes(text)} graphemes, over maxGraphemes 300")
    _need(
        isinstance(record.get("createdAt"), str) and DATETIME.match(record["createdAt"]),
        "createdAt: required datetime",
    )
    langs = record.get("langs", [])
    _need(isinstance(langs, list) and len(langs) <= 3, "langs: at most 3")
    _need(all(isinstance(x, str) and LANG.match(x) for x in langs), "langs: not language tags")
    for i, facet in enumerate(record.get("facets", [])):
        where = f"facets[{i}]"
        index = facet.get("index", {})
        start, end = index.get("byteStart"), index.get("byteEnd")
        _need(isinstance(start, int) and start >= 0, f"{where}.index.byteStart: integer >= 0")
        _need(isinstance(end, int) and end >= 0, f"{where}.index.byteEnd: integer >= 0")
        _need(start < end <= len(data), f"{where}.index: outside the text's UTF-8 bytes")
        span = data[start:end].decode("utf-8")  # raises on a cut inside a character
        features = facet.get("features")
        _need(isinstance(features, list) and features, f"{where}.features: required")
        for feature in features:
            kind = feature.get("$type")
            if kind == "app.bsky.richtext.facet#link":
                uri = feature.get("uri", "")
                _need(bool(urlsplit(uri).scheme), f"{where}: #link.uri not a URI")
            elif kind == "app.bsky.richtext.facet#mention":
                _need(bool(DID.match(feature.get("did", ""))), f"{where}: #mention.did not a DID")
                _need(span.startswith("@"), f"{where}: #mention span '{span}' lacks @")
            elif kind == "app.bsky.richtext.facet#tag":
                tag = feature.get("tag", "")
                _need(0 < len(tag.encode()) <= 640, f"{where}: #tag over 640 bytes")
                _need(_graphemes(tag) <= 64, f"{where}: #tag over 64 graphemes")
                _need(not tag.startswith("#"), f"{where}: #tag keeps its '#'")
                _need(span == "#" + tag, f"{where}: #tag span '{span}' is not '#{tag}'")
            else:
                raise LexiconError(f"{where}: unknown feature {kind}")
    if "reply" in record:
        _check_strong_ref(record["reply"].get("root"), "reply.root")
        _check_strong_ref(record["reply"].get("parent"), "reply.parent")
    embed = record.get("embed")
    if embed is not None:
        kind = embed.get("$type")
        if kind == "app.bsky.embed.images":
            images = embed.get("images")
            _need(isinstance(images, list) and 1 <= len(images) <= 4, "embed.images: 1 to 4")
            for i, image in enumerate(images):
                _need(isinstance(image.get("alt"), str), f"embed.images[{i}].alt: required")
                _check_blob(image.get("image"), blobs, "image/", f"embed.images[{i}].image")
        elif kind == "app.bsky.embed.external":
            ext = embed.get("external", {})
            _need(bool(urlsplit(ext.get("uri", "")).scheme), "embed.external.uri: not a URI")
            _need(isinstance(ext.get("title"), str), "embed.external.title: required")
            _need(isinstance(ext.get("description"), str), "embed.external.description: required")
            if "thumb" in ext:
                _check_blob(ext["thumb"], blobs, "image/", "embed.external.thumb")
        else:
            raise LexiconError(f"embed: unexpected {kind}")


class FakePDS:
    """The server and its state; use as a context manager."""

    def __init__(self, handle: str = "veilleur.test", password: str = "app-pass") -> None:
        self.handle = handle
        self.did = "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        self.password = password
        self.handles: dict[str, str] = {handle: self.did}
        self.records: dict[str, dict[str, Any]] = {}  # rkey -> {uri, cid, value}
        self.blobs: dict[str, dict[str, Any]] = {}
        self.rejected: list[str] = []
        self.calls: list[str] = []
        self.fail_next: list[int] = []  # statuses to answer createRecord with, in order
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def posts(self) -> list[dict[str, Any]]:
        return [r["value"] for r in self.records.values()]

    def __enter__(self) -> FakePDS:
        pds = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _auth(self) -> bool:
                if self.headers.get("Authorization", "").startswith("Bearer "):
                    return True
                self._send(401, {"error": "AuthMissing", "message": "no token"})
                return False

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                nsid = parts.path.removeprefix("/xrpc/")
                with pds.lock:
                    pds.calls.append(nsid)
                    if nsid == "com.atproto.identity.resolveHandle":
                        did = pds.handles.get(query.get("handle", ""))
                        if did is None:
                            self._send(400, {"error": "InvalidRequest", "message": "no handle"})
                        else:
                            self._send(200, {"did": did})
                    elif nsid == "com.atproto.repo.getRecord":
                        rec = pds.records.get(query.get("rkey", ""))
                        if rec is None or query.get("repo") not in (pds.did, pds.handle):
                            self._send(400, {"error": "RecordNotFound", "message": "no record"})
                        else:
                            self._send(200, rec)
                    elif nsid == "com.atproto.repo.listRecords":
                        recs = sorted(pds.records.items(), reverse=True)
                        self._send(200, {"records": [r for _, r in recs]})
                    else:
                        self._send(501, {"error": "MethodNotImplemented", "message": nsid})

            def do_POST(self) -> None:
                nsid = urlsplit(self.path).path.removeprefix("/xrpc/")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with pds.lock:
                    pds.calls.append(nsid)
                    if nsid == "com.atproto.server.createSession":
                        data = json.loads(body)
                        if (
                            data.get("identifier") not in (pds.handle, pds.did)
                            or data.get("password") != pds.password
                        ):
                            self._send(401, {"error": "AuthenticationRequired", "message": "no"})
                            return
                        self._send(
                            200,
                            {
                                "did": pds.did,
                                "handle": pds.handle,
                                "accessJwt": _jwt(pds.did),
                                "refreshJwt": _jwt(pds.did),
                            },
                        )
                    elif nsid == "com.atproto.repo.uploadBlob":
                        if not self._auth():
                            return
                        cid = "bafkrei" + hashlib.sha256(body).hexdigest()[:40]
                        mime = self.headers.get("Content-Type", "")
                        pds.blobs[cid] = {"size": len(body), "mimeType": mime}
                        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime}
                        self._send(200, {"blob": {**blob, "size": len(body)}})
                    elif nsid == "com.atproto.repo.createRecord":
                        if not self._auth():
                            return
                        if pds.fail_next:
                            status = pds.fail_next.pop(0)
                            self._send(status, {"error": "InternalServerError", "message": "x"})
                            return
                        self._create(json.loads(body))
                    else:
                        self._send(501, {"error": "MethodNotImplemented", "message": nsid})

            def _create(self, data: dict[str, Any]) -> None:
                if data.get("repo") not in (pds.did, pds.handle):
                    self._send(400, {"error": "InvalidRequest", "message": "not your repo"})
                    return
                if data.get("collection") != "app.bsky.feed.post":
                    self._send(400, {"error": "InvalidRequest", "message": "collection"})
                    return
                rkey = data.get("rkey") or f"3l{len(pds.records):011d}"
                if not TID.match(rkey):
                    pds.rejected.append(f"rkey {rkey!r} is not a TID")
                    self._send(400, {"error": "InvalidRequest", "message": "rkey not a tid"})
                    return
                if rkey in pds.records:
                    self._send(400, {"error": "InvalidRequest", "message": "Record already exists"})
                    return
                try:
                    check_post(data.get("record"), pds.blobs)
                except (LexiconError, UnicodeDecodeError) as exc:
                    pds.rejected.append(str(exc))
                    self._send(400, {"error": "InvalidRecord", "message": str(exc)})
                    return
                uri = f"at://{pds.did}/app.bsky.feed.post/{rkey}"
                cid = (
                    "bafyrei" + hashlib.sha256(json.dumps(data["record"]).encode()).hexdigest()[:40]
                )
                pds.records[rkey] = {"uri": uri, "cid": cid, "value": data["record"]}
                self._send(200, {"uri": uri, "cid": cid})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
