"""X archives: long posts (note-tweet.js) joined to their tweet in every shape a real archive
has — a plain "…", "Check… URL" (show-more link), a quote (the quoted link after the "…")
and a reply (leading @mentions the note leaves out)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.export_helpers import frozen_clock, split, zip_members
from veilleur.imports.x_archive import read_x_archive

WHEN = "Mon Jan 29 08:00:00 +0000 2024"
NOTE_WHEN = "2024-01-29T08:00:00.000Z"
LONG = (
    "Quel réseau ? Pour en faire quoi ? Avant de choisir un outil, une organisation doit "
    "savoir ce qu'elle attend des réseaux sociaux : recruter, vendre, faire de la veille, "
    "animer une communauté. Check the guide we wrote & the examples in it, then decide "
    "which networks deserve your time and which ones can wait until next year."
)


def _tweet(tweet_id: str, text: str, urls: list[tuple[str, str]], **extra: object) -> dict:  # type: ignore[type-arg]
    return {
        "tweet": {
            "id_str": tweet_id,
            "full_text": text,
            "created_at": WHEN,
            "entities": {"urls": [{"url": s, "expanded_url": e} for s, e in urls]},
            **extra,
        }
    }


def _note(text: str, minutes: int = 0) -> dict:  # type: ignore[type-arg]
    return {
        "noteTweet": {
            "createdAt": NOTE_WHEN.replace("08:00", f"08:{minutes:02d}"),
            "core": {"text": text, "urls": []},
        }
    }


def _archive(tmp_path: Path, tweets: list[dict], notes: list[dict]) -> Path:  # type: ignore[type-arg]
    return zip_members(
        tmp_path / "x.zip",
        {
            "data/tweets.js": "window.YTD.tweets.part0 = " + json.dumps(tweets),
            "data/note-tweet.js": "window.YTD.note_tweet.part0 = " + json.dumps(notes),
        },
    )


def _texts(tmp_path: Path, tweets: list[dict], notes: list[dict]) -> dict[str, object]:  # type: ignore[type-arg]
    posts, rejections = split(
        read_x_archive(_archive(tmp_path, tweets, notes), author="Plume", clock=frozen_clock)
    )
    assert rejections == []
    return {p.id: p for p in posts}


def test_check_ellipsis_then_show_more_link_is_joined(tmp_path: Path) -> None:
    cut = LONG[: LONG.index("Check") + 5]  # "… Check"
    tweet = _tweet(
        "1",
        cut.replace("&", "&amp;") + "… https://t.co/more1",
        [("https://t.co/more1", "https://twitter.com/i/web/status/1")],
    )
    posts = _texts(tmp_path, [tweet], [_note(LONG)])
    assert posts["1"].text == LONG  # type: ignore[attr-defined]


def test_quote_with_the_quoted_link_after_the_ellipsis_is_joined(tmp_path: Path) -> None:
    quoted = "https://twitter.com/journal_exemple/status/1749000000000000000"
    tweet = _tweet(
        "2",
        LONG[:200] + "… https://t.co/more2 https://t.co/quote",
        [
            ("https://t.co/more2", "https://twitter.com/i/web/status/2"),
            ("https://t.co/quote", quoted),
        ],
    )
    post = _texts(tmp_path, [tweet], [_note(LONG, minutes=1)])["2"]
    assert post.text == f"{LONG} {quoted}"  # type: ignore[attr-defined]  # as a short quote keeps it
    assert post.quote_of == "1749000000000000000"  # type: ignore[attr-defined]


def test_reply_whose_tweet_starts_with_mentions_is_joined(tmp_path: Path) -> None:
    tweet = _tweet(
        "3",
        "@alice @bob_2 " + LONG[:150] + "…",
        [],
        in_reply_to_status_id_str="1740000000000000000",
    )
    post = _texts(tmp_path, [tweet], [_note(LONG)])["3"]
    assert post.text == "@alice @bob_2 " + LONG  # type: ignore[attr-defined]
    assert post.reply_to == "1740000000000000000"  # type: ignore[attr-defined]


def test_reply_whose_note_keeps_the_mentions_is_joined_once(tmp_path: Path) -> None:
    tweet = _tweet("4", "@alice " + LONG[:150] + "…", [])
    post = _texts(tmp_path, [tweet], [_note("@alice " + LONG)])["4"]
    assert post.text == "@alice " + LONG  # type: ignore[attr-defined]


def test_a_note_too_far_in_time_or_another_text_is_not_joined(tmp_path: Path) -> None:
    far = _tweet("5", LONG[:150] + "…", [])
    other = _tweet("6", "Autre chose entièrement…", [])
    posts = _texts(tmp_path, [far, other], [_note(LONG, minutes=30)])
    assert posts["5"].text == LONG[:150] + "…"  # type: ignore[attr-defined]
    assert posts["6"].text == "Autre chose entièrement…"  # type: ignore[attr-defined]


def test_note_links_are_written_out(tmp_path: Path) -> None:
    note = {
        "noteTweet": {
            "createdAt": NOTE_WHEN,
            "core": {
                "text": LONG + " https://t.co/guide",
                "urls": [{"shortUrl": "https://t.co/guide", "expandedUrl": "https://e.fr/g"}],
            },
        }
    }
    post = _texts(tmp_path, [_tweet("7", LONG[:150] + "…", [])], [note])["7"]
    assert post.text == LONG + " https://e.fr/g"  # type: ignore[attr-defined]
