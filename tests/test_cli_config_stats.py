"""`veilleur config` checks what it saves and never shows a secret; `stats` and search's
machine formats print what other programs expect."""

from __future__ import annotations

import json
from pathlib import Path


def test_config_set_get_list_unset(cli) -> None:
    assert cli("config", "get", "report.lang").out.strip() == "fr"  # the default
    assert cli("config", "set", "report.lang", "en").code == 0
    assert cli("config", "get", "report.lang").out.strip() == "en"
    assert cli("config", "set", "network.allow_private", "oui").out.strip().endswith("= true")
    listing = cli("config", "list").out
    assert "smtp.host" in listing and "network.allow_private" in listing
    assert cli("config", "unset", "report.lang").code == 0
    assert cli("config", "get", "report.lang").out.strip() == "fr"


def test_config_refuses_unknown_keys_and_bad_values(cli) -> None:
    unknown = cli("config", "set", "smtp.hots", "mail.exemple.fr")
    assert unknown.code == 2
    assert "unknown setting 'smtp.hots'" in unknown.err and "smtp.host" in unknown.err
    bad = cli("config", "set", "smtp.port", "vingt-cinq")
    assert bad.code == 2 and "expected a whole number" in bad.err
    choice = cli("config", "set", "report.lang", "de")
    assert choice.code == 2 and "expected one of fr, en" in choice.err


def test_the_public_name_of_a_workspace_is_checked_as_its_server_checks_it(
    cli, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """events.served_as ends up in every event mail's links (/e/NAME/SLUG): a text the
    server would never serve under is refused, not saved."""
    key = "events.served_as"
    for bad in ("Mon espace", "cliente/evenements", "-cliente", "é" + "e" * 5, "a" * 81):
        refused = cli("config", "set", "--", key, bad)  # "--": "-cliente" is no option
        assert refused.code == 2, bad
        assert f"invalid value for '{key}'" in refused.err
        assert "lower-case letters, digits and hyphens" in refused.err
        assert cli("config", "get", key).out.strip() == "(not set)"
    assert cli("config", "set", key, "cliente-2").out.strip() == f"{key} = cliente-2"
    assert cli("config", "set", key, "a" * 80).code == 0
    assert cli("config", "set", key, "").code == 0  # empty: the short /e/SLUG
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    french = cli("config", "set", key, "Mon espace")
    assert french.code == 2
    assert "le nom sous lequel son serveur le sert" in french.err
    assert "\u00ab\u00a0Mon espace\u00a0\u00bb" in french.err


def test_secrets_are_never_shown(cli) -> None:
    set_ = cli("config", "set", "smtp.password", "s3cr3t-mot-de-passe")
    assert "s3cr3t" not in set_.out + set_.err
    assert "s3cr3t" not in cli("config", "get", "smtp.password").out
    assert "s3cr3t" not in cli("config", "list").out


def _import(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"id": "0007", "network": "x", "author": "a", "text": "Veille et emploi",
         "created_at": "2026-01-05T10:00:00Z"},
        {"id": "12", "network": "mastodon", "author": "b@m.fr", "text": "L'emploi local",
         "created_at": "2026-02-01T10:00:00Z"},
        {"id": "13", "network": "mastodon", "author": "b@m.fr", "text": "Autre sujet",
         "created_at": "2026-02-02T10:00:00Z"},
    ]  # fmt: skip
    src = tmp_path / "p.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    assert cli("import", "jsonl", str(src)).code == 0


def test_search_ids_and_jsonl_formats(cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    ids = cli("search", "emploi", "--format", "ids")
    assert ids.out.splitlines() == ["12", "0007"]  # newest first, ids exactly as given
    records = [json.loads(line) for line in cli("search", "emploi", "-f", "jsonl").out.splitlines()]
    assert [r["id"] for r in records] == ["12", "0007"]
    assert records[0]["network"] == "mastodon" and records[0]["text"] == "L'emploi local"


def test_stats_json(cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    stats = json.loads(cli("stats", "--json").out)
    assert stats["total"] == 3
    assert stats["network"] == {"mastodon": 2, "x": 1}
    assert stats["month"] == {"2026-01": 1, "2026-02": 2}


def test_empty_workspace_stats_says_what_to_do(cli) -> None:
    result = cli("stats")
    assert result.code == 0 and "veilleur import" in result.out
