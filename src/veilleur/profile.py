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
