"""What every output of veilleur does to text that came from outside.

Posts, feeds and exports are written by strangers. Before their text reaches a reader:

* links go through :func:`safe_url` (``http``/``https`` only; defined in
  :mod:`veilleur.networks.urls`, re-exported here for renderers and front ends);
* :func:`strip_controls` removes control characters (all but tab and newline): XML 1.0
  forbids most of them (one ``\\x01`` makes an Atom feed unreadable) and a terminal obeys
  them (``\\x1b]0;…\\x07`` retitles the window, ``\\x1b[2J`` clears the screen);
* :func:`csv_writer` neutralises cells a spreadsheet would run as a formula (the OWASP
  rule: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
  leading ``'``). Every CSV veilleur writes goes through it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

from veilleur.networks.urls import safe_url

__all__ = ["CSVWriter", "csv_cell", "csv_writer", "safe_url", "strip_controls"]

# C0 but tab and newline, DEL, C1 (0x9b is a one-byte CSI on some terminals), lone
# surrogates and the two non-characters XML refuses.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CRLF = re.compile(r"\r\n?")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(text: str) -> str:
    """``text`` without control characters; a CR or CRLF becomes a newline."""
    if text.isprintable():  # the common case, fast
        return text
    return _CONTROLS.sub("", _CRLF.sub("\n", text))


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: strings starting with ``= + - @``, tab or CR get
    a leading quote; numbers and empty cells are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


class CSVWriter:
    """:func:`csv.writer` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> CSVWriter:
    """The writer of every CSV veilleur writes (options as :func:`csv.writer`'s)."""
    return CSVWriter(stream, **options)
