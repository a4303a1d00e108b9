"""Networks: the one registry (ids, aliases, names, limits, what publish can do) and one
normaliser per network shared by collectors and importers.

This door is the registry (pure data, no I/O) and :func:`normalize_handle`, the one rule
for stored handles (no leading ``@``, case kept). The normalisers — payload → ``Post`` — are
the modules :mod:`veilleur.networks.mastodon`, :mod:`veilleur.networks.bluesky`,
:mod:`veilleur.networks.x` and :mod:`veilleur.networks.rss`: ``sources/`` (collectors) and
``imports/`` (archive readers) both import them, so that a status collected and the same
status imported are one post. They are not imported here because they import
:mod:`veilleur.model`, which itself reads this registry.
"""

from __future__ import annotations

from veilleur.networks.handles import normalize_handle
from veilleur.networks.registry import (
    ARTICLE_NETWORKS,
    IDS,
    NETWORKS,
    Network,
    Publishing,
    get,
    name,
    resolve,
)

__all__ = [
    "ARTICLE_NETWORKS",
    "IDS",
    "NETWORKS",
    "Network",
    "Publishing",
    "get",
    "name",
    "normalize_handle",
    "resolve",
]
