"""Sources: what veilleur collects (feeds, Mastodon, Bluesky, web pages) — the pillar's door.

    add_rss(ws, url) / add_mastodon(ws, instance, tag=…) / add_bluesky(ws, search=…)
                                 a source checked (public address, a real feed) and named
    list_sources(ws) / describe(record) / remove_sources(ws, names)
    import_opml(ws, path) / export_opml(ws)          feeds in and out of a feed reader
    select_sources(ws, names, every=…)               the due sources (or those named)
    enabled_among(ws, names)                         those named that exist and are enabled
    collect(ws, records, hooks=…)                    one concurrent pass -> CollectReport
    run(ws, tick=…, on_cycle=…, hooks=…)             the daemon of ``veilleur run``

Hooks receive every batch of new posts as soon as it is saved; the watch passes its alerts
(``veilleur.watch.collect``): sources never import a pillar above them. Importing this
package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.networks.bluesky import DEFAULT_APPVIEW
    from veilleur.sources.collection import (
        BATCH_HOOKS,
        collect,
        enabled_among,
        run,
        select_sources,
    )
    from veilleur.sources.daemon import CycleHook
    from veilleur.sources.http import FetchError, HostGate, HttpPolicy
    from veilleur.sources.manage import (
        OpmlImport,
        add_bluesky,
        add_mastodon,
        add_rss,
        add_source,
        check_public_url,
        describe,
        export_opml,
        import_opml,
        list_sources,
        probe_feed,
        remove_sources,
    )
    from veilleur.sources.registry import SourceRecord
    from veilleur.sources.runner import BatchHook, CollectReport, ProgressHook, SourceReport

__all__ = [
    "BATCH_HOOKS",
    "DEFAULT_APPVIEW",
    "BatchHook",
    "CollectReport",
    "CycleHook",
    "FetchError",
    "HostGate",
    "HttpPolicy",
    "OpmlImport",
    "ProgressHook",
    "SourceRecord",
    "SourceReport",
    "add_bluesky",
    "add_mastodon",
    "add_rss",
    "add_source",
    "check_public_url",
    "collect",
    "describe",
    "enabled_among",
    "export_opml",
    "import_opml",
    "list_sources",
    "probe_feed",
    "remove_sources",
    "run",
    "select_sources",
]

__getattr__ = exports(
    __name__,
    {
        "DEFAULT_APPVIEW": "veilleur.networks.bluesky",  # light: `veilleur --help` shows it
        "BATCH_HOOKS": "veilleur.sources.collection",
        "collect": "veilleur.sources.collection",
        "run": "veilleur.sources.collection",
        "select_sources": "veilleur.sources.collection",
        "enabled_among": "veilleur.sources.collection",
        "CycleHook": "veilleur.sources.daemon",
        "FetchError": "veilleur.sources.http",
        "HostGate": "veilleur.sources.http",
        "HttpPolicy": "veilleur.sources.http",
        **{
            name: "veilleur.sources.manage"
            for name in (
                "OpmlImport",
                "add_bluesky",
                "add_mastodon",
                "add_rss",
                "add_source",
                "check_public_url",
                "describe",
                "export_opml",
                "import_opml",
                "list_sources",
                "probe_feed",
                "remove_sources",
            )
        },
        "SourceRecord": "veilleur.sources.registry",
        "BatchHook": "veilleur.sources.runner",
        "CollectReport": "veilleur.sources.runner",
        "ProgressHook": "veilleur.sources.runner",
        "SourceReport": "veilleur.sources.runner",
    },
)
