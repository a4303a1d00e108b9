"""Feed documents to posts: see :mod:`veilleur.networks.rss` (the ``rss`` network's normaliser)."""

from __future__ import annotations

from veilleur.networks.rss import (
    Entry,
    NotAFeed,
    ParsedFeed,
    entry_id,
    entry_to_post,
    parse_feed,
    parse_json_feed,
    parse_xml_feed,
    site_handle,
)

__all__ = [
    "Entry",
    "NotAFeed",
    "ParsedFeed",
    "entry_id",
    "entry_to_post",
    "parse_feed",
    "parse_json_feed",
    "parse_xml_feed",
    "site_handle",
]
