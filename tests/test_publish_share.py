"""Share links: each network's documented intent address, properly encoded."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from veilleur.errors import UsageError
from veilleur.publish.share import share_links

URL = "https://exemple.fr/guide?a=1&b=2"
TEXT = "Notre guide : « veille » & méthode"


def links() -> dict[str, str]:
    return {
        link.network: link.url for link in share_links(URL, TEXT, mastodon_instance="piaille.fr")
    }


def test_every_network_and_email() -> None:
    assert set(links()) == {"x", "linkedin", "facebook", "bluesky", "mastodon", "email"}


def test_parameters_round_trip() -> None:
    got = links()
    x = urlsplit(got["x"])
    assert (x.netloc, x.path) == ("x.com", "/intent/post")
    assert parse_qs(x.query) == {"text": [TEXT], "url": [URL]}
    assert parse_qs(urlsplit(got["linkedin"]).query) == {"url": [URL]}
    assert parse_qs(urlsplit(got["facebook"]).query) == {"u": [URL]}
    assert parse_qs(urlsplit(got["bluesky"]).query) == {"text": [f"{TEXT} {URL}"]}
    masto = urlsplit(got["mastodon"])
    assert (masto.netloc, masto.path) == ("piaille.fr", "/share")
    assert parse_qs(masto.query) == {"text": [f"{TEXT} {URL}"]}
    mail = urlsplit(got["email"])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query) == {"subject": [TEXT], "body": [f"{TEXT} {URL}"]}


def test_mastodon_without_instance_uses_a_chooser() -> None:
    (masto,) = [x for x in share_links(URL) if x.network == "mastodon"]
    assert masto.url.startswith("https://share.joinmastodon.org/")


def test_bad_input() -> None:
    with pytest.raises(UsageError, match="not a web address"):
        share_links("exemple.fr/guide")
    with pytest.raises(UsageError, match="not a Mastodon instance"):
        share_links(URL, mastodon_instance="piaille.fr/share")


def test_cli_share(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("share", URL, "--text", TEXT, "--format", "json")
    assert result.code == 0
    assert set(json.loads(result.out)) == {
        "x",
        "linkedin",
        "facebook",
        "bluesky",
        "mastodon",
        "email",
    }
    assert cli("share", "ftp://x").code == 2
