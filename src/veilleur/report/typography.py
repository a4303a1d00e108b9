"""French typography for text shown to people: the narrow no-break space before ; : ! ?
and inside « », as the Imprimerie nationale's rules ask — on French words only: a quote in
another language inside French text (“Make it happen!”) keeps its own typography."""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

_BEFORE = re.compile(r"(?<=[^\s;!?])[ \u00a0\u202f]*([;!?]+)(?=\s|$|[»)\]])")
_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")
_URL = re.compile(r"\w+://\S+")
# Quoted passages: what is inside may be another language. « » are French marks, but what
# they quote may be German all the same.
_QUOTED = re.compile(r"“[^”\n]{1,500}”|\"[^\"\n]{1,500}\"|«[^»\n]{1,500}»|„[^“”\n]{1,500}[“”]")
_MARK = re.compile("\ue000(\\d+)\ue001")
_FOREIGN_WORDS = 3  # a quote of fewer words is read as part of the French text around it


def french_spacing(text: str) -> str:
    """Put narrow no-break spaces where French typography wants them, leaving URLs and
    quotes in another language alone."""
    kept: list[str] = []

    def keep(piece: str) -> str:
        kept.append(piece)
        return f"\ue000{len(kept) - 1}\ue001"  # private-use marks: not spaces, not words

    def quote(match: re.Match[str]) -> str:
        quoted = match.group(0)
        inner = quoted[1:-1]
        if not _foreign(inner):
            return quoted
        return quoted[0] + keep(inner.strip(" \u00a0\u202f")) + quoted[-1]

    if "\ue000" in text:  # never mistake the text's own characters for a mark
        text = text.replace("\ue000", "")
    protected = _QUOTED.sub(quote, _URL.sub(lambda m: keep(m.group(0)), text))
    return _MARK.sub(lambda m: kept[int(m.group(1))], _fix(protected))


def _foreign(inner: str) -> bool:
    """The quote reads as another language than French (and is long enough to tell)."""
    from veilleur.text import detect_language

    if len(inner.split()) < _FOREIGN_WORDS:
        return False
    return detect_language(_MARK.sub(" ", inner)) != "fr"


def _fix(chunk: str) -> str:
    chunk = _BEFORE.sub(lambda m: NNBSP + m.group(1), chunk)
    chunk = _COLON.sub(NBSP + ":", chunk)
    chunk = _OPEN.sub("«" + NNBSP, chunk)
    return _CLOSE.sub(NNBSP + "»", chunk)
