"""The training-day handout: per chosen network, what this organisation can do there, how to
set it up, the savoir-publier rules, and how to prepare a live-tweet."""

from __future__ import annotations

from typing import Any

from veilleur.advise.engine import Advice, applies
from veilleur.advise.kb import KnowledgeBase
from veilleur.advise.present import Localizer, advice_dict


def reachable(kb: KnowledgeBase, advice: Advice, network: str) -> tuple[list[str], list[str]]:
    """Objectives a network serves for this organisation: the chosen ones, then the others."""
    served: dict[str, float] = {}
    for fact in kb.networks[network].facts:
        if applies(fact, advice.profile, kb):
            for objective, weight in fact.supports.items():
                served[objective] = served.get(objective, 0) + weight
    positive = [o for o in kb.objectives if served.get(o, 0) > 0]
    chosen = [o for o in positive if o in advice.objectives]
    others = [o for o in positive if o not in advice.objectives]
    return chosen, others


def handout_dict(
    kb: KnowledgeBase, advice: Advice, lang: str, participants: int | None = None
) -> dict[str, Any]:
    """The handout's content in ``lang``: the advice plus set-up checklists and live-tweeting."""
    data = advice_dict(kb, advice, lang)
    loc = Localizer.for_advice(kb, advice, lang)
    accounts = {a["network"]: a["choices"] for a in data["accounts"]}
    cadence = {c["network"]: c for c in data["cadence"]}
    sheets = []
    for name in advice.chosen:
        network = kb.networks[name]
        mine, others = reachable(kb, advice, name)
        sheets.append(
            {
                "network": name,
                "name": loc(network.name),
                "audience": loc(network.audience),
                "formats": loc(network.formats),
                "features": [loc(f) for f in network.features],
                "objectives": [{"id": o, "label": loc.objective(o)} for o in mine],
                "other_objectives": [{"id": o, "label": loc.objective(o)} for o in others],
                "accounts": accounts.get(name, []),
                "cadence": cadence.get(name),
                "setup": [loc(s) for s in network.setup],
                "rules": [r for r in data["rules"] if name in r["networks"]],
            }
        )
    live = kb.livetweet
    data.update(
        {
            "veilleur": "handout",
            "participants": participants,
            "sheets": sheets,
            "livetweet": {
                "before": [loc(t) for t in live.before],
                "syntax": loc(live.syntax),
                "during": [loc(t) for t in live.during],
                "after": [loc(t) for t in live.after],
            },
        }
    )
    return data
