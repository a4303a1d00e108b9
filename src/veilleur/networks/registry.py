"""The one registry of networks: ids, aliases, names, limits, what publish can do there.

Pure data at the bottom of the layers: it imports nothing of veilleur but ``errors``, so
``model``, ``text/`` and every pillar may read it. A network is declared here once; the
text core's limits (:data:`veilleur.text.counting.LIMITS`), the composer's rules
(:mod:`veilleur.publish.networks`), the names reports print and the advisor's knowledge
base (whose network ids must be known here) all come from this table.

- ``limit``: the longest post in the unit ``counting`` names; the counting itself is
  :func:`veilleur.text.count` (None: veilleur does not count for that network).
- ``publish``: what the composer and the publisher do with the network (None: not a
  target of ``compose``/``relay``).
- ``article``: posts there are articles (feeds, web pages, the organisation's site) rather
  than short messages; the watch fingerprints their title with their text.
- ``alt_text``: what veilleur imports from the network carries the images' alternative
  text (Mastodon, Bluesky); X archives, Facebook and LinkedIn exports do not, so an image
  without it there says nothing (the audit then makes no alt-text finding).
"""

from __future__ import annotations

from dataclasses import dataclass

from veilleur.errors import UsageError
from veilleur.i18n import t

__all__ = [
    "ARTICLE_NETWORKS",
    "IDS",
    "NETWORKS",
    "Network",
    "Publishing",
    "get",
    "name",
    "resolve",
]


@dataclass(frozen=True, slots=True)
class Publishing:
    """One target network as the composer and the publisher see it.

    The hashtag numbers are advice, not rules of the platforms, except Threads (one topic
    tag per post) and Instagram (30 at most).
    """

    hashtags_kept: int
    """How many hashtags the rendering keeps; the others lose their ``#`` or are dropped."""
    hashtags_max: int | None = None
    """A hard maximum of the platform (an error above it), when there is one."""
    links_clickable: bool = True
    can_thread: bool = True
    api: bool = False
    """Whether veilleur publishes there itself (the others get ready texts and share links)."""


@dataclass(frozen=True, slots=True)
class Network:
    """One network. ``names`` are the display names by language, as written in a sentence
    (« sur le site web »); ``long_names`` a fuller form for titles and handouts."""

    id: str
    names: dict[str, str]
    aliases: tuple[str, ...] = ()
    limit: int | None = None
    counting: str | None = None
    """The unit of ``limit`` as :func:`veilleur.text.count` measures it."""
    publish: Publishing | None = None
    article: bool = False
    long_names: dict[str, str] | None = None
    alt_text: bool = False

    def name(self, lang: str = "fr") -> str:
        return self.names.get(lang) or self.names["en"]

    def long_name(self, lang: str = "fr") -> str:
        names = self.long_names or self.names
        return names.get(lang) or names["en"]


def _same(name: str) -> dict[str, str]:
    return {"fr": name, "en": name}


_ALL = (
    Network(
        "x",
        _same("X"),
        aliases=("twitter",),
        limit=280,
        counting="weighted characters (twitter-text v3)",
        publish=Publishing(hashtags_kept=2),
        long_names=_same("X (Twitter)"),
    ),
    Network(
        "mastodon",
        _same("Mastodon"),
        limit=500,
        counting="graphemes, a link counts 23 (the instance may allow more)",
        publish=Publishing(hashtags_kept=5, api=True),
        alt_text=True,
    ),
    Network(
        "bluesky",
        _same("Bluesky"),
        aliases=("bsky",),
        limit=300,
        counting="graphemes of the text as shown (links shortened), at most 3,000 bytes",
        publish=Publishing(hashtags_kept=3, api=True),
        alt_text=True,
    ),
    Network(
        "linkedin",
        _same("LinkedIn"),
        limit=3000,
        counting="UTF-16 code units",
        publish=Publishing(hashtags_kept=5, can_thread=False),
    ),
    Network(
        "facebook",
        _same("Facebook"),
        limit=63206,
        counting="UTF-16 code units",
        publish=Publishing(hashtags_kept=3, can_thread=False),
    ),
    Network(
        "instagram",
        _same("Instagram"),
        limit=2200,
        counting="UTF-16 code units, at most 30 hashtags",
        publish=Publishing(
            hashtags_kept=10, hashtags_max=30, links_clickable=False, can_thread=False
        ),
    ),
    Network(
        "threads",
        _same("Threads"),
        limit=500,
        counting="characters, an emoji counting its UTF-8 bytes; at most 5 links",
        publish=Publishing(hashtags_kept=1, hashtags_max=1),
    ),
    Network("youtube", _same("YouTube")),
    Network("tiktok", _same("TikTok")),
    Network("viadeo", _same("Viadeo")),
    Network("xing", _same("XING")),
    Network(
        "website",
        {"fr": "site web", "en": "website"},
        article=True,
        long_names={"fr": "Site web et flux RSS", "en": "Website and RSS feed"},
    ),
    Network("rss", {"fr": "fil RSS", "en": "RSS feed"}, article=True),
    Network("web", _same("Web"), article=True),
)

NETWORKS: dict[str, Network] = {n.id: n for n in _ALL}
"""Every network veilleur knows, by id, in a stable order (the order of listings)."""
IDS: tuple[str, ...] = tuple(NETWORKS)
ARTICLE_NETWORKS: frozenset[str] = frozenset(n.id for n in _ALL if n.article)
_BY_NAME: dict[str, str] = {
    **{alias: n.id for n in _ALL for alias in n.aliases},
    **{n.id: n.id for n in _ALL},
}


def resolve(value: str, among: tuple[str, ...] | None = None) -> str:
    """The id of the network a user typed: ``Twitter`` → ``x`` (ids and aliases, any case).

    ``among`` narrows the accepted ids (e.g. the networks a command can handle). An
    unknown name is a :class:`~veilleur.errors.UsageError` listing the known ids.
    """
    found = _BY_NAME.get(value.strip().lower())
    known = among if among is not None else IDS
    if found is None or found not in known:
        raise UsageError(
            t(
                "unknown network '{name}': expected one of {known}",
                name=value.strip(),
                known=", ".join(known),
            )
        )
    return found


def get(network_id: str) -> Network:
    """The network of an id (or alias); UsageError when unknown."""
    return NETWORKS[resolve(network_id)]


def name(network_id: str, lang: str = "fr") -> str:
    """The display name of a network; an unknown id is shown as it is."""
    network = NETWORKS.get(network_id)
    return network.name(lang) if network is not None else network_id
