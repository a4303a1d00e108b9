"""The audit as documents (JSON, Markdown, HTML) and through the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson
import pytest

from veilleur.audit import audit_accounts, demo_profile_path, demo_report, load_posts
from veilleur.audit.account import OVERALL_WEIGHTS, audit_posts
from veilleur.audit.report import to_html, to_json, to_markdown
from veilleur.workspace import Workspace

from .audit_planted import MISSPELT, ON_TOPIC, PROFILE, PROMOTIONAL, bursty, mixed, regular

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


NNBSP = "\u202f"


def _jsonl(path: Path, posts: list) -> Path:  # type: ignore[type-arg]
    path.write_text(
        "\n".join(orjson.dumps(p.to_json()).decode() for p in posts) + "\n", encoding="utf-8"
    )
    return path


def _profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(
        'name = "Dupont Usinage"\n'
        'positioning = "Usinage de précision pour l\'aéronautique et le médical"\n'
        'keywords = ["usinage", "aéronautique", "titane", "contrôle qualité", "médical"]\n'
        'languages = ["fr"]\n',
        encoding="utf-8",
    )
    return path


def test_json_has_the_promised_fields() -> None:
    audit = audit_posts(mixed("dupont", ON_TOPIC, PROMOTIONAL, 2), PROFILE, author="dupont")
    data = to_json([audit], "fr")
    for key in ("relevance", "quality", "frequency", "overall"):
        assert 0 <= data["scores"][key] <= 100
    assert data["promo_share"] == 0.5
    assert data["period"] == {"since": "2026-03-03", "until": "2026-07-16", "weeks": 20}
    assert len(data["posts"]) == 40
    assert data["posts"][0]["category"] == "recruiting"
    assert "« on recrute »" in data["posts"][0]["reasons"]
    assert data["weights"] == OVERALL_WEIGHTS
    expected = sum(OVERALL_WEIGHTS[k] * data["scores"][k] for k in OVERALL_WEIGHTS)
    assert data["scores"]["overall"] == pytest.approx(expected, abs=0.1)
    assert {f["criterion"] for f in data["findings"]} >= {"overall", "frequency", "promo"}
    assert all(f["text"] and f["figure"] for f in data["findings"])
    json.dumps(data)  # plain JSON values only


def test_findings_follow_french_typography() -> None:
    audit = audit_posts(mixed("d", ON_TOPIC, PROMOTIONAL, 2), PROFILE, author="d")
    texts = [f["text"] for f in to_json([audit], "fr")["findings"]]
    promo = next(t for t in texts if "sans en avoir" in t)
    assert f"«{NNBSP}sans en avoir l’air{NNBSP}»" in promo
    assert not any("'" in t for t in texts)  # the typographic apostrophe throughout
    assert f"50{NNBSP}%" in promo
    for text in texts:
        assert not re.search(r"\S[;!?]", text), text  # a narrow space before ; ! ?
        assert " :" not in text.replace("\u00a0:", "")  # no plain space before a colon


def test_findings_back_each_piece_of_advice_with_its_figure_in_english() -> None:
    audit = audit_posts(mixed("d", ON_TOPIC, MISSPELT, 2), PROFILE, author="d")
    found = to_json([audit], "en")["findings"]
    spelling = next(f for f in found if "spelling" in f["text"])
    assert spelling["level"] == "bad"
    assert "errors per 100 words" in spelling["figure"]
    assert "aéronotique" in spelling["text"]


def test_html_is_self_contained_with_svg_charts() -> None:
    audits = [
        audit_posts(regular("dupont"), PROFILE, author="dupont"),
        audit_posts(bursty("martin"), PROFILE, author="martin"),
    ]
    html = to_html(audits, "fr")
    assert html.count("<svg") >= 9  # scores, calendar, heat map, topics ×2, benchmark
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)=["']https?:""", html)
    assert "Comparaison des comptes" in html and "@martin" in html
    assert 'role="img"' in html


def test_markdown_report() -> None:
    audit = audit_posts(regular("dupont"), PROFILE, author="dupont")
    md = to_markdown([audit], "en")
    assert md.startswith("# Presence audit — @dupont (LinkedIn)")
    assert "## Findings and advice" in md


def test_store_query_filters_author_network_and_period(ws: Workspace) -> None:
    posts = regular("dupont")
    posts[0].network = "x"
    ws.store.write_posts(posts + regular("other"))
    assert len(load_posts(ws.store, "@Dupont")) == 40
    assert len(load_posts(ws.store, "dupont", "linkedin")) == 39
    since = posts[10].created_at
    assert len(load_posts(ws.store, "dupont", since=since)) == 30


