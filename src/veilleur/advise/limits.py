"""Character limits, read from the one registry of networks rather than copied here.

The knowledge base names each network by its registry id; the numbers live in one place
only (:mod:`veilleur.networks`, counted by ``veilleur.text``). While veilleur does not count
for a network, the limit is ``None`` and the advice says to check it.
"""

from __future__ import annotations

from veilleur.networks import NETWORKS


def char_limit(network: str) -> int | None:
    """The longest post ``network`` accepts, as counted by ``veilleur.text.count``."""
    known = NETWORKS.get(network)
    return known.limit if known is not None else None
