"""Writing posts out (a table for people, JSONL, CSV or bare ids for other programs), and
reports to a file whole or not at all.

Text from posts is untrusted: the table strips control characters (a post or an author name
must not retitle or clear the terminal) and prints it without Rich markup; the CSV goes
through :func:`veilleur.report.safety.csv_writer` (cells a spreadsheet would run as formulas
are neutralised).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import orjson
from rich.table import Table
from rich.text import Text

from veilleur.cli.context import err, out
from veilleur.cli.options import PostFormat
from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import POST_CSV_FIELDS, Post
from veilleur.report.safety import csv_writer, strip_controls

CSV_FIELDS = POST_CSV_FIELDS


def write_posts(posts: Iterable[Post], fmt: PostFormat) -> int:
    """Write posts in ``fmt`` to standard output; returns how many were written."""
    n = 0
    if fmt is PostFormat.table:
        table = Table(show_lines=False, expand=False)
        for column in (_("date"), _("network"), _("author"), _("text")):
            table.add_column(column, overflow="fold")
        for post in posts:
            text = post.text if len(post.text) <= 160 else post.text[:159] + "…"
            table.add_row(
                post.created_at.strftime("%Y-%m-%d %H:%M"),
                Text(strip_controls(post.network)),
                Text(strip_controls(post.author)),
                Text(strip_controls(text)),
            )
            n += 1
        if n:
            out.print(table)
        return n
    if fmt is PostFormat.csv:
        writer = csv_writer(sys.stdout)
        writer.writerow(CSV_FIELDS)
        for post in posts:
            row = post.to_json()
            writer.writerow(row.get(name) for name in CSV_FIELDS)
            n += 1
        return n
    stream = sys.stdout.buffer
    for post in posts:
        if fmt is PostFormat.ids:
            stream.write(post.id.encode() + b"\n")
        else:
            stream.write(orjson.dumps(post.to_json()) + b"\n")
        n += 1
    stream.flush()
    return n


def write_file(text: str, output: Path) -> None:
    """Write a report to ``output`` whole or not at all (through ``NAME.part``), then name it
    on stderr; an unwritable place is a UsageError naming the file and the reason."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        raise UsageError(
            t("cannot write {path}: {reason}", path=output, reason=exc.strerror)
        ) from None
    err.print(f"{output}", markup=False)
