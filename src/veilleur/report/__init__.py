"""Rendering shared by every report (digest, audit, advice, handout): HTML through Jinja2
templates kept beside each pillar's code, PDF through WeasyPrint, French typography.

Each pillar keeps its templates in a ``templates/`` folder inside its own package and
calls :func:`render` with that package's name.

Every value a template prints goes through :func:`~veilleur.report.safety.strip_controls`
(the environment's ``finalize``: no control character reaches HTML or XML), and every
``href``/``src`` through the ``safe_url`` filter, which prints nothing for a link that is
not ``http``/``https`` (tests/test_security_urls.py checks every template).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from veilleur.errors import MissingExtra
from veilleur.report.safety import safe_url, strip_controls
from veilleur.report.typography import french_spacing


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # HTML veilleur built (charts): stays HTML
        return Markup(strip_controls(str(value)))
    return strip_controls(value) if isinstance(value, str) else value


def _url_filter(value: Any) -> str:
    return safe_url(value) or ""


@cache
def environment(package: str) -> Environment:
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(("html", "xml", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["fr"] = french_spacing
    env.filters["safe_url"] = _url_filter
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
