"""The needs-first engine: an organisation's profile and objectives in, advice with reasons out.

Pure: it reads the knowledge base and, in evidence mode, figures already measured in the
store; it writes nothing. Every recommendation carries the facts (and the measured figures)
behind it, so that a consultant can explain — or contest — each line of the advice.
Texts stay bilingual here; :mod:`veilleur.advise.present` picks the language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from veilleur.advise.kb import Action, Fact, KnowledgeBase, Objective, Rule, Text
from veilleur.advise.limits import char_limit
from veilleur.advise.queries import WatchQuery, watch_queries
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import Profile


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a network gains or loses points: a fact of the knowledge base, or a measure."""

    kind: str  # "fact" or "evidence"
    weight: float
    text: Text
    objectives: tuple[str, ...] = ()
    fact: str | None = None
    source: str | None = None
    checked: date | None = None


@dataclass(slots=True)
class RankedNetwork:
    network: str
    score: float
    reasons: list[Reason]
    recommended: bool = False


@dataclass(frozen=True, slots=True)
class AccountChoice:
    kind: str
    score: float
    objectives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccountAdvice:
    network: str
    choices: tuple[AccountChoice, ...]


@dataclass(frozen=True, slots=True)
class ContentMix:
    value: int
    promotional: int
    shares: tuple[tuple[str, float], ...]  # objective -> promotional share it tolerates
    ideas: tuple[tuple[str, Text], ...]  # objective -> what to publish
    examples: tuple[Text, ...] = ()  # what counts as promotional for these objectives


@dataclass(frozen=True, slots=True)
class CadenceAdvice:
    network: str
    mode: str  # "publish" or "watch"
    per_week: tuple[int, int]
    text: Text


@dataclass(frozen=True, slots=True)
class RuleAdvice:
    rule: Rule
    networks: tuple[str, ...]
    limits: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class ActionAdvice:
    priority: int
    text: Text
    network: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the store says about the profile's keywords: posts per network, leading accounts."""

    query: str
    total: int
    per_network: dict[str, int]
    accounts: tuple[tuple[str, str, int, int], ...]  # author, network, posts, engagement


@dataclass(slots=True)
class Advice:
    profile: Profile
    objectives: list[str]
    ranked: list[RankedNetwork]
    chosen: list[str]
    accounts: list[AccountAdvice]
    content_mix: ContentMix
    cadence: list[CadenceAdvice]
    rules: list[RuleAdvice]
    actions: list[ActionAdvice]
    watch_queries: list[WatchQuery]
    evidence: Evidence | None = None
    ignored_goals: list[str] = field(default_factory=list)
    tied: list[str] = field(default_factory=list)  # as good as the last chosen, not shown


def fold(text: str) -> str:
    """Lower case without accents, for matching sectors, aliases and labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def resolve_objective(kb: KnowledgeBase, name: str) -> str | None:
    """The objective id for an id, a label (fr/en) or an alias, accents and case ignored."""
    if name in kb.objectives:
        return name
    wanted = fold(name).replace("-", "_")
    for objective in kb.objectives.values():
        names = [objective.id, objective.label.fr, objective.label.en, *objective.aliases]
        if wanted in {fold(n).replace("-", "_") for n in names}:
            return objective.id
    return None


def choose_objectives(
    kb: KnowledgeBase, profile: Profile, requested: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """Objectives from ``--objective`` (strict) or else the profile's goals (lenient).

    Returns the objective ids and the goals that were not recognised.
    """
    chosen: list[str] = []
    ignored: list[str] = []
    for name in requested:
        objective = resolve_objective(kb, name)
        if objective is None:
            raise UsageError(
                t(
                    "unknown objective '{name}' (known: {known})",
                    name=name,
                    known=", ".join(kb.objectives),
                )
            )
        if objective not in chosen:
            chosen.append(objective)
    if not requested:
        for goal in profile.goals:
            objective = resolve_objective(kb, goal)
            if objective is None:
                ignored.append(goal)
            elif objective not in chosen:
                chosen.append(objective)
    if not chosen:
        raise UsageError(
            t(
                "no objective: give --objective ID (or 'goals' in the profile); known: {known}",
                known=", ".join(kb.objectives),
            )
        )
    return chosen, ignored


def sector_words(kb: KnowledgeBase | None, sectors: Iterable[str]) -> list[str]:
    """The words that name these sector families in a profile's ``sector``."""
    if kb is None:
        return []
    return [word for s in sectors if s in kb.sectors for word in kb.sectors[s].words]


def in_sector(profile: Profile, words: Iterable[str]) -> bool:
    """Whether the profile's sector (free text) has a word starting with one of ``words``
    (accents and case ignored: "industrie" matches « Industriel (mécanique) », "vin" does not
    match « provincial »)."""
    sector = fold(profile.sector or "")
    return bool(sector) and any(
        re.search(r"(?<!\w)" + re.escape(fold(word)), sector) for word in words
    )


