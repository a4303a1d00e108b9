"""Character limits, read from the text core (``veilleur.text``) rather than copied here.

The knowledge base names each network's counting rules by network id; the numbers live in
one place only. While the text core does not know a network (or is not installed in this
build), the limit is ``None`` and the advice says to check it.
"""

from __future__ import annotations

import importlib
from functools import cache


@cache
def char_limit(network: str) -> int | None:
    """The longest post ``network`` accepts, as counted by ``veilleur.text.count``."""
    try:
        module = importlib.import_module("veilleur.text")
    except ImportError:  # pragma: no cover - the package always ships veilleur.text
        return None
    count = getattr(module, "count", None)
    if count is None:
        return None
    try:
        result = count("", network)
    except Exception:  # the text core does not know this network: no limit to state
        return None
    limit = getattr(result, "limit", None)
    return limit if isinstance(limit, int) and limit > 0 else None
