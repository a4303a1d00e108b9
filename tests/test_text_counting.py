"""Per-network counting, on French text: …, narrow no-break spaces, €, « », emoji ZWJ."""

from __future__ import annotations

import random

import pytest

from veilleur.errors import UsageError
from veilleur.text import count
from veilleur.text.counting import bluesky_short_url

NNBSP = "\u202f"
CODER = "👩\u200d💻"  # woman technologist: 3 code points, one grapheme, 11 UTF-8 bytes


def test_x_weights_french_typography() -> None:
    # « (1) NNBSP (2: U+202F is outside X's light ranges) Voilà (5) NNBSP (2) » (1) space (1)
    # … (2: U+2026 too) space (1) 5 (1) NNBSP (2) € (2) space (1) ! (1) space (1) emoji (2)
    text = f"«{NNBSP}Voilà{NNBSP}» … 5{NNBSP}€ ! {CODER}"
    v3 = count(text, "x")
    assert (v3.weighted_length, v3.limit, v3.valid, v3.unit) == (25, 280, True, "weighted")
    # v2 has no emoji parsing: 👩 (2) + ZWJ (1: U+200D is light) + 💻 (2) instead of 2.
    assert count(text, "x", rules="v2").weighted_length == 28
    assert v3.permillage == 25 * 1000 // 280


def test_x_url_counts_23_and_ranges_are_utf16() -> None:
    text = "Lire https://www.exemple.fr/une/adresse/vraiment/tres/longue/pour/rien 🇫🇷"
    result = count(text, "x")
    assert result.weighted_length == len("Lire ") + 23 + 1 + 2
    # The flag is 2 code points = 4 UTF-16 units; the text has 5 + 65 + 1 + 2 code points.
    assert result.display_range == (0, len(text) + 2 - 1)


def test_x_too_long_names_the_problem_and_the_valid_range() -> None:
    text = "é" * 300
    result = count(text, "x")
    assert (result.weighted_length, result.valid, result.problems) == (300, False, ("too_long",))
    assert result.valid_range == (0, 279)
    assert count(text, "x", limit=300).valid


def test_x_agrees_with_twitter_text_parser_on_french_posts() -> None:
    """An independent implementation (dev dependency) must give the same weighted lengths."""
    twitter_text = pytest.importorskip("twitter_text")
    rng = random.Random(20261125)
    pieces = ["Réseaux", "l’emploi", "«", "»", NNBSP, "…", "€", "!", "?", ":", " ", " ", "😀",
              CODER, "🇫🇷", "#ÉcoleNumérique", "@marie", "https://exemple.fr/a?b=1", "exemple.fr",
              "ça", "Œuvre", "\n", "1⃣", "👍🏽", "日本"]  # fmt: skip
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        ours = count(text, "x")
        theirs = twitter_text.parse_tweet(text)
        assert ours.weighted_length == theirs.weightedLength, text
        assert ours.valid == theirs.valid, text


def test_mastodon_counts_urls_23_handles_short_and_graphemes() -> None:
    text = (
        f"Bonjour @marie@piaille.fr{NNBSP}! Lire https://exemple.fr/une/page/tres/longue {CODER}…"
    )
    # "Bonjour " 8 + "@marie" 6 + NNBSP 1 + "!" 1 + " Lire " 6 + URL 23 + " " 1 + emoji 1 + … 1
    result = count(text, "mastodon")
    assert (result.weighted_length, result.limit, result.valid) == (48, 500, True)
    assert result.unit == "graphemes"


def test_mastodon_limit_is_configurable_and_valid_range_is_a_prefix() -> None:
    text = (
        f"Bonjour @marie@piaille.fr{NNBSP}! Lire https://exemple.fr/une/page/tres/longue {CODER}…"
    )
    result = count(text, "mastodon", limit=40)
    assert (result.valid, result.limit, result.problems) == (False, 40, ("too_long",))
    # 22 units fit before the URL; the URL (23) is indivisible and overflows.
    assert result.valid_range == (0, text.index("https") - 1)
    assert count("x" * 1000, "mastodon", limit=1000).valid


def test_mastodon_url_without_protocol_counts_in_full() -> None:
    assert count("voir exemple.fr", "mastodon").weighted_length == len("voir exemple.fr")


def test_bluesky_graphemes_and_bytes() -> None:
    assert count("é" * 300, "bluesky").valid  # 300 graphemes, 600 bytes
    assert count("é" * 301, "bluesky").problems == ("too_long",)
    many = count(CODER * 299, "bluesky")  # 299 graphemes but 299 × 11 = 3,289 bytes
    assert (many.weighted_length, many.valid, many.problems) == (299, False, ("too_many_bytes",))


def test_bluesky_shortens_links_like_its_app() -> None:
    url = "https://www.exemple.fr/actualites/2026/11/veille"
    assert bluesky_short_url(url) == "www.exemple.fr/actualites/2..."
    assert bluesky_short_url("https://exemple.fr/") == "exemple.fr"
    assert count(f"Lire {url}", "bluesky").weighted_length == 5 + 14 + 13 + 3


def test_threads_emoji_count_their_utf8_bytes_and_links_are_capped() -> None:
    assert count("Café ☕", "threads").weighted_length == 5 + 3  # ☕ is 3 bytes in UTF-8
    assert count(f"« Café » {CODER}", "threads").weighted_length == 9 + 11
    six = " ".join(f"https://exemple.fr/{i}" for i in range(6))
    assert count(six, "threads").problems == ("too_many_links",)
    five_distinct = six.replace("/5", "/4")
    assert count(five_distinct, "threads").valid


def test_linkedin_facebook_instagram_count_utf16_units() -> None:
    text = f"«{NNBSP}Bonjour{NNBSP}» {CODER}"  # 1+1+7+1+1+1 + (2+1+2)
    for network, limit in (("linkedin", 3000), ("facebook", 63206), ("instagram", 2200)):
        result = count(text, network)
        assert (result.weighted_length, result.limit, result.unit) == (17, limit, "utf16")
    assert not count("a" * 3001, "linkedin").valid
    assert count("a" * 2200, "instagram").valid


def test_instagram_allows_30_hashtags() -> None:
    tags = " ".join(f"#tag{i}" for i in range(31))
    assert count(tags, "instagram").problems == ("too_many_hashtags",)
    assert count(tags.rsplit(" ", 1)[0], "instagram").valid


@pytest.mark.parametrize("network", ["x", "mastodon", "bluesky", "threads", "linkedin"])
def test_empty_text_is_not_a_post(network: str) -> None:
    result = count("", network)
    assert not result.valid
    assert "empty" in result.problems


def test_unknown_network_or_rules_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="myspace"):
        count("bonjour", "myspace")
    with pytest.raises(UsageError, match="v9"):
        count("bonjour", "x", rules="v9")
