"""Suggested watch queries, written in veilleur's query language (see docs/query-language.md).

Each objective that can be watched gives one query: its own terms (in the language of the
audience, the profile's first language) combined with the organisation's keywords, regions,
name or website. A query with nothing to anchor it (no keyword, region or name) would bring
the whole network back: it is not suggested.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from veilleur.advise.kb import Objective
from veilleur.model import Profile

_PLAIN = re.compile(r"^[^\W_]+$")
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True, slots=True)
class WatchQuery:
    objective: str
    query: str
    lang: str


def term(value: str) -> str:
    """One term of the language: a bare word, a #tag, or a "quoted phrase"."""
    value = " ".join(value.replace('"', " ").split())
    if value.startswith("#") and _PLAIN.match(value[1:]):
        return value
    if (
        _PLAIN.match(value)
        and value.upper() not in _OPERATORS
        and not value.upper().startswith("NEAR")
    ):
        return value
    return f'"{value}"'


def any_of(values: Sequence[str]) -> str:
    """``a`` or ``(a OR b OR "c d")``, duplicates removed."""
    terms = list(dict.fromkeys(term(v) for v in values if v.strip()))
    if len(terms) == 1:
        return terms[0]
    return "(" + " OR ".join(terms) + ")"


def site_domain(profile: Profile) -> str | None:
    """The domain of the organisation's website, from ``[accounts] website = "…"``."""
    url = profile.accounts.get("website") or profile.accounts.get("site")
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname
    return host.removeprefix("www.") if host else None


def watch_queries(profile: Profile, objectives: Sequence[Objective]) -> list[WatchQuery]:
    lang = (profile.languages or ["fr"])[0]
    lang = lang if lang in ("fr", "en") else "en"
    out: list[WatchQuery] = []
    seen: set[str] = set()
    for objective in objectives:
        terms = objective.watch
        if terms is None:
            continue
        anchors: list[str] = []
        if terms.use_keywords and profile.keywords:
            anchors.append(any_of(profile.keywords))
        if terms.use_regions and profile.regions:
            anchors.append(any_of(profile.regions))
        if terms.use_name:
            anchors.append(term(profile.name))
        if terms.use_site:
            domain = site_domain(profile)
            if domain:
                anchors.append(f"site:{domain}")
        if not anchors:
            continue
        parts = list(anchors)
        if terms.get(lang):
            parts.append(any_of(terms.get(lang)))
        if len(profile.languages) == 1 and profile.languages[0] in ("fr", "en"):
            parts.append(f"lang:{profile.languages[0]}")
        query = " ".join(parts)
        if query not in seen:
            seen.add(query)
            out.append(WatchQuery(objective.id, query, lang))
    return out