def test_cli_audit_json_and_benchmark(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _jsonl(tmp_path / "posts.jsonl", regular("dupont") + bursty("martin"))
    assert cli("import", "jsonl", str(data)).code == 0
    profile = _profile(tmp_path)
    result = cli("audit", "--author", "dupont", "--profile", str(profile), "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["author"] == "dupont"
    assert report["scores"]["frequency"] > 80
    out = tmp_path / "bench.json"
    result = cli(
        "audit", "-a", "dupont", "-a", "martin", "-p", str(profile),
        "-f", "json", "-o", str(out), "--lang", "en",
    )  # fmt: skip
    assert result.code == 0, result.err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [row["author"] for row in report["benchmark"]] == ["dupont", "martin"]
    assert report["engagement"] is None  # the planted posts carry no counts
    assert (
        report["benchmark"][0]["scores"]["frequency"]
        > report["benchmark"][1]["scores"]["frequency"]
    )
    assert not list(tmp_path.glob("*.part"))


def test_cli_period_is_since_included_until_excluded(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _jsonl(tmp_path / "posts.jsonl", regular("dupont"))
    cli("import", "jsonl", str(data))
    result = cli(
        "audit", "-a", "dupont", "-p", str(_profile(tmp_path)), "-f", "json",
        "--since", "2026-03-03", "--until", "2026-03-06",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["post_count"] == 2  # Tuesday 3 and Thursday 5 March


def test_cli_errors_are_clear(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = _profile(tmp_path)
    result = cli("audit", "--author", "nobody", "--profile", str(profile), "-f", "json")
    assert result.code == 2
    assert "no post by 'nobody'" in result.err
    result = cli("audit", "-a", "x", "-p", str(profile), "--since", "hier")
    assert result.code == 2 and "--since 'hier'" in result.err
    result = cli("audit", "-a", "x", "-p", str(tmp_path / "missing.toml"))
    assert result.code == 2 and "missing.toml" in result.err
    result = cli("audit", "-a", "x", "-p", str(profile), "--network", "minitel")
    assert result.code == 2 and "minitel" in result.err


def test_demo_report_writes_html_and_json(ws: Workspace, tmp_path: Path) -> None:
    posts = mixed("dupont-usinage", ON_TOPIC, PROMOTIONAL, 3)
    ws.store.write_posts(posts + regular("atelier-martin", weeks=10))
    path = demo_report(ws.store, tmp_path / "demo", "fr")
    assert path.name == "audit-dupont-usinage.html"
    html = path.read_text(encoding="utf-8")
    assert "@atelier-martin" in html  # the competitor is set side by side
    data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["organisation"] == "Dupont Usinage"
    assert demo_profile_path().exists()


def test_audit_accounts_refuses_an_author_without_posts(ws: Workspace) -> None:
    from veilleur.errors import UsageError

    with pytest.raises(UsageError, match="on linkedin"):
        audit_accounts(ws.store, ["ghost"], PROFILE, network="linkedin")


def test_pdf_through_weasyprint(tmp_path: Path) -> None:
    from veilleur.audit.report import write

    audit = audit_posts(regular("dupont", weeks=4), PROFILE, author="dupont")
    out = tmp_path / "audit.pdf"
    write([audit], "pdf", out, "fr")
    assert out.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "audit.pdf.part").exists()


def test_cli_engagement_per_thousand_followers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts = regular("dupont", weeks=5)
    for i, post in enumerate(posts):
        post.likes, post.reposts = i, 1  # interactions i + 1: mean 5.5 over 10 posts
    data = _jsonl(tmp_path / "posts.jsonl", posts)
    cli("import", "jsonl", str(data))
    profile = str(_profile(tmp_path))
    result = cli("audit", "-a", "dupont", "-p", profile, "-f", "json", "--followers", "500")
    assert result.code == 0, result.err
    engagement = json.loads(result.out)["engagement"]
    assert engagement["mean"] == 5.5
    assert engagement["per_1000_followers"] == 11.0
    assert engagement["best"][0]["interactions"] == 10
    result = cli("audit", "-a", "dupont", "-p", profile, "--followers", "5", "--followers", "6")
    assert result.code == 2 and "--followers" in result.err


def test_every_time_shown_states_its_time_zone(ws: Workspace) -> None:
    # Tuesday and Thursday 09:00 UTC = 10 h in Paris (March, before summer time).
    posts = regular("dupont", weeks=6)
    audit = audit_posts(posts, PROFILE, author="dupont")
    assert audit.frequency.timezone == "Europe/Paris"
    slot = next(f for f in to_json([audit], "fr")["findings"] if "créneau" in f["text"])
    assert "10\u202fh" in slot["text"] and "Europe/Paris" in slot["text"]
    assert "Europe/Paris" in slot["figure"]
    assert "Europe/Paris" in to_markdown([audit], "en")
    html = to_html([audit], "fr")
    assert "Europe/Paris" in html.split("<h3>")[2].split("</h3>")[0]
    # The workspace's zone, when set, is the one hours are computed and shown in.
    ws.store.write_posts(posts)
    ws.store.set_setting("publish.timezone", "America/New_York")
    other = audit_accounts(ws.store, ["dupont"], PROFILE)[0]
    assert other.frequency.timezone == "America/New_York"
    # Tuesday 4 h in New York, then 5 h once summer time starts there (8 March)
    assert other.frequency.heatmap[1][4:6] == [1, 5]
    assert "America/New_York" in to_markdown([other], "en")
