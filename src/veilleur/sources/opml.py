"""OPML: the feed readers' way of exchanging lists of feeds.

Reading follows what readers write: ``<outline>`` elements with an ``xmlUrl`` attribute,
nested in folders (the folder's title is kept as the feed's ``category``). The document is
parsed with defusedxml, so an OPML file cannot expand entities or reach external ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

from veilleur.errors import InputError
from veilleur.i18n import _, t
from veilleur.model import format_datetime, utcnow
from veilleur.networks.urls import safe_url
from veilleur.report.safety import strip_controls


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None = None
    site: str | None = None
    category: str | None = None


def read_opml(path: Path | bytes, where: str | None = None) -> list[OpmlFeed]:
    """The feeds of an OPML file (or of its content, an upload named ``where``); raises
    :class:`InputError` naming the file and line."""
    if isinstance(path, bytes):
        source: str | BytesIO = BytesIO(path)
        path = Path(where or "upload.opml")
    else:
        source = str(path)
    try:
        tree = SafeTree.parse(source)
    except OSError as exc:
        raise InputError(
            t("cannot read the file ({reason})", reason=exc.strerror), where=str(path)
        ) from None
    except SafeTree.ParseError as exc:
        line, column = exc.position
        raise InputError(
            t("not well-formed XML ({reason})", reason=exc.msg), where=f"{path}:{line}:{column}"
        ) from None
    except DefusedXmlException as exc:
        raise InputError(t("refused: {reason}", reason=exc), where=str(path)) from None
    root = tree.getroot()
    if root.tag.lower() != "opml":
        raise InputError(
            t("expected an <opml> document, found <{tag}>", tag=root.tag), where=str(path)
        )
    body = root.find("body")
    if body is None:
        raise InputError(_("the OPML document has no <body>"), where=str(path))
    feeds: list[OpmlFeed] = []
    _walk(body, None, feeds)
    return feeds


def _walk(node: Element, category: str | None, feeds: list[OpmlFeed]) -> None:
    for outline in node.findall("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = (outline.get("title") or outline.get("text") or "").strip() or None
        if url:
            site = (outline.get("htmlUrl") or "").strip() or None
            feeds.append(OpmlFeed(url=url, title=title, site=site, category=category))
        _walk(outline, title if not url else category, feeds)


def _xml_text(value: str) -> str:
    """Text XML 1.0 can hold: a feed's title is the feed author's, control codes and all."""
    return strip_controls(value).replace("\n", " ").strip()


def write_opml(feeds: Iterable[OpmlFeed], title: str = "veilleur") -> str:
    """An OPML 2.0 document; feeds with a category are grouped in folders.

    Titles and categories lose their control characters (one ``\x01`` would make the
    document unreadable); a link that is not a checked http(s) address is left out.
    """
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(utcnow())
    body = SubElement(root, "body")
    folders: dict[str, Element] = {}
    for feed in feeds:
        parent = body
        category = _xml_text(feed.category or "")
        if category:
            parent = folders.get(category) or SubElement(
                body, "outline", text=category, title=category
            )
            folders[category] = parent
        url = _xml_text(feed.url)
        name = _xml_text(feed.title or "")
        attrs = {"type": "rss", "text": name or url, "xmlUrl": url}
        if name:
            attrs["title"] = name
        site = safe_url(feed.site) if feed.site else None
        if site:
            attrs["htmlUrl"] = site
        SubElement(parent, "outline", attrs)
    xml = tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
