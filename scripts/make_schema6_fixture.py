"""Build ``tests/fixtures/workspace-schema6.sqlite``: a small but complete workspace as the
last release of the hand-written migrations wrote it (``PRAGMA user_version`` 6, no Alembic).

It must run against veilleur at commit e2a3e7c (main before issue 13 moved the schema to
SQLAlchemy Core and Alembic); it uses that code's own functions, so every row is what that
release would have written::

    git worktree add /tmp/schema6 e2a3e7c && cd /tmp/schema6 && make install
    .venv/bin/python scripts/make_schema6_fixture.py tests/fixtures/workspace-schema6.sqlite

What it holds (tests/test_store_upgrade.py checks all of it survives the upgrade): posts of
every network of the demo corpus (reposts included) and of the golden export samples, posts
with titles, media, large (compressed) and small raw payloads; a saved watch; sources of
each kind (rss, mastodon, bluesky) with collection state, a success and an error; publishing
accounts with secrets and posting times; queued posts (scheduled, draft, published, failed,
with media and a link card); a website relay with the items it has seen; settings, a secret
one included; an alert rule with alerts sent; the watch index (near-duplicate signatures,
segments, stories, terms) built over every post.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Atelier Plume</title>
<link>https://atelier-plume.example/</link><description>Blog</description>
<item><title>La veille en trois temps</title><link>https://atelier-plume.example/blog/veille</link>
<guid>https://atelier-plume.example/blog/veille</guid>
<pubDate>Mon, 04 May 2026 08:00:00 GMT</pubDate>
<description>Sources, requ\xc3\xaates, synth\xc3\xa8se.</description></item>
<item><title>Recruter sur LinkedIn</title><link>https://atelier-plume.example/blog/recruter</link>
<guid>https://atelier-plume.example/blog/recruter</guid>
<pubDate>Tue, 05 May 2026 08:00:00 GMT</pubDate>
<description>Les profils des dirigeants d'abord.</description></item>
</channel></rss>
"""


