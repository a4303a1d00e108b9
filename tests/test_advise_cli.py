"""``veilleur advise`` and ``veilleur handout`` run as a user would, in-process."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from veilleur.advise.kb import default_folder
from veilleur.profile import load_profile

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "profiles"

PROFILE = """name = "Dupont Usinage"
sector = "industrie"
regions = ["Haute-Loire"]
keywords = ["usinage"]
goals = ["recruit_less_qualified", "recruit_local"]
languages = ["fr"]
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "dupont.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def test_markdown_in_french(cli, profile: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "--profile", str(profile), "--lang", "fr")
    assert result.code == 0, result.err
    assert result.out.startswith("# Quel réseau\u202f? Pour en faire quoi\u202f?")
    assert "1. **Facebook**" in result.out
    assert "## Les dix premières actions" in result.out
    assert "10. " in result.out and "11. " not in result.out


def test_json_holds_the_documented_keys(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "-p", str(profile), "-f", "json", "--lang", "en")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    for key in ("networks", "accounts", "content_mix", "cadence", "rules", "actions",
                "watch_queries"):  # fmt: skip
        assert key in data
    first = data["networks"][0]
    assert first["network"] == "facebook" and first["score"] > 0 and first["reasons"]
    assert data["evidence"] is None
    assert not (tmp_path / "ws" / "veilleur.sqlite").exists()  # no database as a side effect


def test_objective_option_overrides_the_goals(cli, profile: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "-p", str(profile), "-o", "watch_technology", "-f", "json")
    data = json.loads(result.out)
    assert [o["id"] for o in data["objectives"]] == ["watch_technology"]
    assert data["networks"][0]["network"] == "mastodon"


