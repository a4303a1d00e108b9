"""The one rule for links veilleur keeps or shows: ``http`` and ``https`` only.

A feed, an export or a user can hand veilleur any string as a link. Written into an HTML
digest, an Atom feed or a Markdown file, ``javascript:alert(1)``, ``data:text/html,…`` or
``file:///etc/passwd`` becomes a live link in the reader's mail client or browser (stored
XSS). :func:`safe_url` is the single check every layer applies: the normalisers where links
enter (feeds, Mastodon, Bluesky), ``compose``/``queue --link``, and every renderer where
links leave (the ``safe_url`` Jinja filter of :mod:`veilleur.report`, the Markdown and Atom
digests).

It lives in ``networks/`` because the normalisers may import nothing above ``model``
(tests/test_networks_layers.py); :mod:`veilleur.report.safety` re-exports it for the
renderers and front ends.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL_LENGTH = 8192
SCHEMES = ("http", "https")

# C0 and C1 controls, space, DEL, the Unicode line/paragraph separators and bidi controls
# that could make a link read differently from what it opens, and the characters RFC 3986
# excludes that end a link in Markdown or HTML (``<>"`` and backquote).
_BAD = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\\<>\"`]")


def safe_url(value: object) -> str | None:
    """``value`` when it is a link veilleur may store and show, otherwise ``None``.

    Accepted: an absolute ``http://`` or ``https://`` URL with a host name, without
    credentials (``https://bank.example@evil.example/`` is refused: the part before ``@``
    is what a reader sees), without whitespace, backslash, ``<>\"`` or control characters, with a
    valid port, at most 8,192 characters. Surrounding whitespace is removed. Nothing is
    percent-encoded or rewritten: a link that needs fixing is refused, not guessed.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or _BAD.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a port that is not a number in range
    except ValueError:  # "http://[::1": an unclosed IPv6 bracket
        return None
    del port
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    if "@" in parts.netloc or not url[len(parts.scheme) :].startswith("://"):
        return None
    return url
