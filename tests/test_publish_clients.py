"""The Mastodon and Bluesky clients against local fakes (mastodon-mock, an XRPC fake)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import regex

from veilleur.publish.bluesky_client import BlueskyClient, make_tid
from veilleur.publish.publisher import Part, PublishError, publish_due
from veilleur.publish.queue import Account, MediaFile, Queue
from veilleur.workspace import Workspace

from .bsky_fake import TID, FakePDS

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5b1c1e70000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def mastodon_server() -> Iterator[object]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def pds() -> Iterator[FakePDS]:
    with FakePDS() as fake:
        fake.handles["anne.bsky.social"] = "did:plc:anne"
        yield fake


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "atelier.png"
    path.write_bytes(PNG)
    return path


def part(text: str, **kw: object) -> Part:
    values: dict[str, object] = {"index": 0, "count": 1, "media": [], "link": None, "lang": "fr"}
    values.update(kw)
    return Part(text, **values)  # type: ignore[arg-type]


# -- Mastodon ----------------------------------------------------------------------------


def test_mastodon_status_with_image_and_alt(mastodon_server, png: Path) -> None:  # type: ignore[no-untyped-def]
    from veilleur.publish.mastodon_client import MastodonClient

    client = MastodonClient(mastodon_server.base_url, "bob_token")
    remote = client.publish(
        part("L'atelier ce matin.", media=[MediaFile(str(png), "Un établi et des outils")]),
        "key-1",
        [],
    )
    status = client.api.status(remote.id)
    assert status["media_attachments"][0]["description"] == "Un établi et des outils"
    assert status["language"] == "fr"
    assert remote.url.endswith(remote.id)


def test_mastodon_thread_replies(mastodon_server) -> None:  # type: ignore[no-untyped-def]
    from veilleur.publish.mastodon_client import MastodonClient

    client = MastodonClient(mastodon_server.base_url, "bob_token")
    first = client.publish(part("Fil 1/2", count=2), "thread-a", [])
    second = client.publish(part("Fil 2/2", index=1, count=2), "thread-b", [first])
    assert str(client.api.status(second.id)["in_reply_to_id"]) == first.id


def test_mastodon_find_recognises_a_status_sent_by_a_dead_run(mastodon_server) -> None:  # type: ignore[no-untyped-def]
    from veilleur.publish.mastodon_client import MastodonClient

    # Without the Idempotency-Key header, only find() stands between a retry and a double.
    client = MastodonClient(mastodon_server.base_url, "carol_token", idempotency_header=False)
    since = datetime.now(UTC)
    text = "Un texte unique envoyé juste avant un arrêt brutal."
    assert client.find(part(text), "k", since) is None
    sent = client.publish(part(text), "k", [])
    found = client.find(part(text), "k", since)
    assert found is not None and found.id == sent.id
    assert client.find(part("Un autre texte."), "k", since) is None


def test_mastodon_errors_are_classified(mastodon_server) -> None:  # type: ignore[no-untyped-def]
    from veilleur.publish.mastodon_client import MastodonClient

    bad_token = MastodonClient(mastodon_server.base_url, "nope")
    with pytest.raises(PublishError) as refused:
        bad_token.publish(part("Bonjour"), "k", [])
    assert refused.value.retryable is False
    unreachable = MastodonClient("http://127.0.0.1:9", "x", timeout=2)
    with pytest.raises(PublishError) as down:
        unreachable.publish(part("Bonjour"), "k", [])
    assert down.value.retryable is True


# -- Bluesky -----------------------------------------------------------------------------


def test_tid_shape_and_order() -> None:
    a = make_tid(1_700_000_000_000_000, 5)
    b = make_tid(1_700_000_000_000_001, 5)
    assert TID.match(a) and TID.match(b)
    assert a < b  # base32-sortable: later is greater as text


def test_bluesky_post_is_a_valid_record(pds: FakePDS) -> None:
    client = BlueskyClient(pds.url, pds.handle, pds.password)
    text = "Merci @anne.bsky.social pour la #VeilleStratégique : https://exemple.fr/été"
    key = client.part_key("post", 0, datetime.now(UTC))
    remote = client.publish(part(text), key, [])
    assert pds.rejected == []
    (record,) = pds.posts()
    # The link is written as Bluesky's app writes it; its facet carries the full URL.
    sent = "Merci @anne.bsky.social pour la #VeilleStratégique : exemple.fr/été"
    assert record["text"] == sent and record["langs"] == ["fr"]
    data = sent.encode()
    spans = {
        f["features"][0]["$type"].split("#")[1]: data[
            f["index"]["byteStart"] : f["index"]["byteEnd"]
        ]
        for f in record["facets"]
    }
    assert spans == {
        "mention": b"@anne.bsky.social",
        "tag": "#VeilleStratégique".encode(),
        "link": "exemple.fr/été".encode(),
    }
    (link,) = (f for f in record["facets"] if f["features"][0]["$type"].endswith("#link"))
    assert link["features"][0]["uri"] == "https://exemple.fr/été"
    assert remote.id.endswith("/" + key)
    assert remote.url == f"https://bsky.app/profile/{pds.handle}/post/{key}"


def test_bluesky_image_with_alt_and_link_card(pds: FakePDS, png: Path) -> None:
    client = BlueskyClient(pds.url, pds.handle, pds.password)
    now = datetime.now(UTC)
    client.publish(
        part("Avec image", media=[MediaFile(str(png), "Un pixel")]),
        client.part_key("a", 0, now),
        [],
    )
    client.publish(
        part(
            "Avec carte",
            link="https://exemple.fr/guide",
            card_title="Le guide",
            card_description="Pas à pas",
        ),
        client.part_key("b", 0, now),
        [],
    )
    assert pds.rejected == []
    card_post, image_post = sorted(pds.posts(), key=lambda r: r["text"])
    (image,) = image_post["embed"]["images"]
    assert image["alt"] == "Un pixel" and image["image"]["size"] == len(PNG)
    external = {k: v for k, v in card_post["embed"]["external"].items() if k != "$type"}
    assert external == {
        "uri": "https://exemple.fr/guide",
        "title": "Le guide",
        "description": "Pas à pas",
    }


def test_bluesky_thread_reply_refs(pds: FakePDS) -> None:
    client = BlueskyClient(pds.url, pds.handle, pds.password)
    now = datetime.now(UTC)
    first = client.publish(part("Un 1/2"), client.part_key("t", 0, now), [])
    # A later run knows the first part by its id only: the cid is fetched again.
    from veilleur.publish.publisher import Remote

    bare = Remote(first.id, first.url)
    client.publish(part("Deux 2/2", index=1, count=2), client.part_key("t", 1, now), [bare])
    assert pds.rejected == []
    reply = next(r for r in pds.posts() if r["text"] == "Deux 2/2")["reply"]
    for ref in (reply["root"], reply["parent"]):
        assert (ref["uri"], ref["cid"]) == (first.id, first.cid)


def test_bluesky_same_key_never_creates_twice(pds: FakePDS) -> None:
    client = BlueskyClient(pds.url, pds.handle, pds.password)
    key = client.part_key("p", 0, datetime.now(UTC))
    assert client.find(part("Une fois"), key, datetime.now(UTC)) is None
    first = client.publish(part("Une fois"), key, [])
    again = client.publish(part("Une fois"), key, [])
    assert again.id == first.id and len(pds.posts()) == 1
    found = client.find(part("Une fois"), key, datetime.now(UTC))
    assert found is not None and found.id == first.id


def test_fake_refuses_what_the_lexicon_refuses(pds: FakePDS) -> None:
    client = BlueskyClient(pds.url, pds.handle, pds.password)
    too_long = "é" * 301
    assert len(regex.findall(r"\X", too_long)) == 301
    with pytest.raises(PublishError) as refused:
        client.publish(part(too_long), client.part_key("l", 0, datetime.now(UTC)), [])
    assert refused.value.retryable is False
    assert "maxGraphemes" in pds.rejected[-1]


def test_bluesky_server_error_is_retried(pds: FakePDS, ws: Workspace) -> None:
    queue = Queue(ws.store)
    queue.add_account(Account("bsky", "bluesky", pds.url, pds.handle, pds.password))
    post_id = queue.add("bluesky", ["Bonjour Bluesky"], account="bsky", lang="fr")
    assert post_id is not None
    pds.fail_next = [502]
    publish_due(queue, BlueskyClient.for_account, ws.path)
    failed = queue.get(post_id)
    assert failed.status == "failed" and failed.next_attempt_at is not None
    assert failed.last_error and "Bluesky" in failed.last_error
    publish_due(queue, BlueskyClient.for_account, ws.path, now=lambda: failed.next_attempt_at)  # type: ignore[arg-type,return-value]
    assert queue.get(post_id).status == "published"
    assert [r["text"] for r in pds.posts()] == ["Bonjour Bluesky"]
