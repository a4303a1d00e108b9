"""Canonical URLs: one key for every way of writing the link to one article.

The same article reaches a watch as ``https://www.lemonde.fr/a.html?utm_source=twitter``,
``http://m.lemonde.fr/a.html``, ``https://www.lemonde.fr/amp/a.html`` or
``…/a.html?xtor=RSS-3``. ural's ``normalize_url`` folds most of that (protocol, ``www.``,
``m.``/``amp.`` hosts, ``utm_*`` and other known trackers, AMP query flags, query order,
trailing slash, fragments); this module adds what French media and newsletters add on top
(``xtor``, ``at_medium``, ``ref``…), AMP path segments and the old Twitter host, so that
posts linking one article are tied together in one story.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query keys that only say where a click came from (lower case; ``*`` ends a prefix).
TRACKING_KEYS = frozenset(
    {
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "xtor",
        "xtref",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "at_platform",
        "at_format",
        "at_send_date",
        "cmp",
        "cmpid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "sharesource",
        "via",
        "partner",
        "ito",
        "linkid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "oly_enc_id",
        "vero_id",
        "hsenc",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "trk",
        "trkcampaign",
        "li_fat_id",
        "wt_mc",
        "outputtype",
        "amp",
        "utm",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_", "wt_")

_AMP_SEGMENT = re.compile(r"(?:^|/)amp(?=/|$)")
_AMP_SUFFIX = re.compile(r"(?:\.amp(?=\.html?$)|/amp/?$|\?amp$)")
_HOST_ALIASES = {"x.com": "twitter.com", "mobile.x.com": "twitter.com"}
# Hosts whose post URLs carry only sharing noise in their query (``?s=20&t=…``).
_NO_QUERY_HOSTS = ("twitter.com", "x.com", "bsky.app", "linkedin.com", "instagram.com")


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_KEYS or lowered.startswith(TRACKING_PREFIXES)


def _strip_tracking(url: str) -> str:
    """Remove tracking query items and AMP path segments before ural's own folding."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    host = parts.netloc.lower().rsplit("@", 1)[-1]
    if any(host == h or host.endswith("." + h) for h in _NO_QUERY_HOSTS):
        query = []
    path = _AMP_SUFFIX.sub("", parts.path)
    path = _AMP_SEGMENT.sub("", path) or "/"
    netloc = parts.netloc.lower()
    for alias, target in _HOST_ALIASES.items():
        if host == alias or host == "www." + alias:
            netloc = netloc[: len(netloc) - len(host)] + target
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), parts.fragment))


def canonical_url(url: str) -> str:
    """The canonical key of ``url``: no protocol, no tracking, no ``www.``/mobile/AMP variant.

    Two links give the same key when they point at the same page for any reader; the key
    is not meant to be opened (it has no protocol) — keep the original link for display.
    Text that is not a URL is returned stripped and lower-cased, so it still compares.
    """
    text = url.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        from ural import normalize_url  # slow to import: loaded when first needed

        key = str(normalize_url(_strip_tracking(text), strip_protocol=True))
    except Exception:  # ural raises on a few malformed inputs; the raw text still compares
        return url.strip().lower()
    host, slash, rest = key.partition("/")
    return host.lower() + slash + rest


def site_of(url: str) -> str:
    """The site (host without ``www.``/``m.``) of a link, for "sources" lists in digests."""
    key = canonical_url(url)
    return key.split("/", 1)[0].split("?", 1)[0]
