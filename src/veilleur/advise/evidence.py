"""Evidence mode: where the organisation's topic is actually discussed, measured in the store.

Counts the stored posts matching any of the profile's keywords, per network, and the
accounts that post most on them. The figures become reasons in the advice: "where your
audience actually talks" rather than what is said of each network in general.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from veilleur.advise.engine import Evidence
from veilleur.query import QuerySyntaxError, parse
from veilleur.query.sqlite import SQLiteCompiler
from veilleur.store import SQLiteStore

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
        base, params = SQLiteCompiler().compile(parse(match).root).from_where()
    except QuerySyntaxError:
        return None
    try:
        per_network: dict[str, int] = {}
        for network, count in store.conn.execute(
            f"SELECT p.network, count(*) {base} GROUP BY p.network", params
        ):
            name = NETWORK_OF.get(network, network)
            per_network[name] = per_network.get(name, 0) + int(count)
        accounts = tuple(
            (str(author), str(network), int(posts), int(engagement))
            for author, network, posts, engagement in store.conn.execute(
                "SELECT p.author, p.network, count(*), sum(coalesce(p.likes, 0) + "
                "coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0)) "
                f"{base} GROUP BY p.author, p.network ORDER BY 3 DESC, 4 DESC, 1 LIMIT ?",
                (*params, top),
            )
        )
    except sqlite3.OperationalError:
        return None  # a keyword FTS5 cannot parse: no evidence rather than a crash
    total = sum(per_network.values())
    if total == 0:
        return None
    ordered = dict(sorted(per_network.items(), key=lambda item: (-item[1], item[0])))
    return Evidence(query=match, total=total, per_network=ordered, accounts=accounts)
