"""Evidence mode: where the organisation's topic is actually discussed, measured in the store.

Counts the stored posts matching any of the profile's keywords, per network, and the
accounts that post most on them. The figures become reasons in the advice: "where your
audience actually talks" rather than what is said of each network in general.
"""

from __future__ import annotations

from collections.abc import Sequence

from veilleur.advise.engine import Evidence
from veilleur.query import QuerySyntaxError, parse
from veilleur.store import SearchError, SQLiteStore

# Articles from feeds and web pages tell that the topic lives on websites (and their RSS).
NETWORK_OF = {"rss": "website", "web": "website"}


def fts_query(keywords: Sequence[str]) -> str:
    """An FTS5 expression matching any keyword; each keyword is a phrase (accents ignored)."""
    phrases = []
    for keyword in keywords:
        words = " ".join(keyword.replace('"', " ").split())
        if words:
            phrases.append('"' + words + '"')
    return " OR ".join(dict.fromkeys(phrases))


def measure(store: SQLiteStore, keywords: Sequence[str], top: int = 10) -> Evidence | None:
    """Posts per network and leading accounts on ``keywords``; ``None`` when nothing matches."""
    match = fts_query(keywords)
    if not match:
        return None
    try:
        # The same phrases in the query language: folded, unstemmed, in order.
        node = parse(match).root
        per_network: dict[str, int] = {}
        for network, count in store.count_by_network(node).items():
            name = NETWORK_OF.get(network, network)
            per_network[name] = per_network.get(name, 0) + count
        accounts = tuple(store.top_authors(node, top))
    except (QuerySyntaxError, SearchError):
        return None  # a keyword the index cannot parse: no evidence rather than a crash
    total = sum(per_network.values())
    if total == 0:
        return None
    ordered = dict(sorted(per_network.items(), key=lambda item: (-item[1], item[0])))
    return Evidence(query=match, total=total, per_network=ordered, accounts=accounts)
