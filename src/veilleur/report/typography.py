"""French typography for text shown to people: the narrow no-break space before ; : ! ?
and inside « », as the Imprimerie nationale's rules ask."""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

_BEFORE = re.compile(r"(?<=[^\s;!?])[ \u00a0\u202f]*([;!?]+)(?=\s|$|[»)\]])")
_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")
_URL = re.compile(r"\w+://\S+")


def french_spacing(text: str) -> str:
    """Put narrow no-break spaces where French typography wants them, leaving URLs alone."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(_fix(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_fix(text[last:]))
    return "".join(parts)


def _fix(chunk: str) -> str:
    chunk = _BEFORE.sub(lambda m: NNBSP + m.group(1), chunk)
    chunk = _COLON.sub(NBSP + ":", chunk)
    chunk = _OPEN.sub("«" + NNBSP, chunk)
    return _CLOSE.sub(NNBSP + "»", chunk)
