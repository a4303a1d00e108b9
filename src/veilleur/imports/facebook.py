"""Facebook's "Download your information" (JSON format): the posts of your_posts*.json.

``your_posts_1.json`` (``posts/`` in older exports,
``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json`` in newer
ones) is a list of (the ``title`` is Facebook's caption of the action, kept in the raw record)::

    {"timestamp": 1706774400,
     "data": [{"post": "text"}, {"update_timestamp": …}],
     "attachments": [{"data": [{"external_context": {"url": "…"}},
                               {"media": {"uri": "…/photo.jpg", "description": "…"}}]}],
     "title": "Jeanne Martin a partagé un lien."}

Facebook writes every string as if its UTF-8 bytes were Latin-1 characters: « é » arrives
as ``\\u00c3\\u00a9`` and reads « Ã© ». :func:`repair` undoes it for every string of the
file; a string that is not such mojibake is left alone.

The export has no post id and no address: the id is a hash of the date and the text, so a
post imported twice is recognised. It does not name the account either, hence
``--author``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, Limits, open_archive
from veilleur.imports.exports import (
    DEFAULT_CLOCK,
    Clock,
    MemberError,
    load_json,
    parse_parts,
)
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    Rejection,
    check_post,
    failure,
)
from veilleur.model import Media, Post, url_id
from veilleur.networks import normalize_handle

POST_FILES = r"your_posts.*\.json"
EXPECTED = 'a list of {"timestamp": …, "data": [{"post": "…"}], "attachments": […]}'


def facebook_reader(
    author: str | None = None, *, clock: Clock = DEFAULT_CLOCK, limits: Limits = DEFAULT_LIMITS
) -> Reader:
    """A reader of Facebook exports for the account ``author``."""
    return partial(read_facebook, author=author, clock=clock, limits=limits)


def repair(value: Any) -> Any:
    """Undo Facebook's mojibake in every string of a decoded JSON value."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value  # not mojibake: real Latin-1 text, or characters above U+00FF
    if isinstance(value, list):
        return [repair(item) for item in value]
    if isinstance(value, dict):
        return {repair(key): repair(item) for key, item in value.items()}
    return value


def _parse_posts(data: bytes, where: str) -> Iterator[Any]:
    entries = _entries(load_json(data, where, EXPECTED))
    if entries is None:
        raise MemberError(
            t("holds no list of posts; expected {expected}", expected=EXPECTED), where
        )
    return iter(entries)


def _entries(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):  # some exports wrap the list: {"status_updates_v2": [...]}
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def read_facebook(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    author: str | None = None,
    clock: Clock = DEFAULT_CLOCK,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Record]:
    """Posts of your_posts*.json. Unusable export: InputError before any post."""
    if not author:
        raise InputError(
            t("Facebook's export does not name the account: give it with --author HANDLE"),
            where=str(path),
        )
    with open_archive(path, limits) as archive:
        members = archive.find(POST_FILES) or (
            archive.names() if path.is_file() and path.suffix.lower() == ".json" else []
        )
        if not members:
            raise InputError(
                t(
                    "no your_posts_1.json in it: Facebook's « Download your information » in "
                    "JSON format was expected (HTML exports cannot be read)"
                ),
                where=str(path),
            )
        collected_at = clock()
        for part in parse_parts(archive, members, _parse_posts, progress):
            if isinstance(part, Rejection):
                yield part
                continue
            member, entries = part
            where = archive.where(member)
            for index, entry in enumerate(entries):
                try:
                    post = check_post(entry_to_post(entry, normalize_handle(author)))
                except Exception as exc:  # any failure is this entry's rejection
                    yield failure(t("{file} (entry {n})", file=where, n=index + 1), exc)
                    continue
                post.collected_at = collected_at
                yield post


def _attachments(entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for attachment in entry.get("attachments") or []:
        if isinstance(attachment, dict):
            for item in attachment.get("data") or []:
                if isinstance(item, dict):
                    yield item


def entry_to_post(raw: Any, author: str) -> Post:
    """One entry of your_posts*.json as a Post (mojibake repaired; ``raw`` kept as is)."""
    entry = repair(raw)
    if not isinstance(entry, dict):
        raise ValueError(t("expected an object, got {type}", type=type(entry).__name__))
    stamp = entry.get("timestamp")
    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
        raise ValueError(t("no timestamp (seconds since 1970)"))
    texts = [
        item["post"]
        for item in entry.get("data") or []
        if isinstance(item, dict) and isinstance(item.get("post"), str)
    ]
    text = "\n".join(texts).strip()
    media: list[Media] = []
    for item in _attachments(entry):
        context = item.get("external_context")
        link = context.get("url") if isinstance(context, dict) else None
        if isinstance(link, str) and link and link not in text:
            text = f"{text}\n{link}" if text else link
        found = item.get("media")
        if isinstance(found, dict) and isinstance(found.get("uri"), str):
            alt = found.get("description")
            media.append(Media(url=found["uri"], alt=alt if isinstance(alt, str) else None))
    if not text and not media:
        raise ValueError(t("empty post: no text, link nor media"))
    return Post(
        id=url_id(f"facebook\n{int(stamp)}\n{text}\n{media[0].url if media else ''}"),
        network="facebook",
        author=author,
        text=text,
        created_at=datetime.fromtimestamp(stamp, tz=UTC),
        media=media,
        source="facebook-export",
        raw=raw,
    )
