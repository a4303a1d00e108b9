"""The language of what veilleur says: French or English.

Messages are looked up by key in a catalogue; the language comes from ``VEILLEUR_LANG``,
then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): French when it starts with ``fr``,
English otherwise. Reports take their language from ``--lang`` instead.
"""

from __future__ import annotations

import os

LANGS = ("fr", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "summary.read": {"fr": "lus", "en": "read"},
    "summary.new": {"fr": "nouveaux", "en": "new"},
    "summary.updated": {"fr": "mis à jour", "en": "updated"},
    "summary.known": {"fr": "déjà connus", "en": "already known"},
    "summary.rejected": {"fr": "rejetés", "en": "rejected"},
    "summary.more_rejections": {
        "fr": "… et {n} autres lignes rejetées",
        "en": "… and {n} more rejected lines",
    },
    "error": {"fr": "erreur", "en": "error"},
    "interrupted": {
        "fr": "Interrompu. Tout ce qui était enregistré est conservé ; relancez pour terminer.",
        "en": "Interrupted. Everything saved so far is kept; run again to finish.",
    },
    "search.none": {"fr": "Aucun message ne correspond.", "en": "No post matches."},
    "stats.empty": {
        "fr": "L'espace de travail est vide : importez des messages avec « veilleur import ».",
        "en": "The workspace is empty: import posts with 'veilleur import'.",
    },
    "stats.network": {"fr": "Messages par réseau", "en": "Posts by network"},
    "stats.author": {"fr": "Auteurs les plus actifs", "en": "Most active authors"},
    "stats.month": {"fr": "Messages par mois", "en": "Posts by month"},
    "stats.total": {"fr": "{n} messages au total", "en": "{n} posts in all"},
    "col.count": {"fr": "messages", "en": "posts"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add a module's own messages (keys prefixed by the module, e.g. ``audit.``)."""
    clash = set(messages) & set(CATALOGUE)
    if clash:
        raise ValueError(f"message keys defined twice: {sorted(clash)}")
    CATALOGUE.update(messages)


def current_lang() -> str:
    for var in ("VEILLEUR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in ``lang`` (or the current language), formatted with ``values``."""
    entry = CATALOGUE[key]
    text = entry.get(lang or current_lang()) or entry["en"]
    return text.format(**values) if values else text


def colon(lang: str | None = None) -> str:
    """A label's colon: French puts a no-break space before it."""
    return "\u00a0: " if (lang or current_lang()) == "fr" else ": "
