"""The directory of people and organisations: one entry, a handle per network.

A YAML or TOML file in the workspace (``directory.yaml`` or ``directory.toml``)::

    anne:
      name: Anne Dupont
      x: anne_dupont
      mastodon: anne@piaille.fr
      bluesky: anne.bsky.social
      linkedin: urn:li:person:8675309   # a LinkedIn mention needs the member's URN
      instagram: anne.dupont

A text mentions ``@anne`` (the entry's key) or any of her handles; each network's rendering
gets her handle on that network (``@anne_dupont`` on X, ``@anne@piaille.fr`` on Mastodon,
``@anne.bsky.social`` on Bluesky) or, where she has none, her name as plain text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from veilleur.errors import InputError
from veilleur.i18n import t

NAMES = ("directory.yaml", "directory.yml", "directory.toml")
HANDLE_KEYS = ("x", "mastodon", "bluesky", "linkedin", "threads", "facebook", "instagram")


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    handles: dict[str, str] = field(default_factory=dict)
    bluesky_did: str | None = None

    def mention(self, network: str) -> str:
        """How to name this person in a post on ``network``."""
        handle = self.handles.get(network)
        if not handle:
            return self.name
        if network in ("linkedin", "facebook"):
            # Neither renders a typed @handle as a mention in a pasted text: the name reads
            # better (the LinkedIn API form is built from the URN separately).
            return self.name
        return "@" + handle.lstrip("@")


@dataclass(slots=True)
class Directory:
    people: dict[str, Person] = field(default_factory=dict)
    _index: dict[str, Person] = field(default_factory=dict)

    def add(self, person: Person) -> None:
        self.people[person.key] = person
        self._index[person.key.lower()] = person
        for network, handle in person.handles.items():
            if network == "linkedin":
                continue
            local = handle.lstrip("@").lower()
            self._index.setdefault(local, person)
            if network == "mastodon":
                self._index.setdefault(local.split("@")[0], person)

    def lookup(self, mention: str, instance: str | None = None) -> Person | None:
        """The person a mention (without @) names: by key, handle or Mastodon address."""
        value = mention.lower()
        if instance:
            found = self._index.get(f"{value}@{instance.lower()}")
            if found:
                return found
        return self._index.get(value)


def _entry(key: str, raw: Any, where: str) -> Person:
    if not isinstance(raw, dict):
        raise InputError(t("entry '{key}' should be a table of handles", key=key), where=where)
    name = str(raw.get("name") or key)
    handles: dict[str, str] = {}
    for network in HANDLE_KEYS:
        value = raw.get(network)
        if value is None:
            continue
        text = str(value).strip()
        if network == "mastodon" and text.lstrip("@").count("@") != 1:
            raise InputError(
                t(
                    "entry '{key}': a Mastodon handle is user@instance, got '{text}'",
                    key=key,
                    text=text,
                ),
                where=where,
            )
        handles[network] = text.lstrip("@") if network != "linkedin" else text
    did = raw.get("bluesky_did")
    return Person(key, name, handles, str(did) if did else None)


def load_directory(path: Path) -> Directory:
    """Read a directory file; a broken one names the file and what is wrong."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            t("cannot read the directory: {reason}", reason=exc.strerror), where=where
        ) from None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            t("not valid {format}: {error}", format=path.suffix.lstrip(".").upper(), error=exc),
            where=where,
        ) from None
    if not isinstance(data, dict):
        raise InputError(t("expected a table of people, each with its handles"), where=where)
    directory = Directory()
    for key, raw in data.items():
        directory.add(_entry(str(key), raw, where))
    return directory


def find_directory(workspace: Path) -> Directory:
    """The workspace's directory file, or an empty directory when there is none."""
    for name in NAMES:
        path = workspace / name
        if path.exists():
            return load_directory(path)
    return Directory()
