"""Rendering shared by every report (digest, audit, advice, handout): HTML through Jinja2
templates kept beside each pillar's code, PDF through WeasyPrint, French typography.

Each pillar keeps its templates in a ``templates/`` folder inside its own package and
calls :func:`render` with that package's name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from veilleur.errors import MissingExtra
from veilleur.report.typography import french_spacing


@cache
def environment(package: str) -> Environment:
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(("html", "xml", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fr"] = french_spacing
    return env


def render(package: str, template: str, **context: Any) -> str:
    """Render ``template`` from ``package``'s ``templates/`` folder."""
    return environment(package).get_template(template).render(**context)


def html_to_pdf(html: str, output: Path) -> None:
    """Write ``html`` as a PDF (WeasyPrint). The HTML must not load remote resources."""
    try:  # imported here: it is slow to load and only PDF needs it
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # the extra, or the Pango it loads, is missing
        raise MissingExtra("PDF output", "pdf") from exc

    HTML(string=html, base_url=str(output.parent)).write_pdf(str(output))
