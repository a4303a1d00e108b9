"""Promotion as the method means it (issue 15): advice, relays of the organisation's own
articles and questions to the audience are value; an invitation to the organisation's own
event is counted apart; the report's « exemples de messages de réclame » are promotional
posts only. Categories: docs/audit.md."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from veilleur.audit import promo
from veilleur.audit.account import audit_posts
from veilleur.audit.findings import findings
from veilleur.audit.promo_acts import found
from veilleur.audit.report import to_html, to_json
from veilleur.model import Post
from veilleur.profile import profile_from_mapping

from . import promo_planted

PROFILE = profile_from_mapping(
    {
        "name": "Conseil Loire Numérique",
        "positioning": "Conseil en réseaux sociaux et en veille pour les PME de la Loire.",
        "keywords": ["LinkedIn", "veille", "PME", "réseaux sociaux"],
        "languages": ["fr"],
    }
)
AD = (
    "Offre de rentrée : l'audit de votre page LinkedIn à 190 € au lieu de 290 €, jusqu'au "
    "30 septembre. Contactez-nous pour un devis."
)
EVENT = (
    "Portes ouvertes de l'agence jeudi 12 mars de 17 h à 20 h : atelier LinkedIn, "
    "démonstrations et verre de l'amitié. Entrée libre."
)


def test_the_planted_advice_and_relay_account_is_not_called_advertising() -> None:
    """52 value posts, 8 job ads. main's classifier (14adb43) called 15 of the 52 value
    posts ads (29 %); the aim is 5 % at most (benchmarks/README.md)."""
    texts = promo_planted.texts()
    assert len(texts) == 60 and len({t for t, _ in texts}) == 60
    verdicts = [(truth, promo.classify(text).category) for text, truth in texts]
    value = [said for truth, said in verdicts if truth == "value"]
    ads = [said for truth, said in verdicts if truth == "recruiting"]
    assert len(value) == 52 and len(ads) == 8
    called_ads = sum(said in (promo.PROMOTIONAL, promo.RECRUITING) for said in value)
    assert called_ads / len(value) <= 0.05, called_ads
    assert value.count(promo.VALUE) >= 49  # at most 3 read as events
    assert ads == [promo.RECRUITING] * 8


@pytest.mark.parametrize(
    "text",
    [
        # the issue's own examples
        "Nos conseils pour structurer LinkedIn pour les PME. Rendez-vous jeudi pour en parler.",
        "Ce que nos stagiaires ont appris sur la relation client cet été.",
        "Lisez notre article : https://conseil-loire.example/blog/veille",
        "Partagez vos questions en commentaire.",
        # written for this test: a link, « vous », a call to comment, a day of the week
        "Vous publiez le mardi ou le jeudi ? Dites-nous en commentaire ce qui marche chez vous.",
        "Notre guide pour répondre aux avis Google est en ligne : https://x.example/guide-avis",
        "Merci à toutes celles et ceux qui ont répondu à notre enquête sur la veille !",
    ],
)
def test_what_the_method_asks_for_is_value(text: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == promo.VALUE, (verdict.score, verdict.reasons("fr"))


def test_a_link_is_never_a_reason_and_y_at_i_is_not_an_address() -> None:
    acts = {act.name: match for act, match in found("Bravo y@i, lien : https://x.example/a")}
    assert "contact" not in acts
    assert "contact" in {a.name for a, _ in found("Écrivez à rh@atelier-loire.fr")}
    ad = promo.classify(AD)
    assert ad.category == promo.PROMOTIONAL
    assert not any("https" in r or "lien" in r for r in ad.reasons("fr"))


@pytest.mark.parametrize(
    "text",
    [
        EVENT,
        "Notre prochain webinaire gratuit, « Faire sa veille en 20 minutes par semaine », a "
        "lieu mardi 9 juin à 11 h. Inscription sur notre site.",
        # a strict xfail of round 1 (read as value): an event since round 2
        "Come and see us at the Small Business Expo in Leeds on 4 March, stand 12: our "
        "team will show how we set up a watch in an afternoon.",
    ],
)
def test_an_invitation_to_the_organisations_event_is_counted_apart(text: str) -> None:
    verdict = promo.classify(text)
    assert verdict.category == promo.EVENT, (verdict.score, verdict.reasons("fr"))
    assert not verdict.promotional
    assert any(r.startswith("invite à un événement") for r in verdict.reasons("fr"))


def test_a_paid_course_and_a_free_month_are_ads_not_events() -> None:
    assert promo.classify(AD).category == promo.PROMOTIONAL
    assert (
        promo.classify("Abonnez-vous à notre lettre payante : le premier mois est offert.").category
        == promo.PROMOTIONAL
    )


def _account() -> list[Post]:
    posts = promo_planted.posts()
    last = posts[-1]
    extra = [
        Post(
            id=f"{promo_planted.AUTHOR}-{k}",
            network="linkedin",
            author=promo_planted.AUTHOR,
            text=text,
            created_at=last.created_at + timedelta(days=3 * (i + 1)),
        )
        for i, (k, text) in enumerate([("ad", AD), ("event", EVENT)])
    ]
    return posts + extra


def test_the_report_shows_only_promotional_posts_as_reclame_and_events_apart() -> None:
    audit = audit_posts(_account(), PROFILE, author=promo_planted.AUTHOR)
    summary = audit.promo
    n = len(audit.own)
    # the offer, and since round 2 one planted advice post (« Préparer un live-tweet de
    # salon professionnel : commencez petit… », score 0.57) read as promotional
    promotional = sum(v.category == promo.PROMOTIONAL for v in summary.verdicts)
    assert promotional in (1, 2)
    assert summary.promotional_share == pytest.approx(promotional / n)
    assert summary.recruiting_share == pytest.approx(8 / n)
    assert summary.event_share >= 1 / n
    assert not summary.too_much
    page = to_html([audit], "fr")
    reclame = page.split("Exemples de messages de réclame", 1)[1].split("<h2>", 1)[0]
    assert reclame.count('<div class="post">') == promotional
    assert "190 €" in reclame
    assert "On recrute" not in reclame and "Portes ouvertes" not in reclame
    events = page.split("Invitations aux événements de l", 1)[1].split("<h2>", 1)[0]
    assert "Portes ouvertes de l" in events
    texts = [f.text for f in findings(audit, "fr")]
    assert any(re.search(r"invitent aux événements de l’organisation", t) for t in texts)
    data = to_json([audit], "en")
    account = data["accounts"][0] if "accounts" in data else data
    assert account["event_share"] == pytest.approx(summary.event_share, abs=1e-4)
