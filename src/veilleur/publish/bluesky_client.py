"""Publishing to a Bluesky account with atproto: createRecord with facets, images, link cards.

Never twice: each part is created under a record key (rkey) chosen by us and recorded in
flight before the call. A post's rkey must be a TID (13 characters of base32-sortable, a
timestamp in microseconds and a clock id); ours is made from the in-flight time and the
post's idempotency key. Creating the same rkey twice is refused by the PDS, and
:meth:`BlueskyClient.find` simply reads the record at that key.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from datetime import UTC, datetime
from typing import Any

from atproto import Client
from atproto.exceptions import (
    AtProtocolError,
    InvokeTimeoutError,
    NetworkError,
    RequestErrorBase,
)

from veilleur.i18n import t
from veilleur.publish.publisher import Part, PublishError, Remote
from veilleur.publish.queue import Account
from veilleur.publish.richtext import mention_handles, post_text

COLLECTION = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
MAX_IMAGE_BYTES = 1_000_000
DEFAULT_SERVICE = "https://bsky.social"


def make_tid(micros: int, clock_id: int) -> str:
    """The TID of a timestamp (µs since 1970) and a clock id (0–1023): 13 characters."""
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _status(exc: RequestErrorBase) -> int | None:
    response = exc.response
    return None if response is None else int(response.status_code)


def _error(exc: AtProtocolError) -> PublishError:
    if isinstance(exc, NetworkError | InvokeTimeoutError):
        return PublishError(t("{network}: {error}", network="Bluesky", error=exc), retryable=True)
    code = _status(exc) if isinstance(exc, RequestErrorBase) else None
    retryable = code is not None and (code >= 500 or code in (408, 429))
    return PublishError(t("{network}: {error}", network="Bluesky", error=exc), retryable=retryable)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class BlueskyClient:
    """One Bluesky account: its PDS (or bsky.social), handle and app password."""

    def __init__(self, service: str, handle: str, password: str) -> None:
        self.api = Client(base_url=service.rstrip("/") + "/xrpc")
        self.handle = handle
        self._password = password
        self.did: str | None = None
        self._dids: dict[str, str | None] = {}

    @classmethod
    def for_account(cls, account: Account) -> BlueskyClient:
        if not account.handle or not account.secret:
            raise PublishError(
                t("account '{name}' lacks its handle or app password", name=account.name),
                retryable=False,
            )
        return cls(account.server or DEFAULT_SERVICE, account.handle, account.secret)

    def _login(self) -> str:
        if self.did is None:
            try:
                self.api.login(self.handle, self._password, fetch_bsky_profile=False)
            except AtProtocolError as exc:
                raise _error(exc) from None
            self.did = str(self.api.me.did) if self.api.me else self._session_did()
        return self.did

    def _session_did(self) -> str:
        session = getattr(self.api, "_session", None)
        return str(session.did) if session is not None else ""

    def part_key(self, post_key: str, index: int, when: datetime) -> str:
        micros = int(when.timestamp() * 1_000_000)
        clock = int(hashlib.sha256(f"{post_key}:{index}".encode()).hexdigest(), 16) % 1024
        return make_tid(micros, clock)

    # -- the record ------------------------------------------------------------------------

    def _resolve(self, handle: str) -> str | None:
        if handle not in self._dids:
            try:
                answer = self.api.com.atproto.identity.resolve_handle({"handle": handle})
                self._dids[handle] = str(answer.did)
            except AtProtocolError:
                self._dids[handle] = None  # an unknown handle stays plain text
        return self._dids[handle]

    def _images(self, part: Part) -> dict[str, Any] | None:
        images = []
        for media in part.media[:4]:
            if not os.path.isfile(media.path):
                raise PublishError(t("image not found: {path}", path=media.path), retryable=False)
            size = os.path.getsize(media.path)
            if size > MAX_IMAGE_BYTES:
                raise PublishError(
                    t(
                        "image over Bluesky's 1 MB: {path} ({size} bytes)",
                        path=media.path,
                        size=size,
                    ),
                    retryable=False,
                )
            with open(media.path, "rb") as handle:
                data = handle.read()
            mime = mimetypes.guess_type(media.path)[0] or "image/jpeg"
            try:
                blob = self.api.com.atproto.repo.upload_blob(data, headers={"Content-Type": mime})
            except AtProtocolError as exc:
                raise _error(exc) from None
            ref = blob.blob
            images.append(
                {
                    "alt": media.alt or "",
                    "image": {
                        "$type": "blob",
                        "ref": {"$link": str(ref.ref.link)},
                        "mimeType": ref.mime_type,
                        "size": ref.size,
                    },
                }
            )
        return {"$type": "app.bsky.embed.images", "images": images} if images else None

    def record(self, part: Part, reply_to: list[Remote]) -> dict[str, Any]:
        """The app.bsky.feed.post record of one part (mention DIDs resolved).

        The text is the one ``compose`` showed and counted (:func:`post_text`: links
        shortened as Bluesky's app writes them, their full URLs in link facets)."""
        dids = {h: d for _, _, h in mention_handles(part.text) if (d := self._resolve(h))}
        text, found = post_text(part.text, dids)
        record: dict[str, Any] = {
            "$type": COLLECTION,
            "text": text,
            "createdAt": _now(),
        }
        if found:
            record["facets"] = found
        if part.lang in ("fr", "en"):
            record["langs"] = [part.lang]
        if reply_to:
            root, parent = reply_to[0], reply_to[-1]
            record["reply"] = {
                "root": {"uri": root.id, "cid": root.cid or self._cid(root.id)},
                "parent": {"uri": parent.id, "cid": parent.cid or self._cid(parent.id)},
            }
        embed = self._images(part)
        if embed is None and part.link:
            embed = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": part.link, "title": part.link, "description": ""},
            }
            if part.card_title:
                embed["external"]["title"] = part.card_title
                embed["external"]["description"] = part.card_description or ""
        if embed is not None:
            record["embed"] = embed
        return record

    def _cid(self, uri: str) -> str:
        rkey = uri.rsplit("/", 1)[-1]
        found = self._get(rkey)
        if found is None:
            raise PublishError(
                t("Bluesky: the post to reply to is gone: {uri}", uri=uri), retryable=False
            )
        return found[1]

    def _get(self, rkey: str) -> tuple[str, str] | None:
        try:
            answer = self.api.com.atproto.repo.get_record(
                {"repo": self._login(), "collection": COLLECTION, "rkey": rkey}
            )
        except RequestErrorBase as exc:
            if _status(exc) == 400 or _status(exc) == 404:
                return None
            raise _error(exc) from None
        except AtProtocolError as exc:
            raise _error(exc) from None
        return str(answer.uri), str(answer.cid)

    def _remote(self, uri: str, cid: str) -> Remote:
        rkey = uri.rsplit("/", 1)[-1]
        return Remote(uri, f"https://bsky.app/profile/{self.handle}/post/{rkey}", cid)

    # -- the client protocol ---------------------------------------------------------------

    def publish(self, part: Part, key: str, reply_to: list[Remote]) -> Remote:
        repo = self._login()
        record = self.record(part, reply_to)
        try:
            created = self.api.com.atproto.repo.create_record(
                {"repo": repo, "collection": COLLECTION, "rkey": key, "record": record}
            )
        except RequestErrorBase as exc:
            existing = self._get(key) if _status(exc) == 400 else None
            if existing is not None:  # created by the run that died: ours already
                return self._remote(*existing)
            raise _error(exc) from None
        except AtProtocolError as exc:
            raise _error(exc) from None
        return self._remote(str(created.uri), str(created.cid))

    def find(self, part: Part, key: str, since: datetime) -> Remote | None:
        found = self._get(key)
        return None if found is None else self._remote(*found)
