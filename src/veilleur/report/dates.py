"""Numbers and dates as a French or an English reader writes them, shared by every report:
« 1 230 », « 2,5 » and « 25 % » with a narrow no-break space, « 1er novembre 2026 »; month names are
spelt here rather than taken from the machine's locale."""

from __future__ import annotations

from datetime import date

from veilleur.report.typography import NNBSP

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def number(value: float, lang: str, digits: int = 1) -> str:
    """``2.5`` → « 2,5 » in French; whole numbers without decimals; thousands spaced."""
    rounded = round(value, digits)
    text = f"{int(rounded):,}" if rounded == int(rounded) else f"{rounded:,.{digits}f}"
    if lang == "fr":
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def percent(share: float, lang: str) -> str:
    """``0.25`` → « 25 % » in French (narrow no-break space), "25%" in English."""
    value = number(100 * share, lang, 0)
    return f"{value}{NNBSP}%" if lang == "fr" else f"{value}%"


def day(value: date, lang: str, *, year: bool = True) -> str:
    """« 1er novembre 2026 » / “1 November 2026” (without the year when ``year`` is false)."""
    if lang == "fr":
        first = "1er" if value.day == 1 else str(value.day)
        text = f"{first} {MONTHS_FR[value.month - 1]}"
    else:
        text = f"{value.day} {MONTHS_EN[value.month - 1]}"
    return f"{text} {value.year}" if year else text
