"""`veilleur demo` builds its workspace from the shipped corpus and shows what veilleur does."""

from __future__ import annotations

import json
from pathlib import Path

from veilleur.demo import corpus_path
from veilleur.workspace import Workspace


def test_demo_corpus_is_valid_interchange(tmp_path: Path) -> None:
    lines = corpus_path().read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) >= 200
    assert {r["lang"] for r in records} == {"fr", "en", "de"}  # German: not assessed
    assert len({(r["network"], r["id"]) for r in records}) == len(records)


def test_demo_builds_its_workspace_and_can_run_twice(tmp_path: Path, cli) -> None:
    out = tmp_path / "demo"
    n = len(corpus_path().read_text(encoding="utf-8").splitlines())
    first = cli("demo", "--out", str(out), "--lang", "en")
    assert first.code == 0, first.err
    assert f"{n} new" in first.out and "0 rejected" in first.out
    assert (out / "reports" / "audit-dupont-usinage.html").is_file()
    assert (out / "reports" / "digest-recrutement.html").is_file()
    for section in ("Advise", "Presence audit", "Watch", "Publish", "Events"):
        assert section in first.out
    assert (out / "reports" / "kit-forum-semaine-emploi.html").is_file()
    assert (out / "reports" / "recap-forum-semaine-emploi.html").is_file()
    assert "6 registered, 4 confirmed, 1 waiting, 3 attended — no-shows: 1 (25%)" in first.out
    again = cli("demo", "--out", str(out))  # French by default
    assert again.code == 0 and f"{n} déjà connus" in again.out
    assert "6 inscrits, 4 confirmés" in again.out, "the demo event is kept, not made twice"
    assert "absents\u00a0: 1 (25\u202f%)" in again.out  # the reports' French percentages
    with Workspace(out) as ws:
        assert ws.store.count_posts() == n


def test_demo_audit_and_digest_show_what_a_consultant_hands_over(tmp_path: Path, cli) -> None:
    """The "done when" of issue 15: a reply share, a language line, a verdict corrected by
    hand (veilleur audit label, marked in the report) and rising terms a reader accepts."""
    from veilleur.text import is_stopword

    out = tmp_path / "demo"
    res = cli("demo", "--out", str(out), "--lang", "fr")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    replies = next(line for line in lines if line.strip().startswith("Réponses\u00a0:"))
    assert "\u202f% des messages (5)" in replies and "notées à part" in replies
    languages = next(line for line in lines if line.strip().startswith("Langues\u00a0:"))
    assert "fr 97\u202f%" in languages and "de 3\u202f% (non évaluée)" in languages
    assert any("Verdict corrigé à la main" in line and "demo-0010 value" in line for line in lines)
    audit = json.loads((out / "reports" / "audit-dupont-usinage.json").read_text("utf-8"))
    assert audit["reply_count"] == 5 and audit["languages"]["de"]["assessed"] is False
    corrected = [p for p in audit["posts"] if p["overridden"]]
    assert [(p["id"], p["category"]) for p in corrected] == [("demo-0010", "value")]
    html = (out / "reports" / "audit-dupont-usinage.html").read_text("utf-8")
    assert "corrigé à la main (veilleur audit label)" in html and "non évaluée" in html
    # the corrected post itself is listed, with the classifier's verdict and the consultant's
    listed = html.split("<h2>Verdicts corrigés à la main</h2>", 1)[1].split("</table>", 1)[0]
    assert "demo-0010" in listed and "<td>contenu de valeur</td>" in listed
    assert "Verdict du classifieur" in listed and "Verdict du consultant" in listed
    # a correction, not the classifier's own verdict shown twice (the demo's first choice)
    assert corrected[0]["classifier_category"] in ("promotional", "recruiting", "event")
    assert "confirmé" not in listed
    rising = next(line for line in lines if line.startswith("Ce qui monte"))
    terms = rising.split(":", 1)[1].strip().split(", ")
    assert terms[0] == "#SemaineDeLEmploi" and len(terms) == 5
    for term in terms:
        for word in term.lstrip("#").split():
            assert not is_stopword(word.casefold(), "fr"), term
    md = (out / "reports" / "digest-recrutement.md").read_text("utf-8")
    section = md.split("## Ce qui monte", 1)[1].split("##", 1)[0]
    shown = [line.split("**")[1] for line in section.splitlines() if line.startswith("- **")]
    assert "réseaux sociaux" in shown and "France Travail" in shown  # accents, phrases
    assert not {"faut", "veux", "doit", "suis", "lundi", "venez"} & {s.casefold() for s in shown}
