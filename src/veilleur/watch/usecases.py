"""Use cases of the watch that join it to other pillars: collection with alerts, the digest
by e-mail. Part of the ``veilleur.watch`` door."""

from __future__ import annotations

from collections.abc import Sequence

from veilleur import sources
from veilleur.sources import CollectReport, ProgressHook, SourceRecord
from veilleur.watch.alerts import batch_hook
from veilleur.watch.digest import Digest
from veilleur.watch.mail import send_mail
from veilleur.watch.render import to_html, to_markdown, view
from veilleur.workspace import Workspace


def collect(
    ws: Workspace, records: Sequence[SourceRecord], progress: ProgressHook | None = None
) -> CollectReport:
    """Collect ``records`` once; the alert rules see every batch of new posts as it is saved."""
    return sources.collect(ws, records, hooks=[batch_hook(ws)], progress=progress)


def send_digest(ws: Workspace, to: list[str], digest: Digest) -> str:
    """Send the digest to ``to`` over SMTP (the workspace's smtp.* settings); its subject."""
    subject: str = view(digest)["subject"]
    send_mail(ws, list(to), subject, to_markdown(digest), to_html(digest))
    return subject
