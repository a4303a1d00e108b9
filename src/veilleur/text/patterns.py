"""The regular expressions of entity extraction, built once from character groups.

They follow the rules twitter-text documents through its conformance suite (the suite in
``../shared/conformance/twitter-text`` is the specification the tests run): which character
may precede a mention, what a hashtag letter is, what a domain, path or query may contain.
Written here from those rules; the conformance tests say whether they are right.
"""

from __future__ import annotations

import regex

from veilleur.text.tld_list import TLDS

# -- character groups (inside [...] classes) -------------------------------------------------
SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
INVALID = "\ufffe\ufeff\uffff"
DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC = "\u0400-\u04ff"
HASHTAG_EXTRA = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b"
    "\u0f0c\u00b7"
)

_I = regex.IGNORECASE | regex.VERSION0


def _tld_alternation(names: tuple[str, ...]) -> str:
    """A trie-shaped alternation of ``names`` (much faster than 1,600 flat alternatives).

    Longer continuations are tried before stopping at a shorter name, as a longest-first
    flat list would.
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = trie
        for char in name.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:  # type: ignore[type-arg]
        branches = [regex.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        ends = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(trie)


TLD = f"(?:{_tld_alternation(TLDS)})(?=[^0-9a-zA-Z@+\\-]|$)"
PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
ANY_TLD = f"(?:{TLD}|{PUNYCODE})"

# -- URLs --------------------------------------------------------------------------------------
_DC = f"[^{PUNCT}{SPACES}{INVALID}{DIRECTIONAL}]"  # a domain character
_SUBDOMAIN = f"(?:(?:{_DC}(?:[_\\-]|{_DC})*)?{_DC}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DC}(?:-|{_DC})*)?{_DC}\\.)"
DOMAIN = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{ANY_TLD})"

_PATH_CHAR = f"[a-z{CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{LATIN_ACCENTS}]"
_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[+\\-a-z{CYRILLIC}0-9=_#/{LATIN_ACCENTS}]|{_PARENS})"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
QUERY_END = r"[a-z0-9\-_&=#/]"
_PRECEDING = f"(?:[^A-Za-z0-9@＠$#＃{INVALID}]|[{DIRECTIONAL}]|^)"

URL = regex.compile(
    f"(?P<before>{_PRECEDING})"
    f"(?P<url>(?P<protocol>https?://)?(?P<domain>{DOMAIN})(?::(?P<port>[0-9]+))?"
    f"(?P<path>/{_PATH}*)?(?P<query>\\?{QUERY_CHAR}*{QUERY_END})?)",
    _I,
)
ASCII_DOMAIN = regex.compile(f"(?:(?:[\\-a-z0-9{LATIN_ACCENTS}]+)\\.)+{ANY_TLD}", _I)
TCO = regex.compile(f"^https?://t\\.co/([a-z0-9]+)(?:\\?{QUERY_CHAR}*{QUERY_END})?", _I)
NO_PROTOCOL_BAD_BEFORE = regex.compile(r"[\-_./]$")
NON_SPACE_RUN = regex.compile(f"[^{SPACES}]+")
LAST_SPACE = regex.compile(f"[{SPACES}]", regex.REVERSE)

# -- mentions, lists, replies ------------------------------------------------------------------
MENTION = regex.compile(
    r"(?P<before>[^a-zA-Z0-9_!#$%&*@＠]|^|(?:^|[^a-zA-Z0-9_+~.\-])(?:rt|RT|rT|Rt):?)"
    r"(?P<at>[@＠])(?P<name>[a-zA-Z0-9_]{1,20})(?P<slug>/[a-zA-Z][a-zA-Z0-9_\-]{0,24})?",
    regex.VERSION0,
)
END_MENTION = regex.compile(f"(?:[@＠]|[{LATIN_ACCENTS}]|://)")
REPLY = regex.compile(f"^(?:[{SPACES}])*[@＠](?P<name>[a-zA-Z0-9_]{{1,20}})")
# After a mention, outside X: "@host.tld" makes a fediverse handle, ".label.tld" a Bluesky one.
_LABEL = r"[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?"
FEDI_HOST = regex.compile(f"[@＠](?P<host>(?:{_LABEL}\\.)+{_LABEL})(?![\\p{{L}}\\p{{N}}_@＠\\-])")
BSKY_REST = regex.compile(f"(?P<rest>(?:\\.{_LABEL})+)(?![\\p{{L}}\\p{{N}}_@＠\\-])")
TLD_SET = frozenset(t.lower() for t in TLDS)

# -- hashtags ----------------------------------------------------------------------------------
_HT_ALPHA = r"[\p{L}\p{M}]"
_HT_ALNUM = f"[\\p{{L}}\\p{{M}}\\p{{Nd}}{HASHTAG_EXTRA}]"
_HT_BOUNDARY = f"(?:^|\ufe0e|\ufe0f|$|[^&\\p{{L}}\\p{{M}}\\p{{Nd}}{HASHTAG_EXTRA}])"
HASHTAG = regex.compile(
    f"(?P<before>{_HT_BOUNDARY})(?P<hash>[#＃])(?!\ufe0f|\u20e3)"
    f"(?P<tag>{_HT_ALNUM}*{_HT_ALPHA}{_HT_ALNUM}*)",
    _I,
)
END_HASHTAG = regex.compile(r"(?:[#＃]|://)")

# -- cashtags ----------------------------------------------------------------------------------
CASHTAG = regex.compile(
    f"(?P<before>^|[{SPACES}])\\$(?P<tag>[a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)(?=$|\\s|[{PUNCT}])",
    _I,
)

# -- emoji (for weighting: one emoji, however many code points, weighs as one) ----------------
_EMOJI_ONE = r"(?:[\p{Emoji}--[0-9#*]]\ufe0f?)"
_EMOJI_MODIFIED = r"(?:\p{Emoji_Modifier_Base}\ufe0f?\p{Emoji_Modifier})"
_EMOJI_ELEMENT = f"(?:{_EMOJI_MODIFIED}|{_EMOJI_ONE})"
EMOJI = regex.compile(
    r"(?:\p{Regional_Indicator}{2}"
    r"|[0-9#*]\ufe0f?\u20e3"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    f"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*)",
    regex.VERSION1,
)
