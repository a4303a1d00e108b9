"""Organisation profiles: the TOML file the advisor and the audit both read.

```toml
name = "Dupont Usinage"
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
from pathlib import Path
from typing import Any

from veilleur.errors import InputError
from veilleur.i18n import _, t
from veilleur.model import Profile

_LISTS = ("keywords", "goals", "audiences", "regions", "languages")
_TEXTS = ("positioning", "sector")
KNOWN = {"name", "accounts", *_LISTS, *_TEXTS}


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
    accounts = data.get("accounts", {})
    if not isinstance(accounts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in accounts.items()
    ):
        raise InputError(_("'accounts' must be a table of network = \"handle\""), where=where)
    return Profile(
        name=name.strip(),
        positioning=values["positioning"] or "",
        sector=values["sector"],
        accounts=dict(accounts),
        **{key: values[key] for key in _LISTS},
    )
