"""Organisation profiles: the TOML file the advisor and the audit both read.

```toml
name = "Dupont Usinage"
kind = "entreprise"        # company, association, public body, freelancer (French or English)
positioning = "Sous-traitant en usinage de précision pour l'aéronautique"
keywords = ["usinage", "aéronautique", "précision"]
goals = ["recruit_local", "employer_brand"]
sector = "industrie"
audiences = ["opérateurs", "techniciens"]
regions = ["Haute-Loire"]
languages = ["fr"]

[accounts]
linkedin = "dupont-usinage"
x = "DupontUsinage"
```
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from veilleur.errors import InputError
from veilleur.i18n import _, t
from veilleur.model import Profile

_LISTS = ("keywords", "goals", "audiences", "regions", "languages")
_TEXTS = ("positioning", "sector")
KNOWN = {"name", "accounts", "kind", "region", *_LISTS, *_TEXTS}

KINDS: dict[str, tuple[str, ...]] = {
    "company": (
        "entreprise", "société", "societe", "pme", "tpe", "eti", "commerce", "business", "firm",
        "sme",
    ),
    "association": ("asso", "assoc", "association loi 1901", "club", "non-profit", "nonprofit",
                    "charity", "ngo", "ong"),
    "public": (
        "public body", "organisme public", "collectivité", "collectivite", "mairie", "commune",
        "administration", "établissement public", "etablissement public", "service public",
        "public sector", "local authority",
    ),
    "freelancer": (
        "indépendant", "independant", "indépendante", "independante", "freelance",
        "auto-entrepreneur", "autoentrepreneur", "micro-entrepreneur", "consultant indépendant",
        "self-employed", "sole trader",
    ),
}  # fmt: skip
"""The kinds of organisation (``kind`` in a profile): id -> the other names it may be given."""


def organisation_kind(value: str) -> str | None:
    """The kind id for an id or an alias (French or English, accents and case ignored)."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold().strip())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    wanted = fold(value).replace("_", " ")
    for kind, aliases in KINDS.items():
        if wanted == kind or wanted in {fold(a) for a in aliases}:
            return kind
    return None


