"""The workspace's settings: every key veilleur knows, its type, default and meaning.

Settings live in the workspace database. A key not declared here is refused, so a typo
(``smtp.hots``) is caught when it is set rather than ignored later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from veilleur.errors import UsageError
from veilleur.events.config import NAME
from veilleur.i18n import N_, t


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    kind: str  # "str", "int", "bool", "choice", "name" (a name in the public addresses)
    default: str | None
    help: str
    choices: tuple[str, ...] = ()
    secret: bool = False


def _setting(key: str, kind: str, default: str | None, help: str, **kw: object) -> Setting:
    return Setting(key, kind, default, help, **kw)  # type: ignore[arg-type]


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        _setting(
            "report.lang",
            "choice",
            "fr",
            N_("language of reports and messages"),
            choices=("fr", "en"),
        ),
        _setting(
            "network.allow_private",
            "bool",
            "false",
            N_("let collectors reach private, loopback and link-local addresses"),
        ),
        _setting("network.timeout", "int", "20", N_("seconds before an HTTP request gives up")),
        _setting(
            "network.user_agent",
            "str",
            None,
            N_("User-Agent of collectors (default names veilleur)"),
        ),
        _setting("network.per_host", "int", "4", N_("concurrent requests to one host at most")),
        _setting(
            "network.retries", "int", "3", N_("retries of a request after a 5xx or a timeout")
        ),
        _setting(
            "network.backoff_ms", "int", "500", N_("first delay before a retry (doubles each time)")
        ),
        _setting(
            "network.max_time", "int", "60", N_("seconds one request may take, retries included")
        ),
        _setting("network.sources_at_once", "int", "32", N_("sources collected at the same time")),
        _setting("smtp.host", "str", None, N_("SMTP server for digests and alerts")),
        _setting("smtp.port", "int", "587", N_("SMTP port")),
        _setting("smtp.starttls", "bool", "true", N_("upgrade the SMTP connection with STARTTLS")),
        _setting("smtp.user", "str", None, N_("SMTP user name")),
        _setting(
            "smtp.password",
            "str",
            None,
            N_("SMTP password (never shown; or VEILLEUR_SMTP_PASSWORD)"),
            secret=True,
        ),
        _setting("smtp.from", "str", None, N_("sender address of digests and alerts")),
        _setting(
            "smtp.insecure",
            "bool",
            "false",
            N_("let smtp.user log in without TLS (a local test server only)"),
        ),
        _setting(
            "events.base_url",
            "str",
            None,
            N_("public address of the event pages, for the links in mails (https://example.org)"),
        ),
        _setting(
            "events.served_as",
            "name",
            None,
            N_(
                "this workspace's name in the addresses of its public event pages (/e/NAME/SLUG), "
                "on a server serving several workspaces; written by veilleur serve; "
                "empty: /e/SLUG"
            ),
        ),
        _setting(
            "events.offer_hours",
            "int",
            "24",
            N_("hours a person on a waitlist has to take a freed seat before it passes on"),
        ),
        _setting(
            "events.anonymise_days",
            "int",
            "90",
            N_("days after an event before its registrations are anonymised"),
        ),
        _setting(
            "events.signups_per_hour",
            "int",
            "20",
            N_("sign-ups the public event page takes per hour from one client address"),
        ),
        _setting(
            "events.link_key",
            "str",
            None,
            N_("key that signs the links in event mails (made on first use; never shown)"),
            secret=True,
        ),
        _setting(
            "import.analysis_workers",
            "int",
            "1",
            N_(
                "worker processes that analyse the posts of a large import while it writes "
                "(0: all in the importing process)"
            ),
        ),
        _setting(
            "queue.broker_url",
            "str",
            None,
            N_(
                "broker of veilleur worker and scheduler: redis://… or amqp://… "
                "(or VEILLEUR_BROKER_URL)"
            ),
        ),
        _setting(
            "queue.lease",
            "int",
            "60",
            N_(
                "seconds a worker's claim on a job lasts without renewal (a killed worker's "
                "job is taken up again after it)"
            ),
        ),
        _setting(
            "queue.batch",
            "int",
            "20",
            N_(
                "sources a worker collects per job (the scheduler sends them as one message; "
                "fewer: finer spread over workers, more: less overhead per source)"
            ),
        ),
        _setting(
            "queue.wait",
            "int",
            "900",
            N_("seconds a job may wait in the broker's queue before it is queued again"),
        ),
    )
}

_TRUE = {"true", "yes", "on", "1", "oui", "vrai"}
_FALSE = {"false", "no", "off", "0", "non", "faux"}


def register(setting: Setting) -> None:
    """Declare a key from another module (a pillar that needs its own settings)."""
    SETTINGS[setting.key] = setting


def lookup(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(sorted(SETTINGS))
        raise UsageError(
            t("unknown setting '{key}'. Known settings: {known}", key=key, known=known)
        ) from None


def validate(key: str, value: str) -> str:
    """Return the canonical text of ``value`` for ``key``, or raise a clear UsageError."""
    setting = lookup(key)
    text = value.strip()
    checks: dict[str, Callable[[str], str]] = {
        "str": lambda v: v,
        "int": _as_int,
        "bool": _as_bool,
        "choice": lambda v: _as_choice(v, setting.choices),
        "name": _as_name,
    }
    try:
        return checks[setting.kind](text)
    except ValueError as exc:
        raise UsageError(t("invalid value for '{key}': {reason}", key=key, reason=exc)) from None


def _as_int(value: str) -> str:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(t("expected a whole number, got '{value}'", value=value)) from None
    if number < 0:
        raise ValueError(t("expected a positive number, got {number}", number=number))
    return str(number)


def _as_bool(value: str) -> str:
    lowered = value.lower()
    if lowered in _TRUE:
        return "true"
    if lowered in _FALSE:
        return "false"
    raise ValueError(t("expected true or false, got '{value}'", value=value))


def _as_choice(value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(
            t("expected one of {choices}, got '{value}'", choices=", ".join(choices), value=value)
        )
    return value


def _as_name(value: str) -> str:
    """A workspace's name in the public addresses (``/e/NAME/SLUG``), as its server checks
    it: another text would put broken links in its mails. Empty: ``/e/SLUG``."""
    if value and not NAME.match(value):
        raise ValueError(
            t(
                "expected the name its server serves it under (/w/NAME/, /e/NAME/SLUG): "
                "lower-case letters, digits and hyphens, 80 at most, not starting with a "
                "hyphen; got '{value}'",
                value=value,
            )
        )
    return value


def shown(key: str, value: str | None) -> str:
    """A value as it may be displayed: secrets are masked."""
    if value is None:
        return t("(not set)")
    return "********" if SETTINGS[key].secret else value