def main(target: Path) -> None:
    from veilleur.store.watches import save_watch

    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import ImportSummary, import_file
    from veilleur.model import Media, Post, Watch
    from veilleur.publish.queue import Account, MediaFile, Queue
    from veilleur.publish.relay import Relay, Relays, Target
    from veilleur.sources import registry
    from veilleur.watch import alerts
    from veilleur.watch.index import update_index
    from veilleur.workspace import Workspace

    if target.exists():
        target.unlink()
    folder = target.parent / (target.stem + ".build")
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.iterdir():
        leftover.unlink()

    with Workspace(folder) as ws:
        store = ws.store
        summary = ImportSummary()
        import_file(store, ROOT / "src/veilleur/demo/corpus.jsonl", read_jsonl, summary)
        for golden in sorted((ROOT / "tests/fixtures/exports").glob("*.golden.jsonl")):
            import_file(store, golden, read_jsonl, summary)

        # Posts with every optional field, a large raw payload (stored compressed) and a
        # small one (stored plain).
        base = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
        store.write_posts(
            [
                Post(
                    id="https://atelier-plume.example/blog/veille",
                    network="rss",
                    author="atelier-plume.example",
                    author_name="Atelier Plume",
                    text="Sources, requêtes, synthèse : la veille stratégique en trois temps. "
                    "https://atelier-plume.example/blog/veille",
                    title="La veille en trois temps",
                    created_at=base,
                    url="https://atelier-plume.example/blog/veille",
                    lang="fr",
                    source="atelier-plume",
                    raw={"entry": {"summary": "Sources, requêtes, synthèse. " * 60}},
                ),
                Post(
                    id="at://did:plc:abc/app.bsky.feed.post/3kfixture",
                    network="bluesky",
                    author="camille.bsky.social",
                    text="Veille : #recrutement dans l'industrie, @atelier.example en parle "
                    "$EURO https://lemonde.fr/emploi",
                    created_at=base + timedelta(hours=1),
                    lang="fr",
                    reply_to="at://did:plc:abc/app.bsky.feed.post/3kparent",
                    quote_of="at://did:plc:xyz/app.bsky.feed.post/3kquoted",
                    media=[Media(url="https://cdn.example/1.jpg", alt="Un atelier", type="image")],
                    likes=3,
                    reposts=1,
                    replies=0,
                    quotes=2,
                    views=120,
                    raw={"uri": "at://did:plc:abc/app.bsky.feed.post/3kfixture"},
                ),
            ]
        )

        save_watch(
            store,
            Watch(
                name="recrutement",
                query="(recrutement OR embauche OR CDI) -stage",
                description="Offres et marque employeur",
            ),
        )
        save_watch(store, Watch(name="veille", query="veille lang:fr"))

        rss = registry.add_source(
            store, "rss", {"url": "https://atelier-plume.example/feed.xml"}, "atelier-plume"
        )
        masto = registry.add_source(
            store,
            "mastodon",
            {"instance": "https://social.example", "tag": "veille"},
            "social-example-tag-veille",
        )
        registry.add_source(
            store,
            "bluesky",
            {"search": "veille stratégique", "lang": "fr"},
            "bluesky-search-veille",
        )
        registry.save_outcome(
            store,
            masto,
            [
                Post(
                    id="https://social.example/users/camille/statuses/1",
                    network="mastodon",
                    author="camille@social.example",
                    text="Notre #veille du lundi : trois signaux faibles.",
                    created_at=base + timedelta(hours=2),
                    lang="fr",
                    source=masto.name,
                )
            ],
            {"since_id": "1", "etag": 'W/"abc"'},
            now=base + timedelta(hours=3),
        )
        registry.save_outcome(
            store,
            rss,
            [],
            {"etag": '"feed-1"'},
            error="HTTP 503 from https://atelier-plume.example/feed.xml",
            now=base + timedelta(hours=3),
        )

        ws.set_setting("report.lang", "en")
        ws.set_setting("smtp.host", "smtp.example.org")
        ws.set_setting("smtp.user", "veille@example.org")
        ws.set_setting("smtp.password", "mot-de-passe-secret")
        ws.set_setting("network.timeout", "30")

        queue = Queue(store)
        queue.add_account(
            Account(
                "asso",
                "mastodon",
                server="https://social.example",
                handle="asso@social.example",
                secret="mastodon-access-token-123",
                times=["09:00", "17:30"],
            )
        )
        queue.add_account(
            Account(
                "plume",
                "bluesky",
                server="https://bsky.social",
                handle="plume.bsky.social",
                secret="app-password-456",
                timezone="Europe/Brussels",
            )
        )
        queue.add(
            "mastodon",
            ["Le programme de l'atelier veille est en ligne."],
            account="asso",
            scheduled_at=base + timedelta(days=1),
            link="https://atelier-plume.example/atelier",
            lang="fr",
        )
        published = queue.add(
            "bluesky",
            ["Premier fil : la veille en trois temps (1/2)", "Les sources d'abord (2/2)"],
            account="plume",
            media=[MediaFile("images/veille.png", "Un schéma en trois temps")],
            link="https://atelier-plume.example/blog/veille",
            card={"title": "La veille en trois temps", "description": "Sources, requêtes."},
            lang="fr",
            scheduled_at=base,
        )
        failed = queue.add("mastodon", ["Un post qui échoue"], account="asso", scheduled_at=base)
        queue.add("x", ["Un brouillon pour X, à publier à la main."], lang="fr")
        queue.add("linkedin", ["Un brouillon LinkedIn."], draft=True)
        assert published is not None and failed is not None
        queue.mark_in_flight(published, ["k1", "k2"], base)
        queue.record_part(
            published,
            ["3kpart1", "3kpart2"],
            [f"https://bsky.app/profile/plume/post/3kpart{i}" for i in (1, 2)],
        )
        queue.mark_published(published, base + timedelta(minutes=1))
        queue.mark_failed(failed, "HTTP 500 from social.example", retryable=True, now=base)

        Relays(queue).add(
            Relay(
                "blog",
                "https://atelier-plume.example/feed.xml",
                [Target("mastodon", "asso"), Target("x")],
            ),
            lambda url: FEED,
        )

        alerts.add_rule(
            store,
            alerts.Rule(
                "recrutement-dupont",
                "recrutement",
                accounts=["dupont-usinage"],
                spike=3.0,
                mail="veille@example.org",
            ),
        )
        update_index(store, workers=0)
        fresh = [
            Post(
                id=f"demo-alert-{i}",
                network="linkedin",
                author="dupont-usinage",
                author_name="Dupont Usinage",
                text=f"Recrutement : opérateur CN H/F n°{i}, CDI à Annecy.",
                created_at=base + timedelta(days=2, minutes=i),
                lang="fr",
            )
            for i in range(3)
        ]
        store.write_posts(fresh)
        raised = alerts.evaluate(store, fresh)
        assert raised, "the fixture needs alerts sent"
        update_index(store, workers=0)

        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("VACUUM")
    (folder / "veilleur.sqlite").rename(target)
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()


if __name__ == "__main__":
    default = ROOT / "tests/fixtures/workspace-schema6.sqlite"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
