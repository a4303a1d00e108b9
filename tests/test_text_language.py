"""Language detection on short posts: fr, en, or und when unsure."""

from __future__ import annotations

import pytest

from veilleur.text import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Le recrutement passe aussi par les réseaux sociaux : #RecrutementRH",
        "Riposter aux rapports indignes",
        "Quelle belle journée à Lyon aujourd’hui !",
        "On cherche un exemplaire du contrat signé par les experts",
    ],
)
def test_french(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "Strategic watch starts from the need: which network, to do what?",
        "We are hiring a community manager in Paris https://example.com/jobs",
        "Great talk this morning about social media strategy",
    ],
)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "https://exemple.fr @marie #tag",
        "😀😀😀",
        "Fernanda Torres marcando presença no lançamento do filme protagonizado por ela",
        "Heute ist das Wetter in Berlin wirklich sehr schön und warm",
        "東京で新しいプロジェクトを始めました",
    ],
)
def test_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_english_post_declared_french_is_still_english() -> None:
    # A real Bluesky post whose author declared "fr": detection reads the words, not labels.
    text = "And let's quote a threadgated post to check whether that info is indeed missing"
    assert detect_language(text) == "en"


def test_links_mentions_and_hashtag_signs_do_not_vote() -> None:
    text = "@agence_rh https://exemple.com/jobs #RecrutementRH Nous recrutons un technicien"
    assert detect_language(text) == "fr"
    assert detect_language("@marie @jean https://exemple.com/a #Réseaux") == "und"


@pytest.mark.parametrize(
    "text",
    [
        "Pour la veille stratégique, on part du besoin : quel réseau, pour en faire quoi ?",
        "L’atelier d’inscription est complet, une nouvelle session aura lieu en décembre.",
    ],
)
def test_french_with_typographic_apostrophes_and_spaces(text: str) -> None:
    assert detect_language(text.replace(" :", "\u202f:").replace(" ?", "\u202f?")) == "fr"
