"""The language of what veilleur says: French or English, through gettext catalogues.

Every message a user reads is an English string literal in the code (the *msgid*), marked
with :func:`_` (or :func:`gettext`, :func:`t`, :func:`ngettext`, :func:`N_`, :func:`lazy`) so
that ``make messages`` extracts it into ``locale/veilleur.pot``; its French translation lives
in ``locale/fr/LC_MESSAGES/veilleur.po``, compiled into the ``.mo`` next to it (committed and
shipped as package data; a test checks it is up to date and that every message has a French
translation). English needs no translation: the msgid is the English text.

The language: the one set by :func:`using` (reports and the demo render in the language given
by ``--lang``, whatever the locale), otherwise ``VEILLEUR_LANG``, then the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``): French when it starts with ``fr``, English otherwise.

Command-line help and click's own words ("Usage:", "Show this message and exit.", "No such
command") go through the same catalogue: :func:`install_click` makes click's lookups ours,
and ``cli.main`` translates the help texts of the command tree when it starts.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "veilleur"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGS = ("fr", "en")

_forced: ContextVar[str | None] = ContextVar("veilleur_lang", default=None)


def env_lang() -> str:
    """The language the environment asks for: ``VEILLEUR_LANG``, then the locale."""
    for var in ("VEILLEUR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def current_lang() -> str:
    """The language messages are rendered in now: :func:`using`'s, or the environment's."""
    return _forced.get() or env_lang()


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Render every message in ``lang`` inside the block (``None``: the environment's)."""
    chosen = "fr" if (lang or current_lang()).lower().startswith("fr") else "en"
    token = _forced.set(chosen)
    try:
        yield chosen
    finally:
        _forced.reset(token)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the msgids themselves)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` (an English msgid) in ``lang`` or the current language."""
    return translations(lang or current_lang()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form for ``n`` in ``lang`` (French: 0 and 1 are singular)."""
    return translations(lang or current_lang()).ngettext(singular, plural, n)


def npgettext(context: str, singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """:func:`ngettext` for messages with a context (``msgctxt``), e.g. counted nouns."""
    return translations(lang or current_lang()).npgettext(context, singular, plural, n)


def t(message: str, lang: str | None = None, **values: object) -> str:
    """``message`` translated, then formatted with ``values`` (``{name}`` placeholders)."""
    text = gettext(message, lang)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translate where it is used)."""
    return message


def NP_(context: str, singular: str, plural: str) -> tuple[str, str, str]:
    """Mark a counted noun for extraction: pass the triple to :func:`npgettext` later."""
    return (context, singular, plural)


class LazyString:
    """A msgid translated each time it is turned into text: for strings defined at import."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __repr__(self) -> str:
        return f"lazy({self.message!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self).format(*args, **kwargs)


def lazy(message: str) -> LazyString:
    """``message``, translated in the current language whenever it is used as text."""
    return LazyString(message)


def colon(lang: str | None = None) -> str:
    """A label's colon: French puts a no-break space before it."""
    return "\u00a0: " if (lang or current_lang()) == "fr" else ": "


# click 8.1 and typer look their words up with the standard library's gettext functions,
# imported by name into these modules; install_click points those names at our catalogue.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click._termui_impl",
    "typer.core",
)


def _click_gettext(message: str) -> str:
    return gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


def install_click() -> None:
    """Make click's and typer's own strings ("Usage:", "No such command") ours to translate."""
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]
