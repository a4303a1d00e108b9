"""X's weighted length (twitter-text ``parseTweet``), for the v1, v2 and v3 configurations.

How X counts: the text is NFC-normalised; a URL weighs ``transformedURLLength`` (23) whatever
its length; with v3 an emoji sequence (👨‍👩‍👧‍👦, 🇫🇷, 1⃣) weighs as one character of the
default weight; any other character weighs per the configured code-point ranges (Latin,
punctuation: 1; CJK, emoji, everything else: 2). Lengths are scaled integers (weights 100
and 200, scale 100).

``display_range`` and ``valid_range`` are inclusive indices in **UTF-16 code units of the
original text**, as twitter-text defines them (that is what X's web composer highlights);
:func:`utf16_to_index` converts them to Python indices.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import regex

from veilleur.text.extractor import extract_urls
from veilleur.text.patterns import EMOJI

__all__ = ["V1", "V2", "V3", "WeightRange", "XConfig", "XResult", "parse_x", "utf16_to_index"]


@dataclass(frozen=True, slots=True)
class WeightRange:
    """Code points ``start..end`` (inclusive) weigh ``weight``."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True, slots=True)
class XConfig:
    """A twitter-text configuration (the v1/v2/v3 JSON files, field for field)."""

    version: int
    max_weighted_length: int
    scale: int
    default_weight: int
    transformed_url_length: int
    ranges: tuple[WeightRange, ...]
    emoji_parsing: bool = False

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> XConfig:
        """Read twitter-text's JSON configuration (``maxWeightedTweetLength``...)."""
        return cls(
            version=int(data.get("version", 0)),
            max_weighted_length=int(data["maxWeightedTweetLength"]),
            scale=int(data["scale"]),
            default_weight=int(data["defaultWeight"]),
            transformed_url_length=int(data["transformedURLLength"]),
            ranges=tuple(
                WeightRange(int(r["start"]), int(r["end"]), int(r["weight"]))
                for r in data.get("ranges", ())
            ),
            emoji_parsing=bool(data.get("emojiParsingEnabled", False)),
        )


V1 = XConfig(1, 140, 1, 1, 23, ())
V2 = XConfig(
    2,
    280,
    100,
    200,
    23,
    (
        WeightRange(0, 4351, 100),
        WeightRange(8192, 8205, 100),
        WeightRange(8208, 8223, 100),
        WeightRange(8242, 8247, 100),
    ),
)
V3 = replace(V2, version=3, emoji_parsing=True)
CONFIGS = {"v1": V1, "v2": V2, "v3": V3}

_INVALID = regex.compile("[\ufffe\ufeff\uffff]")


@dataclass(frozen=True, slots=True)
class XResult:
    """``parseTweet``'s answer."""

    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]


class _Weights(dict[str, int]):
    """Weight of each character under one configuration, learnt on first use."""

    def __init__(self, config: XConfig) -> None:
        super().__init__()
        self.config = config

    def __missing__(self, char: str) -> int:
        code = ord(char)
        weight = self.config.default_weight
        if code <= 0xFFFF:  # twitter-text weighs an astral character by its low surrogate
            for r in self.config.ranges:
                if r.start <= code <= r.end:
                    weight = r.weight
                    break
        self[char] = weight
        return weight


_TABLES: dict[XConfig, _Weights] = {}


def _table(config: XConfig) -> _Weights:
    table = _TABLES.get(config)
    if table is None:
        table = _TABLES[config] = _Weights(config)
    return table


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def utf16_to_index(text: str, unit: int) -> int:
    """The Python index of the character holding UTF-16 code unit ``unit`` of ``text``."""
    seen = 0
    for index, char in enumerate(text):
        seen += 2 if ord(char) > 0xFFFF else 1
        if seen > unit:
            return index
    return len(text)


def _spans(text: str, config: XConfig) -> list[tuple[int, int, int]]:
    """(start, end, weight) of URLs and, with emoji parsing, emoji sequences; in order."""
    url_weight = config.transformed_url_length * config.scale
    spans = [(u.start, u.end, url_weight) for u in extract_urls(text)]
    if config.emoji_parsing and not text.isascii():
        taken = spans
        emoji: list[tuple[int, int, int]] = []
        index = 0
        for match in EMOJI.finditer(text):
            start, end = match.span()
            while index < len(taken) and taken[index][1] <= start:
                index += 1
            if index < len(taken) and taken[index][0] <= start:
                continue  # inside a URL: the URL is counted as a whole
            emoji.append((start, end, config.default_weight))
        spans = sorted(spans + emoji)
    return spans


def _chunk_weight(chunk: str, table: _Weights) -> int:
    if not chunk:
        return 0
    if chunk.isascii():
        first = table[chunk[0]]
        if all(table[c] == first for c in _ASCII_PROBES):
            return first * len(chunk)
    return sum(map(table.__getitem__, chunk))


_ASCII_PROBES = "\x00 ~\x7f"


def parse_x(text: str, config: XConfig = V3) -> XResult:
    """X's weighted length, validity, permillage and ranges for ``text``."""
    normalized = text if text.isascii() else unicodedata.normalize("NFC", text)
    table = _table(config)
    spans = _spans(normalized, config)
    total = 0
    pos = 0
    for start, end, weight in spans:
        total += _chunk_weight(normalized[pos:start], table) + weight
        pos = end
    total += _chunk_weight(normalized[pos:], table)

    has_invalid = _INVALID.search(normalized) is not None
    limit = config.max_weighted_length * config.scale
    if not has_invalid and total <= limit:
        valid_end = _utf16_len(normalized) - 1 if normalized else 0
    else:
        valid_end = _walk_valid_end(normalized, spans, table, limit)
    valid_end += _utf16_len(text) - _utf16_len(normalized)

    weighted = total // config.scale
    valid = not has_invalid and 0 < weighted <= config.max_weighted_length
    permillage = math.floor(weighted / config.max_weighted_length * 1000)
    display_end = _utf16_len(text) - 1 if text else 0
    return XResult(weighted, valid, permillage, (0, display_end), (0, valid_end))


def _walk_valid_end(
    text: str, spans: list[tuple[int, int, int]], table: _Weights, limit: int
) -> int:
    """The last UTF-16 index still within the limit, before any invalid character."""
    by_start = {start: (end, weight) for start, end, weight in spans}
    total = 0
    unit = -1  # UTF-16 index of the last unit consumed
    valid_end = 0
    index = 0
    while index < len(text):
        span = by_start.get(index)
        if span is not None:
            end, weight = span
            unit += _utf16_len(text[index:end])
            last = text[end - 1]
            index = end
        else:
            last = text[index]
            weight = table[last]
            unit += 2 if ord(last) > 0xFFFF else 1
            index += 1
        total += weight
        if last in "\ufffe\ufeff\uffff":
            break
        if total <= limit:
            valid_end = unit
    return valid_end
