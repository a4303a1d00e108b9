"""Entity extraction: URLs, mentions (and lists), hashtags, cashtags, the reply mention.

Two modes:

* ``network="x"`` — exactly X's rules (twitter-text's conformance suite is the test);
* any other network, or none (the default) — the same rules, plus the handles of the
  other networks: a fediverse handle ``@marie@piaille.fr`` is one mention (value ``marie``,
  ``instance`` ``piaille.fr``) and a Bluesky handle ``@veille.bsky.social`` is one mention
  whose value is the whole handle. X itself would read ``@marie`` and stop there.

Offsets are code points (Python string indices), ``[start, end)``, sigil included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from veilleur.text import patterns as p
from veilleur.text.entities import Entities, Entity

__all__ = [
    "extract",
    "extract_cashtags",
    "extract_hashtags",
    "extract_mentions",
    "extract_reply",
    "extract_urls",
    "remove_overlaps",
]

MAX_URL_LENGTH = 4096
MAX_TCO_SLUG = 40
MAX_LABEL = 63
_DEFAULT_PROTOCOL = "https://"
_IDEOGRAPHIC_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _label_ascii_length(label: str) -> int:
    """Length of a DNS label once punycode-encoded (0 when it cannot be encoded)."""
    total = 0
    for part in label.translate(_IDEOGRAPHIC_DOTS).split("."):
        if part.isascii():
            total += len(part)
        else:
            try:
                total += 4 + len(part.encode("punycode"))
            except UnicodeError:
                return 0
        total += 1
    return total - 1


def _valid_domain_length(url: str, protocol: str, domain: str) -> bool:
    """Every label fits in DNS once punycode-encoded; the whole URL fits in 4,096."""
    if domain[:4].lower() == "xn--" and not p.ASCII_DOMAIN.search(domain):
        return False  # a punycode domain cannot hold non-ASCII characters
    for label in domain.split("."):
        length = _label_ascii_length(label)
        if length < 1 or length > MAX_LABEL:
            return False
    return len(protocol) + _utf16_len(url) <= MAX_URL_LENGTH


def _url_matches(text: str) -> Iterator[Any]:
    """The URL pattern's matches, tried only on the space-free chunks that hold a dot.

    No URL contains a space (twitter-text's space group), so every match lies inside one
    chunk, its one "preceding character" being at most the space before it. Searching chunk
    by chunk gives the same matches as searching the whole text, without trying the pattern
    at every position of every plain word (it was most of the time of ``extract``). The
    chunks are found from the dots (``str.find``), not by walking every chunk of the text.
    """
    done = 0  # text[:done] is searched
    dot = text.find(".")
    while dot != -1:
        space = p.LAST_SPACE.search(text, done, dot)
        start = space.end() if space is not None else done
        end = p.NON_SPACE_RUN.match(text, dot).end()
        yield from p.URL.finditer(text, max(start - 1, 0), end)
        done = end
        dot = text.find(".", end)


def extract_urls(text: str) -> list[Entity]:
    """URLs with or without protocol (``https://exemple.fr``, ``exemple.fr/page``)."""
    if "." not in text:
        return []
    urls: list[Entity] = []
    for match in _url_matches(text):
        url, protocol, domain = match.group("url", "protocol", "domain")
        start, end = match.span("url")
        if not _valid_domain_length(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if protocol:
            tco = p.TCO.match(url)
            if tco:
                if tco.group(1) and len(tco.group(1)) > MAX_TCO_SLUG:
                    continue
                url = tco.group(0)
                end = start + len(url)
            urls.append(Entity(url, start, end))
            continue
        if p.NO_PROTOCOL_BAD_BEFORE.search(match.group("before")):
            continue
        # Without a protocol only ASCII (and Latin-accented) domains count: "example.com" in
        # "これはexample.com", never the CJK text glued before it.
        found: list[Entity] = []
        search_from = 0
        for ascii_match in p.ASCII_DOMAIN.finditer(domain):
            ascii_domain = ascii_match.group(0)
            ascii_start = domain.index(ascii_domain, search_from)
            search_from = ascii_start + len(ascii_domain)
            found.append(Entity(ascii_domain, start + ascii_start, start + search_from))
        if not found:
            continue
        if match.group("path"):
            last = found[-1]
            found[-1] = Entity(url.replace(domain, last.value, 1), last.start, end)
        urls.extend(found)
    return urls


def _fediverse_tail(text: str, end: int, name: str) -> tuple[str, str | None, int] | None:
    """A fediverse or Bluesky handle continuing the mention that ends at ``end``."""
    host = p.FEDI_HOST.match(text, end)
    if host is not None:
        return name, host.group("host"), host.end()
    rest = p.BSKY_REST.match(text, end)
    if rest is not None:
        tail = rest.group("rest")
        if tail.rsplit(".", 1)[-1].lower() in p.TLD_SET:
            return name + tail, None, rest.end()
    return None


def extract_mentions(text: str, *, network: str | None = None, lists: bool = True) -> list[Entity]:
    """@mentions (and ``@user/list`` when ``lists``), in text order.

    With ``network="x"`` X's rules apply exactly; otherwise fediverse and Bluesky handles
    are whole mentions (see the module docstring).
    """
    if "@" not in text and "＠" not in text:
        return []
    fediverse = network != "x"
    found: list[Entity] = []
    for match in p.MENTION.finditer(text):
        name, slug = match.group("name", "slug")
        start = match.start("at")
        end = match.end()
        if fediverse and not slug:
            tail = _fediverse_tail(text, end, name)
            if tail is not None:
                found.append(Entity(tail[0], start, tail[2], instance=tail[1]))
                continue
        if p.END_MENTION.match(text, end):
            continue
        if slug and not lists:
            continue
        found.append(Entity(name, start, end, list_slug=slug or None))
    return found


def extract_reply(text: str) -> str | None:
    """The screen name a text replies to: a mention at its very start (spaces allowed)."""
    match = p.REPLY.match(text)
    if match is None or p.END_MENTION.match(text, match.end()):
        return None
    return str(match.group("name"))


def extract_hashtags(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """#hashtags in any script (#Réseaux, #ÉcoleNumérique, #트위터), never all digits."""
    if "#" not in text and "＃" not in text:
        return []
    tags: list[Entity] = []
    for match in p.HASHTAG.finditer(text):
        if p.END_HASHTAG.match(text, match.end()):
            continue
        tags.append(Entity(match.group("tag"), match.start("hash"), match.end()))
    if check_url_overlap and tags:
        urls = extract_urls(text)
        if urls:
            kept = remove_overlaps([("hashtag", t) for t in tags] + [("url", u) for u in urls])
            tags = [e for kind, e in kept if kind == "hashtag"]
    return tags


def extract_cashtags(text: str) -> list[Entity]:
    """$cashtags: 1-6 letters, optionally .X or _XX (``$EKTA``, ``$TEST.T``)."""
    if "$" not in text:
        return []
    return [
        Entity(m.group("tag"), m.start("tag") - 1, m.end("tag")) for m in p.CASHTAG.finditer(text)
    ]


def remove_overlaps(entities: list[tuple[str, Entity]]) -> list[tuple[str, Entity]]:
    """Sort by start and drop every entity that overlaps one kept before it."""
    ordered = sorted(entities, key=lambda pair: pair[1].start)
    kept: list[tuple[str, Entity]] = []
    for kind, entity in ordered:
        if kept and kept[-1][1].end > entity.start:
            continue
        kept.append((kind, entity))
    return kept


def extract(text: str, *, network: str | None = None) -> Entities:
    """Every entity of ``text``, overlaps removed (a URL's ``#fragment`` is not a hashtag)."""
    tagged: list[tuple[str, Entity]] = [("url", e) for e in extract_urls(text)]
    tagged += [("mention", e) for e in extract_mentions(text, network=network)]
    tagged += [("hashtag", e) for e in extract_hashtags(text, check_url_overlap=False)]
    tagged += [("cashtag", e) for e in extract_cashtags(text)]
    buckets: dict[str, list[Entity]] = {"url": [], "mention": [], "hashtag": [], "cashtag": []}
    for kind, entity in remove_overlaps(tagged):
        buckets[kind].append(entity)
    return Entities(
        hashtags=buckets["hashtag"],
        mentions=buckets["mention"],
        urls=buckets["url"],
        cashtags=buckets["cashtag"],
        reply_to=extract_reply(text),
    )
