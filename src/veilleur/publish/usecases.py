"""Use cases of the publish pillar on a workspace: compose, queue, publish what is due, relay.

Part of the ``veilleur.publish`` door: a front end parses its options into these plain
values and renders what comes back; nothing here prints.
"""

from __future__ import annotations

from pathlib import Path

from veilleur.errors import UsageError
from veilleur.publish.compose import Composition, Draft, Rendering, compose, render
from veilleur.publish.directory import find_directory, load_directory
from veilleur.publish.lint import parse_rule_config
from veilleur.publish.networks import parse_networks
from veilleur.publish.publisher import Client, RunReport, publish_due
from veilleur.publish.queue import Account, Queue
from veilleur.publish.relay import FetchFeed, Relays, fetch_feed
from veilleur.sources import HttpPolicy
from veilleur.workspace import Workspace


def compose_post(
    ws: Workspace,
    draft: Draft,
    networks: str,
    *,
    thread: bool = False,
    directory: Path | None = None,
    message_lang: str = "en",
) -> Composition:
    """``draft`` rendered and linted for each of ``networks`` (comma-separated), with the
    people of ``directory`` (default: the workspace's) and the workspace's lint rules."""
    targets = parse_networks(networks)
    people = load_directory(directory) if directory else find_directory(ws.path)
    rules = parse_rule_config(ws.setting("publish.rules"))
    if draft.lang is not None and draft.lang not in ("fr", "en"):
        raise UsageError(f"--lang: expected fr or en, got '{draft.lang}'")
    return compose(draft, targets, people, thread=thread, rules=rules, message_lang=message_lang)


def render_for(ws: Workspace, draft: Draft, network: str, *, thread: bool = False) -> Rendering:
    """``draft`` rendered for one network with the workspace's directory of people."""
    return render(draft, network, find_directory(ws.path), thread=thread)


def open_queue(ws: Workspace) -> Queue:
    """The workspace's queue of drafts and scheduled posts, and its publishing accounts."""
    return Queue(ws.store)


def client_for(account: Account) -> Client:
    """The client of an account's network (imports only the one needed)."""
    if account.network == "mastodon":
        from veilleur.publish.mastodon_client import MastodonClient

        return MastodonClient.for_account(account)
    from veilleur.publish.bluesky_client import BlueskyClient

    return BlueskyClient.for_account(account)


def publish_due_posts(ws: Workspace) -> RunReport:
    """Publish every due post of the queue once (safe to run twice or after a crash)."""
    return publish_due(open_queue(ws), client_for, ws.path)


def open_relays(ws: Workspace) -> tuple[Relays, FetchFeed]:
    """The workspace's relays, and the feed reader they use (the workspace's HTTP policy)."""
    relays = Relays(open_queue(ws), find_directory(ws.path))
    return relays, fetch_feed(HttpPolicy.from_workspace(ws))
