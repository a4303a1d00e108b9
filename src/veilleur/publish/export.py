"""Queued posts as a CSV for the bulk upload of common schedulers.

For the networks veilleur does not publish to itself (X, LinkedIn, Facebook, Instagram:
their APIs need paid or partner access), a consultant hands the drafts to a scheduler the
client already has. Two layouts, from the schedulers' help pages (check them against the
template the scheduler offers for download, they change):

- ``hootsuite`` — Hootsuite's Bulk Composer: no header row; columns date and time
  (``DD/MM/YYYY HH:MM``, 24 h, minutes a multiple of 5, pick "day/month" on upload),
  message, link (optional).
- ``buffer`` — Buffer's bulk upload: header ``Text,Image URL,Tags,Posting Time``;
  time ``YYYY-MM-DD HH:MM``.

Times are written in the given time zone (default: the workspace's ``publish.timezone``,
Europe/Paris), the zone the scheduler's account must be set to. A post without a time gets
the next free quarter-hour after now (schedulers refuse rows in the past). A thread's parts
are separate rows five minutes apart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import utcnow
from veilleur.publish.names import EXPORT_LAYOUTS
from veilleur.publish.queue import DEFAULT_TIMEZONE, QueuedPost, _check_timezone
from veilleur.report.safety import csv_writer

FORMATS = EXPORT_LAYOUTS


def _round5(moment: datetime) -> datetime:
    """Up to the next multiple of five minutes (Hootsuite refuses other minutes)."""
    moment = moment.replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(-moment.minute) % 5)


def to_csv(
    posts: Sequence[QueuedPost],
    fmt: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    now: datetime | None = None,
) -> str:
    """The CSV text of ``posts`` in the layout ``fmt``."""
    if fmt not in FORMATS:
        raise UsageError(
            t(
                "unknown CSV layout '{layout}': expected {known}",
                layout=fmt,
                known=" or ".join(FORMATS),
            )
        )
    zone = _check_timezone(timezone)
    start = (now or utcnow()) + timedelta(minutes=15)
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")  # formulas neutralised
    if fmt == "buffer":
        writer.writerow(["Text", "Image URL", "Tags", "Posting Time"])
    for post in posts:
        base = _round5((post.scheduled_at or start).astimezone(zone))
        for i, text in enumerate(post.texts):
            when = base + timedelta(minutes=5 * i)
            if fmt == "hootsuite":
                writer.writerow([when.strftime("%d/%m/%Y %H:%M"), text, post.link or ""])
            else:
                writer.writerow([text, "", "", when.strftime("%Y-%m-%d %H:%M")])
    return buffer.getvalue()
