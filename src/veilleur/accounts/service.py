"""Accounts, organisations, roles and the workspaces they hold: the use cases.

Everything here takes the *home* store (the database of the workspace ``veilleur serve``
was given) and plain values; the web pages and ``veilleur user add`` call it through the
``veilleur.accounts`` door. Passwords are hashed with argon2id (argon2-cffi), tokens
(invitations, API tokens) are random (``secrets``) and only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from veilleur.accounts import tables
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import format_datetime, utcnow
from veilleur.store import SQLiteStore

ROLES = ("viewer", "editor", "admin", "owner")
"""Roles in an organisation, weakest first: each can do what the ones before it can."""

DEFAULT_ORGANISATION = "Veilleur"
INVITATION_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

# The login rate limit: failures counted over a sliding window, per address and per e-mail.
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 20

_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,60}")
_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown takes as long as for a real user.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class LoginRefused(UsageError):
    """Wrong e-mail or password, or too many failures lately (``retry_after`` seconds)."""

    exit_code = 2

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class Forbidden(UsageError):
    """The user's role in the organisation does not allow what was asked."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    lang: str | None
    timezone: str | None
    session_epoch: int


@dataclass(frozen=True, slots=True)
class Membership:
    organisation_id: int
    organisation: str
    role: str


@dataclass(frozen=True, slots=True)
class WorkspaceEntry:
    """A workspace registered in an organisation: its address in URLs and its folder."""

    id: int
    organisation_id: int
    slug: str
    name: str
    path: Path


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    email: str
    role: str


def _user(row: tuple[object, ...]) -> User:
    return User(int(row[0]), str(row[1]), row[3], row[4], int(row[5]))  # type: ignore[arg-type, call-overload]


def _entry(row: tuple[object, ...]) -> WorkspaceEntry:
    return WorkspaceEntry(int(row[0]), int(row[1]), str(row[2]), str(row[3]), Path(str(row[4])))  # type: ignore[call-overload]


def rank(role: str | None) -> int:
    """A role's strength (0: none); compare ranks to check a permission."""
    return ROLES.index(role) + 1 if role in ROLES else 0


def check_role(role: str) -> str:
    value = role.strip().lower()
    if value not in ROLES:
        raise UsageError(
            t("unknown role '{role}' (expected {roles})", role=role, roles=", ".join(ROLES))
        )
    return value


