"""Small readers of untrusted payload values, shared by every network's normaliser."""

from __future__ import annotations

from typing import Any

from veilleur.model import MAX_COUNT


def as_count(value: Any) -> int | None:
    """A count as payloads write it: ``"12"``, ``12`` or nothing; never negative, never more
    than a signed 64-bit integer (:data:`~veilleur.model.MAX_COUNT`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 20:
        value = int(value.strip())
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    return None


def as_str(value: Any) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def as_lang(value: Any) -> str | None:
    """A language as veilleur stores it: the primary subtag, lower case (``fr-FR`` → ``fr``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-").split("-")[0].lower() or None
