"""What compose counts is what goes out, on every network (issue 20).

One text with a long tracking link is composed, queued and published to the local fake of
each network veilleur publishes to (the Bluesky XRPC fake, mastodon-mock), or exported as
the CSV a person pastes from (X, LinkedIn). The text each network receives, counted by that
network's rule (``veilleur.text.count``), is within its limit and is the length ``compose``
showed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
import regex

from veilleur.text import count

from .bsky_fake import FakePDS

LINK = (
    "https://www.exemple.fr/actualites/2027/atelier-veille-strategique-lyon?utm_source=bluesky"
    "&utm_medium=social&utm_campaign=atelier-mars-2027&utm_content=programme-complet-intervenants"
)
TEXT = (
    "Atelier de veille stratégique à Lyon le 12 mars : inscriptions ouvertes, places "
    "limitées. Programme complet, intervenants et accès sur notre site, avec les supports "
    f"des éditions passées. {LINK} #Veille #Lyon #Atelier #RH 🇫🇷"
)


@pytest.fixture(scope="module")
def mastodon() -> Iterator[object]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


def composed(cli, network: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    result = cli("compose", TEXT, "--networks", network, "--format", "json", "--lang", "fr")
    assert result.code == 0, result.out + result.err
    (rendering,) = json.loads(result.out)["renderings"]
    assert isinstance(rendering, dict)
    return rendering


def test_the_long_link_is_over_bluesky_limit_as_written() -> None:
    # The premise: sent as written, Bluesky's PDS refuses the text.
    assert len(regex.findall(r"\X", TEXT)) > 300


def test_bluesky_receives_what_compose_counted(cli) -> None:  # type: ignore[no-untyped-def]
    shown = composed(cli, "bluesky")
    assert shown["valid"] is True
    with FakePDS(handle="asso.test") as pds:
        added = cli(
            "queue", "account", "add", "bsky", "--network", "bluesky", "--server", pds.url,
            "--handle", "asso.test", "--secret", pds.password, "--insecure",
        )  # fmt: skip
        assert added.code == 0, added.err
        assert cli("queue", "add", TEXT, "--account", "bsky", "--at", "now").code == 0
        published = cli("publish", "--due")
        assert published.code == 0, published.out + published.err
        assert pds.rejected == []
        (record,) = pds.posts()
    sent = record["text"]
    counted = count(sent, "bluesky")
    assert counted.valid and len(regex.findall(r"\X", sent)) <= 300
    assert counted.weighted_length == shown["weighted_length"]
    assert sent == shown["sent"]  # compose showed the text Bluesky received
    # The link reads as Bluesky's app writes it; its facet carries the whole URL.
    assert "www.exemple.fr/actualites/2..." in sent and LINK not in sent
    data = sent.encode("utf-8")
    links = [f for f in record["facets"] if f["features"][0]["$type"].endswith("#link")]
    assert [f["features"][0]["uri"] for f in links] == [LINK]
    start, end = links[0]["index"]["byteStart"], links[0]["index"]["byteEnd"]
    assert data[start:end].decode() == "www.exemple.fr/actualites/2..."
    tags = [
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode()
        for f in record["facets"]
        if f["features"][0]["$type"].endswith("#tag")
    ]
    assert tags == ["#Veille", "#Lyon", "#Atelier"]  # Bluesky keeps three


def test_mastodon_receives_what_compose_counted(cli, mastodon) -> None:  # type: ignore[no-untyped-def]
    shown = composed(cli, "mastodon")
    added = cli(
        "queue", "account", "add", "masto", "--network", "mastodon", "--server",
        mastodon.base_url, "--secret", "alice_token", "--insecure",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert cli("queue", "add", TEXT, "--account", "masto", "--at", "now").code == 0
    published = cli("publish", "--due")
    assert published.code == 0, published.out + published.err
    api = mastodon.client("alice")
    me = api.account_verify_credentials()
    (status,) = [
        s for s in api.account_statuses(me["id"], limit=40) if "exemple.fr" in s["content"]
    ]
    sent = api.status_source(status["id"])["text"]
    counted = count(sent, "mastodon")
    assert counted.valid and counted.weighted_length == shown["weighted_length"]
    assert sent == shown["text"]


@pytest.mark.parametrize("network", ["x", "linkedin"])
def test_pasted_text_is_what_compose_counted(cli, network: str) -> None:  # type: ignore[no-untyped-def]
    shown = composed(cli, network)
    assert cli("queue", "add", TEXT, "--network", network, "--draft").code == 0
    exported = cli("queue", "export", "--layout", "buffer", "--network", network)
    assert exported.code == 0, exported.err
    (row,) = list(csv.DictReader(io.StringIO(exported.out)))
    sent = row["Text"]
    counted = count(sent, network)
    assert counted.valid and counted.weighted_length == shown["weighted_length"]
    assert sent == shown["text"]
