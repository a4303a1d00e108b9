"""``veilleur advise --interactive``: the consultant's first questions, asked one by one.

Pure apart from the two callables it is given (ask a question, say something), so that it
runs the same on a terminal, in a test fed from a string, or behind a web form later.
"""

from __future__ import annotations

from collections.abc import Callable

from veilleur.advise.engine import resolve_objective
from veilleur.advise.kb import KnowledgeBase
from veilleur.errors import UsageError
from veilleur.i18n import N_, t
from veilleur.model import Profile
from veilleur.profile import KINDS, organisation_kind
from veilleur.profile import profile_toml as profile_toml  # its door's name, kept there
from veilleur.report.typography import french_spacing

Ask = Callable[[str], str]
Say = Callable[[str], None]

# The questions, as English msgids.
QUESTIONS = {
    "intro": N_(
        "Which network? To do what? A few questions before choosing "
        "(Enter skips an optional question)."
    ),
    "name": N_("Name of the organisation?"),
    "kind": N_(
        "What kind of organisation: 1. company, 2. association, 3. public body, 4. freelancer [1]?"
    ),
    "retry_kind": N_("Answer not understood: '{answer}'. Give a number from 1 to 4."),
    "positioning": N_("What does it do, in one sentence?"),
    "sector": N_("Sector (for example industry, software, consulting, retail)?"),
    "regions": N_("Regions or towns that matter to you (comma-separated)?"),
    "languages": N_("Languages of your audiences (fr, en, de…) [en]?"),
    "keywords": N_("Keywords of your trade (comma-separated)?"),
    "objectives": N_("Your objectives: numbers separated by commas (for example 2, 5)?"),
    "retry_name": N_("The name is needed."),
    "retry_objectives": N_("Answer not understood: '{answer}'. Give numbers from the list."),
}


def _text(key: str, lang: str, **values: str) -> str:
    text = t(QUESTIONS[key], lang, **values)
    return french_spacing(text) if lang == "fr" else text


def _split(answer: str) -> list[str]:
    return [part.strip() for part in answer.replace(";", ",").split(",") if part.strip()]


def parse_objectives(kb: KnowledgeBase, answer: str) -> list[str] | None:
    """Numbers of the list, ids or labels; ``None`` when any part is not understood."""
    ids = list(kb.objectives)
    chosen: list[str] = []
    numbers = answer.replace(",", " ").replace(";", " ").split()
    parts = numbers if numbers and all(n.isdigit() for n in numbers) else _split(answer)
    for part in parts:
        if part.isdigit() and 1 <= int(part) <= len(ids):
            found: str | None = ids[int(part) - 1]
        else:
            found = resolve_objective(kb, part)
        if found is None:
            return None
        if found not in chosen:
            chosen.append(found)
    return chosen or None


def parse_kind(answer: str) -> str | None:
    """A number of the list (1 to 4), an id or a French or English name; empty: company."""
    answer = answer.strip()
    if not answer:
        return "company"
    ids = list(KINDS)
    if answer.isdigit():
        return ids[int(answer) - 1] if 1 <= int(answer) <= len(ids) else None
    return organisation_kind(answer)


def interview(kb: KnowledgeBase, ask: Ask, say: Say, lang: str) -> tuple[Profile, list[str]]:
    """Ask the questions; raises ``UsageError`` if the answers stop before the end."""
    try:
        say(_text("intro", lang))
        name = ask(_text("name", lang)).strip()
        tries = 0
        while not name:
            tries += 1
            if tries > 3:
                raise UsageError(_text("retry_name", lang))
            say(_text("retry_name", lang))
            name = ask(_text("name", lang)).strip()
        kind = None
        for _ in range(3):
            answer = ask(_text("kind", lang))
            kind = parse_kind(answer)
            if kind is not None:
                break
            say(_text("retry_kind", lang, answer=answer.strip()))
        if kind is None:
            raise UsageError(_text("retry_kind", lang, answer=answer.strip()))
        positioning = ask(_text("positioning", lang)).strip()
        sector = ask(_text("sector", lang)).strip() or None
        regions = _split(ask(_text("regions", lang)))
        languages = [v.lower() for v in _split(ask(_text("languages", lang)))] or [
            "fr" if lang == "fr" else "en"
        ]
        keywords = _split(ask(_text("keywords", lang)))
        for i, objective in enumerate(kb.objectives.values(), 1):
            label = french_spacing(objective.label.fr) if lang == "fr" else objective.label.en
            say(f"  {i:>2}. {label}")
        objectives = None
        for _ in range(3):
            answer = ask(_text("objectives", lang))
            objectives = parse_objectives(kb, answer)
            if objectives:
                break
            say(_text("retry_objectives", lang, answer=answer.strip()))
        if not objectives:
            raise UsageError(t("no objective chosen: the advice starts from the objectives"))
    except EOFError:
        raise UsageError(t("the answers stopped before the last question (end of input)")) from None
    profile = Profile(
        name=name,
        kind=kind,
        positioning=positioning,
        sector=sector,
        regions=regions,
        languages=languages,
        keywords=keywords,
        goals=list(objectives),
    )
    return profile, list(objectives)
