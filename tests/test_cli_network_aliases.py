"""Network aliases (``twitter`` → ``x``) through the one registry, wherever a network is typed."""

from __future__ import annotations

from pathlib import Path


def test_text_count_and_entities_take_an_alias(cli) -> None:  # type: ignore[no-untyped-def]
    counted = cli("text", "count", "--network", "twitter", "bonjour")
    assert counted.code == 0 and '"network": "x"' in counted.out
    found = cli("text", "entities", "-n", "Twitter", "@ami@exemple.fr")
    assert found.code == 0 and '"mentions": []' in found.out  # x's rule: no @user@host
    unknown = cli("text", "count", "-n", "myspace", "bonjour")
    assert unknown.code == 2 and "unknown network 'myspace'" in unknown.err


def test_audit_takes_an_alias(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Asso"\n', encoding="utf-8")
    result = cli("audit", "-a", "asso", "-p", str(profile), "--network", "twitter")
    assert result.code == 2
    assert "no post by 'asso' on x" in result.err  # the alias became the id, not refused


def test_advise_takes_an_alias(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "--demo", "-f", "json", "--network", "twitter", "--no-evidence")
    assert result.code == 0, result.err
    assert '"network": "x"' in result.out


def test_queue_account_add_takes_an_alias(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "queue", "account", "add", "asso", "--network", "bsky",
        "--handle", "asso.bsky.social", "--secret", "s3cret",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "account asso (bluesky) saved" in result.out
