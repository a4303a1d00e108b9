"""LinkedIn's "little" text format, the commentary of its Posts API.

In little, ``| { } @ [ ] ( ) < > # \\ * _ ~`` are reserved: left bare, LinkedIn cuts the post
at the first one and still answers "created" (Microsoft's *little text format* page). So
plain text is backslash-escaped; a hashtag becomes ``{hashtag|\\#|tag}`` and a mention of a
member or organisation whose URN is known becomes ``@[Name](urn:li:person:…)``. URLs are
left as they are so that LinkedIn still links them (a doubt: the documentation says nothing
of URLs; other tools do the same).
"""

from __future__ import annotations

import re

from veilleur.text import extract

RESERVED = frozenset("|{}@[]()<>#\\*_~")


def escape(text: str) -> str:
    """Backslash-escape every reserved character of little."""
    return "".join("\\" + ch if ch in RESERVED else ch for ch in text)


def to_little(text: str, mentions: dict[str, tuple[str, str]] | None = None) -> str:
    """The little form of a rendered LinkedIn text.

    ``mentions`` maps a name as it appears in the text to (name, URN): those become mention
    elements. Hashtags become hashtag templates; URLs stay bare; the rest is escaped.
    """
    entities = extract(text)
    spans: list[tuple[int, int, str]] = []
    for tag in entities.hashtags:
        spans.append((tag.start, tag.end, "{hashtag|\\#|" + escape(tag.value) + "}"))
    for url in entities.urls:
        spans.append((url.start, url.end, text[url.start : url.end]))
    for name, (shown, urn) in (mentions or {}).items():
        for match in re.finditer(re.escape(name), text):
            if not any(s <= match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), f"@[{escape(shown)}]({urn})"))
    spans.sort()
    out: list[str] = []
    last = 0
    for start, end, replacement in spans:
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append(replacement)
        last = end
    out.append(escape(text[last:]))
    return "".join(out)
