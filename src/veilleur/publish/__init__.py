"""publish: compose once for each network, lint, queue, publish, relay a site, share links."""

from __future__ import annotations


def demo_compose(lang: str = "fr") -> str:
    """One composed post linted for three networks, as text (for ``veilleur demo``)."""
    from veilleur.publish.demo import demo_compose as run

    return run(lang)


__all__ = ["demo_compose"]