def normalise_email(text: str) -> str:
    email = text.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise UsageError(t("not an e-mail address: '{email}'", email=text.strip()[:80]))
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(t("the password is too short: {n} characters at least", n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise UsageError(t("the password is too long: {n} characters at most", n=MAX_PASSWORD))
    return password


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return format_datetime(utcnow())


# -- organisations and workspaces --


def ensure_organisation(store: SQLiteStore, name: str = DEFAULT_ORGANISATION) -> int:
    """The organisation's id, created when new."""
    name = name.strip()
    if not name or len(name) > 120:
        raise UsageError(t("an organisation needs a name of 1 to 120 characters"))
    found = tables.organisation_id(store, name)
    if found is not None:
        return found
    with store.transaction() as tx:
        return tables.insert_organisation(tx, name, _now())


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "espace"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def register_workspace(
    store: SQLiteStore, path: Path, organisation: str = DEFAULT_ORGANISATION
) -> WorkspaceEntry:
    """The workspace at ``path`` as registered; registered in ``organisation`` when new."""
    folder = str(Path(path).resolve())
    row = tables.workspace_by_path(store, folder)
    if row is not None:
        return _entry(row)
    org = ensure_organisation(store, organisation)
    name = Path(folder).name or folder
    with store.transaction() as tx:
        slug = _slug(name, tables.slugs(tx))
        tables.insert_workspace(tx, org, slug, name, folder, _now())
    found = tables.workspace_by_path(store, folder)
    assert found is not None
    return _entry(found)


def workspaces(store: SQLiteStore, organisation: int | None = None) -> list[WorkspaceEntry]:
    return [_entry(r) for r in tables.workspace_rows(store, organisation)]


def workspace(store: SQLiteStore, slug: str) -> WorkspaceEntry | None:
    row = tables.workspace_by_slug(store, slug)
    return _entry(row) if row else None


def organisations(store: SQLiteStore) -> list[tuple[int, str]]:
    return [(int(i), str(n)) for i, n in tables.organisation_rows(store)]


# -- users --


def add_user(store: SQLiteStore, email: str, password: str, role: str, organisation: str) -> User:
    """Create a user with ``role`` in ``organisation`` (created when new). An existing
    e-mail is refused: a user's password is changed by its owner only."""
    address = normalise_email(email)
    role = check_role(role)
    check_password(password)
    if tables.user_by_email(store, address) is not None:
        raise UsageError(t("a user with the e-mail {email} exists already", email=address))
    org = ensure_organisation(store, organisation)
    hashed = _hasher.hash(password)
    with store.transaction() as tx:
        user_id = tables.insert_user(tx, address, hashed, _now())
        tables.set_role(tx, user_id, org, role)
    found = get_user(store, user_id)
    assert found is not None
    return found


def get_user(store: SQLiteStore, user_id: int) -> User | None:
    row = tables.user_by_id(store, user_id)
    return _user(row) if row else None


def memberships(store: SQLiteStore, user_id: int) -> list[Membership]:
    return [Membership(int(i), str(n), str(r)) for i, n, r in tables.memberships(store, user_id)]


def role_in(store: SQLiteStore, user_id: int, organisation: int) -> str | None:
    return tables.role_of(store, user_id, organisation)


def members(store: SQLiteStore, organisation: int) -> list[Member]:
    return [Member(int(i), str(e), str(r)) for i, e, r in tables.members(store, organisation)]


def authenticate(
    store: SQLiteStore, email: str, password: str, client: str, now: datetime | None = None
) -> User:
    """The user whose e-mail and password these are, or :class:`LoginRefused`.

    After :data:`MAX_FAILURES_PER_EMAIL` failures on one e-mail (or
    :data:`MAX_FAILURES_PER_CLIENT` from one client address) within :data:`WINDOW`, every
    attempt is refused, right or wrong, until the window has passed: guessing is slow
    whichever accounts are tried. A success forgets the e-mail's failures."""
    moment = now or utcnow()
    since = format_datetime(moment - WINDOW)
    address = email.strip().lower()
    keys = [f"email:{address}", f"ip:{client}"]
    if (
        tables.failures_since(store, keys[0], since) >= MAX_FAILURES_PER_EMAIL
        or tables.failures_since(store, keys[1], since) >= MAX_FAILURES_PER_CLIENT
    ):
        raise LoginRefused(
            t(
                "too many failed attempts: wait {minutes} minutes, then try again",
                minutes=int(WINDOW.total_seconds() // 60),
            ),
            retry_after=int(WINDOW.total_seconds()),
        )
    row = tables.user_by_email(store, address)
    try:
        _hasher.verify(str(row[2]) if row else _DUMMY_HASH, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        with store.transaction() as tx:
            tables.record_failure(tx, keys, format_datetime(moment))
        raise LoginRefused(t("wrong e-mail or password"))
    user = _user(row)
    with store.transaction() as tx:
        tables.forget_failures(tx, keys[0], format_datetime(moment - WINDOW * 4))
        if _hasher.check_needs_rehash(str(row[2])):
            tables.set_password(tx, user.id, _hasher.hash(password), new_epoch=False)
    return user


def change_password(store: SQLiteStore, user_id: int, current: str, new: str) -> User:
    """Replace the password (the current one must be right); every other session of the
    user ends (their epoch changes)."""
    row = tables.user_by_id(store, user_id)
    if row is None:
        raise UsageError(t("no such user"))
    try:
        _hasher.verify(str(row[2]), current)
    except (VerificationError, InvalidHashError):
        raise UsageError(t("the current password is wrong")) from None
    check_password(new)
    with store.transaction() as tx:
        tables.set_password(tx, user_id, _hasher.hash(new), new_epoch=True)
    found = get_user(store, user_id)
    assert found is not None
    return found


def reset_password(store: SQLiteStore, email: str, password: str) -> User:
    """Give a user a new password without the old one (the server's operator, from the
    command line; the demo): every session of the user ends."""
    row = tables.user_by_email(store, normalise_email(email))
    if row is None:
        raise UsageError(t("no user with the e-mail {email}", email=email.strip()))
    check_password(password)
    with store.transaction() as tx:
        tables.set_password(tx, int(row[0]), _hasher.hash(password), new_epoch=True)
    found = get_user(store, int(row[0]))
    assert found is not None
    return found


DEMO_EMAIL = "demo@veilleur.invalid"


def demo_login(store: SQLiteStore, path: Path) -> tuple[str, str]:
    """The demo workspace's login: its owner, with a new random password each time (so a
    demo refreshed is never left with a password printed long ago); ``(email, password)``."""
    entry = register_workspace(store, path)
    names = dict(organisations(store))
    password = secrets.token_urlsafe(12)
    if tables.user_by_email(store, DEMO_EMAIL) is None:
        add_user(store, DEMO_EMAIL, password, "owner", names[entry.organisation_id])
    else:
        reset_password(store, DEMO_EMAIL, password)
    return DEMO_EMAIL, password


def set_preferences(
    store: SQLiteStore, user_id: int, lang: str | None, timezone: str | None
) -> None:
    """The user's language (``fr``, ``en`` or None: the browser's) and time zone."""
    if lang not in (None, "fr", "en"):
        raise UsageError(t("--lang: expected fr or en, got '{lang}'", lang=lang))
    if timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(
                t("unknown time zone '{zone}' (expected e.g. Europe/Paris)", zone=timezone)
            ) from None
    with store.transaction() as tx:
        tables.set_preferences(tx, user_id, lang, timezone or None)


# -- invitations --


def invite(
    store: SQLiteStore,
    organisation: int,
    role: str,
    by: int,
    email: str | None = None,
    now: datetime | None = None,
) -> str:
    """A single-use invitation token into ``organisation`` with ``role``, valid
    :data:`INVITATION_LIFETIME`. Only its hash is stored: the link cannot be shown again."""
    role = check_role(role)
    address = normalise_email(email) if email else None
    token = secrets.token_urlsafe(32)
    moment = now or utcnow()
    with store.transaction() as tx:
        tables.insert_invitation(
            tx,
            _token_hash(token),
            organisation,
            role,
            address,
            by,
            format_datetime(moment),
            format_datetime(moment + INVITATION_LIFETIME),
        )
    return token


def invitation(store: SQLiteStore, token: str, now: datetime | None = None) -> tuple[int, str]:
    """``(organisation, role)`` of a usable invitation, or a UsageError saying why not."""
    row = tables.invitation(store, _token_hash(token))
    stamp = format_datetime(now or utcnow())
    if row is None:
        raise UsageError(t("this invitation link is not valid"))
    if row[4] is not None:
        raise UsageError(t("this invitation link has been used already"))
    if str(row[3]) <= stamp:
        raise UsageError(t("this invitation link has expired: ask for a new one"))
    return int(row[0]), str(row[1])


def accept_invitation(
    store: SQLiteStore, token: str, email: str, password: str, now: datetime | None = None
) -> User:
    """Create the invited user (or give an existing one the role, if the password is
    theirs) and use the invitation up. Used once only, even by two browsers at once."""
    organisation, role = invitation(store, token, now)
    address = normalise_email(email)
    row = tables.invitation(store, _token_hash(token))
    if row is not None and row[2] and row[2] != address:
        raise UsageError(t("this invitation is for another e-mail address"))
    existing = tables.user_by_email(store, address)
    if existing is not None:
        try:
            _hasher.verify(str(existing[2]), password)
        except (VerificationError, InvalidHashError):
            raise UsageError(
                t("a user with the e-mail {email} exists already", email=address)
            ) from None
    else:
        check_password(password)
    hashed = _hasher.hash(password)
    stamp = format_datetime(now or utcnow())
    with store.transaction() as tx:
        if not tables.use_invitation(tx, _token_hash(token), stamp):
            raise UsageError(t("this invitation link has been used already"))
        user_id = int(existing[0]) if existing else tables.insert_user(tx, address, hashed, stamp)
        if existing is None or rank(tables.role_of(tx, user_id, organisation)) < rank(role):
            tables.set_role(tx, user_id, organisation, role)
    found = get_user(store, user_id)
    assert found is not None
    return found


def pending_invitations(
    store: SQLiteStore, organisation: int, now: datetime | None = None
) -> list[tuple[str | None, str, str]]:
    """``(email, role, expires_at)`` of the invitations not used nor expired."""
    stamp = format_datetime(now or utcnow())
    return [(e, str(r), str(x)) for e, r, x in tables.open_invitations(store, organisation, stamp)]


def set_member_role(store: SQLiteStore, organisation: int, user_id: int, role: str | None) -> None:
    """Change a member's role (None: remove them). The last owner stays an owner."""
    current = tables.role_of(store, user_id, organisation)
    if (
        current == "owner"
        and role != "owner"
        and tables.count_role(store, organisation, "owner") <= 1
    ):
        raise Forbidden(t("an organisation keeps at least one owner"))
    with store.transaction() as tx:
        if role is None:
            tables.remove_member(tx, user_id, organisation)
        else:
            tables.set_role(tx, user_id, organisation, check_role(role))


# -- API tokens --


def create_token(store: SQLiteStore, user_id: int, name: str) -> str:
    """A new personal API token (shown once; only its hash is kept)."""
    label = name.strip()[:80] or "token"
    token = "vl_" + secrets.token_urlsafe(32)
    with store.transaction() as tx:
        tables.insert_token(tx, user_id, label, _token_hash(token), _now())
    return token


def token_user(store: SQLiteStore, token: str) -> User | None:
    """The user of a live API token, or None."""
    digest = _token_hash(token)
    owner = tables.token_owner(store, digest)
    if owner is None:
        return None
    with store.transaction() as tx:
        tables.touch_token(tx, digest, _now())
    return get_user(store, owner)


def tokens(store: SQLiteStore, user_id: int) -> list[tuple[int, str, str, str | None]]:
    return [(int(i), str(n), str(c), u) for i, n, c, u in tables.user_tokens(store, user_id)]


def revoke_token(store: SQLiteStore, user_id: int, token_id: int) -> bool:
    with store.transaction() as tx:
        return tables.revoke_token(tx, user_id, token_id, _now())
