"""Compose once, publish right: one text → a rendering per network, linted.

For each network the rendering maps mentions through the directory, keeps or trims
hashtags, places the link (a link card on Bluesky, "link in bio" on Instagram, appended
elsewhere), counts the result as the network counts it (``veilleur.text.count``) and, when
asked, splits a text too long for the network into a numbered thread at sentence
boundaries. Without ``thread`` a text over the limit is an error-level finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.networks.urls import safe_url
from veilleur.publish import linkedin
from veilleur.publish.directory import Directory
from veilleur.publish.lint import Finding, Reporter, has_error
from veilleur.publish.networks import NETWORKS
from veilleur.publish.richtext import post_text
from veilleur.publish.rules import lint_text
from veilleur.text import Entity, count, detect_language, extract
from veilleur.text.patterns import EMOJI


@dataclass(frozen=True, slots=True)
class Image:
    path: str
    alt: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """What the user writes once."""

    text: str
    images: tuple[Image, ...] = ()
    link: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.link is not None and safe_url(self.link) != self.link:
            raise UsageError(
                t(
                    "{link} is not a web link: --link takes an http:// or https:// address",
                    link=ascii(self.link),
                )
            )


@dataclass(slots=True)
class Rendering:
    """The post for one network: one text, or several when split into a thread."""

    network: str
    texts: list[str]
    weighted_length: int
    limit: int
    valid: bool
    card: str | None = None
    """Bluesky: the link shown as a card rather than in the text."""
    api_text: list[str] = field(default_factory=list)
    """LinkedIn: the texts in its API's little format (reserved characters escaped)."""
    sent: list[str] = field(default_factory=list)
    """The texts as the network receives (and shows) them — what ``weighted_length``
    counts. Bluesky: each link shortened as its app does, the full URL in a facet
    (:func:`veilleur.publish.richtext.post_text`); elsewhere the texts themselves."""
    facets: list[list[dict[str, Any]]] = field(default_factory=list)
    """Bluesky: the facets of each sent text (mentions without a known DID are left out)."""

    def __post_init__(self) -> None:
        if not self.sent:
            self.sent = list(self.texts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "network": self.network,
            "text": self.texts[0] if len(self.texts) == 1 else self.texts,
            "weighted_length": self.weighted_length,
            "limit": self.limit,
            "valid": self.valid,
        }
        if self.sent != self.texts:
            out["sent"] = self.sent[0] if len(self.sent) == 1 else self.sent
        if self.card:
            out["card"] = self.card
        if self.api_text:
            out["api_text"] = self.api_text[0] if len(self.api_text) == 1 else self.api_text
        if self.facets:
            out["facets"] = self.facets[0] if len(self.facets) == 1 else self.facets
        return out


@dataclass(slots=True)
class Composition:
    renderings: list[Rendering]
    findings: list[Finding]
    lang: str

    @property
    def has_error(self) -> bool:
        return has_error(self.findings)

    def rendering(self, network: str) -> Rendering:
        return next(r for r in self.renderings if r.network == network)

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "renderings": [r.to_json() for r in self.renderings],
            "findings": [f.to_json() for f in self.findings],
        }


# -- mentions and hashtags ---------------------------------------------------------------


def map_mentions(
    text: str, network: str, directory: Directory, reporter: Reporter | None = None
) -> tuple[str, dict[str, tuple[str, str]]]:
    """Mentions rewritten for ``network``; also the LinkedIn URNs of the names used."""
    urns: dict[str, tuple[str, str]] = {}
    out = text
    for mention in reversed(extract(text).mentions):
        person = directory.lookup(mention.value, mention.instance)
        if person is None:
            if reporter is not None and directory.people:
                reporter.add("mention.unknown", who=text[mention.start + 1 : mention.end])
            continue
        shown = person.mention(network)
        urn = person.handles.get("linkedin", "")
        if network == "linkedin" and urn.startswith("urn:li:"):
            urns[shown] = (person.name, urn)
        out = out[: mention.start] + shown + out[mention.end :]
    return out, urns


_EMOJI_AT_END = regex.compile(f"(?:{EMOJI.pattern})$", regex.VERSION1)


def _trailing_block_start(text: str, tags: Sequence[Entity]) -> int:
    """Where the final run of hashtags starts, or len(text) when none.

    The run may be mixed with spaces and emoji (flags, ZWJ sequences, keycaps): in
    "Atelier #Lyon #RH #Twitter 🇫🇷" the three tags are the final block, the flag stays.
    """
    starts = {tag.end: tag.start for tag in tags}
    pos = block = len(text)
    while pos > 0:
        if text[pos - 1].isspace():
            pos -= 1
        elif pos in starts:
            pos = block = starts[pos]
        elif emoji := _EMOJI_AT_END.search(text, 0, pos):
            pos = emoji.start()
        else:
            break
    return block


