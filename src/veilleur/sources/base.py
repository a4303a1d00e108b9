"""What every collector receives and returns.

A collector is ``async def collect(record, ctx) -> Outcome``: it reads the source's
parameters and state, talks to the network through ``ctx.http`` (the shared client), and
returns the posts it found with the state to save. It does not write: the runner saves the
posts and the state in one transaction. A collector raises
:class:`~veilleur.sources.http.FetchError` when the source could not be read; the runner
records it on the source and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from veilleur.model import Post
from veilleur.sources.http import Fetcher
from veilleur.sources.registry import SourceRecord

KnownFn = Callable[[str, Sequence[str]], set[str]]
"""``known(network, ids)``: which of these post ids the workspace already holds."""


@dataclass(slots=True)
class Context:
    """The run's shared pieces: the HTTP client, the store lookup, the clock."""

    http: Fetcher
    known: KnownFn
    now: datetime
    env: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Outcome:
    """A collection's result: posts, the state to save, and a warning if partial."""

    posts: list[Post]
    state: dict[str, Any]
    status: str = "ok"  # "ok" or "not-modified"
    warning: str | None = None
    known: int = 0  # posts seen but left out of ``posts`` as already stored


class Collector(Protocol):
    def __call__(self, record: SourceRecord, ctx: Context) -> Awaitable[Outcome]: ...
