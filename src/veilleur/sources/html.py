"""HTML to text for collectors: see :mod:`veilleur.networks.html` (shared with importers)."""

from __future__ import annotations

from veilleur.networks.html import html_to_text, sanitize

__all__ = ["html_to_text", "sanitize"]
