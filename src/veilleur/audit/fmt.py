"""Numbers, percentages, dates and network names as a French or English reader expects
them: « 2,5 », « 42 % » with a narrow no-break space, « 3 juillet 2026 »."""

from __future__ import annotations

from veilleur import networks
from veilleur.report.dates import MONTHS_EN, MONTHS_FR, day, number, percent
from veilleur.report.typography import NNBSP

__all__ = ["MONTHS_EN", "MONTHS_FR", "NNBSP", "day", "number", "percent"]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def weekday(index: int, lang: str) -> str:
    return (DAYS_FR if lang == "fr" else DAYS_EN)[index]


def hour(value: int, lang: str) -> str:
    return f"{value}{NNBSP}h" if lang == "fr" else f"{value}:00"


def network(name: str, lang: str) -> str:
    """A network's name in a sentence: « X », « le site web » / "the website"."""
    label = networks.name(name, lang)
    if name in networks.ARTICLE_NETWORKS:
        return f"{'le' if lang == 'fr' else 'the'} {label}"
    return label


def quoted(words: list[str], lang: str) -> str:
    """« a », « b » et « c » (fr) / “a”, “b” and “c” (en)."""
    if lang == "fr":
        items = [f"«{NNBSP}{w}{NNBSP}»" for w in words]
        joiner = " et "
    else:
        items = [f"“{w}”" for w in words]
        joiner = " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + joiner + items[-1]


def plural(n: float, one: str, many: str) -> str:
    return one if abs(n) < 2 else many
