"""Entities in French posts and across networks (X's own rules are the conformance suite)."""

from __future__ import annotations

from veilleur.text import extract


def test_french_hashtags_with_accents() -> None:
    found = extract("Rendez-vous #Réseaux et #ÉcoleNumérique, #RH2026 mais pas #2026")
    assert [(h.value, h.start, h.end) for h in found.hashtags] == [
        ("Réseaux", 12, 20),
        ("ÉcoleNumérique", 24, 39),
        ("RH2026", 41, 48),
    ]


def test_fediverse_handle_is_one_mention() -> None:
    text = "Merci @marie@piaille.fr et @Jean_Dupont@mastodon.social !"
    mentions = extract(text).mentions
    assert [(m.value, m.instance) for m in mentions] == [
        ("marie", "piaille.fr"),
        ("Jean_Dupont", "mastodon.social"),
    ]
    assert text[mentions[0].start : mentions[0].end] == "@marie@piaille.fr"
    assert extract(text).urls == []  # the instance is not a link


def test_on_x_the_same_text_follows_x_rules() -> None:
    # X reads "@marie" then "@piaille.fr" too close to an e-mail: no mention at all.
    assert extract("Merci @marie@piaille.fr !", network="x").mentions == []


def test_bluesky_handle_is_one_mention() -> None:
    text = "Par @laviedesidees.bsky.social et @cgt.fr, pas @marie."
    mentions = extract(text).mentions
    assert [m.value for m in mentions] == ["laviedesidees.bsky.social", "cgt.fr", "marie"]
    assert extract(text, network="x").mentions[0].value == "laviedesidees"


def test_urls_cashtags_and_reply() -> None:
    found = extract("@agence voir https://exemple.fr/offre?id=3. et emploi.gouv.fr $EKTA")
    assert found.reply_to == "agence"
    assert [u.value for u in found.urls] == ["https://exemple.fr/offre?id=3", "emploi.gouv.fr"]
    assert [c.value for c in found.cashtags] == ["EKTA"]


def test_url_fragment_is_not_a_hashtag() -> None:
    found = extract("https://exemple.fr/page#section #vrai")
    assert [h.value for h in found.hashtags] == ["vrai"]
    assert [u.value for u in found.urls] == ["https://exemple.fr/page#section"]


def test_offsets_are_code_points_even_after_emoji() -> None:
    text = "👩‍💻🇫🇷 #Réseaux"
    tag = extract(text).hashtags[0]
    assert text[tag.start : tag.end] == "#Réseaux"
