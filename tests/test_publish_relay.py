"""The website relay: every new item, oldest first, a draft per network, never twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from veilleur.errors import UsageError
from veilleur.networks.rss import Entry
from veilleur.publish.queue import Account, Queue
from veilleur.publish.relay import (
    DEFAULT_TEMPLATE,
    Relay,
    Relays,
    Target,
    check_template,
    fill,
    in_order,
)
from veilleur.text import count, extract
from veilleur.workspace import Workspace

from .conftest import shared_path


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """items: (title, slug, RFC 822 date or None), written in the given order."""
    body = ""
    for title, slug, date in items:
        pub = f"<pubDate>{date}</pubDate>" if date else ""
        body += (
            f"<item><title>{title}</title><link>https://s.example/{slug}</link>"
            f"<guid>https://s.example/{slug}</guid>{pub}"
            "<description>Un résumé de l'article.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>S</title>'
        f"<link>https://s.example/</link>{body}</channel></rss>"
    ).encode()


class Site:
    def __init__(self) -> None:
        self.content = rss([])
        self.fetches = 0

    def __call__(self, url: str) -> bytes:
        self.fetches += 1
        return self.content


@pytest.fixture
def relays(ws: Workspace) -> Relays:
    queue = Queue(ws.store)
    queue.add_account(Account("asso", "mastodon", "https://m.example", secret="t"))
    return Relays(queue)


def entry(title: str, published: datetime | None) -> Entry:
    return Entry(None, None, title, "", False, published, None, None)


def test_order_is_oldest_first() -> None:
    a = entry("a", datetime(2026, 1, 1, tzinfo=UTC))
    b = entry("b", datetime(2026, 1, 2, tzinfo=UTC))
    c = entry("c", datetime(2026, 1, 3, tzinfo=UTC))
    assert [e.title for e in in_order([c, a, b])] == ["a", "b", "c"]
    # Without dates: the reverse of the feed's (newest first) order.
    assert [e.title for e in in_order([entry("z", None), entry("y", None)])] == ["y", "z"]


def test_every_new_item_in_order_and_never_twice(relays: Relays) -> None:
    site = Site()
    site.content = rss([("Vieux", "vieux", "Mon, 02 Mar 2026 08:00:00 +0000")])
    relay = Relay("site", "https://s.example/feed", [Target("mastodon", "asso"), Target("x")])
    assert relays.add(relay, site) == 1
    site.content = rss(
        [
            ("Trois", "trois", "Thu, 05 Mar 2026 08:00:00 +0000"),
            ("Deux", "deux", "Wed, 04 Mar 2026 08:00:00 +0000"),
            ("Un", "un", "Tue, 03 Mar 2026 08:00:00 +0000"),
            ("Vieux", "vieux", "Mon, 02 Mar 2026 08:00:00 +0000"),
        ]
    )
    report = relays.run("site", site)
    assert report.items == ["Un", "Deux", "Trois"]
    assert len(report.drafts) == 6 and report.scheduled == []
    posts = relays.queue.posts()
    assert [p.texts[0].split("\n")[0] for p in posts if p.network == "x"] == ["Un", "Deux", "Trois"]
    assert all(p.status == "draft" for p in posts)
    again = relays.run("site", site)
    assert again.items == [] and len(relays.queue.posts()) == 6


def test_items_forgotten_are_not_queued_twice(relays: Relays, ws: Workspace) -> None:
    """Even if the memory of seen items were lost, the drafts' keys refuse a second copy."""
    site = Site()
    relay = Relay("site", "https://s.example/feed", [Target("x")])
    relays.add(relay, site)
    site.content = rss([("Un", "un", None)])
    relays.run("site", site)
    ws.store.conn.execute("DELETE FROM publish_relay_items")
    relays.run("site", site)
    assert len(relays.queue.posts()) == 1


def test_auto_schedules_targets_with_an_account(relays: Relays) -> None:
    site = Site()
    relay = Relay(
        "site", "https://s.example/feed", [Target("mastodon", "asso"), Target("x")], auto=True
    )
    relays.add(relay, site)
    site.content = rss([("Un", "un", None)])
    report = relays.run("site", site)
    assert len(report.scheduled) == 1 and len(report.drafts) == 1
    by_network = {p.network: p.status for p in relays.queue.posts()}
    assert by_network == {"mastodon": "scheduled", "x": "draft"}


def test_long_title_still_fits_x(relays: Relays) -> None:
    site = Site()
    relays.add(Relay("site", "https://s.example/feed", [Target("x")]), site)
    site.content = rss([("Mot " * 120, "long", None)])
    relays.run("site", site)
    (post,) = relays.queue.posts()
    assert count(post.texts[0], "x").valid


def test_template_fields_are_checked() -> None:
    assert check_template("{title} {url}") == "{title} {url}"
    with pytest.raises(UsageError, match="unknown field"):
        check_template("{title.__class__}")
    with pytest.raises(UsageError, match="unknown field"):
        check_template("{body}")
    e = Entry(
        None,
        "https://s.example/a",
        "Titre",
        "<p>Le <b>texte</b></p>",
        True,
        None,
        None,
        None,
        tags=["veille stratégique"],
    )
    assert fill("{title} — {summary} {tags}", e) == "Titre — Le texte #VeilleStratégique"


