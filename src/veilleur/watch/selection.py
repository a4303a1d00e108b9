"""A watch's posts: the saved query, read from the ``watches`` table, applied to the store.

The query language (:mod:`veilleur.query`) gives the matcher when it is available; until
then a watch's query is read the simple way — any of its words or hashtags, accents, case and
the ``#`` ignored, and none of its ``-words`` — so that digests and alerts already work on
plain queries and switch to the full language without any change here but :func:`matcher`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import Post, Watch, format_datetime
from veilleur.store import SQLiteStore
from veilleur.text import tokenize
from veilleur.watch import tables

Matcher = Callable[[Post], bool]

_OPERATORS = {"AND", "OR", "NOT"}
_TERM = re.compile(r'-?"[^"]*"|-?\S+')


@dataclass(slots=True)
class Selected:
    """A post of a watch, with its row id and its place in the stories index."""

    pk: int
    post: Post
    story: int
    group: int
    reason: str


def get_watch(store: SQLiteStore, name: str) -> Watch:
    """The saved watch ``name``, or a clear error listing the watches there are."""
    watch = tables.find_watch(store, name)
    if watch is None:
        known = tables.watch_names(store)
        listing = ", ".join(known) if known else _("none yet (veilleur watch add NAME QUERY)")
        raise UsageError(
            t("no watch named '{name}'. Watches: {listing}", name=name, listing=listing)
        )
    return watch


def save_watch(store: SQLiteStore, watch: Watch) -> None:
    """Create or replace a watch (used by the demo and the tests)."""
    tables.save_watch(store, watch, replace=True)


def _folded_terms(text: str) -> set[str]:
    """Folded words and hashtag words of ``text`` (``#tag`` counts as the word ``tag``)."""
    found: set[str] = set()
    for token in tokenize(text):
        if token.kind == "word" and not token.folded.endswith("'"):
            found.add(token.folded)
        elif token.kind == "hashtag":
            found.add(token.folded.lstrip("#"))
    return found


def simple_matcher(query: str) -> Matcher:
    """Any of the query's words or tags, none of its ``-words`` (the fallback reading)."""
    wanted: set[str] = set()
    unwanted: set[str] = set()
    for term in _TERM.findall(query):
        negative = term.startswith("-")
        text = term.lstrip("-").strip('"()')
        if not text or text in _OPERATORS or ":" in text:
            continue
        (unwanted if negative else wanted).update(_folded_terms(text))
    wanted.discard("")

    def match(post: Post) -> bool:
        terms = _folded_terms(post.text + " " + (post.title or ""))
        return bool(terms & wanted) and not terms & unwanted

    return match


def matcher(query: str) -> Matcher:
    """The in-memory matcher of ``query``: the query language's (``parse(q).matches``) once
    it is installed, else :func:`simple_matcher`."""
    from veilleur import query as language

    parse = getattr(language, "parse", None)
    if parse is None:
        return simple_matcher(query)
    compiled: Matcher = parse(query).matches
    return compiled


def query_words(query: str) -> set[str]:
    """The folded positive words of a query (left out of trends: they are the topic)."""
    words: set[str] = set()
    for term in _TERM.findall(query):
        text = term.strip('"()')
        if text.startswith("-") or text in _OPERATORS:
            continue
        words.update(_folded_terms(text.split(":", 1)[-1]))
    return words


def watch_posts(
    store: SQLiteStore, watch: Watch, since: datetime, until: datetime
) -> Iterator[Selected]:
    """The watch's posts created in ``[since, until)``, oldest first, with their stories.

    Call :func:`veilleur.watch.index.update_index` first so every post has its story.
    """
    match = matcher(watch.query)
    rows = tables.posts_with_stories(store, format_datetime(since), format_datetime(until))
    for pk, story, group, reason, post in rows:
        if match(post):
            yield Selected(
                pk,
                post,
                int(story) if story is not None else -pk,
                int(group) if group is not None else pk,
                reason or "",
            )
