"""publish: compose once for each network, lint, queue, publish, relay a site, share links —
the pillar's door.

    compose_post(ws, Draft(text, images, link, lang), "x,mastodon") -> Composition
    render_for(ws, draft, network)           one network's rendering (queueing a post)
    open_queue(ws) -> Queue                  drafts, scheduled posts, publishing accounts
    publish_due_posts(ws) -> RunReport       every due post published at most once
    submit_post / review_post                an editor's post waits for an admin's approval
    calendar / move_post / post_journal      the queue by day, rescheduling, each post's tries
    MOVABLE                                  the states a post may be moved in
    store_image / check_image                an uploaded image checked for the networks
    open_relays(ws) -> (Relays, fetch)       a site's feed relayed as posts
    share_links(url, text)                   share links per network and e-mail
    to_csv(posts, layout)                    the queue for a scheduler's bulk upload

Importing this package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.publish.compose import Composition, Draft, Image, Rendering
    from veilleur.publish.demo import demo_compose
    from veilleur.publish.directory import Directory, find_directory
    from veilleur.publish.export import to_csv
    from veilleur.publish.names import EXPORT_LAYOUTS, RELAY_FIELDS, RELAY_TEMPLATE
    from veilleur.publish.publisher import Client, RunReport
    from veilleur.publish.queue import MOVABLE, Account, Attempt, MediaFile, Queue, QueuedPost
    from veilleur.publish.relay import FetchFeed, Relay, Relays, Target
    from veilleur.publish.share import share_links
    from veilleur.publish.usecases import (
        Dated,
        Journal,
        add_account,
        calendar,
        check_image,
        client_for,
        compose_post,
        export_queue,
        move_post,
        open_queue,
        open_relays,
        post_journal,
        post_network,
        publish_due_posts,
        queue_post,
        render_for,
        review_post,
        schedule_post,
        set_timezone,
        store_image,
        submit_post,
        when,
    )

__all__ = [
    "EXPORT_LAYOUTS",
    "MOVABLE",
    "RELAY_FIELDS",
    "RELAY_TEMPLATE",
    "Account",
    "Attempt",
    "Client",
    "Composition",
    "Dated",
    "Directory",
    "Draft",
    "FetchFeed",
    "Image",
    "Journal",
    "MediaFile",
    "Queue",
    "QueuedPost",
    "Relay",
    "Relays",
    "Rendering",
    "RunReport",
    "Target",
    "add_account",
    "calendar",
    "check_image",
    "client_for",
    "compose_post",
    "demo_compose",
    "export_queue",
    "find_directory",
    "move_post",
    "open_queue",
    "open_relays",
    "post_journal",
    "post_network",
    "publish_due_posts",
    "queue_post",
    "render_for",
    "review_post",
    "schedule_post",
    "set_timezone",
    "share_links",
    "store_image",
    "submit_post",
    "to_csv",
    "when",
]

__getattr__ = exports(
    __name__,
    {
        "Composition": "veilleur.publish.compose",
        "Draft": "veilleur.publish.compose",
        "Image": "veilleur.publish.compose",
        "Rendering": "veilleur.publish.compose",
        "demo_compose": "veilleur.publish.demo",
        "Directory": "veilleur.publish.directory",
        "find_directory": "veilleur.publish.directory",
        "EXPORT_LAYOUTS": "veilleur.publish.names",
        "to_csv": "veilleur.publish.export",
        "Client": "veilleur.publish.publisher",
        "RunReport": "veilleur.publish.publisher",
        "MOVABLE": "veilleur.publish.queue",
        "Account": "veilleur.publish.queue",
        "Attempt": "veilleur.publish.queue",
        "MediaFile": "veilleur.publish.queue",
        "Queue": "veilleur.publish.queue",
        "QueuedPost": "veilleur.publish.queue",
        "RELAY_TEMPLATE": "veilleur.publish.names",
        "RELAY_FIELDS": "veilleur.publish.names",
        "FetchFeed": "veilleur.publish.relay",
        "Relay": "veilleur.publish.relay",
        "Relays": "veilleur.publish.relay",
        "Target": "veilleur.publish.relay",
        "share_links": "veilleur.publish.share",
        **{
            name: "veilleur.publish.usecases"
            for name in (
                "Dated",
                "Journal",
                "calendar",
                "check_image",
                "store_image",
                "move_post",
                "post_journal",
                "add_account",
                "client_for",
                "export_queue",
                "post_network",
                "queue_post",
                "schedule_post",
                "submit_post",
                "set_timezone",
                "review_post",
                "when",
                "compose_post",
                "open_queue",
                "open_relays",
                "publish_due_posts",
                "render_for",
            )
        },
    },
)
