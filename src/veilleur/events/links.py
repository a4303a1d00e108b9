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

A server serving several workspaces serves each one's events under its name,
``/e/NAME/SLUG`` (``/e/SLUG`` is the served workspace's, the server's home). The name is the
workspace's setting ``events.served_as``, written by the server (:func:`serve_as`) when it
opens the workspace, so that a mail made anywhere (the server's courier, ``veilleur run``, a
worker) points to the right address. A token made under a name carries it (``w``) and is
read only by a workspace of that name: two workspaces sharing a link key (one copied from
the other) still cannot read each other's links.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from veilleur.errors import UsageError
from veilleur.events.config import BASE_URL, LINK_KEY, NAME, SERVED_AS
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
    payload: dict[str, object] = {"r": registration_id, "a": action}
    name = public_name(ws)
    if name:  # the served workspace's tokens stay as they were: its old mails still work
        payload["w"] = name
    return str(serializer(ws).dumps(payload))


def read(ws: Workspace, value: str, max_age: int | None = None) -> Link:
    """The link's registration and action; a :class:`LinkError` when it was altered, is
    older than ``max_age`` seconds, or was made by another workspace."""
    invalid = t("this link is not valid (altered or cut)")
    key = ws.setting(LINK_KEY)
    if not key:  # no link was ever made here (and a reader must not make the key)
        raise LinkError(invalid)
    try:
        payload = URLSafeTimedSerializer(key, salt=SALT).loads(value, max_age=max_age)
    except SignatureExpired:
        raise LinkError(t("this link has expired")) from None
    except BadSignature:
        raise LinkError(invalid) from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("r"), int)
        or payload.get("a") not in ACTIONS
    ):
        raise LinkError(invalid)
    if payload.get("w", "") != public_name(ws):
        raise LinkError(t("this link is for another event"))
    return Link(int(payload["r"]), str(payload["a"]))


def public_name(ws: Workspace) -> str:
    """The workspace's name in its public addresses, ``/e/NAME/SLUG`` ("": ``/e/SLUG``)."""
    return (ws.setting(SERVED_AS) or "").strip()


def serve_as(ws: Workspace, name: str, base_url: str = "") -> bool:
    """Record that a server serves this workspace's events under ``/e/NAME/`` (what the
    web server does when it opens a workspace beside its home); whether it changed.

    ``base_url``: the server's public address (its home's ``events.base_url``), kept by a
    workspace that has none of its own: the same server answers its links, and without it
    every sign-up would be refused until someone thought of setting it."""
    if not NAME.match(name):
        raise ValueError(name)
    changed = False
    if base_url and not public_base(ws):
        ws.set_setting(BASE_URL, base_url)
        changed = True
    if public_name(ws) != name:
        ws.set_setting(SERVED_AS, name)
        changed = True
    return changed


def public_base(ws: Workspace) -> str:
    """The address the event mails' links start with (``events.base_url``; "": not set)."""
    return (ws.setting(BASE_URL) or "").strip().rstrip("/")


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


def page_url(ws: Workspace, slug: str) -> str:
    """The event's public page: ``BASE/e/SLUG``, or ``BASE/e/NAME/SLUG`` for a workspace
    served beside the server's home."""
    name = public_name(ws)
    return f"{base_url(ws)}/e/{name}/{slug}" if name else f"{base_url(ws)}/e/{slug}"


def url(ws: Workspace, slug: str, registration_id: int, action: str) -> str:
    """The address a mail gives for ``action``: the event's page, ``/l/TOKEN``."""
    return f"{page_url(ws, slug)}/l/{token(ws, registration_id, action)}"
