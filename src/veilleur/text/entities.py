"""Entities of a post's text: hashtags, mentions (and lists), URLs, cashtags, reply mention.

Values and offsets follow twitter-text: the value has no sigil (``#Réseaux`` → ``Réseaux``),
``[start, end)`` are code-point offsets into the text *including* the sigil. A Mastodon handle
``@user@instance.tld`` is one mention whose ``instance`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Entities", "Entity"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity: its value (no sigil) and [start, end) code-point offsets in the text."""

    value: str
    start: int
    end: int
    instance: str | None = None  # the server of a fediverse handle @user@instance
    list_slug: str | None = None  # "/slug" of an X list mention @user/slug


@dataclass(frozen=True, slots=True)
class Entities:
    """Every entity of a text, each list in text order."""

    hashtags: list[Entity] = field(default_factory=list)
    mentions: list[Entity] = field(default_factory=list)
    urls: list[Entity] = field(default_factory=list)
    cashtags: list[Entity] = field(default_factory=list)
    reply_to: str | None = None

    def all(self) -> list[tuple[str, Entity]]:
        """(kind, entity) for every entity, in text order."""
        tagged = [
            *(("hashtag", e) for e in self.hashtags),
            *(("mention", e) for e in self.mentions),
            *(("url", e) for e in self.urls),
            *(("cashtag", e) for e in self.cashtags),
        ]
        tagged.sort(key=lambda pair: pair[1].start)
        return tagged
