"""Reading the text back from a PDF WeasyPrint wrote, without a PDF library in the lock.

WeasyPrint writes text as glyph ids (``<0024>`` in ``TJ`` arrays of Flate-compressed content
streams) and, for each font, a ``ToUnicode`` CMap from glyph id to character. :func:`pdf_text`
decodes every content stream with every font's map and returns each reading: the reading with
the right font's map gives the words set in that font (the title is one font, one reading).
Whitespace is dropped, as a wrapped line loses its space: compare with :func:`squeeze`.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar\n(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_TJ = re.compile(rb"\[(.*?)\]\s*TJ", re.S)
_GLYPHS = re.compile(rb"<([0-9a-fA-F]+)>")


def _streams(pdf: bytes) -> list[bytes]:
    found = []
    for match in _STREAM.finditer(pdf):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image or a stream that is not Flate
    return found


def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_text(pdf: bytes) -> list[str]:
    """One reading of the whole document's text per font map found (whitespace dropped)."""
    streams = _streams(pdf)
    maps = []
    for data in streams:
        if b"begincmap" in data:
            pairs: dict[int, str] = {}
            for block in _BFCHAR.findall(data):
                for gid, uni in _PAIR.findall(block):
                    pairs[int(gid, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
            maps.append(pairs)
    glyphs = [
        int(g, 16)
        for data in streams
        if b" TJ" in data
        for array in _TJ.findall(data)
        for run in _GLYPHS.findall(array)
        for g in re.findall(rb"[0-9a-fA-F]{4}", run)
    ]
    return [squeeze("".join(m.get(g, "\ufffd") for g in glyphs)) for m in maps]
