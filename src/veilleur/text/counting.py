"""How long a text is for each network, and whether it fits: ``count(text, network)``.

- ``x``: 280, weighted — twitter-text v3 (``rules="v2"`` or ``"v1"``), see :mod:`.xcount`.
- ``mastodon``: 500 graphemes — a URL with http(s):// counts 23, ``@user@domain`` counts as
  ``@user``; the limit is the instance's (``limit=1000``...).
- ``bluesky``: 300 graphemes and at most 3,000 UTF-8 bytes; a link is shown (and stored)
  shortened to its host + 13 characters of path + "...".
- ``threads``: 500 characters, an emoji counting its UTF-8 bytes (Meta's rule); at most 5
  distinct links.
- ``linkedin`` 3,000, ``facebook`` 63,206, ``instagram`` 2,200 (and at most 30 hashtags):
  UTF-16 code units, as their composers count (an emoji counts 2).

For X, ``display_range``/``valid_range`` are twitter-text's (inclusive UTF-16 indices). For
the other networks they are inclusive **code-point** indices of the text (Python indices):
``text[: valid_range[1] + 1]`` is the longest prefix that fits. ``problems`` names what
makes a text invalid (``empty``, ``too_long``, ``too_many_bytes``, ``too_many_links``,
``too_many_hashtags``, ``invalid_characters``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import regex

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.networks.registry import NETWORKS as REGISTRY
from veilleur.networks.registry import resolve
from veilleur.text.extractor import extract_hashtags, extract_mentions, extract_urls
from veilleur.text.patterns import EMOJI
from veilleur.text.xcount import CONFIGS, XConfig, parse_x

__all__ = ["LIMITS", "NETWORKS", "Count", "count"]

LIMITS: dict[str, int] = {n.id: n.limit for n in REGISTRY.values() if n.limit is not None}
"""The networks veilleur counts for and their limits (from :mod:`veilleur.networks`)."""
NETWORKS = tuple(LIMITS)
BLUESKY_MAX_BYTES = 3000
THREADS_MAX_LINKS = 5
INSTAGRAM_MAX_HASHTAGS = 30
MASTODON_URL_LENGTH = 23

_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Count:
    """A text's length for one network (see the module docstring for units and ranges)."""

    weighted_length: int
    limit: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]
    unit: str = "weighted"
    problems: tuple[str, ...] = ()


# A text is cut into units: (end index in code points, weight). Entities are one unit.
_Units = list[tuple[int, int]]


def _units(
    text: str,
    spans: list[tuple[int, int, int]],
    plain: Callable[[str, int, _Units], None],
) -> _Units:
    units: _Units = []
    pos = 0
    for start, end, weight in sorted(spans):
        if start < pos:
            continue
        plain(text[pos:start], pos, units)
        units.append((end, weight))
        pos = end
    plain(text[pos:], pos, units)
    return units


def _graphemes(chunk: str, offset: int, units: _Units) -> None:
    if chunk.isascii():
        units.extend((offset + i + 1, 1) for i in range(len(chunk)))
        return
    for match in _GRAPHEME.finditer(chunk):
        units.append((offset + match.end(), 1))


def _utf16(chunk: str, offset: int, units: _Units) -> None:
    units.extend((offset + i + 1, 2 if ord(c) > 0xFFFF else 1) for i, c in enumerate(chunk))


def _threads_chars(chunk: str, offset: int, units: _Units) -> None:
    pos = 0
    for match in EMOJI.finditer(chunk):
        units.extend((offset + i + 1, 1) for i in range(pos, match.start()))
        units.append((offset + match.end(), len(match.group(0).encode("utf-8"))))
        pos = match.end()
    units.extend((offset + i + 1, 1) for i in range(pos, len(chunk)))


