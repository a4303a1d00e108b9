"""One i18n mechanism: gettext catalogues, complete in French, up to date with the code, and a
command line that speaks French under a French locale (click's own words included)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from veilleur import i18n

from .conftest import ROOT, Result


def _messages_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["messages"] = module
    spec.loader.exec_module(module)
    return module


messages = _messages_script()


def test_pot_and_mo_files_are_up_to_date_with_the_code() -> None:
    assert messages.check() == [], "run `make messages` (then translate what is new)"


def test_every_message_has_a_french_translation() -> None:
    catalog = messages.read(messages.po_path("fr"), "fr")
    template = messages.template()
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, message.context)
        strings = (
            ()
            if translated is None
            else translated.string
            if isinstance(translated.string, tuple)
            else (translated.string,)
        )
        if translated is None or translated.fuzzy or not all(strings):
            missing.append(message.id)
    assert missing == [], f"msgids without a French translation: {missing}"


# French words that agree with a number only French shows ("1,5 faute", "2 fautes").
FRENCH_ONLY_PLACEHOLDERS = {"posts", "mistakes"}


def test_french_translations_use_only_the_placeholders_the_code_gives() -> None:
    names = re.compile(r"\{(\w+)[^}]*\}")
    wrong = []
    for message in messages.read(messages.po_path("fr"), "fr"):
        if not message.id or not message.python_brace_format:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        given = {n for text in ids for n in names.findall(text)} | FRENCH_ONLY_PLACEHOLDERS
        used = {n for text in strings for n in names.findall(text)}
        if used - given:
            wrong.append((ids[0], sorted(used - given)))
    assert wrong == []


def test_language_comes_from_veilleur_lang_then_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("VEILLEUR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.current_lang() == "en"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.current_lang() == "fr"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert i18n.current_lang() == "en"
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    assert i18n.current_lang() == "fr"
    assert i18n.gettext("No post matches.") == "Aucun message ne correspond."


def test_using_renders_a_language_whatever_the_environment() -> None:
    assert i18n.current_lang() == "en"  # conftest sets VEILLEUR_LANG=en
    with i18n.using("fr"):
        assert i18n.current_lang() == "fr"
        assert i18n.t("{n} posts in all", n=3) == "3 messages au total"
        with i18n.using("en"):
            assert i18n.gettext("No post matches.") == "No post matches."
        assert i18n.gettext("Options") != "Options"  # a trailing no-break space: « Options : »
    assert i18n.gettext("No post matches.") == "No post matches."


def test_plurals_follow_each_language_rule() -> None:
    # French: 0 and 1 are singular; English: only 1.
    assert i18n.npgettext("count", "post", "posts", 0, "fr") == "message"
    assert i18n.npgettext("count", "post", "posts", 2, "fr") == "messages"
    assert i18n.npgettext("count", "post", "posts", 0, "en") == "posts"
    assert i18n.npgettext("count", "post", "posts", 1, "en") == "post"


def test_lazy_strings_translate_when_used() -> None:
    label = i18n.lazy("No post matches.")
    assert str(label) == "No post matches."
    with i18n.using("fr"):
        assert f"{label}" == "Aucun message ne correspond."


def _flat(text: str) -> str:
    """Help text unwrapped (spaces and newlines, not the no-break spaces)."""
    return re.sub(r"[ \n]+", " ", text)


def _cli(cli, monkeypatch: pytest.MonkeyPatch, lang: str, *args: str) -> Result:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", lang)
    result: Result = cli(*args)
    return Result(result.code, _flat(result.out), _flat(result.err))


def test_help_is_french_under_a_french_language(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = _cli(cli, monkeypatch, "fr", "--help")
    assert root.code == 0
    assert root.out.startswith("Usage\u00a0: ")  # the program name depends on how it runs
    assert "Afficher cette aide et quitter." in root.out
    assert "Commandes\u00a0:" in root.out
    assert "Dossier de l'espace de travail, créé par «\u00a0veilleur init\u00a0»" in root.out
    assert "Chercher dans les messages de l'espace de travail" in root.out
    search = _cli(cli, monkeypatch, "fr", "search", "--help")
    assert "La requête, entre guillemets" in search.out
    assert "Combien de messages au plus." in search.out
    assert "[par défaut\u00a0: 50" in search.out
    assert "Show this message" not in root.out + search.out


def test_usage_errors_are_french_under_a_french_language(
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = _cli(cli, monkeypatch, "fr", "search")
    assert missing.code == 2
    assert "Erreur\u00a0: Argument manquant 'QUERY'." in missing.err
    assert re.search("Essayez «\u202f.* search -h\u202f» pour de l'aide.", missing.err)
    unknown = _cli(cli, monkeypatch, "fr", "nope")
    assert unknown.code == 2
    assert "Commande inconnue\u00a0: «\u202fnope\u202f»." in unknown.err


def test_help_and_errors_stay_english_under_an_english_language(
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _cli(cli, monkeypatch, "en", "--help")
    assert root.out.startswith("Usage: ")
    assert "Show this message and exit." in root.out
    assert "Search the workspace's posts with the query language" in root.out
    assert "Missing argument 'QUERY'." in _cli(cli, monkeypatch, "en", "search").err
    assert "No such command 'nope'." in _cli(cli, monkeypatch, "en", "nope").err


def test_a_french_locale_gives_a_french_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VEILLEUR_LANG", "LC_ALL")}
    env.update(LANG="fr_FR.UTF-8", LC_MESSAGES="", VEILLEUR_WORKSPACE=str(tmp_path / "ws"))
    done = subprocess.run(
        [sys.executable, "-m", "veilleur.cli.main", "stats", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "Messages par réseau, par auteur et par mois." in done.stdout
    assert "Afficher en JSON." in done.stdout


def test_the_compiled_catalogues_ship_with_the_package() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"**/*.mo"' in pyproject
    for lang in ("fr", "en"):
        assert (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "veilleur.mo").is_file()
