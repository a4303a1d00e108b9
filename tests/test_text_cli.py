"""``veilleur text count|entities|language``: JSON out, TEXT or - for standard input."""

from __future__ import annotations

import io
import json

import pytest


def test_count_prints_the_count_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("text", "count", "--network", "bluesky", "é" * 301)
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["network"] == "bluesky"
    assert (payload["weighted_length"], payload["limit"], payload["valid"]) == (301, 300, False)
    assert payload["problems"] == ["too_long"]
    assert payload["remaining"] == -1
    assert payload["valid_range"] == [0, 299]


def test_count_defaults_to_x_v3_and_takes_rules_and_limit(cli) -> None:  # type: ignore[no-untyped-def]
    coder = "👩\u200d💻"
    assert json.loads(cli("text", "count", coder).out)["weighted_length"] == 2
    v2 = json.loads(cli("text", "count", "--rules", "v2", coder).out)
    assert v2["weighted_length"] == 5
    masto = json.loads(cli("text", "count", "-n", "mastodon", "--limit", "1000", "a" * 600).out)
    assert (masto["limit"], masto["valid"]) == (1000, True)


def test_text_from_standard_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("Voir #ÉcoleNumérique @marie@piaille.fr\n"))
    result = cli("text", "entities", "-")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["hashtags"] == [{"value": "ÉcoleNumérique", "start": 5, "end": 20}]
    assert payload["mentions"] == [
        {"value": "marie", "start": 21, "end": 38, "instance": "piaille.fr"}
    ]
    assert payload["urls"] == []
    assert payload["reply_to"] is None


def test_stdin_final_newline_is_not_counted(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("Bonjour\n"))
    assert json.loads(cli("text", "count", "-").out)["weighted_length"] == 7


def test_entities_with_x_rules(cli) -> None:  # type: ignore[no-untyped-def]
    payload = json.loads(cli("text", "entities", "-n", "x", "@marie@piaille.fr").out)
    assert payload["mentions"] == []


def test_language(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("text", "language", "Le recrutement passe aussi par les réseaux sociaux").out
    assert json.loads(out) == {"lang": "fr"}


def test_unknown_network_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("text", "count", "--network", "myspace", "bonjour")
    assert result.code == 2
    assert "myspace" in result.err
