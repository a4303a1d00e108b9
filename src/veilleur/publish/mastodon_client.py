"""Publishing to a Mastodon account with Mastodon.py: statuses, threads, images with alt text.

Each part goes out with its key as ``Idempotency-Key`` (Mastodon answers a repeated key with
the status it already made, for about an hour). :meth:`MastodonClient.find` does not rely on
that: it reads the account's recent statuses and compares their source text, so a part
recorded in flight by a killed run is found even days later.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from datetime import datetime, timedelta
from typing import Any

from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
)

from veilleur.i18n import t
from veilleur.publish.publisher import Part, PublishError, Remote
from veilleur.publish.queue import Account

# How far before the in-flight time a status may be dated and still be ours (clock skew).
SKEW = timedelta(minutes=10)
RECENT = 40


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _error(exc: MastodonError) -> PublishError:
    retryable = isinstance(exc, MastodonNetworkError | MastodonServerError | MastodonRatelimitError)
    if isinstance(exc, MastodonAPIError) and not retryable:
        args = exc.args
        code = args[1] if len(args) > 1 and isinstance(args[1], int) else None
        retryable = code in (408, 429) or (code is not None and code >= 500)
    return PublishError(t("{network}: {error}", network="Mastodon", error=exc), retryable=retryable)


class MastodonClient:
    """One Mastodon account (server URL + access token)."""

    def __init__(
        self, server: str, token: str, *, timeout: float = 30.0, idempotency_header: bool = True
    ) -> None:
        self.api = Mastodon(
            access_token=token,
            api_base_url=server,
            version_check_mode="none",
            ratelimit_method="throw",
            request_timeout=timeout,
        )
        # Tests switch the header off to prove find() alone prevents a double post.
        self.idempotency_header = idempotency_header
        self._me: Any = None

    @classmethod
    def for_account(cls, account: Account) -> MastodonClient:
        if not account.server or not account.secret:
            raise PublishError(
                t("account '{name}' lacks its server or access token", name=account.name),
                retryable=False,
            )
        return cls(account.server, account.secret)

    def part_key(self, post_key: str, index: int, when: datetime) -> str:
        return hashlib.sha256(f"{post_key}:{index}".encode()).hexdigest()[:40]

    def _upload(self, part: Part) -> list[Any]:
        ids = []
        for media in part.media:
            if not os.path.isfile(media.path):
                raise PublishError(t("image not found: {path}", path=media.path), retryable=False)
            mime = mimetypes.guess_type(media.path)[0] or "application/octet-stream"
            try:
                uploaded = self.api.media_post(
                    media.path, mime_type=mime, description=media.alt, synchronous=True
                )
            except MastodonError as exc:
                raise _error(exc) from None
            ids.append(uploaded["id"])
        return ids

    def publish(self, part: Part, key: str, reply_to: list[Remote]) -> Remote:
        media_ids = self._upload(part)
        try:
            status = self.api.status_post(
                part.text,
                in_reply_to_id=reply_to[-1].id if reply_to else None,
                media_ids=media_ids or None,
                language=part.lang if part.lang in ("fr", "en") else None,
                idempotency_key=key if self.idempotency_header else None,
            )
        except MastodonError as exc:
            raise _error(exc) from None
        return Remote(str(status["id"]), str(status.get("url") or status.get("uri") or ""))

    def find(self, part: Part, key: str, since: datetime) -> Remote | None:
        try:
            if self._me is None:
                self._me = self.api.account_verify_credentials()
            statuses = self.api.account_statuses(self._me["id"], limit=RECENT)
            for status in statuses:
                created = status.get("created_at")
                if isinstance(created, datetime) and created < since - SKEW:
                    continue
                try:
                    source = self.api.status_source(status["id"])["text"]
                except MastodonNotFoundError:
                    continue
                if _same(source, part.text):
                    return Remote(
                        str(status["id"]), str(status.get("url") or status.get("uri") or "")
                    )
        except MastodonError as exc:
            raise _error(exc) from None
        return None