def test_target_parse() -> None:
    assert Target.parse("mastodon:asso") == Target("mastodon", "asso")
    assert Target.parse("twitter") == Target("x", "")
    with pytest.raises(UsageError, match="unknown network"):
        Target.parse("myspace")


def test_a_real_feed_is_relayed_whole(relays: Relays) -> None:
    content = shared_path("data", "feeds", "miniflux-large_rss.xml").read_bytes()
    relays.add(
        Relay("big", "https://s.example/feed", [Target("x")]),
        lambda url: b"",
        include_existing=True,
    )
    report = relays.run("big", lambda url: content)
    assert len(report.items) == 25  # every item of the feed, not only the newest
    assert len(relays.queue.posts()) == 25


def test_not_a_feed(relays: Relays) -> None:
    with pytest.raises(UsageError, match="not a feed"):
        relays.add(Relay("s", "https://s.example/", [Target("x")]), lambda url: b"<html></html>")


def test_cli_relay_refuses_loopback_by_default(cli, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed").respond_with_data(
        rss([]).decode(), content_type="application/rss+xml"
    )
    result = cli("relay", "add", "s", httpserver.url_for("/feed"), "--to", "x")
    assert result.code == 2
    assert "loopback" in result.err and "network.allow_private" in result.err


def test_export_csv_layouts(relays: Relays, tmp_path: Path) -> None:
    from veilleur.publish.export import to_csv

    queue = relays.queue
    queue.add(
        "x",
        ["Un, avec « virgule »"],
        scheduled_at=datetime(2026, 3, 2, 8, 2, tzinfo=UTC),
        draft=True,
    )
    posts = queue.posts()
    posts[0].scheduled_at = datetime(2026, 3, 2, 8, 2, tzinfo=UTC)
    hoot = to_csv(posts, "hootsuite")
    # 08:02 UTC is 09:02 in Paris (winter), rounded up to 09:05.
    assert hoot == '02/03/2026 09:05,"Un, avec « virgule »",\r\n'
    buf = to_csv(posts, "buffer")
    assert buf.splitlines() == [
        "Text,Image URL,Tags,Posting Time",
        '"Un, avec « virgule »",,,2026-03-02 09:05',
    ]
    with pytest.raises(UsageError):
        to_csv(posts, "later")


LONG_LINK = "https://s.example/actualites/2027/atelier-veille?utm_source=rss&utm_medium=feed"


def long_item(title: str, summary: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>S</title>'
        f"<link>https://s.example/</link><item><title>{title}</title>"
        f"<link>{LONG_LINK.replace('&', '&amp;')}</link><guid>g1</guid>"
        "<category>veille stratégique</category><category>Lyon</category>"
        f"<category>ateliers</category><description>{summary}</description></item>"
        "</channel></rss>"
    ).encode()


NETWORKS = ("x", "mastodon", "bluesky", "linkedin", "threads")


def relayed(relays: Relays, content: bytes, template: str) -> dict[str, list[str]]:
    site = Site()
    targets = [Target(n) for n in NETWORKS]
    relays.add(Relay("site", "https://s.example/feed", targets, template=template), site)
    site.content = content
    relays.run("site", site)
    return {p.network: p.texts for p in relays.queue.posts()}


def test_relayed_item_is_rendered_for_each_network(relays: Relays) -> None:
    summary = " ".join(["Le programme de l’atelier, ses intervenants et ses supports."] * 12)
    texts = relayed(
        relays,
        long_item("Atelier de veille à Lyon", summary),
        "{title}\n\n{summary}\n\n{url} {tags}",
    )
    # Each network's limit decides how much of the summary it gets: X least, then Bluesky
    # (its link counts shortened), Mastodon, LinkedIn most (at most SUMMARY_MAX).
    said = {n: len(t[0].split("\n\n")[1]) for n, t in texts.items()}
    assert 0 < said["x"] < said["bluesky"] < said["mastodon"] < said["linkedin"]
    for network, (text,) in texts.items():
        assert count(text, network).valid, network
        assert LONG_LINK in text, network  # the link is never cut
        tags = [t.value for t in extract(text).hashtags]
        assert (
            tags
            == ["VeilleStratégique", "Lyon", "Ateliers"][: {"x": 2, "threads": 1}.get(network, 3)]
        ), network
        assert "Lyon Ateliers" not in text  # tags beyond the kept ones go, not their "#"


def test_long_title_is_shortened_not_the_link(relays: Relays) -> None:
    texts = relayed(relays, long_item("Mot " * 120, "Un résumé."), DEFAULT_TEMPLATE)
    (x,) = texts["x"]
    assert count(x, "x").valid
    assert x.endswith("…\n\n" + LONG_LINK)
    assert x.startswith("Mot Mot")
