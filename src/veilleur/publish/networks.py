"""What each network allows and prefers: the facts the composer and the linter share.

The facts themselves are declared once, in :mod:`veilleur.networks` (``Network.publish``);
this module is the composer's view of them. Limits are the networks' own (X counts weighted
characters, Bluesky graphemes, the others code points, see ``veilleur.text.count``).
"""

from __future__ import annotations

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.networks import NETWORKS as REGISTRY
from veilleur.networks import Publishing, resolve

NetworkRules = Publishing
"""One target network as the composer sees it (see :class:`veilleur.networks.Publishing`)."""

NETWORKS: dict[str, Publishing] = {
    n.id: n.publish for n in REGISTRY.values() if n.publish is not None
}
"""The networks ``compose`` and ``relay`` write for, by id."""

DEFAULT_NETWORKS = ("x", "mastodon", "bluesky")


def parse_networks(value: str | None) -> list[str]:
    """``"x,twitter,Mastodon"`` → ``["x", "mastodon"]``; an unknown name is a usage error
    naming the known ids (aliases such as ``twitter`` resolve through the registry)."""
    if not value:
        return list(DEFAULT_NETWORKS)
    out: list[str] = []
    for part in value.split(","):
        if not part.strip():
            continue
        name = resolve(part, tuple(NETWORKS))
        if name not in out:
            out.append(name)
    if not out:
        raise UsageError(t("no network given: expected e.g. --networks x,mastodon,bluesky"))
    return out