def bluesky_short_url(url: str) -> str:
    """The link text Bluesky's app shows and stores: host + 13 chars of path + "..."."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    path = "" if parts.path == "/" else parts.path
    rest = (
        path
        + ("?" + parts.query if parts.query else "")
        + ("#" + parts.fragment if parts.fragment else "")
    )
    if len(rest) > 15:
        return parts.netloc + rest[:13] + "..."
    return parts.netloc + rest


def _finish(text: str, units: _Units, limit: int, unit: str, problems: list[str]) -> Count:
    total = sum(weight for _, weight in units)
    valid_end = 0
    running = 0
    for end, weight in units:
        running += weight
        if running > limit:
            break
        valid_end = end - 1
    if not text.strip():
        problems.insert(0, "empty")
    if total > limit:
        problems.insert(0, "too_long")
    return Count(
        weighted_length=total,
        limit=limit,
        valid=not problems,
        permillage=math.floor(total * 1000 / limit) if limit else 0,
        display_range=(0, max(len(text) - 1, 0)),
        valid_range=(0, valid_end),
        unit=unit,
        problems=tuple(problems),
    )


def count(
    text: str,
    network: str,
    *,
    rules: str = "v3",
    limit: int | None = None,
    config: XConfig | None = None,
) -> Count:
    """The length of ``text`` as ``network`` counts it, its limit and whether it fits.

    ``rules`` picks X's configuration (``v3`` default, ``v2``, ``v1``) and ``config`` gives
    one outright; ``limit`` overrides the network's default (a Mastodon instance's 1,000).
    """
    network = resolve(network, NETWORKS)
    if limit is not None and limit <= 0:
        raise UsageError(t("the limit must be a positive number, not {limit}", limit=limit))
    if network == "x":
        return _count_x(text, rules, limit, config)
    cap = limit if limit is not None else LIMITS[network]
    problems: list[str] = []
    if network == "mastodon":
        spans = [
            (u.start, u.end, MASTODON_URL_LENGTH)
            for u in extract_urls(text)
            if u.value.lower().startswith(("http://", "https://"))
        ]
        for mention in extract_mentions(text):
            if mention.instance:
                spans.append((mention.start, mention.end, 1 + len(mention.value)))
        return _finish(text, _units(text, spans, _graphemes), cap, "graphemes", problems)
    if network == "bluesky":
        spans = []
        shown = text
        for url in reversed(extract_urls(text)):
            if "://" in url.value:
                short = bluesky_short_url(url.value)
                spans.append((url.start, url.end, len(_GRAPHEME.findall(short))))
                shown = shown[: url.start] + short + shown[url.end :]
        if len(shown.encode("utf-8")) > BLUESKY_MAX_BYTES:
            problems.append("too_many_bytes")
        return _finish(text, _units(text, spans, _graphemes), cap, "graphemes", problems)
    if network == "threads":
        if len({u.value for u in extract_urls(text)}) > THREADS_MAX_LINKS:
            problems.append("too_many_links")
        return _finish(text, _units(text, [], _threads_chars), cap, "characters", problems)
    if network == "instagram" and len(extract_hashtags(text)) > INSTAGRAM_MAX_HASHTAGS:
        problems.append("too_many_hashtags")
    return _finish(text, _units(text, [], _utf16), cap, "utf16", problems)


def _count_x(text: str, rules: str, limit: int | None, config: XConfig | None) -> Count:
    if config is None:
        if rules not in CONFIGS:
            raise UsageError(
                t("unknown X rules {rules}: choose v3 (default), v2 or v1", rules=repr(rules))
            )
        config = CONFIGS[rules]
    if limit is not None:
        from dataclasses import replace

        config = replace(config, max_weighted_length=limit)
    result = parse_x(text, config)
    problems: tuple[str, ...] = ()
    if not result.valid:
        if result.weighted_length == 0:
            problems = ("empty",)
        elif result.weighted_length > config.max_weighted_length:
            problems = ("too_long",)
        else:
            problems = ("invalid_characters",)
    return Count(
        weighted_length=result.weighted_length,
        limit=config.max_weighted_length,
        valid=result.valid,
        permillage=result.permillage,
        display_range=result.display_range,
        valid_range=result.valid_range,
        unit="weighted",
        problems=problems,
    )