def applies(fact: Fact, profile: Profile, kb: KnowledgeBase | None = None) -> bool:
    """Whether a fact's conditions (``when``) hold for this organisation."""
    languages = {fold(lang) for lang in (profile.languages or ["fr"])}
    for key, value in fact.when.items():
        if key == "kinds" and profile.kind not in value:
            return False
        if key == "sectors" and not in_sector(profile, sector_words(kb, value)):
            return False
        if key == "languages_any" and not languages & {fold(v) for v in value}:
            return False
        if key == "languages_none" and languages & {fold(v) for v in value}:
            return False
        if key == "has_regions" and bool(profile.regions) != value:
            return False
        if key == "sector_any" and not in_sector(profile, value):
            return False
    return True


def score_networks(
    kb: KnowledgeBase,
    profile: Profile,
    objectives: Sequence[str],
    evidence: Evidence | None = None,
) -> list[RankedNetwork]:
    """Every network with its score and reasons, best first (ties keep the files' order)."""
    ranked = []
    for network in kb.networks.values():
        reasons: list[Reason] = []
        for fact in network.facts:
            if not applies(fact, profile, kb):
                continue
            served = tuple(o for o in objectives if o in fact.supports)
            weight = sum(fact.supports[o] for o in served) + fact.bonus
            informative = not fact.supports and fact.bonus == 0
            if weight == 0 and not informative:
                continue
            reasons.append(
                Reason("fact", weight, fact.text, served, fact.id, fact.source, fact.checked)
            )
        bonus = _evidence_bonus(kb, network.id, evidence)
        if bonus is not None:
            reasons.append(bonus)
        score = round(sum(r.weight for r in reasons), 1)
        reasons.sort(key=lambda r: -abs(r.weight))
        ranked.append(RankedNetwork(network.id, score, reasons))
    order = {name: i for i, name in enumerate(kb.networks)}
    ranked.sort(key=lambda r: (-r.score, order[r.network]))
    return ranked


def _evidence_bonus(kb: KnowledgeBase, network: str, evidence: Evidence | None) -> Reason | None:
    if evidence is None or evidence.total == 0:
        return None
    posts = evidence.per_network.get(network, 0)
    if posts < kb.settings.evidence_min_posts:
        return None
    share = posts / evidence.total
    weight = round(kb.settings.evidence_max_bonus * share, 1)
    pct = round(100 * share)
    text = Text.gettext(
        "Measured in your workspace: {posts} posts on your keywords "
        "({pct}% of the {total} found) are on this network.",
        posts=posts,
        pct=pct,
        total=evidence.total,
    )
    return Reason("evidence", weight, text)


def advise(
    kb: KnowledgeBase,
    profile: Profile,
    objectives: Sequence[str] = (),
    *,
    evidence: Evidence | None = None,
    networks: Sequence[str] = (),
    recommended: int | None = None,
) -> Advice:
    """The full advice. ``networks`` forces the chosen networks (a training on given ones)."""
    chosen_objectives, ignored = choose_objectives(kb, profile, objectives)
    ranked = score_networks(kb, profile, chosen_objectives, evidence)
    for name in networks:
        if name not in kb.networks:
            raise UsageError(
                t(
                    "unknown network '{name}' (known: {known})",
                    name=name,
                    known=", ".join(kb.networks),
                )
            )
    tied: list[str] = []
    if networks:
        chosen = list(dict.fromkeys(networks))
    else:
        count = recommended or kb.settings.recommended
        chosen, tied = recommend(ranked, count, kb.settings.min_score)
    for entry in ranked:
        entry.recommended = entry.network in chosen
    objs = [kb.objectives[o] for o in chosen_objectives]
    return Advice(
        profile=profile,
        objectives=chosen_objectives,
        ranked=ranked,
        chosen=chosen,
        accounts=[account_advice(kb, n, objs) for n in chosen],
        content_mix=content_mix(objs),
        cadence=[cadence_advice(kb, r, objs) for r in ranked if r.network in chosen],
        rules=rules_advice(kb, chosen, chosen_objectives),
        actions=first_actions(kb, chosen, objs, kind=profile.kind),
        watch_queries=watch_queries(profile, objs),
        evidence=evidence,
        ignored_goals=ignored,
        tied=tied,
    )


