"""Extract veilleur's messages into locale/veilleur.pot, update the .po files, compile the .mo.

    python scripts/messages.py            # what `make messages` runs
    python scripts/messages.py --check    # exit 1 when the .pot or a .mo is out of date

Three sources of msgids, all in English:
- calls in src/veilleur of the marking functions of ``veilleur.i18n`` and its helpers (see
  KEYWORDS), read from the syntax tree (so that calls inside f-strings are found too);
- ``t("…")`` and ``ngettext(…)`` in the web workbench's templates (``web/templates``);
- the help texts of the command tree (commands, options, arguments), which ``cli.main``
  translates when it starts;
- click's and typer's own words (``_("Usage:")``, ``ngettext(...)`` in their modules), which
  ``i18n.install_click`` sends to our catalogue.

Babel writes the catalogues: the .pot has no line numbers and a fixed date, so that it
changes only when a message does; the .po files keep their translations (no fuzzy matching:
a changed message is a new one, left untranslated until someone translates it).
"""

from __future__ import annotations

import ast
import importlib.util
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from veilleur.i18n import CLICK_MODULES  # the modules whose words install_click translates

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "veilleur"
LOCALE = SRC / "locale"
POT = LOCALE / "veilleur.pot"
LANGS = ("fr", "en")
DOMAIN = "veilleur"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)

# function name -> (msgid arg, plural arg or None, context arg or None), 0-based
KEYWORDS: dict[str, tuple[int, int | None, int | None]] = {
    "_": (0, None, None),
    "gettext": (0, None, None),
    "t": (0, None, None),
    "say": (0, None, None),
    "_say": (1, None, None),  # audit.findings: _say(lang, message, **values)
    "N_": (0, None, None),
    "lazy": (0, None, None),
    "ngettext": (0, 1, None),
    "npgettext": (1, 2, 0),
    "NP_": (1, 2, 0),
}

Message = tuple[str | tuple[str, str], str | None, str]  # id (or singular, plural), ctx, where


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages(path: Path, where: str) -> Iterator[Message]:
    """The marked messages of one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name not in KEYWORDS:
            continue
        first, plural, context = KEYWORDS[name]
        needed = max(i for i in (first, plural, context) if i is not None)
        if len(node.args) <= needed:
            continue
        msgid = _string(node.args[first])
        if msgid is None:
            continue
        ctx = _string(node.args[context]) if context is not None else None
        if plural is not None:
            other = _string(node.args[plural])
            if other is None:
                continue
            yield (msgid, other), ctx, where
        else:
            yield msgid, ctx, where


def code_messages() -> Iterator[Message]:
    for path in sorted(SRC.rglob("*.py")):
        yield from python_messages(path, path.relative_to(SRC.parent).as_posix())


TEMPLATE_KEYWORDS = {"t": None, "_": None, "gettext": None, "ngettext": (1, 2)}


def template_messages() -> Iterator[Message]:
    """``t("…")`` and ``ngettext("…", "…", n)`` in the web workbench's templates (Jinja2's
    own extractor reads them, expressions included)."""
    from jinja2.ext import babel_extract

    options = {"trim_blocks": "true", "lstrip_blocks": "true"}
    for path in sorted((SRC / "web" / "templates").glob("*.html")):
        where = path.relative_to(SRC.parent).as_posix()
        with path.open("rb") as handle:
            for _line, func, message, _comments in babel_extract(
                handle, list(TEMPLATE_KEYWORDS), [], options
            ):
                # keyword arguments (t("… {x}", x=…)) come as None in the tuple
                texts = (
                    [message]
                    if isinstance(message, str)
                    else [m for m in message if isinstance(m, str)]
                )
                if func == "ngettext" and len(texts) >= 2:
                    yield (texts[0], texts[1]), None, where
                elif texts:
                    yield texts[0], None, where


def help_messages() -> Iterator[Message]:
    """Every help text of the command tree, in English (as written in the code)."""
    import typer

    from veilleur.cli.docs import commands
    from veilleur.cli.main import app

    for name, command in commands(typer.main.get_command(app)):
        where = "cli:" + name.replace(" ", "/")
        for attr in ("help", "short_help", "epilog"):
            text = getattr(command, attr, None)
            if text:
                yield text, None, where
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                yield text, None, f"{where}/{param.name}"


def click_messages() -> Iterator[Message]:
    """click's and typer's own words (their source as installed, pinned by the lock)."""
    for module in CLICK_MODULES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            continue
        yield from python_messages(Path(spec.origin), module)


def template() -> Catalog:
    """The catalogue template: every msgid, sorted, with where it comes from."""
    catalog = Catalog(
        project="veilleur", domain=DOMAIN, creation_date=FIXED_DATE, fuzzy=False, charset="utf-8"
    )
    for msgid, ctx, where in [
        *code_messages(),
        *template_messages(),
        *help_messages(),
        *click_messages(),
    ]:
        existing = catalog.get(msgid, ctx)
        if existing is not None:
            if where not in [loc for loc, _ in existing.locations]:
                existing.locations.append((where, None))
            continue
        catalog.add(msgid, locations=[(where, None)], context=ctx)
    return catalog


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, include_lineno=False, sort_output=True)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def updated(lang: str, pot: Catalog) -> Catalog:
    """The .po of ``lang`` brought up to ``pot``: new msgids added, gone ones dropped."""
    path = po_path(lang)
    if path.exists():
        catalog = read(path, lang)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="veilleur", charset="utf-8")
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    return catalog


def write() -> None:
    pot = template()
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(po_text(pot))
    for lang in LANGS:
        catalog = updated(lang, pot)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_text(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(read(path, lang)))


def check() -> list[str]:
    """What is out of date: the .pot against the code, each .mo against its .po."""
    problems = []
    if not POT.exists() or po_text(template()) != POT.read_bytes():
        problems.append(f"{POT.relative_to(ROOT)} is out of date: run `make messages`")
    for lang in LANGS:
        path = po_path(lang)
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo_bytes(read(path, lang)) != mo.read_bytes():
            problems.append(f"{mo.relative_to(ROOT)} is out of date: run `make messages`")
    return problems


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
