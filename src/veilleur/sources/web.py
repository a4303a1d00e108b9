"""Full text of articles whose feed carries only a summary (``source add rss --full-text``).

The page is fetched with the shared, guarded client and its main text, title, author and
date are extracted with trafilatura (which never touches the network here: it gets the
bytes). Only entries not yet in the workspace are fetched, a few per run, so a feed of
summaries costs its readers' servers little.
"""

from __future__ import annotations

import contextlib
from typing import Any

import trafilatura

from veilleur.model import Post, parse_datetime
from veilleur.sources.http import Fetcher, FetchError, check_status

MAX_ARTICLES_PER_RUN = 20


def extract_article(html: bytes | str, url: str | None = None) -> dict[str, Any] | None:
    """Main text and metadata of a web page, or None when nothing readable was found."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    if document is None:
        return None
    fields = document if isinstance(document, dict) else document.as_dict()
    if not (fields.get("text") or "").strip():
        return None
    return {k: fields.get(k) for k in ("title", "author", "date", "text", "language")}


async def fill_full_text(http: Fetcher, posts: list[Post]) -> list[str]:
    """Replace each post's summary with its article's text; returns the problems met.

    A page that cannot be fetched or read leaves the summary in place: the post is kept.
    """
    problems: list[str] = []
    for post in posts[:MAX_ARTICLES_PER_RUN]:
        if not post.url:
            continue
        try:
            response = await http.get(post.url)
            check_status(response, post.url)
        except FetchError as exc:
            problems.append(str(exc))
            continue
        article = extract_article(response.content, response.url)
        if article is None:
            problems.append(f"{post.url}: no article text found in the page")
            continue
        apply_article(post, article)
    return problems


def apply_article(post: Post, article: dict[str, Any]) -> None:
    post.text = str(article["text"]).strip()
    if article.get("title") and not post.title:
        post.title = str(article["title"])
    if article.get("author") and not post.author_name:
        post.author_name = str(article["author"])
    if article.get("date") and post.raw is not None and "published" not in post.raw:
        with contextlib.suppress(ValueError):
            post.created_at = parse_datetime(str(article["date"]))
    if post.raw is not None:
        post.raw["full_text"] = True
