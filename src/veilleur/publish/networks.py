"""What each network allows and prefers: the facts the composer and the linter share.

Limits are the networks' own (X counts weighted characters, Bluesky graphemes, the others
code points, see ``veilleur.text.count``). The hashtag numbers are advice, not rules of the
platforms, except Threads (one topic tag per post) and Instagram (30 at most).
"""

from __future__ import annotations

from dataclasses import dataclass

from veilleur.errors import UsageError


@dataclass(frozen=True, slots=True)
class NetworkRules:
    """One target network as the composer sees it."""

    id: str
    name: str
    hashtags_kept: int
    """How many hashtags the rendering keeps; the others lose their ``#`` or are dropped."""
    hashtags_max: int | None = None
    """A hard maximum of the platform (an error above it), when there is one."""
    links_clickable: bool = True
    can_thread: bool = True
    api: bool = False
    """Whether veilleur publishes there itself (the others get ready texts and share links)."""


NETWORKS: dict[str, NetworkRules] = {
    r.id: r
    for r in (
        NetworkRules("x", "X", hashtags_kept=2),
        NetworkRules("mastodon", "Mastodon", hashtags_kept=5, api=True),
        NetworkRules("bluesky", "Bluesky", hashtags_kept=3, api=True),
        NetworkRules("linkedin", "LinkedIn", hashtags_kept=5, can_thread=False),
        NetworkRules("threads", "Threads", hashtags_kept=1, hashtags_max=1),
        NetworkRules("facebook", "Facebook", hashtags_kept=3, can_thread=False),
        NetworkRules(
            "instagram",
            "Instagram",
            hashtags_kept=10,
            hashtags_max=30,
            links_clickable=False,
            can_thread=False,
        ),
    )
}

DEFAULT_NETWORKS = ("x", "mastodon", "bluesky")


def parse_networks(value: str | None) -> list[str]:
    """``"x,mastodon"`` → ``["x", "mastodon"]``; an unknown id is a usage error naming the known."""
    if not value:
        return list(DEFAULT_NETWORKS)
    out: list[str] = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name == "twitter":
            name = "x"
        if name not in NETWORKS:
            known = ", ".join(NETWORKS)
            raise UsageError(f"unknown network '{part.strip()}'. Known networks: {known}")
        if name not in out:
            out.append(name)
    if not out:
        raise UsageError("no network given: expected e.g. --networks x,mastodon,bluesky")
    return out
