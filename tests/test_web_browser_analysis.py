"""The Audit and Conseil journeys in a real browser (Playwright driving Debian's Chromium,
skipped where it is missing, as in ``test_web_browser``): run an audit of the demo
account, correct a verdict and see it marked; answer the advice wizard and download the
handout. ``make screenshots`` saves each page at 1280 and 360 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .test_web_browser import SHOTS, browser, log_in, page  # noqa: F401
from .web_support import Site, _isolated_env, site  # noqa: F401

TOP = 2400
"""Pixels kept from the top of a long page (an audit lists every post)."""


def shot(page: Any, name: str, at: Any = None) -> None:
    """As ``test_web_browser.shot`` (1280 and 360 px), but of the page's top, or of the
    screen around ``at`` (a locator): these pages run long."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        target = str(folder / f"{name}-{width}.png")
        if at is not None:
            at.scroll_into_view_if_needed()
            page.screenshot(path=target)
        else:
            height = min(TOP, page.evaluate("document.documentElement.scrollHeight"))
            clip = {"x": 0, "y": 0, "width": width, "height": height}
            page.screenshot(path=target, full_page=True, clip=clip)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_run_an_audit_and_correct_a_verdict(page: Any, site: Site) -> None:
    log_in(page, site, "editor")
    page.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("heading", name="Audit", exact=True).wait_for()
    page.get_by_label("Compte à auditer").fill("dupont-usinage")
    assert page.get_by_label("Profil de l’organisation").input_value() == "demo"
    page.get_by_role("button", name="Lancer l’audit").click()
    page.get_by_role("heading", name=re.compile("Audit de présence — @dupont-usinage")).wait_for()
    assert re.search(r"[?&]author=dupont-usinage", page.url)  # the report has an address
    assert page.locator("#report svg").count() >= 4
    assert page.get_by_role("link", name="PDF").is_visible()
    shot(page, "audit")

    post = page.locator("ol.verdicts > li", has=page.locator("code", has_text="demo-0007"))
    assert "corrigé à la main" not in post.inner_text()
    post.get_by_label("Verdict").select_option("event")
    post.get_by_role("button", name="Corriger").click()
    page.wait_for_url(re.compile(r".*/audit\?.*author=dupont-usinage.*#post-\d+$"))
    assert "Verdict posé à la main" in page.locator(".note").inner_text()
    post = page.locator("ol.verdicts > li", has=page.locator("code", has_text="demo-0007"))
    assert "overridden" in (post.get_attribute("class") or "")
    assert "verdict corrigé à la main" in post.inner_text()
    assert post.locator(".tag").inner_text() == "événement"
    shot(page, "audit-override", at=post)


def test_answer_the_advice_wizard_and_download_the_handout(
    page: Any, site: Site, tmp_path: Path
) -> None:
    log_in(page, site, "viewer")
    page.get_by_role("link", name="Conseil").click()
    page.get_by_label("Nom de l’organisation").fill("Les Amis du Bourg")
    page.get_by_label("association").check()
    page.get_by_label(re.compile(r"Que fait-elle, en une phrase\s\?")).fill(
        "Ateliers numériques gratuits"
    )
    shot(page, "advice-wizard")
    page.get_by_label("Nom de l’organisation").press("Enter")  # Enter goes forward
    page.get_by_label("Qui voulez-vous atteindre\u00a0?").fill("habitants, bénévoles")
    page.get_by_label("Régions ou villes qui comptent pour vous").fill("Yssingeaux")
    page.get_by_label("Mots-clés de votre métier").fill("atelier, numérique")
    page.get_by_role("button", name="Étape suivante").click()
    page.get_by_label("Événements et live-tweet").check()
    page.get_by_role("button", name="Voir le conseil").click()
    page.get_by_role("heading", name="Réseaux recommandés").wait_for()
    assert page.get_by_role("heading", name="Votre événement avec veilleur").is_visible()
    assert "Les Amis du Bourg" in page.locator(".lead").inner_text()
    shot(page, "advice")
    with page.expect_download() as info:
        page.get_by_role("link", name="Support de formation (PDF)").click()
    saved = tmp_path / "handout.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
