"""The advice built from a profile, with the workspace's evidence when a store is given."""

from __future__ import annotations

from collections.abc import Sequence

from veilleur.advise.engine import Advice, advise
from veilleur.advise.evidence import measure
from veilleur.advise.kb import KnowledgeBase, load_kb
from veilleur.model import Profile
from veilleur.store import SQLiteStore


def build_advice(
    profile: Profile,
    objectives: Sequence[str] = (),
    *,
    kb: KnowledgeBase | None = None,
    store: SQLiteStore | None = None,
    networks: Sequence[str] = (),
    recommended: int | None = None,
) -> Advice:
    """The advice for ``profile``; with a ``store``, measured evidence is added."""
    kb = kb or load_kb()
    evidence = measure(store, profile.keywords) if store is not None else None
    return advise(
        kb, profile, objectives, evidence=evidence, networks=networks, recommended=recommended
    )
