"""twitter-text's conformance suite, run as it is from ../shared (never copied here).

Every case is its own test id (``extract/urls/12`` ...). When ../shared is absent the cases
collapse to one test that skips with the reason (and fails in CI, where it must be present).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from veilleur.text import count
from veilleur.text.counting import XConfig
from veilleur.text.extractor import (
    extract_cashtags,
    extract_hashtags,
    extract_mentions,
    extract_reply,
    extract_urls,
)
from veilleur.text.tld_list import TLDS
from veilleur.text.validation import (
    is_valid_hashtag,
    is_valid_list,
    is_valid_tweet,
    is_valid_url,
    is_valid_username,
)

from .conftest import SHARED, shared_path

FOLDER = ("conformance", "twitter-text")


@cache
def _load(name: str) -> dict[str, list[dict[str, Any]]]:
    with (SHARED.joinpath(*FOLDER) / name).open(encoding="utf-8") as handle:
        tests: dict[str, list[dict[str, Any]]] = yaml.safe_load(handle)["tests"]
    return tests


def _cases(name: str) -> list[Any]:
    if not SHARED.joinpath(*FOLDER, name).exists():
        return [pytest.param(None, None, id=f"{name}-absent")]
    return [
        pytest.param(group, case, id=f"{group}/{i}")
        for group, cases in _load(name).items()
        for i, case in enumerate(cases)
    ]


def _present(name: str) -> None:
    shared_path(*FOLDER, name)  # skips (or fails in CI) with the reason when absent


def _config(version: str) -> XConfig:
    path = shared_path(*FOLDER, f"{version}.json")
    return XConfig.from_mapping(json.loads(Path(path).read_text(encoding="utf-8")))


def test_the_suite_has_every_case() -> None:
    """The issue promises 238 + 1,574 + 97 cases: a truncated copy must not pass silently."""
    _present("extract.yml")
    assert sum(len(v) for v in _load("extract.yml").values()) == 238
    assert sum(len(v) for v in _load("tlds.yml").values()) == 1574
    assert sum(len(v) for v in _load("validate.yml").values()) == 97


@pytest.mark.parametrize(("group", "case"), _cases("extract.yml"))
def test_extract(group: str, case: dict[str, Any]) -> None:
    _present("extract.yml")
    text, expected = case["text"], case["expected"]
    if group == "mentions":
        got: Any = [m.value for m in extract_mentions(text, network="x", lists=False)]
    elif group == "mentions_with_indices":
        got = [
            {"screen_name": m.value, "indices": [m.start, m.end]}
            for m in extract_mentions(text, network="x", lists=False)
        ]
    elif group == "mentions_or_lists_with_indices":
        got = [
            {"screen_name": m.value, "list_slug": m.list_slug or "", "indices": [m.start, m.end]}
            for m in extract_mentions(text, network="x")
        ]
    elif group == "replies":
        got = extract_reply(text)
    elif group in ("urls", "tco_urls_with_params"):
        got = [u.value for u in extract_urls(text)]
    elif group in ("urls_with_indices", "urls_with_directional_markers"):
        got = [{"url": u.value, "indices": [u.start, u.end]} for u in extract_urls(text)]
    elif group in ("hashtags", "hashtags_from_astral"):
        got = [h.value for h in extract_hashtags(text)]
    elif group == "hashtags_with_indices":
        got = [{"hashtag": h.value, "indices": [h.start, h.end]} for h in extract_hashtags(text)]
    elif group == "cashtags":
        got = [c.value for c in extract_cashtags(text)]
    elif group == "cashtags_with_indices":
        got = [{"cashtag": c.value, "indices": [c.start, c.end]} for c in extract_cashtags(text)]
    else:
        pytest.fail(f"unknown group {group!r} in extract.yml: the runner must learn it")
    assert got == expected, case["description"]


@pytest.mark.parametrize(("group", "case"), _cases("tlds.yml"))
def test_tlds(group: str, case: dict[str, Any]) -> None:
    _present("tlds.yml")
    assert [u.value for u in extract_urls(case["text"])] == case["expected"], case["description"]


def test_generated_tld_list_covers_twitter_text() -> None:
    """scripts/generate_tlds.py must keep every TLD of the suite (the list ships in-package)."""
    _present("tlds.yml")
    known = {t.lower() for t in TLDS}
    wanted = {c["text"].split(".", 1)[1].lower() for v in _load("tlds.yml").values() for c in v}
    assert sorted(wanted - known) == []


_COUNTER_CONFIG = {
    "WeightedTweetsCounterTest": "v2",
    "WeightedTweetsWithDiscountedEmojiCounterTest": "v3",
    "UnicodeDirectionalMarkerCounterTest": "v3",
}


@pytest.mark.parametrize(("group", "case"), _cases("validate.yml"))
def test_validate(group: str, case: dict[str, Any]) -> None:
    _present("validate.yml")
    text, expected = case["text"], case["expected"]
    if group in _COUNTER_CONFIG:
        result = count(text, "x", config=_config(_COUNTER_CONFIG[group]))
        got: Any = {
            "weightedLength": result.weighted_length,
            "valid": result.valid,
            "permillage": result.permillage,
            "displayRangeStart": result.display_range[0],
            "displayRangeEnd": result.display_range[1],
            "validRangeStart": result.valid_range[0],
            "validRangeEnd": result.valid_range[1],
        }
    elif group == "tweets":
        got = is_valid_tweet(text, config=_config("v1"))
    elif group == "usernames":
        got = is_valid_username(text)
    elif group == "lists":
        got = is_valid_list(text)
    elif group == "hashtags":
        got = is_valid_hashtag(text)
    elif group == "urls":
        got = is_valid_url(text)
    elif group == "urls_without_protocol":
        got = is_valid_url(text, require_protocol=False)
    else:
        pytest.fail(f"unknown group {group!r} in validate.yml: the runner must learn it")
    assert got == expected, case["description"]
