"""The signed links of event mails: confirm, cancel, take an offered seat, « je viens »,
« je libère ma place ».

A link carries a token made by itsdangerous (HMAC-SHA1 over the payload and a timestamp,
with the workspace's own key, ``events.link_key``, made on first use and encrypted at rest
like every secret): the registration's id and the action. Nothing in the token is secret;
it cannot be forged nor altered, and each action has a lifetime:

* ``confirm``: :data:`CONFIRM_DAYS` days (an unconfirmed sign-up holds no seat anyway);
* ``accept`` (an offered seat): the offer's own deadline, checked against the stored row;
* ``cancel``, ``come``, ``free``: until the event is over.

Single use where it matters is the registration's state, not the token: a confirmed
registration is not confirmed twice, a cancelled one cannot take a seat back, an offer that
passed to the next person cannot be taken.

The public pages (``/e/SLUG/l/TOKEN``) show what the link will do and act on a POST, so that
a mail scanner following links does not cancel a seat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from veilleur.errors import UsageError
from veilleur.events.config import BASE_URL, LINK_KEY
from veilleur.i18n import t
from veilleur.workspace import Workspace

ACTIONS = ("confirm", "cancel", "accept", "come", "free")
CONFIRM_DAYS = 7
SALT = "veilleur.events.link"


class LinkError(UsageError):
    """A link that was altered, expired, or is for another event."""


class NotSetUp(UsageError):
    """The links cannot be made: ``events.base_url`` is not set (the organiser's to fix)."""


@dataclass(frozen=True, slots=True)
class Link:
    registration_id: int
    action: str


def _key(ws: Workspace) -> str:
    key = ws.setting(LINK_KEY)
    if not key:
        key = secrets.token_urlsafe(32)
        ws.set_setting(LINK_KEY, key)
    return key


def serializer(ws: Workspace) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_key(ws), salt=SALT)


def token(ws: Workspace, registration_id: int, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    return str(serializer(ws).dumps({"r": registration_id, "a": action}))


def read(ws: Workspace, value: str, max_age: int | None = None) -> Link:
    """The link's registration and action; a :class:`LinkError` when it was altered or is
    older than ``max_age`` seconds."""
    try:
        payload = serializer(ws).loads(value, max_age=max_age)
    except SignatureExpired:
        raise LinkError(t("this link has expired")) from None
    except BadSignature:
        raise LinkError(t("this link is not valid (altered or cut)")) from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("r"), int)
        or payload.get("a") not in ACTIONS
    ):
        raise LinkError(t("this link is not valid (altered or cut)"))
    return Link(int(payload["r"]), str(payload["a"]))


def base_url(ws: Workspace) -> str:
    base = ws.setting(BASE_URL)
    if not base:
        raise NotSetUp(
            t(
                "the links in event mails need '{key}': set it with  veilleur config set {key} "
                "https://your.site",
                key=BASE_URL,
            )
        )
    return base.rstrip("/")


def url(ws: Workspace, slug: str, registration_id: int, action: str) -> str:
    """The address a mail gives for ``action``: ``BASE/e/SLUG/l/TOKEN``."""
    return f"{base_url(ws)}/e/{slug}/l/{token(ws, registration_id, action)}"