def load_profile(path: Path | str) -> Profile:
    """Read and check a profile; errors name the file and the key at fault."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(_("no such profile file"), where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(_("is not UTF-8 text"), where=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(t("is not valid TOML: {reason}", reason=exc), where=str(path)) from None
    return profile_from_mapping(data, where=str(path))


def profile_from_mapping(data: dict[str, Any], where: str = "profile") -> Profile:
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise InputError(
            t(
                "unknown key(s) {keys} (known: {known})",
                keys=", ".join(unknown),
                known=", ".join(sorted(KNOWN)),
            ),
            where=where,
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(_("'name' is required: the organisation's name"), where=where)
    values: dict[str, Any] = {}
    if "region" in data:  # one region: the singular spelling is accepted too
        if "regions" in data:
            raise InputError("give 'regions' or 'region', not both", where=where)
        data = {**data, "regions": data["region"]}
    for key in _LISTS:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(t("'{key}' must be a list of texts", key=key), where=where)
        values[key] = [v.strip() for v in value if v.strip()]
    for key in _TEXTS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(t("'{key}' must be text", key=key), where=where)
        values[key] = value
    kind = data.get("kind", "company")
    found = organisation_kind(kind) if isinstance(kind, str) else None
    if found is None:
        raise InputError(
            f"'kind' must be one of {', '.join(KINDS)} (or a French name: entreprise, "
            f"association, collectivité, indépendant), not {kind!r}",
            where=where,
        )
    accounts = data.get("accounts", {})
    if not isinstance(accounts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in accounts.items()
    ):
        raise InputError(_("'accounts' must be a table of network = \"handle\""), where=where)
    return Profile(
        name=name.strip(),
        positioning=values["positioning"] or "",
        kind=found,
        sector=values["sector"],
        accounts=dict(accounts),
        **{key: values[key] for key in _LISTS},
    )


def profile_toml(profile: Profile) -> str:
    """The profile as a TOML file :func:`load_profile` reads back."""

    def s(value: str) -> str:  # TOML refuses some control characters (DEL) even escaped
        return json.dumps(_without_controls(value), ensure_ascii=False)

    def lst(values: list[str]) -> str:
        return "[" + ", ".join(s(v) for v in values) + "]"

    lines = [f"name = {s(profile.name)}", f"kind = {s(profile.kind)}"]
    if profile.positioning:
        lines.append(f"positioning = {s(profile.positioning)}")
    if profile.sector:
        lines.append(f"sector = {s(profile.sector)}")
    for key in ("keywords", "goals", "audiences", "regions", "languages"):
        values = getattr(profile, key)
        if values:
            lines.append(f"{key} = {lst(values)}")
    if profile.accounts:
        lines.append("\n[accounts]")
        lines.extend(f"{k} = {s(v)}" for k, v in profile.accounts.items())
    return "\n".join(lines) + "\n"


PROFILES_DIR = "profiles"
"""The workspace's folder of saved profiles (``profiles/<slug>.toml``): what the web
workbench saves from its advice wizard and offers to the audit; a file there is read by
``veilleur audit --profile`` as any other."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def profile_slug(name: str) -> str:
    """The file name a profile is saved under: its name, lower case, ASCII, dashes."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:64].strip("-")
    return slug or "profil"


def workspace_profiles(folder: Path | str) -> list[tuple[str, Profile]]:
    """The profiles saved in the workspace at ``folder``, ``(slug, profile)`` by name;
    a file that does not read as a profile is left out (``veilleur audit --profile FILE``
    says what is wrong with it)."""
    found = []
    for path in sorted((Path(folder) / PROFILES_DIR).glob("*.toml")):
        if not _SLUG.match(path.stem):
            continue
        try:
            found.append((path.stem, load_profile(path)))
        except InputError:
            continue
    return sorted(found, key=lambda item: item[1].name.casefold())


def workspace_profile(folder: Path | str, slug: str) -> Profile:
    """The saved profile ``slug`` of the workspace at ``folder``."""
    if not _SLUG.match(slug):
        raise InputError(_("no such profile in the workspace"), where=slug)
    path = Path(folder) / PROFILES_DIR / f"{slug}.toml"
    if not path.is_file():
        raise InputError(_("no such profile in the workspace"), where=slug)
    return load_profile(path)


def _without_controls(value: str) -> str:
    """``value`` without control characters, but for tabs and line breaks."""
    return "".join(c for c in value if c in "\t\n\r" or unicodedata.category(c) != "Cc")


def save_workspace_profile(folder: Path | str, profile: Profile) -> str:
    """Save ``profile`` in the workspace at ``folder`` (replacing one of the same name,
    whatever its case); returns its slug. Written whole through a temporary file.

    Two names may make the same slug (« Cafe », « Café »): the second is refused rather
    than silently replacing the first. A name with a control character is refused."""
    if any(unicodedata.category(c) == "Cc" for c in profile.name):
        raise InputError(_("a profile's name cannot hold control characters"), where=profile.name)
    slug = profile_slug(profile.name)
    target = Path(folder) / PROFILES_DIR
    target.mkdir(mode=0o700, exist_ok=True)
    path = target / f"{slug}.toml"
    if path.exists():
        try:
            other = load_profile(path).name
        except InputError:
            other = None  # unreadable: replaced by a good one
        if other is not None and other.strip().casefold() != profile.name.strip().casefold():
            raise InputError(
                t(
                    "the profile “{other}” is already saved under this name: choose a name "
                    "that differs in more than accents or punctuation",
                    other=other,
                ),
                where=f"{PROFILES_DIR}/{slug}.toml",
            )
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(profile_toml(profile), encoding="utf-8")
    tmp.replace(path)
    return slug
