"""Per-network length counting (first version: code points; exact rules follow)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Count", "count"]

_LIMITS = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "linkedin": 3000,
    "threads": 500,
    "facebook": 63206,
    "instagram": 2200,
}


@dataclass(frozen=True, slots=True)
class Count:
    """How long a text is for a network, and whether it fits."""

    weighted_length: int
    limit: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]


def count(text: str, network: str, *, rules: str = "v3", limit: int | None = None) -> Count:
    """The length of ``text`` as ``network`` counts it."""
    cap = limit if limit is not None else _LIMITS[network]
    length = len(text)
    valid = 0 < length <= cap
    return Count(
        length,
        cap,
        valid,
        length * 1000 // cap,
        (0, max(length - 1, 0)),
        (0, max(min(length, cap) - 1, 0)),
    )
