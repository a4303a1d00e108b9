"""The savoir-publier rules on the text as written (one finding per rule at most).

Each rule is a small pure function of the text; :func:`lint_text` runs them all. The
per-network rules (length, hashtag limits) live with the rendering in
:mod:`veilleur.publish.compose`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from veilleur.audit.promo import PROMOTIONAL, RECRUITING, classify
from veilleur.publish.lint import Reporter
from veilleur.publish.spelling import misspelled
from veilleur.report.typography import french_spacing
from veilleur.text import Entities, extract, segment_hashtag, tokenize

HASHTAGS_ADVISED = 3
CAPS_SHARE = 0.5
CAPS_MIN_LETTERS = 12
CAPS_RUN = 3  # this many shouted words in a row is shouting even in a long text
BARE_LINK_WORDS = 3

_EXCESS = re.compile(r"[!?]{2,}|\.{4,}|…{2,}")
_RECRUIT = re.compile(
    r"\b(recrut\w*|embauch\w*|cdi|cdd|alternan\w*|stage|stagiaire|candidat\w*|poste\b|"
    r"offre d.emploi|rejoignez|rejoindre (?:notre|l.)|we.re hiring|hiring|join (?:our|the) team|"
    r"job opening|apply now|postulez)",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(n°\s?1|numéro un|leader|incontournable|exceptionnel\w*|incroyable\w*|"
    r"extraordinaire\w*|meilleure?s?|unique|révolutionnaire\w*|dream team|rockstars?|ninjas?|"
    r"best[- ]in[- ]class|world[- ]class|amazing|awesome|the best|top employer|"
    r"rejoignez l.aventure|ambiance de folie|start-?up nation)",
    re.IGNORECASE,
)


def _masked(text: str, entities: Entities, fill: str = " ") -> str:
    """The text with URLs, mentions and hashtags replaced by ``fill`` (same offsets)."""
    chars = list(text)
    for _, entity in entities.all():
        for i in range(entity.start, entity.end):
            chars[i] = fill
    return "".join(chars)


def hashtag_rules(entities: Entities, reporter: Reporter) -> None:
    tags = entities.hashtags
    if len(tags) > HASHTAGS_ADVISED:
        reporter.add("hashtags.count", n=len(tags), max=HASHTAGS_ADVISED)
    for tag in tags:
        value = tag.value
        if value != value.lower():
            continue
        pieces = segment_hashtag(value)
        if len(pieces) >= 2 and all(len(p.text) >= 2 for p in pieces):
            camel = "".join(p.spelling[:1].upper() + p.spelling[1:] for p in pieces)
            reporter.add("hashtags.camelcase", tag=value, camel=camel)


def leading_mention(text: str, entities: Entities, reporter: Reporter) -> None:
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    for mention in entities.mentions:
        if mention.start == offset:
            reporter.add("mention.leading", who=mention.value)
        break


def capitals(masked: str, reporter: Reporter) -> None:
    letters = [c for c in masked if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    words = re.findall(r"[^\W\d_]+", masked)
    run = best = 0
    for word in words:
        run = run + 1 if len(word) >= 2 and word.isupper() else 0
        best = max(best, run)
    share = upper / len(letters) if letters else 0.0
    if (len(letters) >= CAPS_MIN_LETTERS and share > CAPS_SHARE) or best >= CAPS_RUN:
        reporter.add("capitals", share=round(share * 100))


def punctuation(masked: str, reporter: Reporter) -> None:
    match = _EXCESS.search(masked)
    if match:
        reporter.add("punctuation", mark=match.group(0))


def bare_link(text: str, entities: Entities, link: str | None, reporter: Reporter) -> None:
    if not entities.urls and not link:
        return
    words = [t for t in tokenize(text) if t.kind == "word"]
    if len(words) < BARE_LINK_WORDS:
        reporter.add("link.bare")


def french_typography(text: str, reporter: Reporter) -> None:
    """``text`` has its entities masked with letters, so that a URL still counts as a word."""
    # Either no-break space is right (narrow before ; ! ?, normal before :, by taste).
    text = text.replace("\u202f", "\u00a0")
    fixed = french_spacing(text).replace("\u202f", "\u00a0")
    if fixed != text:
        changes = [
            op
            for op in SequenceMatcher(None, text, fixed, autojunk=False).get_opcodes()
            if op[0] != "equal"
        ]
        _, _, _, j1, j2 = changes[0]
        start = max(0, j1 - 15)
        if start > 0 and " " in fixed[start:j1]:
            start = fixed.index(" ", start) + 1  # from a whole word
        example = fixed[start : j2 + 3].strip()
        reporter.add("typography.fr", n=len(changes), example=example)
    if "'" in text:
        reporter.add("typography.apostrophe")


def spelling(masked: str, lang: str, reporter: Reporter) -> None:
    wrong = misspelled(masked, lang)
    if wrong:
        reporter.add("spelling", words=", ".join(wrong[:8]))


def recruiting(masked: str, reporter: Reporter) -> None:
    """A job post that sells itself with superlatives (or promotion cues of the audit's
    lexicon) instead of showing the work, the team and the know-how."""
    verdict = classify(masked)
    if not (_RECRUIT.search(masked) or verdict.category == RECRUITING):
        return
    promo = sorted({m.group(0).lower() for m in _PROMO.finditer(masked)})
    promo += [
        c.fr if reporter.lang == "fr" else c.en for c in verdict.cues if c.category == PROMOTIONAL
    ]
    if promo:
        reporter.add("recruiting.promotional", words=", ".join(promo))


def lint_text(
    text: str,
    lang: str,
    reporter: Reporter,
    *,
    images: Sequence[tuple[str, str | None]] = (),
    link: str | None = None,
) -> None:
    """Run every text rule; ``lang`` is the text's language (fr typography only in fr)."""
    entities = extract(text)
    masked = _masked(text, entities)
    hashtag_rules(entities, reporter)
    leading_mention(text, entities, reporter)
    for name, alt in images:
        if not (alt or "").strip():
            reporter.add("image.alt", image=name)
    capitals(masked, reporter)
    punctuation(masked, reporter)
    bare_link(text, entities, link, reporter)
    if lang == "fr":
        french_typography(_masked(text, entities, "x"), reporter)
    if lang in ("fr", "en"):
        spelling(masked, lang, reporter)
    recruiting(masked, reporter)
