"""The accounts that matter on a watch's topic — pure.

Who to follow, invite or recruit: accounts ranked by

* ``posts`` — their own posts on the topic (reposts and copies of others' posts excluded);
* ``amplification`` — what others did with them: reposts of their posts (records pointing at
  them, ``RT @them`` copies and the reposts counted by the network) and mentions of them;
* ``consistency`` — on how many distinct days of the window they posted: an account that
  writes on the topic every week counts more than one loud day.

One person often has an account on several networks; accounts that share a display name
(case and accents ignored) are one person, with a handle per network.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from veilleur.watch.fingerprint import fold_word

_RT = re.compile(r"^\s*RT\s*:?\s*@([\w.@-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Activity:
    """One post of the watch, as the ranking of accounts sees it."""

    network: str
    author: str
    author_name: str | None
    time: datetime
    post_id: str
    text: str
    mentions: tuple[str, ...]  # handles mentioned (``marie`` or ``marie@instance``)
    repost_of: str | None
    is_copy: bool  # a near-duplicate of an earlier post by someone else
    reposts: int  # reposts the network counted


@dataclass(slots=True)
class Expert:
    name: str
    handles: dict[str, str] = field(default_factory=dict)  # network -> handle
    posts: int = 0
    reposted: int = 0
    mentioned: int = 0
    days: int = 0
    score: float = 0.0


def _key(handle: str) -> str:
    return handle.lstrip("@").casefold()


def _person(name: str | None, handle: str) -> str:
    if name and name.strip():
        return " ".join(fold_word(w) for w in name.split())
    return "@" + _key(handle)


def rank_accounts(activities: Iterable[Activity], *, limit: int = 10) -> list[Expert]:
    """Accounts with at least one post of their own on the topic, best first."""
    items = list(activities)
    owner_of_post: dict[str, tuple[str, str]] = {}
    persons: dict[str, Expert] = {}
    person_of_handle: dict[str, str] = {}
    days: dict[str, set[str]] = defaultdict(set)
    for a in items:
        person = _person(a.author_name, a.author)
        owner_of_post[a.post_id] = (a.network, a.author)
        person_of_handle.setdefault(_key(a.author), person)
        local = _key(a.author).split("@", 1)[0].split(".", 1)[0]
        person_of_handle.setdefault(local, person)
        expert = persons.setdefault(person, Expert(a.author_name or "@" + a.author))
        expert.handles.setdefault(a.network, a.author)
    for a in items:
        person = person_of_handle[_key(a.author)]
        expert = persons[person]
        rt = _RT.match(a.text)
        if a.repost_of or rt or a.is_copy:
            target = None
            if a.repost_of and a.repost_of in owner_of_post:
                target = person_of_handle.get(_key(owner_of_post[a.repost_of][1]))
            elif rt:
                target = _lookup(person_of_handle, rt.group(1))
            if target is not None and target != person:
                persons[target].reposted += 1
            continue
        expert.posts += 1
        expert.reposted += max(a.reposts, 0)
        days[person].add(a.time.date().isoformat())
        for mention in a.mentions:
            target = _lookup(person_of_handle, mention)
            if target is not None and target != person:
                persons[target].mentioned += 1
    found = [e for e in persons.values() if e.posts > 0]
    total_days = len({d for ds in days.values() for d in ds}) or 1
    for person, expert in persons.items():
        expert.days = len(days.get(person, ()))
        expert.score = round(
            math.log1p(expert.posts)
            + 0.6 * math.log1p(expert.reposted)
            + 0.8 * math.log1p(expert.mentioned)
            + 2.0 * expert.days / total_days,
            3,
        )
    found.sort(key=lambda e: (-e.score, e.name))
    return found[:limit]


def _lookup(person_of_handle: dict[str, str], handle: str) -> str | None:
    key = _key(handle)
    found = person_of_handle.get(key)
    if found is None:
        found = person_of_handle.get(key.split("@", 1)[0].split(".", 1)[0])
    return found
