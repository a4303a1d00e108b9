"""Sending digests and alerts by e-mail over SMTP, with the workspace's ``smtp.*`` settings.

One message, ``multipart/alternative``: a plain-text part (the Markdown digest reads well as
text) and the HTML part. STARTTLS when ``smtp.starttls`` is true (the default), implicit TLS
on port 465. The password is read from the settings only to log in: it never appears in a
message, a log line or an error (errors from the server are reported without it).
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from veilleur.errors import UsageError, VeilleurError
from veilleur.i18n import t
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)
# The name given in EHLO. smtplib would ask the DNS for this machine's full name, which can
# hang for many seconds on a machine without a resolver; the host name needs no lookup.
_HELO = socket.gethostname() or "localhost"
PASSWORD_ENV = "VEILLEUR_SMTP_PASSWORD"
"""Where smtp.password may be given instead of the settings (never on a command line)."""


class MailError(VeilleurError):
    """The message could not be delivered (server unreachable, refused, bad credentials)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    insecure: bool = False


def mail_missing(workspace: Workspace) -> str | None:
    """What sending mail still needs (a message naming the setting), or None when it is set."""
    try:
        smtp_settings(workspace)
    except UsageError as exc:
        return str(exc)
    return None


def smtp_settings(workspace: Workspace) -> SmtpSettings:
    """The workspace's SMTP settings; a clear message says which one is missing."""
    host = workspace.setting("smtp.host")
    sender = workspace.setting("smtp.from")
    for key, value in (("smtp.host", host), ("smtp.from", sender)):
        if not value:
            raise UsageError(
                t(
                    "sending mail needs '{key}': set it with  veilleur config set {key} VALUE",
                    key=key,
                )
            )
    assert host is not None and sender is not None
    return SmtpSettings(
        host=host,
        port=workspace.setting_int("smtp.port"),
        starttls=workspace.setting_bool("smtp.starttls"),
        sender=sender,
        user=workspace.setting("smtp.user"),
        password=os.environ.get(PASSWORD_ENV) or workspace.setting("smtp.password"),
        timeout=float(workspace.setting_int("network.timeout") or 30),
        insecure=workspace.setting_bool("smtp.insecure"),
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file joined to a message (an ``.ics`` invitation: ``text/calendar``)."""

    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()


def build_message(
    sender: str,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "veilleur")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename,
            params=dict(item.params),
        )  # fmt: skip
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message``; raises :class:`MailError` with a message safe to show."""
    where = f"{settings.host}:{settings.port}"
    tls = settings.port == 465 or settings.starttls
    if settings.user and not tls and not settings.insecure:
        raise UsageError(
            t(
                "refusing to send the SMTP password to {where} without TLS: set smtp.starttls "
                "to true (or smtp.port to 465). For a local test server only: veilleur config "
                "set smtp.insecure true",
                where=where,
            )
        )
    try:
        if settings.port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, local_hostname=_HELO, timeout=settings.timeout,
                context=ssl.create_default_context(),
            )  # fmt: skip
        else:
            smtp = smtplib.SMTP(
                settings.host, settings.port, local_hostname=_HELO, timeout=settings.timeout
            )
        with smtp:
            smtp.ehlo()
            if settings.starttls and settings.port != 465:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise MailError(
            t(
                "the SMTP server {where} refused the user name or password "
                "(check smtp.user and smtp.password)",
                where=where,
            )
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(
            t("the SMTP server {where} does not support this: {reason}", where=where, reason=exc)
        ) from None
    except smtplib.SMTPException as exc:
        raise MailError(
            t("the SMTP server {where} refused the message: {reason}", where=where, reason=exc)
        ) from None
    except (OSError, ssl.SSLError) as exc:
        raise MailError(
            t("cannot reach the SMTP server {where}: {reason}", where=where, reason=exc)
        ) from None
    if refused:
        raise MailError(
            t(
                "the SMTP server {where} refused: {addresses}",
                where=where,
                addresses=", ".join(sorted(refused)),
            )
        )
    log.info("mail sent through %s to %s", where, message["To"])


def send_mail(
    workspace: Workspace,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> None:
    """Send one message with the workspace's settings (``attachments`` joined to it)."""
    settings = smtp_settings(workspace)
    send(settings, build_message(settings.sender, to, subject, text, html, attachments))