def trim_hashtags(text: str, keep: int) -> tuple[str, list[str]]:
    """Keep the first ``keep`` hashtags; drop the others from a trailing block of tags, and
    turn the others inside a sentence into plain words (the word stays, the ``#`` goes)."""
    tags = extract(text).hashtags
    if len(tags) <= keep:
        return text, []
    block = _trailing_block_start(text, tags)
    removed: list[str] = []
    out = text
    for tag in reversed(tags[keep:]):
        removed.append("#" + tag.value)
        if tag.start >= block:
            start = tag.start
            while start > 0 and out[start - 1] in " \t":
                start -= 1
            out = out[:start] + out[tag.end :]
        else:
            out = out[: tag.start] + out[tag.start + 1 :]
    return out.rstrip(), list(reversed(removed))


# -- threads -----------------------------------------------------------------------------

_SENTENCE = regex.compile(r"(?<=[.!?…»])\s+(?=\S)|\n\s*\n")


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end (and at blank lines), pieces trimmed."""
    return [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]


def _fits(text: str, network: str) -> bool:
    return count(text, network).valid


def _pieces(text: str, network: str, room: str) -> list[str]:
    """Sentences, a sentence too long cut at word boundaries so that each piece fits."""
    out: list[str] = []
    for sentence in sentences(text):
        if _fits(sentence + room, network):
            out.append(sentence)
            continue
        current = ""
        for word in sentence.split():
            candidate = f"{current} {word}".strip()
            if current and not _fits(candidate + room, network):
                out.append(current)
                current = word
            else:
                current = candidate
        if current:
            out.append(current)
    return out


def split_thread(text: str, network: str) -> list[str]:
    """Split ``text`` into numbered parts (« 1/3 ») that each fit ``network``."""
    if _fits(text, network):
        return [text]
    total = 2
    while True:
        room = f" {total}/{total}"
        parts: list[str] = []
        current = ""
        for piece in _pieces(text, network, room):
            candidate = f"{current} {piece}".strip()
            if current and not _fits(candidate + room, network):
                parts.append(current)
                current = piece
            else:
                current = candidate
        if current:
            parts.append(current)
        if len(parts) <= total or total >= 99:
            n = len(parts)
            return [f"{part} {i}/{n}" for i, part in enumerate(parts, 1)]
        total = len(parts)


# -- rendering ---------------------------------------------------------------------------


def render(
    draft: Draft,
    network: str,
    directory: Directory | None = None,
    *,
    thread: bool = False,
    reporter: Reporter | None = None,
) -> Rendering:
    """The rendering of ``draft`` for one network; findings go to ``reporter``."""
    rules = NETWORKS[network]
    directory = directory or Directory()
    text, urns = map_mentions(draft.text.strip(), network, directory)
    text, removed = trim_hashtags(text, rules.hashtags_kept)
    if removed and reporter is not None:
        reporter.add("hashtags.trimmed", network, tags=" ".join(removed))
    card = None
    if draft.link and draft.link not in text:
        if network == "bluesky" and not draft.images:
            card = draft.link
        elif not rules.links_clickable:
            if reporter is not None:
                reporter.add("link.instagram", network)
        else:
            text = f"{text}\n\n{draft.link}"
    elif draft.link and not rules.links_clickable and reporter is not None:
        reporter.add("link.instagram", network)
    if rules.hashtags_max is not None and reporter is not None:
        n = len(extract(text).hashtags)
        if n > rules.hashtags_max:
            reporter.add("hashtags.max", network, n=n, max=rules.hashtags_max)
    whole = count(text, network)
    texts = [text]
    if not whole.valid and whole.weighted_length > whole.limit:
        if thread and rules.can_thread:
            texts = split_thread(text, network)
            if reporter is not None:
                reporter.add("thread.split", network, n=len(texts))
        elif reporter is not None:
            reporter.add("length", network, length=whole.weighted_length, limit=whole.limit)
    counts = [count(t, network) for t in texts]
    longest = max(counts, key=lambda c: c.weighted_length)
    rendering = Rendering(
        network,
        texts,
        longest.weighted_length,
        longest.limit,
        all(c.valid for c in counts),
        card=card,
    )
    if network == "linkedin":
        rendering.api_text = [linkedin.to_little(t, urns) for t in texts]
    if network == "bluesky":
        dids = {
            p.handles["bluesky"].lower(): p.bluesky_did
            for p in directory.people.values()
            if p.bluesky_did and "bluesky" in p.handles
        }
        sent = [post_text(t, dids) for t in texts]
        rendering.sent = [text for text, _ in sent]
        rendering.facets = [found for _, found in sent]
    return rendering


def compose(
    draft: Draft,
    networks: Sequence[str],
    directory: Directory | None = None,
    *,
    thread: bool = False,
    rules: dict[str, str] | None = None,
    message_lang: str = "en",
) -> Composition:
    """Render ``draft`` for every network and lint it.

    ``rules`` is the workspace's rule configuration (see :mod:`veilleur.publish.lint`);
    ``message_lang`` the language of the findings' messages.
    """
    reporter = Reporter(message_lang, rules)
    directory = directory or Directory()
    lang = draft.lang or detect_language(draft.text)
    lint_text(
        draft.text,
        lang,
        reporter,
        images=[(img.path, img.alt) for img in draft.images],
        link=draft.link,
    )
    map_mentions(draft.text, "x", directory, reporter)
    renderings = [render(draft, n, directory, thread=thread, reporter=reporter) for n in networks]
    return Composition(renderings, reporter.sorted(), lang)
