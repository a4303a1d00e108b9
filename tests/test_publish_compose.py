"""Compose: per-network rendering, mentions, hashtags, LinkedIn escaping, facets, threads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veilleur.errors import InputError
from veilleur.publish.compose import Draft, Image, compose, render, sentences, split_thread
from veilleur.publish.directory import Directory, Person, load_directory
from veilleur.publish.linkedin import escape, to_little
from veilleur.publish.richtext import facets
from veilleur.text import count


@pytest.fixture
def people() -> Directory:
    d = Directory()
    d.add(
        Person(
            "anne",
            "Anne Dupont",
            {
                "x": "anne_d",
                "mastodon": "anne@piaille.fr",
                "bluesky": "anne.bsky.social",
                "linkedin": "urn:li:person:42",
            },
            "did:plc:anne",
        )
    )
    return d


def test_mentions_are_mapped_per_network(people: Directory) -> None:
    draft = Draft("Merci @anne pour la relecture.")
    texts = {n: render(draft, n, people).texts[0] for n in ("x", "mastodon", "bluesky")}
    assert texts["x"] == "Merci @anne_d pour la relecture."
    assert texts["mastodon"] == "Merci @anne@piaille.fr pour la relecture."
    assert texts["bluesky"] == "Merci @anne.bsky.social pour la relecture."
    # LinkedIn: the name in the text to paste, a mention element in the API form.
    li = render(draft, "linkedin", people)
    assert li.texts[0] == "Merci Anne Dupont pour la relecture."
    assert li.api_text[0] == "Merci @[Anne Dupont](urn:li:person:42) pour la relecture."


def test_a_handle_of_any_network_finds_the_person(people: Directory) -> None:
    assert render(Draft("Avec @anne_d."), "mastodon", people).texts[0] == ("Avec @anne@piaille.fr.")


def test_unknown_mention_is_kept_and_reported(people: Directory) -> None:
    result = compose(Draft("Bravo à @paul et @anne pour ce travail soigné."), ["x"], people)
    assert result.rendering("x").texts[0] == "Bravo à @paul et @anne_d pour ce travail soigné."
    assert [f.rule for f in result.findings if f.rule.startswith("mention")] == ["mention.unknown"]


def test_hashtags_trimmed_per_network() -> None:
    draft = Draft("La #veille aide à décider. #Veille #Stratégie #Réseaux #Emploi")
    x = render(draft, "x").texts[0]  # X keeps 2
    threads = render(draft, "threads").texts[0]  # Threads allows one topic tag
    mastodon = render(draft, "mastodon").texts[0]  # Mastodon keeps 5: all of them
    assert x == "La #veille aide à décider. #Veille"
    assert threads == "La #veille aide à décider."
    assert mastodon == draft.text


@pytest.mark.parametrize("emoji", ["🇫🇷", "👩‍💻", "1️⃣", "#️⃣", "👍🏽", "🇫🇷 👩‍💻 🔟"])
def test_hashtags_trimmed_before_an_emoji_are_dropped_not_unhashed(emoji: str) -> None:
    # The final block of tags ends with an emoji (flag, ZWJ sequence, keycap): the extra
    # tags go, the emoji stays; no tag becomes a plain word.
    draft = Draft(f"Atelier de veille le 12 mars. #Lyon #Atelier #Twitter {emoji}")
    assert render(draft, "x").texts[0] == f"Atelier de veille le 12 mars. #Lyon #Atelier {emoji}"
    assert render(draft, "threads").texts[0] == f"Atelier de veille le 12 mars. #Lyon {emoji}"


def test_bluesky_sends_links_shortened_with_their_full_url() -> None:
    url = "https://www.exemple.fr/actualités/2027/atelier?utm_source=bluesky"
    rendering = render(Draft(f"Café à l’été : {url} #Veille"), "bluesky")
    assert rendering.texts == [f"Café à l’été : {url} #Veille"]  # queued as written
    (sent,) = rendering.sent
    assert sent == "Café à l’été : www.exemple.fr/actualités/2... #Veille"
    assert count(sent, "bluesky").weighted_length == rendering.weighted_length
    data = sent.encode("utf-8")
    link, tag = rendering.facets[0]
    assert data[link["index"]["byteStart"] : link["index"]["byteEnd"]].decode() == (
        "www.exemple.fr/actualités/2..."
    )
    assert link["features"][0]["uri"] == url
    assert data[tag["index"]["byteStart"] : tag["index"]["byteEnd"]] == b"#Veille"


def test_hashtag_inside_a_sentence_keeps_its_word() -> None:
    draft = Draft("Le #recrutement et la #marque employeur vont de pair.")
    assert render(draft, "threads").texts[0] == (
        "Le #recrutement et la marque employeur vont de pair."
    )


def test_linkedin_reserved_characters_are_escaped() -> None:
    reserved = "|{}@[]()<>#\\*_~"
    assert escape(reserved) == "".join("\\" + c for c in reserved)
    assert escape("Prix (HT) : 10 €") == "Prix \\(HT\\) : 10 €"
    # URLs stay bare (LinkedIn links them); hashtags become hashtag templates.
    little = to_little("Voir (page) https://a.fr/x_y #Veille_RH")
    assert little == "Voir \\(page\\) https://a.fr/x_y {hashtag|\\#|Veille\\_RH}"


def test_bluesky_facets_use_utf8_byte_offsets() -> None:
    text = "Café #été https://a.fr/é"
    found = facets(text)
    data = text.encode("utf-8")
    spans = {f["features"][0]["$type"].split("#")[1]: f["index"] for f in found}
    # "Café " is 6 bytes (é takes 2); "#été" is 6 bytes.
    assert spans["tag"] == {"byteStart": 6, "byteEnd": 12}
    link = spans["link"]
    assert data[link["byteStart"] : link["byteEnd"]].decode() == "https://a.fr/é"
    tag = next(f for f in found if f["features"][0]["$type"].endswith("#tag"))
    assert tag["features"][0]["tag"] == "été"


def test_bluesky_mention_facet_needs_a_did(people: Directory) -> None:
    rendering = render(Draft("Merci @anne !"), "bluesky", people)
    (facet,) = rendering.facets[0]
    assert facet["features"][0] == {
        "$type": "app.bsky.richtext.facet#mention",
        "did": "did:plc:anne",
    }
    text = rendering.texts[0].encode()
    assert text[facet["index"]["byteStart"] : facet["index"]["byteEnd"]] == b"@anne.bsky.social"
    assert facets("Salut @inconnu.bsky.social") == []


def test_link_is_a_card_on_bluesky_and_appended_elsewhere() -> None:
    draft = Draft("Notre nouveau guide de la veille.", link="https://exemple.fr/guide")
    bsky = render(draft, "bluesky")
    assert bsky.card == "https://exemple.fr/guide"
    assert "https://" not in bsky.texts[0]
    assert render(draft, "mastodon").texts[0].endswith("\n\nhttps://exemple.fr/guide")
    with_image = Draft(draft.text, (Image("a.png", "Un schéma"),), draft.link)
    assert render(with_image, "bluesky").card is None  # one embed only: the image wins


def test_lengths_are_the_text_cores_counts() -> None:
    draft = Draft("Une veille utile tient en peu de mots. " * 3, link="https://exemple.fr/x")
    for network in ("x", "mastodon", "bluesky", "linkedin"):
        rendering = render(draft, network)
        expected = count(rendering.texts[0], network)
        assert (rendering.weighted_length, rendering.limit, rendering.valid) == (
            expected.weighted_length,
            expected.limit,
            expected.valid,
        )


def test_too_long_is_an_error_without_thread_and_a_thread_with_it() -> None:
    text = " ".join(
        f"Phrase {i} d'une note de veille assez longue pour compter." for i in range(20)
    )
    plain = compose(Draft(text, lang="fr"), ["x", "linkedin"])
    errors = [(f.rule, f.network) for f in plain.findings if f.severity == "error"]
    assert errors == [("length", "x")]
    assert plain.has_error
    threaded = compose(Draft(text, lang="fr"), ["x"], thread=True)
    x = threaded.rendering("x")
    assert not threaded.has_error and x.valid and len(x.texts) > 1
    n = len(x.texts)
    for i, part in enumerate(x.texts, 1):
        assert part.endswith(f" {i}/{n}")
        assert count(part, "x").valid
        body = part.rsplit(" ", 1)[0]
        assert body.endswith(".")  # cut at sentence boundaries
    joined = " ".join(p.rsplit(" ", 1)[0] for p in x.texts)
    assert joined == text


def test_sentence_longer_than_the_limit_is_cut_at_words() -> None:
    text = " ".join(["mot"] * 200) + "."
    parts = split_thread(text, "bluesky")
    assert len(parts) >= 3
    assert all(count(p, "bluesky").valid for p in parts)


def test_sentences() -> None:
    assert sentences("Un. Deux ! Trois ?\n\nQuatre") == ["Un.", "Deux !", "Trois ?", "Quatre"]


def test_directory_file_yaml_and_toml(tmp_path: Path) -> None:
    y = tmp_path / "directory.yaml"
    y.write_text("anne:\n  name: Anne\n  mastodon: anne@piaille.fr\n", encoding="utf-8")
    assert load_directory(y).lookup("anne") is not None
    t = tmp_path / "directory.toml"
    t.write_text('[anne]\nname = "Anne"\nbluesky = "anne.bsky.social"\n', encoding="utf-8")
    assert load_directory(t).people["anne"].handles == {"bluesky": "anne.bsky.social"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("anne:\n  mastodon: anne\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.yaml.*user@instance"):
        load_directory(bad)


def test_cli_compose_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    image = tmp_path / "a.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = cli(
        "compose",
        "--networks",
        "x,mastodon,bluesky",
        "--image",
        str(image),
        "--format",
        "json",
        "Une image de notre atelier, prise ce matin.",
    )
    assert result.code == 1, result.err  # the image has no alt text: an error
    data = json.loads(result.out)
    assert [r["network"] for r in data["renderings"]] == ["x", "mastodon", "bluesky"]
    for r in data["renderings"]:
        assert set(r) >= {"network", "text", "weighted_length", "limit", "valid"}
    assert {k: v for k, v in data["findings"][0].items() if k != "message"} == {
        "rule": "image.alt",
        "severity": "error",
        "network": None,
    }
    ok = cli(
        "compose",
        "-n",
        "x",
        "--image",
        str(image),
        "--alt",
        "L'atelier",
        "-f",
        "json",
        "Une image de notre atelier, prise ce matin.",
    )
    assert ok.code == 0, ok.out


def test_cli_compose_thread_lists_texts(cli) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(f"Voici la phrase numéro {i} de notre note." for i in range(30))
    result = cli("compose", "-n", "x", "--thread", "-f", "json", "--lang", "fr", text)
    assert result.code == 0, result.out
    x = json.loads(result.out)["renderings"][0]
    assert isinstance(x["text"], list) and len(x["text"]) > 1


def test_cli_compose_rejects_unknown_network(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compose", "-n", "x,myspace", "Bonjour")
    assert result.code == 2
    assert "myspace" in result.err and "mastodon" in result.err


def test_link_weights_follow_each_network() -> None:
    url = "https://exemple.fr/un/chemin/de/page/assez/long/pour/compter"
    draft = Draft("Notre guide.", link=url)
    # "Notre guide." is 12 characters, then a blank line (2), then the link:
    # X and Mastodon count any link as 23; Bluesky counts its graphemes (it is a card there,
    # so it is not in the text at all).
    assert render(draft, "x").weighted_length == 12 + 2 + 23
    assert render(draft, "mastodon").weighted_length == 12 + 2 + 23
    assert render(draft, "linkedin").weighted_length == 12 + 2 + len(url)
    assert render(draft, "bluesky").weighted_length == 12
