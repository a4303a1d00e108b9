"""Checks of one piece of text as a whole: a post for X, a username, a list, a hashtag, a URL.

``is_valid_url`` checks a URL someone typed in a form (a share link, a relayed page), with the
RFC 3986 grammar that twitter-text's validator uses: http/https only, user info, IPv4 and
IPv6 hosts, Unicode domains, paths, queries and fragments. Extraction
(:func:`veilleur.text.extract`) is more lenient on purpose: it finds URLs in prose.
"""

from __future__ import annotations

import ipaddress

import regex

from veilleur.text.extractor import extract_hashtags, extract_mentions
from veilleur.text.xcount import V3, XConfig, parse_x

__all__ = [
    "is_valid_hashtag",
    "is_valid_list",
    "is_valid_tweet",
    "is_valid_url",
    "is_valid_username",
]

_LIST = regex.compile(r"[@＠][a-zA-Z0-9_]{1,20}/[a-zA-Z][a-zA-Z0-9_\-]{0,24}")

# RFC 3986 appendix B, scheme optional: scheme, authority, path, query, fragment.
_PARTS = regex.compile(r"(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?", regex.S)
_UNRESERVED = r"[a-z\u0400-\u04ff0-9\-._~]"
_PCT = r"(?:%[0-9a-f]{2})"
_SUB_DELIMS = r"[!$&'()*+,;=]"
_PCHAR = f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|[:|@])"
_I = regex.IGNORECASE
_SCHEME = regex.compile(r"https?", _I)
_PATH = regex.compile(f"(?:/{_PCHAR}*)*", _I)
_QUERY = regex.compile(f"(?:{_PCHAR}|/|\\?)*", _I)
_USERINFO = regex.compile(f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|:)*", _I)
_NON_ASCII = r"[^\x00-\x7f]"
_SEG_END = f"(?:[a-z0-9]|{_NON_ASCII})"
_SUBDOMAIN = f"(?:{_SEG_END}(?:(?:[a-z0-9_\\-]|{_NON_ASCII})*{_SEG_END})?)"
_SEGMENT = f"(?:{_SEG_END}(?:(?:[a-z0-9\\-]|{_NON_ASCII})*{_SEG_END})?)"
_TLD = f"(?:(?:[a-z]|{_NON_ASCII})(?:(?:[a-z0-9\\-]|{_NON_ASCII})*{_SEG_END})?)"
_DOMAIN = regex.compile(f"(?:{_SUBDOMAIN}\\.)*{_SEGMENT}\\.{_TLD}", _I)
_PORT = regex.compile(r"[0-9]{1,5}")


def is_valid_tweet(text: str, *, config: XConfig = V3) -> bool:
    """Whether X accepts ``text`` as a post (length and characters)."""
    return parse_x(text, config).valid


def is_valid_username(text: str) -> bool:
    """``@name`` and nothing else: 1-20 letters, digits or underscores."""
    found = extract_mentions(text, network="x", lists=False)
    return len(found) == 1 and found[0].value == text[1:]


def is_valid_list(text: str) -> bool:
    """``@user/list-slug`` and nothing else."""
    return _LIST.fullmatch(text) is not None


def is_valid_hashtag(text: str) -> bool:
    """``#tag`` and nothing else (at least one letter, any script)."""
    found = extract_hashtags(text)
    return len(found) == 1 and found[0].value == text[1:]


def _host_ok(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    if regex.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    return _DOMAIN.fullmatch(host) is not None


def _authority_ok(authority: str) -> bool:
    userinfo, at, hostport = authority.rpartition("@")
    if at and _USERINFO.fullmatch(userinfo) is None:
        return False
    host, port = hostport, ""
    bracketed = hostport.startswith("[")
    if ("]:" in hostport) if bracketed else (":" in hostport):
        host, _, port = hostport.rpartition(":")
    if port and _PORT.fullmatch(port) is None:
        return False
    return _host_ok(host)


def is_valid_url(url: str, *, require_protocol: bool = True) -> bool:
    """Whether ``url`` is a well-formed http(s) URL (a bare domain if not ``require_protocol``)."""
    if not url:
        return False
    parts = _PARTS.fullmatch(url)
    if parts is None:
        return False
    scheme, authority, path, query, fragment = parts.groups()
    if require_protocol and (scheme is None or _SCHEME.fullmatch(scheme) is None):
        return False
    if not require_protocol and scheme is not None and _SCHEME.fullmatch(scheme) is None:
        return False
    if _PATH.fullmatch(path) is None:
        return False
    if query and _QUERY.fullmatch(query) is None:
        return False
    if fragment and _QUERY.fullmatch(fragment) is None:
        return False
    return bool(authority) and _authority_ok(authority)
