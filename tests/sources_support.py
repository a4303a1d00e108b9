"""Helpers shared by the collector tests: a workspace that may reach 127.0.0.1, quickly."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from veilleur.model import Post
from veilleur.sources import registry
from veilleur.sources.http import HttpPolicy
from veilleur.sources.runner import CollectReport, Runner
from veilleur.workspace import Workspace

from .conftest import shared_path


def allow_local(ws: Workspace) -> Workspace:
    """Opt in to 127.0.0.1 and make retries quick (10 ms backoff). The time limits are
    generous (10 s a request, 20 s in all): the local servers answer in milliseconds, but a
    2-core machine running the suite on both cores can hold a request for seconds, and a
    test that does not test timeouts must not fail on one."""
    ws.set_setting("network.allow_private", "true")
    ws.set_setting("network.backoff_ms", "10")
    ws.set_setting("network.max_time", "20")
    ws.set_setting("network.timeout", "10")
    return ws


def feed_bytes(name: str) -> bytes:
    return shared_path("data", "feeds", name).read_bytes()


def collect(
    ws: Workspace,
    names: Sequence[str] | None = None,
    *,
    hook_log: list[tuple[str, list[Post]]] | None = None,
    env: dict[str, str] | None = None,
) -> CollectReport:
    """One collection pass, as ``veilleur collect NAMES`` runs it."""
    records = registry.list_sources(ws.store, names)

    def hook(record: registry.SourceRecord, posts: list[Post]) -> None:
        if hook_log is not None:
            hook_log.append((record.name, posts))

    runner = Runner(ws.store, HttpPolicy.from_workspace(ws), on_batch=hook, env=env or {})
    return asyncio.run(runner.collect(records))