def recommend(
    ranked: Sequence[RankedNetwork], count: int, min_score: float
) -> tuple[list[str], list[str]]:
    """The best ``count`` networks reaching ``min_score``, and the others tied with the last one.

    Exactly ``count`` are chosen (fewer if fewer qualify); networks with the same score as the
    last chosen one are returned apart, so that the advice can say they tie instead of silently
    recommending more networks than asked. Among tied networks, networks.yaml's order decides.
    """
    eligible = [r for r in ranked if r.score >= min_score and r.score > 0]
    chosen = [r.network for r in eligible[:count]]
    if len(eligible) <= count:
        return chosen, []
    last = eligible[count - 1].score
    return chosen, [r.network for r in eligible[count:] if r.score == last]


def account_advice(
    kb: KnowledgeBase, network: str, objectives: Iterable[Objective]
) -> AccountAdvice:
    """Which kinds of account to run on a network, weighted by what the objectives need."""
    offered = kb.networks[network].accounts
    choices = []
    for kind in offered:
        served = [o for o in objectives if o.accounts.get(kind, 0) > 0]
        score = sum(o.accounts[kind] for o in served)
        if score > 0:
            choices.append(AccountChoice(kind, score, tuple(o.id for o in served)))
    if not choices and offered:
        choices.append(AccountChoice(offered[0], 0, ()))
    choices.sort(key=lambda c: (-c.score, offered.index(c.kind)))
    return AccountAdvice(network, tuple(choices))


def content_mix(objectives: Sequence[Objective]) -> ContentMix:
    """Value vs promotional posts: the average share the publishing objectives tolerate."""
    shares = tuple(
        (o.id, o.promotional_share) for o in objectives if o.promotional_share is not None
    )
    if shares:
        mean = sum(s for _, s in shares) / len(shares)
        promotional = int(5 * round(100 * mean / 5))
    else:
        promotional = 0
    ideas = tuple((o.id, o.content) for o in objectives)
    examples: list[Text] = []
    for objective in objectives:
        if objective.promotional is not None and objective.promotional not in examples:
            examples.append(objective.promotional)
    return ContentMix(100 - promotional, promotional, shares, ideas, tuple(examples))


def cadence_advice(
    kb: KnowledgeBase, ranked: RankedNetwork, objectives: Sequence[Objective]
) -> CadenceAdvice:
    """Publishing cadence, or a reading routine where the network serves only the watch."""
    network = kb.networks[ranked.network]
    kinds = {o.id: o.kind for o in objectives}
    served = {o for r in ranked.reasons if r.weight > 0 for o in r.objectives}
    watch_only = bool(served) and all(kinds.get(o) == "watch" for o in served)
    if watch_only:
        text = Text.gettext(
            "No need to post: read your watch fifteen minutes a day, "
            "and share a commented selection now and then."
        )
        return CadenceAdvice(network.id, "watch", (0, network.cadence.per_week[0]), text)
    return CadenceAdvice(network.id, "publish", network.cadence.per_week, network.cadence.text)


def rules_advice(
    kb: KnowledgeBase, chosen: Sequence[str], objectives: Sequence[str]
) -> list[RuleAdvice]:
    """The savoir-publier rules that apply to these networks and objectives."""
    out = []
    for rule in kb.rules:
        nets = tuple(n for n in chosen if rule.networks is None or n in rule.networks)
        if not nets:
            continue
        if rule.objectives is not None and not set(rule.objectives) & set(objectives):
            continue
        limits: tuple[tuple[str, int | None], ...] = ()
        if rule.limits:
            limits = tuple(
                (n, char_limit(counting))
                for n in nets
                if (counting := kb.networks[n].counting) is not None
            )
        out.append(RuleAdvice(rule, nets, limits))
    return out


def first_actions(
    kb: KnowledgeBase,
    chosen: Sequence[str],
    objectives: Sequence[Objective],
    count: int = 10,
    kind: str = "company",
) -> list[ActionAdvice]:
    """The first ten things to do, most urgent first: common steps, set-up, objectives.

    ``kind`` is the kind of organisation: an action limited to other kinds is left out.
    """
    kinds = {o.kind for o in objectives}

    def fits(action: Action) -> bool:
        return action.organisations is None or kind in action.organisations

    candidates = [
        ActionAdvice(a.priority, a.text)
        for a in kb.common_actions
        if (a.kinds is None or kinds & set(a.kinds)) and fits(a)
    ]
    for rank, name in enumerate(chosen):
        setup = kb.networks[name].setup
        for step, text in enumerate(setup):
            # The first step of each chosen network comes early, the rest fill in later.
            priority = 12 + rank if step == 0 else 70 + 5 * rank + step
            candidates.append(ActionAdvice(priority, text, name))
    for objective in objectives:
        candidates.extend(ActionAdvice(a.priority, a.text) for a in objective.actions if fits(a))
    seen: set[str] = set()
    out = []
    for action in sorted(candidates, key=lambda a: a.priority):
        if action.text.fr in seen:
            continue
        seen.add(action.text.fr)
        out.append(action)
    return out[:count]
