"""The demo organisation's profile and its short advice, for ``veilleur demo``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from veilleur.advise.kb import load_kb
from veilleur.advise.present import Localizer, advice_dict
from veilleur.advise.usecases import build_advice
from veilleur.profile import load_profile
from veilleur.store import SQLiteStore


def demo_profile_path() -> Path:
    """The demo organisation's profile shipped with veilleur."""
    return Path(str(files("veilleur.advise") / "demo_profile.toml"))


def demo_summary(lang: str = "fr", store: SQLiteStore | None = None) -> str:
    """A short advice for the demo profile, for ``veilleur demo`` (plain text, a few lines)."""
    kb = load_kb()
    profile = load_profile(demo_profile_path())
    advice = build_advice(profile, kb=kb, store=store)
    loc = Localizer.for_advice(kb, advice, lang)
    fr = loc.lang == "fr"
    colon = "\u00a0:" if fr else ":"
    lines = [
        (
            f"Conseil pour {profile.name} (profil de démonstration)"
            if fr
            else f"Advice for {profile.name} (demo profile)"
        )
        + colon,
        ("  Objectifs" if fr else "  Objectives")
        + colon
        + " "
        + loc.join([loc.objective(o) for o in advice.objectives])
        + ".",
        ("  Réseaux recommandés" if fr else "  Recommended networks") + colon,
    ]
    ranked = {r.network: r for r in advice.ranked}
    for i, name in enumerate(advice.chosen, 1):
        entry = ranked[name]
        why = loc(entry.reasons[0].text) if entry.reasons else ""
        lines.append(f"    {i}. {loc.network(name)} ({entry.score:g}) — {why}")
    data = advice_dict(kb, advice, lang)
    accounts = [f"{a['name']}{colon} {a['choices'][0]['label']}" for a in data["accounts"]]
    lines.append(("  Comptes" if fr else "  Accounts") + colon + " " + " · ".join(accounts))
    lines.append("  " + data["content_mix"]["summary"])
    lines.append(("  Premières actions" if fr else "  First actions") + colon)
    lines.extend(f"    {a['rank']}. {a['text']}" for a in data["actions"][:3])
    if data["evidence"]:
        per = ", ".join(
            f"{loc.network(n) if n in kb.networks else n} {c}"
            for n, c in data["evidence"]["per_network"].items()
        )
        lines.append(("  Mesuré dans l'espace" if fr else "  Measured in the workspace") + colon
                     + " " + per)  # fmt: skip
    lines.append(
        ("  Le conseil complet" if fr else "  The full advice")
        + colon
        + " veilleur advise --demo --format html --output conseil.html"
    )
    return "\n".join(lines)