def test_html_and_pdf_files(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html = tmp_path / "conseil.html"
    assert cli("advise", "-p", str(profile), "-f", "html", "--output", str(html)).code == 0
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Facebook" in text and "<script" not in text
    pdf = tmp_path / "conseil.pdf"
    result = cli("advise", "-p", str(profile), "-f", "pdf", "--output", str(pdf), "--lang", "fr")
    assert result.code == 0, result.err
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_needs_an_output_file(cli, profile: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "-p", str(profile), "-f", "pdf")
    assert result.code == 2 and "--output" in result.err


def test_errors_are_plain_messages(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "-p", str(profile), "-o", "sell_more")
    assert result.code == 2 and "unknown objective 'sell_more'" in result.err
    assert "recruit_local" in result.err
    missing = cli("advise", "-p", str(tmp_path / "absent.toml"))
    assert missing.code == 2 and "absent.toml" in missing.err
    nothing = cli("advise")
    assert nothing.code == 2 and "--profile" in nothing.err
    assert "Traceback" not in result.err + missing.err + nothing.err


def test_an_edited_knowledge_base_is_used_and_checked(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "kb"
    shutil.copytree(default_folder(), folder)
    networks = folder / "networks.yaml"
    text = networks.read_text(encoding="utf-8")
    networks.write_text(
        text.replace("supports: {recruit_local: 3, recruit_less_qualified: 2}",
                     "supports: {recruit_local: -3, recruit_less_qualified: -3}")
        .replace("supports: {recruit_less_qualified: 3, recruit_local: 1}",
                 "supports: {recruit_less_qualified: -3}"),
        encoding="utf-8",
    )  # fmt: skip
    result = cli("advise", "-p", str(profile), "-f", "json", "--kb", str(folder))
    assert result.code == 0, result.err
    assert json.loads(result.out)["networks"][0]["network"] != "facebook"
    networks.write_text(text.replace("source: facebook_help", "source: nowhere", 1), "utf-8")
    broken = cli("advise", "-p", str(profile), "--kb", str(folder))
    assert broken.code == 2
    assert "networks.yaml" in broken.err and "unknown source 'nowhere'" in broken.err


ANSWERS_FR = "\n".join(
    ["", "Dupont Usinage", "", "Usinage de précision", "industrie", "Haute-Loire, Yssingeaux", "fr",
     "usinage, décolletage", "11, 4", ""]
)  # fmt: skip


def test_interactive_in_french_from_stdin(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(ANSWERS_FR))
    saved = tmp_path / "saved.toml"
    result = cli("advise", "--interactive", "--lang", "fr", "-f", "json",
                 "--save-profile", str(saved))  # fmt: skip
    assert result.code == 0, result.err
    assert "Nom de l'organisation\u202f?" in result.err
    assert "Le nom est nécessaire." in result.err  # the first, empty answer was refused
    data = json.loads(result.out)
    assert data["organisation"]["regions"] == ["Haute-Loire", "Yssingeaux"]
    assert [o["id"] for o in data["objectives"]] == ["events", "recruit_local"]
    profile = load_profile(saved)
    assert profile.goals == ["events", "recruit_local"] and profile.keywords[1] == "décolletage"
    assert profile.kind == "company"  # Enter: the default


def test_interactive_in_english_accepts_labels_and_retries(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    answers = "Acme\nnonprofit\n\nsoftware\n\nen\nRust\nbecome famous\nCompetitive watch, sales\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    result = cli("advise", "-i", "--lang", "en", "-f", "json")
    assert result.code == 0, result.err
    assert "Answer not understood: 'become famous'" in result.err
    data = json.loads(result.out)
    assert [o["id"] for o in data["objectives"]] == ["watch_competition", "sales"]
    assert data["organisation"]["kind"] == "association"  # "nonprofit" is an English alias


def test_interactive_stops_cleanly_at_end_of_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("Acme\n"))
    result = cli("advise", "-i", "--lang", "en")
    assert result.code == 2 and "end of input" in result.err
    assert result.out == ""


def test_handout_for_a_training_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "martin.toml"
    path.write_text(
        'name = "Transports Martin"\ngoals = ["employer_brand", "events", "sales"]\n', "utf-8"
    )
    html = tmp_path / "support.html"
    result = cli("handout", "-p", str(path), "-n", "facebook", "-n", "x", "--participants", "6",
                 "--lang", "fr", "--output", str(html))  # fmt: skip
    assert result.code == 0, result.err
    text = html.read_text(encoding="utf-8")
    assert "6 participants" in text
    assert 'id="sheet-facebook"' in text and 'id="sheet-x"' in text
    assert "sheet-linkedin" not in text
    assert "Mise en place" in text and "Préparer un live-tweet" in text
    assert "Récapitulatif" in text and "Profils personnels des dirigeants" in text
    assert "Les dix premières actions" in text
    pdf = tmp_path / "support.pdf"
    result = cli("handout", "-p", str(path), "-n", "facebook", "-n", "x", "-f", "pdf",
                 "--output", str(pdf))  # fmt: skip
    assert result.code == 0, result.err and pdf.read_bytes().startswith(b"%PDF")


def test_evidence_from_the_workspace(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"id": f"f{i}", "network": "facebook", "author": "emploi43", "text": "Poste en usinage",
         "created_at": "2026-10-01T08:00:00Z"}
        for i in range(5)
    ]  # fmt: skip
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert cli("import", "jsonl", str(posts)).code == 0
    result = cli("advise", "-p", str(profile), "-f", "json")
    data = json.loads(result.out)
    assert data["evidence"]["per_network"] == {"facebook": 5}
    assert data["evidence"]["accounts"][0]["author"] == "emploi43"
    reasons = data["networks"][0]["reasons"]
    assert any(r["kind"] == "evidence" for r in reasons)
    plain = json.loads(cli("advise", "-p", str(profile), "-f", "json", "--no-evidence").out)
    assert plain["evidence"] is None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_example_profiles_give_advice(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "-p", str(path), "-f", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["networks"]


def test_demo_profile(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "--demo", "--lang", "en")
    assert result.code == 0 and "Dupont Usinage" in result.out


def test_export_the_knowledge_base_then_use_the_copy(cli, profile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ma-base"
    result = cli("advise", "--export-kb", str(folder))
    assert result.code == 0 and "4 files copied" in result.err
    assert sorted(p.name for p in folder.iterdir()) == [
        "networks.yaml", "objectives.yaml", "rules.yaml", "sources.yaml",
    ]  # fmt: skip
    again = cli("advise", "--export-kb", str(folder))
    assert again.code == 2 and "not overwriting" in again.err
    assert cli("advise", "-p", str(profile), "--kb", str(folder)).code == 0


def test_evidence_in_markdown_names_networks_and_own_accounts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "Dupont"\nkeywords = ["usinage"]\ngoals = ["recruit_local"]\n'
        '[accounts]\nx = "@Dupont43"\n',
        encoding="utf-8",
    )
    lines = [
        {"id": f"x{i}", "network": "x", "author": "dupont43" if i else "voisin",
         "text": "Usinage", "created_at": "2026-10-01T08:00:00Z"}
        for i in range(4)
    ]  # fmt: skip
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert cli("import", "jsonl", str(posts)).code == 0
    result = cli("advise", "-p", str(profile), "--lang", "fr")
    assert "- X (Twitter)\u00a0: 4 messages" in result.out
    assert "- dupont43 (x)\u00a0: 3 messages, 0 réactions (votre compte)" in result.out
    assert "- voisin (x)\u00a0: 1 message, 0 réactions\n" in result.out


def test_unwritable_output_fails_before_any_question(
    cli, monkeypatch: pytest.MonkeyPatch, profile: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "absent" / "conseil.html"
    result = cli("advise", "-p", str(profile), "-f", "html", "--output", str(target))
    assert result.code == 2 and "does not exist" in result.err and "Traceback" not in result.err
    monkeypatch.setattr("sys.stdin", io.StringIO(ANSWERS_FR))
    asked = cli("advise", "-i", "-f", "pdf")
    assert asked.code == 2 and "--output" in asked.err
    assert "?" not in asked.err  # no question asked for nothing
    handout = cli("handout", "-p", str(profile), "--output", str(target))
    assert handout.code == 2 and "does not exist" in handout.err
