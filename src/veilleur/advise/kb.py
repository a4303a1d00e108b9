"""The advisor's knowledge base: YAML files a consultant edits without touching code.

Four files in one folder (the package's ``data/`` by default, or a copy given with
``--kb``): ``sources.yaml``, ``networks.yaml``, ``objectives.yaml``, ``rules.yaml``. Every
fact names its source and the date it was checked. The loader checks everything a typo
could break — unknown ids, missing translations, bad dates — and names the file and the
key at fault, so that an edited copy fails loudly instead of giving silently wrong advice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from veilleur import i18n
from veilleur.errors import InputError, UsageError
from veilleur.networks import registry
from veilleur.profile import KINDS as ORGANISATION_KINDS

FILES = ("sources.yaml", "networks.yaml", "objectives.yaml", "rules.yaml")
WHEN_KEYS = (
    "languages_any", "languages_none", "sector_any", "sectors", "kinds", "has_regions",
)  # fmt: skip
KINDS = ("publish", "watch", "collaborate")
PLACEHOLDERS = ("networks", "regions", "name", "public", "team")
"""What a knowledge-base text may contain between braces, filled from the profile at render time
(``{regions}`` is the profile's regions: no place is ever written in the knowledge base)."""
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in French and English.

    The knowledge base's texts are data (its YAML files, which a consultant may edit and pass
    with ``--kb``): they carry both languages themselves. Texts written in the code are msgids
    of the gettext catalogue, made with :meth:`gettext`.
    """

    fr: str
    en: str
    variants: tuple[tuple[str, Text], ...] = ()  # kind of organisation -> its own wording

    def get(self, lang: str, kind: str | None = None) -> str:
        """The text in ``lang``, in the words of this kind of organisation when it has its own."""
        for variant_kind, variant in self.variants:
            if variant_kind == kind:
                return variant.get(lang)
        return self.fr if lang == "fr" else self.en

    @classmethod
    def gettext(cls, message: str, **values: object) -> Text:
        """``message`` (an English msgid) in both languages, formatted with ``values``."""
        return cls(fr=i18n.t(message, "fr", **values), en=i18n.t(message, "en", **values))


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    kind: str
    title: Text
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """Something true of a network, the objectives it serves, and when it applies."""

    id: str
    network: str
    text: Text
    source: str
    checked: date
    supports: dict[str, float] = field(default_factory=dict)
    bonus: float = 0.0
    when: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sector:
    """A family of sectors a fact may be limited to, and the words that name it in a profile."""

    id: str
    label: Text
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrganisationKind:
    """A kind of organisation (``kind`` in the profile) and the words the advice uses for it."""

    id: str
    label: Text
    public: Text  # whom it serves: clients, adhérents, usagers…
    team: Text  # who works with it: salariés, bénévoles, agents…


@dataclass(frozen=True, slots=True)
class Cadence:
    per_week: tuple[int, int]
    text: Text
    source: str
    checked: date


@dataclass(frozen=True, slots=True)
class Network:
    id: str
    name: Text
    counting: str | None
    accounts: tuple[str, ...]
    audience: Text
    formats: Text
    features: tuple[Text, ...]
    cadence: Cadence
    facts: tuple[Fact, ...]
    setup: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Action:
    priority: int
    text: Text
    kinds: tuple[str, ...] | None = None  # only when an objective of these kinds is chosen
    organisations: tuple[str, ...] | None = None  # only for these kinds of organisation
    source: str | None = None
    checked: date | None = None


@dataclass(frozen=True, slots=True)
class WatchTerms:
    fr: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    use_keywords: bool = True
    use_regions: bool = False
    use_name: bool = False
    use_site: bool = False

    def get(self, lang: str) -> tuple[str, ...]:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    label: Text
    kind: str
    aliases: tuple[str, ...]
    accounts: dict[str, float]
    content: Text
    actions: tuple[Action, ...]
    source: str
    checked: date
    promotional_share: float | None = None
    promotional: Text | None = None  # what counts as promotional for this objective
    watch: WatchTerms | None = None


@dataclass(frozen=True, slots=True)
class AccountKind:
    id: str
    label: Text
    why: Text


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    text: Text
    source: str
    checked: date
    networks: tuple[str, ...] | None = None
    objectives: tuple[str, ...] | None = None
    limits: bool = False


@dataclass(frozen=True, slots=True)
class LiveTweet:
    before: tuple[Text, ...]
    syntax: Text
    during: tuple[Text, ...]
    after: tuple[Text, ...]
    source: str
    checked: date


@dataclass(frozen=True, slots=True)
class Settings:
    evidence_min_posts: int = 3
    evidence_max_bonus: float = 3.0
    recommended: int = 3
    min_score: float = 2.0


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    folder: Path
    sources: dict[str, Source]
    networks: dict[str, Network]
    objectives: dict[str, Objective]
    account_kinds: dict[str, AccountKind]
    common_actions: tuple[Action, ...]
    rules: tuple[Rule, ...]
    livetweet: LiveTweet
    settings: Settings
    organisation_kinds: dict[str, OrganisationKind] = field(default_factory=dict)
    sectors: dict[str, Sector] = field(default_factory=dict)

    def facts(self) -> list[Fact]:
        return [fact for network in self.networks.values() for fact in network.facts]


def default_folder() -> Path:
    """The knowledge base shipped inside the package."""
    return Path(str(files("veilleur.advise") / "data"))


def export_knowledge_base(folder: Path) -> list[Path]:
    """Copy the shipped knowledge base into ``folder`` for editing; never overwrites a file."""
    targets = [folder / name for name in FILES]
    existing = [str(t) for t in targets if t.exists()]
    if existing:
        raise UsageError(
            i18n.t("not overwriting existing file(s): {files}", files=", ".join(existing))
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, target in zip(FILES, targets, strict=True):
            target.write_bytes((default_folder() / name).read_bytes())
    except OSError as exc:
        raise UsageError(
            i18n.t(
                "cannot write the knowledge base to {folder}: {reason}",
                folder=folder,
                reason=exc.strerror,
            )
        ) from None
    return targets


def load_kb(folder: Path | str | None = None) -> KnowledgeBase:
    """Read and check the four files of a knowledge base folder."""
    base = Path(folder) if folder is not None else default_folder()
    docs = {name: _read_yaml(base / name) for name in FILES}
    sources = _sources(_Node(docs["sources.yaml"], "sources.yaml", ""))
    objectives_node = _Node(docs["objectives.yaml"], "objectives.yaml", "")
    account_kinds = _account_kinds(objectives_node.require("account_kinds"))
    organisation_kinds = _organisation_kinds(objectives_node.get("organisation_kinds"))
    networks_node = _Node(docs["networks.yaml"], "networks.yaml", "")
    sectors = _sectors(networks_node.get("sectors"))
    ctx = _Context(sources=set(sources), account_kinds=set(account_kinds), sectors=set(sectors))
    objectives = _objectives(objectives_node.require("objectives"), ctx)
    ctx.objectives = set(objectives)
    common_actions = tuple(
        _action(node, ctx) for node in objectives_node.require("common_actions").items()
    )
    networks = _networks(networks_node.require("networks"), ctx)
    ctx.networks = set(networks)
    settings = _settings(networks_node.get("settings"))
    rules_node = _Node(docs["rules.yaml"], "rules.yaml", "")
    rules = tuple(_rule(node, ctx) for node in rules_node.require("rules").items())
    livetweet = _livetweet(rules_node.require("livetweet"), ctx)
    return KnowledgeBase(
        folder=base,
        sources=sources,
        networks=networks,
        objectives=objectives,
        account_kinds=account_kinds,
        common_actions=common_actions,
        rules=rules,
        livetweet=livetweet,
        settings=settings,
        organisation_kinds=organisation_kinds,
        sectors=sectors,
    )


# -- reading with the position of every value -----------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text until checked with their key."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            i18n.t(
                "missing knowledge-base file (a knowledge base folder holds {files})",
                files=", ".join(FILES),
            ),
            where=str(path),
        ) from None
    except UnicodeDecodeError:
        raise InputError(i18n.t("is not UTF-8 text"), where=str(path)) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            i18n.t("is not valid YAML: {problem}", problem=problem), where=where
        ) from None


@dataclass(slots=True)
class _Context:
    sources: set[str]
    account_kinds: set[str]
    sectors: set[str] = field(default_factory=set)
    objectives: set[str] = field(default_factory=set)
    networks: set[str] = field(default_factory=set)


class _Node:
    """A YAML value with the file and the key path it came from, for error messages."""

    def __init__(self, value: Any, file: str, path: str) -> None:
        self.value = value
        self.file = file
        self.path = path

    def fail(self, message: str) -> InputError:
        return InputError(f"{self.path or '(top)'}: {message}", where=self.file)

    def child(self, key: str | int) -> _Node:
        if isinstance(key, int):
            path = f"{self.path}[{key}]"
        else:
            path = f"{self.path}.{key}" if self.path else key
        value: Any = None
        if isinstance(self.value, dict):
            value = self.value.get(key)
        elif isinstance(self.value, list) and isinstance(key, int):
            value = self.value[key]
        return _Node(value, self.file, path)

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail(f"expected a mapping (key: value), found {_kind(self.value)}")
        return self.value

    def get(self, key: str) -> _Node | None:
        data = self.mapping()
        return self.child(key) if key in data and data[key] is not None else None

    def require(self, key: str) -> _Node:
        node = self.get(key)
        if node is None:
            raise self.fail(f"'{key}' is required")
        return node

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.mapping()) - set(allowed))
        if unknown:
            raise self.fail(
                f"unknown key(s) {', '.join(map(str, unknown))} (known: {', '.join(allowed)})"
            )

    def items(self) -> list[_Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, found {_kind(self.value)}")
        return [self.child(i) for i in range(len(self.value))]

    def entries(self) -> list[tuple[str, _Node]]:
        out = []
        for key in self.mapping():
            if not isinstance(key, str) or not _ID.match(key):
                raise self.fail(f"'{key}' is not a valid id (lower-case letters, digits, _)")
            out.append((key, self.child(key)))
        return out

    def string(self) -> str:
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            return str(self.value)
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail(f"expected a text, found {_kind(self.value)}")
        return self.value.strip()

    def text(self, variants: bool = True) -> Text:
        """``{fr: …, en: …}``, optionally with the wording of a kind of organisation:
        ``association: {fr: …, en: …}`` (also ``company``, ``public``, ``freelancer``)."""
        if isinstance(self.value, str):
            raise self.fail("expected a text in both languages: {fr: ..., en: ...}")
        self.only("fr", "en", *(ORGANISATION_KINDS if variants else ()))
        texts = {lang: self.require(lang).checked_string() for lang in ("fr", "en")}
        own = tuple(
            (kind, node.text(variants=False))
            for kind in ORGANISATION_KINDS
            if (node := self.get(kind)) is not None
        )
        return Text(fr=texts["fr"], en=texts["en"], variants=own)

    def checked_string(self) -> str:
        """A text whose ``{placeholders}`` are ones the renderer knows how to fill."""
        value = self.string()
        for name in _PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                raise self.fail(
                    f"unknown placeholder {{{name}}} (known: "
                    + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                    + ")"
                )
        return value

    def number(self, low: float, high: float) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"expected a number, found {_kind(value)}")
        if not low <= value <= high:
            raise self.fail(f"{value} is out of range ({low} to {high})")
        return float(value)

    def integer(self, low: int, high: int) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"expected a whole number, found {_kind(self.value)}")
        return int(self.number(low, high))

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, found {_kind(self.value)}")
        return self.value

    def day(self) -> date:
        value = self.value
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(f"expected a date YYYY-MM-DD, found {value!r}")

    def strings(self) -> tuple[str, ...]:
        return tuple(node.string() for node in self.items())

    def ids(self, known: set[str], what: str) -> tuple[str, ...]:
        out = []
        for node in self.items():
            value = node.string()
            if value not in known:
                raise node.fail(f"unknown {what} '{value}' (known: {', '.join(sorted(known))})")
            out.append(value)
        return tuple(out)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _sourced(node: _Node, ctx: _Context) -> tuple[str, date]:
    source_node = node.require("source")
    source = source_node.string()
    if source not in ctx.sources:
        raise source_node.fail(
            f"unknown source '{source}' (sources.yaml knows: {', '.join(sorted(ctx.sources))})"
        )
    return source, node.require("checked").day()


# -- the four files ------------------------------------------------------------------------


def _sources(root: _Node) -> dict[str, Source]:
    out = {}
    for key, node in root.require("sources").entries():
        node.only("kind", "title", "url")
        url = node.get("url")
        out[key] = Source(
            id=key,
            kind=node.require("kind").string(),
            title=node.require("title").text(),
            url=url.string() if url else None,
        )
    return out


def _account_kinds(root: _Node) -> dict[str, AccountKind]:
    out = {}
    for key, node in root.entries():
        node.only("label", "why")
        out[key] = AccountKind(key, node.require("label").text(), node.require("why").text())
    return out


def _weights(node: _Node, known: set[str], what: str, low: float) -> dict[str, float]:
    out = {}
    for key, value in node.entries():
        if key not in known:
            raise value.fail(f"unknown {what} '{key}' (known: {', '.join(sorted(known))})")
        out[key] = value.number(low, 3)
    return out


def _action(node: _Node, ctx: _Context) -> Action:
    node.only("priority", "text", "kinds", "organisations", "source", "checked")
    source, checked = _sourced(node, ctx) if node.get("source") else (None, None)
    kinds = node.get("kinds")
    organisations = node.get("organisations")
    return Action(
        node.require("priority").integer(0, 1000),
        node.require("text").text(),
        kinds.ids(set(KINDS), "objective kind") if kinds else None,
        organisations.ids(set(ORGANISATION_KINDS), "kind of organisation")
        if organisations
        else None,
        source,
        checked,
    )


def _objectives(root: _Node, ctx: _Context) -> dict[str, Objective]:
    out = {}
    for key, node in root.entries():
        node.only(
            "label", "kind", "aliases", "accounts", "promotional_share", "promotional", "content",
            "actions", "watch", "source", "checked",
        )  # fmt: skip
        kind_node = node.require("kind")
        kind = kind_node.string()
        if kind not in KINDS:
            raise kind_node.fail(f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
        share = node.get("promotional_share")
        promotional = node.get("promotional")
        aliases = node.get("aliases")
        actions = node.get("actions")
        source, checked = _sourced(node, ctx)
        out[key] = Objective(
            id=key,
            label=node.require("label").text(),
            kind=kind,
            aliases=aliases.strings() if aliases else (),
            accounts=_weights(node.require("accounts"), ctx.account_kinds, "account kind", 0),
            content=node.require("content").text(),
            actions=tuple(_action(a, ctx) for a in actions.items()) if actions else (),
            source=source,
            checked=checked,
            promotional_share=share.number(0, 1) if share else None,
            promotional=promotional.text() if promotional else None,
            watch=_watch(node.get("watch")),
        )
    return out


def _watch(node: _Node | None) -> WatchTerms | None:
    if node is None:
        return None
    node.only("fr", "en", "use_keywords", "use_regions", "use_name", "use_site")
    flags = {
        name: flag.boolean()
        for name in ("use_keywords", "use_regions", "use_name", "use_site")
        if (flag := node.get(name)) is not None
    }
    fr, en = node.get("fr"), node.get("en")
    return WatchTerms(
        fr=fr.strings() if fr else (),
        en=en.strings() if en else (),
        **flags,
    )


def _networks(root: _Node, ctx: _Context) -> dict[str, Network]:
    out = {}
    for key, node in root.entries():
        node.only(
            "name", "counting", "accounts", "audience", "formats", "features", "cadence",
            "facts", "setup",
        )  # fmt: skip
        try:  # ids and names come from the one registry of networks
            network = registry.get(key)
        except UsageError as exc:
            raise node.fail(str(exc)) from None
        cadence_node = node.require("cadence")
        cadence_node.only("per_week", "text", "source", "checked")
        per_week = cadence_node.require("per_week")
        low_high = [n.integer(0, 100) for n in per_week.items()]
        if len(low_high) != 2 or low_high[0] > low_high[1]:
            raise per_week.fail("expected [least, most] posts a week, e.g. [2, 4]")
        source, checked = _sourced(cadence_node, ctx)
        features = node.get("features")
        facts_node = node.require("facts")
        facts = tuple(_fact(f, network.id, ctx) for f in facts_node.items())
        seen: set[str] = set()
        for fact, fact_node in zip(facts, facts_node.items(), strict=True):
            if fact.id in seen:
                raise fact_node.fail(f"fact id '{fact.id}' is used twice in this network")
            seen.add(fact.id)
        out[network.id] = Network(
            id=network.id,
            name=Text(network.long_name("fr"), network.long_name("en")),
            counting=network.id if network.limit is not None else None,
            accounts=node.require("accounts").ids(ctx.account_kinds, "account kind"),
            audience=node.require("audience").text(),
            formats=node.require("formats").text(),
            features=tuple(f.text() for f in features.items()) if features else (),
            cadence=Cadence(
                (low_high[0], low_high[1]), cadence_node.require("text").text(), source, checked
            ),
            facts=facts,
            setup=tuple(s.text() for s in node.require("setup").items()),
        )
    return out


def _fact(node: _Node, network: str, ctx: _Context) -> Fact:
    node.only("id", "text", "supports", "bonus", "when", "source", "checked")
    fact_id = node.require("id").string()
    supports = node.get("supports")
    bonus = node.get("bonus")
    if supports is None and bonus is None:
        raise node.fail("a fact needs 'supports' (objective: weight) or 'bonus' (or both)")
    source, checked = _sourced(node, ctx)
    return Fact(
        id=fact_id,
        network=network,
        text=node.require("text").text(),
        source=source,
        checked=checked,
        supports=_weights(supports, ctx.objectives, "objective", -3) if supports else {},
        bonus=bonus.number(-5, 5) if bonus else 0.0,
        when=_when(node.get("when"), ctx),
    )


def _when(node: _Node | None, ctx: _Context) -> dict[str, Any]:
    if node is None:
        return {}
    node.only(*WHEN_KEYS)
    out: dict[str, Any] = {}
    for key, value in node.entries():
        if key == "has_regions":
            out[key] = value.boolean()
        elif key == "sectors":
            out[key] = value.ids(ctx.sectors, "sector")
        elif key == "kinds":
            out[key] = value.ids(set(ORGANISATION_KINDS), "kind of organisation")
        else:
            out[key] = value.strings()
    return out


def _sectors(node: _Node | None) -> dict[str, Sector]:
    if node is None:
        return {}
    out = {}
    for key, value in node.entries():
        value.only("label", "words")
        out[key] = Sector(key, value.require("label").text(), value.require("words").strings())
    return out


def _organisation_kinds(root: _Node | None) -> dict[str, OrganisationKind]:
    if root is None:  # a copy exported before kinds of organisation: {public}, {team} stay empty
        return {}
    out = {}
    for key, node in root.entries():
        if key not in ORGANISATION_KINDS:
            raise node.fail(
                f"unknown kind of organisation '{key}' (known: {', '.join(ORGANISATION_KINDS)})"
            )
        node.only("label", "public", "team")
        out[key] = OrganisationKind(
            key,
            node.require("label").text(variants=False),
            node.require("public").text(variants=False),
            node.require("team").text(variants=False),
        )
    missing = [kind for kind in ORGANISATION_KINDS if kind not in out]
    if missing:
        raise root.fail(f"missing kind(s) of organisation: {', '.join(missing)}")
    return out


def _settings(node: _Node | None) -> Settings:
    if node is None:
        return Settings()
    node.only("evidence_min_posts", "evidence_max_bonus", "recommended", "min_score")
    values: dict[str, Any] = {}
    if (n := node.get("evidence_min_posts")) is not None:
        values["evidence_min_posts"] = n.integer(1, 1_000_000)
    if (n := node.get("evidence_max_bonus")) is not None:
        values["evidence_max_bonus"] = n.number(0, 10)
    if (n := node.get("recommended")) is not None:
        values["recommended"] = n.integer(1, 12)
    if (n := node.get("min_score")) is not None:
        values["min_score"] = n.number(0, 100)
    return Settings(**values)


def _rule(node: _Node, ctx: _Context) -> Rule:
    node.only("id", "text", "networks", "objectives", "limits", "source", "checked")
    source, checked = _sourced(node, ctx)
    networks = node.get("networks")
    objectives = node.get("objectives")
    limits = node.get("limits")
    return Rule(
        id=node.require("id").string(),
        text=node.require("text").text(),
        source=source,
        checked=checked,
        networks=networks.ids(ctx.networks, "network") if networks else None,
        objectives=objectives.ids(ctx.objectives, "objective") if objectives else None,
        limits=limits.boolean() if limits else False,
    )


def _livetweet(node: _Node, ctx: _Context) -> LiveTweet:
    node.only("before", "syntax", "during", "after", "source", "checked")
    source, checked = _sourced(node, ctx)

    def texts(key: str) -> tuple[Text, ...]:
        return tuple(n.text() for n in node.require(key).items())

    return LiveTweet(
        before=texts("before"),
        syntax=node.require("syntax").text(),
        during=texts("during"),
        after=texts("after"),
        source=source,
        checked=checked,
    )
