"""A consultant's verdict on a post (``veilleur audit label``), kept in the workspace."""

from __future__ import annotations

import json

import pytest

from veilleur.audit import audit_accounts, label_post
from veilleur.audit.report import to_json
from veilleur.errors import UsageError
from veilleur.workspace import Workspace

from .audit_planted import ON_TOPIC, PROFILE, PROMOTIONAL, mixed


def test_a_label_replaces_the_verdict_in_every_later_report(ws: Workspace) -> None:
    posts = mixed("dupont", ON_TOPIC, PROMOTIONAL, 4)
    ws.store.write_posts(posts)
    before = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    ad = next(p for p, v in zip(before.own, before.promo.verdicts, strict=True) if v.promotional)
    value = next(
        p for p, v in zip(before.own, before.promo.verdicts, strict=True) if not v.promotional
    )
    assert label_post(ws.store, ad.id, "value") == ("linkedin", ad.id)
    label_post(ws.store, value.id, "event", network="linkedin")
    after = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    verdicts = {p.id: v for p, v in zip(after.own, after.promo.verdicts, strict=True)}
    assert verdicts[ad.id].category == "value" and verdicts[ad.id].overridden
    assert verdicts[value.id].category == "event" and not verdicts[value.id].promotional
    assert after.promo.share == pytest.approx(before.promo.share - 1 / len(before.own))
    data = to_json([after], "en")
    marked = {p["id"] for p in data["posts"] if p.get("overridden")}
    assert marked == {ad.id, value.id}
    assert any("set by hand" in f["text"] for f in data["findings"])
    label_post(ws.store, ad.id, None)  # forgotten: the classifier decides again
    again = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    assert again.promo.share == pytest.approx(before.promo.share - 1 / len(before.own) + 1 / 40)


def test_labels_are_checked(ws: Workspace) -> None:
    ws.store.write_posts(mixed("dupont", ON_TOPIC, PROMOTIONAL, 4))
    with pytest.raises(UsageError, match="expected one of value, promotional"):
        label_post(ws.store, "dupont-0", "advert")
    with pytest.raises(UsageError, match="no post 'nope'"):
        label_post(ws.store, "nope", "value")
    with pytest.raises(UsageError, match="no post"):
        label_post(ws.store, "dupont-0", "value", network="mastodon")


def test_audit_label_on_the_command_line(cli, tmp_path, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ws.store.write_posts(mixed("dupont", ON_TOPIC, PROMOTIONAL, 4))
    ws.close()
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Dupont"\nkeywords = ["usinage"]\n', encoding="utf-8")
    result = cli("audit", "label", "dupont-0", "event")
    assert result.code == 0, result.err
    assert "linkedin dupont-0: event" in result.err
    result = cli("audit", "-a", "dupont", "-p", str(profile), "-f", "json")
    assert result.code == 0, result.err
    post = next(p for p in json.loads(result.out)["posts"] if p["id"] == "dupont-0")
    assert post["category"] == "event" and post["overridden"]
    assert cli("audit", "label", "dupont-0", "advert").code == 2
    assert cli("audit", "-p", str(profile)).code == 2  # the account is still required


def test_reports_list_each_corrected_post_with_both_verdicts(ws: Workspace) -> None:
    """Issue 15: the Markdown and HTML reports list the posts a consultant corrected, with
    an excerpt, the classifier's verdict and the consultant's — not only a count."""
    from veilleur.audit.report import to_html, to_markdown

    posts = mixed("dupont", ON_TOPIC, PROMOTIONAL, 4)
    ws.store.write_posts(posts)
    before = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    ad = next(p for p, v in zip(before.own, before.promo.verdicts, strict=True) if v.promotional)
    machine = next(v for p, v in zip(before.own, before.promo.verdicts, strict=True) if p is ad)
    assert "Verdicts corrigés à la main" not in to_markdown([before], "fr")
    label_post(ws.store, ad.id, "value")
    after = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    excerpt = ad.text[:30]
    md = to_markdown([after], "fr")
    section = md.split("## Verdicts corrigés à la main", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in section.splitlines() if excerpt in line)
    assert f"| {machine.category_name('fr')} | contenu de valeur |" in row
    assert ad.id in row
    record = next(p for p in to_json([after], "en")["posts"] if p["id"] == ad.id)
    assert record["classifier_category"] == machine.category
    html = to_html([after], "en")
    section_html = html.split("<h2>Verdicts corrected by hand</h2>", 1)[1].split("<h2>", 1)[0]
    assert excerpt in section_html and "value content" in section_html
    assert machine.category_name("en") in section_html
    assert "Verdicts corrected by hand" not in to_html([before], "en")


def test_a_label_that_agrees_with_the_classifier_reads_confirmed(ws: Workspace) -> None:
    """A consultant who sets the category the classifier had given checked it: the report
    says « confirmé » instead of showing the same category twice (the demo did)."""
    from veilleur.audit.report import to_html, to_markdown

    ws.store.write_posts(mixed("dupont", ON_TOPIC, PROMOTIONAL, 4))
    before = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    ad, machine = next(
        (p, v) for p, v in zip(before.own, before.promo.verdicts, strict=True) if v.promotional
    )
    value = next(
        p for p, v in zip(before.own, before.promo.verdicts, strict=True) if v.category == "value"
    )
    label_post(ws.store, ad.id, machine.category)  # the same: a check
    label_post(ws.store, value.id, "promotional")  # another: a correction
    after = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    verdicts = {p.id: v for p, v in zip(after.own, after.promo.verdicts, strict=True)}
    assert verdicts[ad.id].confirmed and not verdicts[value.id].confirmed
    md = to_markdown([after], "fr")
    section = md.split("## Verdicts corrigés à la main", 1)[1].split("\n## ", 1)[0]
    checked = next(line for line in section.splitlines() if ad.id in line)
    name = machine.category_name("fr")
    assert checked.endswith(f"| {name} | {name} (confirmé) |"), checked
    corrected = next(line for line in section.splitlines() if value.id in line)
    assert corrected.endswith("| contenu de valeur | promotionnel |") and "confirm" not in corrected
    html = to_html([after], "en")
    table = html.split("<h2>Verdicts corrected by hand</h2>", 1)[1].split("</table>", 1)[0]
    assert f"<td>{machine.category_name('en')} (confirmed)</td>" in table
