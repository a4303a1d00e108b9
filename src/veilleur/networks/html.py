"""HTML of feeds and statuses: to plain text with its links kept, or sanitised with nh3.

Posts are searched and counted as text, so the HTML of a feed entry or a Mastodon status
becomes text: paragraphs and line breaks become new lines, scripts and styles vanish, and
a link keeps its address — a link shown as its own (often shortened) address becomes the
full address; a link with words becomes ``words (address)``; hashtags and mentions stay as
written. Where HTML itself is kept (the raw payload), it goes through :func:`sanitize`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "dd",
        "dt",
    ]
)
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
_SPACES = re.compile(r"[ \t]*\n[ \t\n]*")
_RUNS = re.compile(r"[ \t]+")
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")  # not \s: no-break spaces are typography

_KEPT_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
}


def sanitize(html: str) -> str:
    """HTML safe to render: no scripts, no event handlers, links marked ``noopener``."""
    return str(nh3.clean(html, attributes=_KEPT_ATTRIBUTES, link_rel="noopener noreferrer"))


def _looks_like_address(text: str, href: str) -> bool:
    shown = text.strip().rstrip("…").rstrip(".").removesuffix("...")
    if not shown:
        return False
    bare = re.sub(r"^[a-z]+://(www\.)?", "", href, flags=re.I)
    shown_bare = re.sub(r"^[a-z]+://(www\.)?", "", shown, flags=re.I)
    if not shown_bare or " " in shown_bare or "." not in shown_bare.split("/")[0]:
        return False  # words, not an address
    return bare.lower().startswith(shown_bare.lower())


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0
        self._links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            self._pre += tag == "pre"
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self._links.append((href, len(self.parts)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt and not self._skip:
                self.parts.append(f" [{alt}] ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
            self._pre = max(0, self._pre - (tag == "pre"))
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            self._close_link(href, start)

    def _close_link(self, href: str, start: int) -> None:
        if not href.lower().startswith(("http://", "https://")):
            return
        text = "".join(self.parts[start:])
        stripped = text.strip()
        if not stripped:
            self.parts.append(href)
            return
        if stripped.startswith(("#", "@")):
            return  # hashtags and mentions read as written
        if _looks_like_address(stripped, href):
            self.parts[start:] = [href]
        elif href not in stripped:
            self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data if self._pre else _WHITESPACE.sub(" ", data))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, links kept (see the module's docstring)."""
    if "<" not in html and "&" not in html:
        return html.strip()
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    text = "".join(builder.parts)
    lines = [_RUNS.sub(" ", line).strip() for line in _SPACES.sub("\n", text).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
