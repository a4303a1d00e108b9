"""What the digest and the alerts say, in French and English, and how they write numbers and
dates (French: « 1 230 », « 1er novembre 2026 », narrow no-break spaces before ; : ! ?)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from veilleur import i18n
from veilleur.networks import NETWORKS
from veilleur.report import dates
from veilleur.report.typography import french_spacing

MESSAGES: dict[str, dict[str, str]] = {
    "watch.title": {"fr": "Veille « {watch} »", "en": "Watch “{watch}”"},
    "watch.period": {"fr": "du {since} au {until}", "en": "from {since} to {until}"},
    "watch.summary": {
        "fr": "{posts}, regroupés en {stories}. Voici les plus importants.",
        "en": "{posts}, grouped into {stories}. Here are the ones that matter.",
    },
    "watch.empty": {
        "fr": "Aucun message ne correspond à cette veille sur la période.",
        "en": "No post matches this watch over the period.",
    },
    "watch.stories": {"fr": "Les sujets à retenir", "en": "Top stories"},
    "watch.why": {"fr": "Pourquoi", "en": "Why"},
    "watch.sources": {"fr": "Sources", "en": "Sources"},
    "watch.links": {"fr": "Liens", "en": "Links"},
    "watch.read": {"fr": "Lire", "en": "Read"},
    "watch.first_seen": {"fr": "Vu pour la première fois le {date}", "en": "First seen {date}"},
    "watch.trends": {"fr": "Ce qui monte", "en": "Rising"},
    "watch.trends_none": {
        "fr": "Aucun mot-dièse ni mot ne sort nettement de son niveau habituel.",
        "en": "No hashtag or word stands clearly above its usual level.",
    },
    "watch.trend_line": {
        "fr": "{n} sur la période ({per_day} par jour, contre {usual} d'habitude)",
        "en": "{n} over the period ({per_day} a day, against {usual} usually)",
    },
    "watch.accounts": {"fr": "Les comptes qui comptent", "en": "Accounts that matter"},
    "watch.accounts_none": {
        "fr": "Pas encore assez de messages pour distinguer des comptes.",
        "en": "Not enough posts yet to single out accounts.",
    },
    "watch.account_line": {
        "fr": "{posts} sur le sujet, actif {days}, repris {reposted}, cité {mentioned}",
        "en": "{posts} on the topic, active on {days}, reposted {reposted}, mentioned {mentioned}",
    },
    "watch.footer": {
        "fr": "Synthèse produite par veilleur le {date}. Les messages quasi identiques "
        "(reprises, « RT », articles syndiqués, textes tronqués) sont regroupés en un sujet.",
        "en": "Digest made by veilleur on {date}. Near-identical posts (reposts, “RT” copies, "
        "syndicated articles, truncated texts) are grouped into one story.",
    },
    "watch.reason.sources": {
        "fr": "Repris par {n} sur {networks} ({names})",
        "en": "Carried by {n} on {networks} ({names})",
    },
    "watch.reason.sources_one": {
        "fr": "Repris par {n} ({names})",
        "en": "Carried by {n} ({names})",
    },
    "watch.reason.copies": {
        "fr": "{n} regroupées ici",
        "en": "{n} grouped here",
    },
    "watch.reason.volume": {"fr": "{n} sur la période", "en": "{n} over the period"},
    "watch.reason.growth": {
        "fr": "En hausse : {recent} sur la seconde moitié de la période, contre {earlier}",
        "en": "Rising: {recent} in the second half of the period, against {earlier}",
    },
    "watch.reason.engagement": {
        "fr": "{n} (j'aime, partages, réponses)",
        "en": "{n} (likes, reposts, replies)",
    },
    "watch.reason.new": {"fr": "Nouveau : apparu le {date}", "en": "New: first seen {date}"},
    "watch.reason.ongoing": {
        "fr": "Sujet de fond, suivi depuis le {date}",
        "en": "Ongoing story, followed since {date}",
    },
    "watch.reason.on_topic": {
        "fr": "Tous ses messages relèvent de la veille",
        "en": "All its posts are on the watch's topic",
    },
    "watch.reason.partly": {
        "fr": "Touche la veille en partie ({share} % de ses messages)",
        "en": "Partly on topic ({share}% of its posts)",
    },
    "watch.related": {
        "fr": "Sujets liés ({tags}) : {stories}, {posts}",
        "en": "Related stories ({tags}): {stories}, {posts}",
    },
    "watch.alert.subject_account": {
        "fr": "[veilleur] {watch} : nouveau message de {author}",
        "en": "[veilleur] {watch}: new post by {author}",
    },
    "watch.alert.subject_spike": {
        "fr": "[veilleur] {watch} : pic d'activité ({n} messages en une heure)",
        "en": "[veilleur] {watch}: activity spike ({n} posts in an hour)",
    },
    "watch.digest.subject": {
        "fr": "[veilleur] Veille « {watch} », {period}",
        "en": "[veilleur] Watch “{watch}”, {period}",
    },
}
i18n.register(MESSAGES)

NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "post": {"fr": ("message", "messages"), "en": ("post", "posts")},
    "story": {"fr": ("sujet", "sujets"), "en": ("story", "stories")},
    "source": {"fr": ("source", "sources"), "en": ("source", "sources")},
    "network": {"fr": ("réseau", "réseaux"), "en": ("network", "networks")},
    "copy": {
        "fr": ("reprise quasi identique", "reprises quasi identiques"),
        "en": ("near-identical copy", "near-identical copies"),
    },
    "interaction": {"fr": ("interaction", "interactions"), "en": ("interaction", "interactions")},
    "day": {"fr": ("jour", "jours"), "en": ("day", "days")},
    "time": {"fr": ("fois", "fois"), "en": ("time", "times")},
}

NETWORK_NAMES = {n.id: n.name("fr") for n in NETWORKS.values()}


def noun(n: int, word: str, lang: str) -> str:
    """« 1 message », « 0 message », « 2 messages » / “1 post”, “0 posts”: number and noun."""
    one, many = NOUNS[word].get(lang) or NOUNS[word]["en"]
    singular = n <= 1 if lang == "fr" else n == 1
    return f"{number(n, lang)}\u00a0{one if singular else many}"


def networks(names: list[str]) -> str:
    return ", ".join(NETWORK_NAMES.get(n, n) for n in names)


def say(key: str, lang: str, **values: object) -> str:
    """A message of this module, with French typography in French."""
    entry = i18n.CATALOGUE[key]
    template = entry.get(lang) or entry["en"]
    if lang == "fr":
        template = template.replace("'", "’")  # the typographic apostrophe
    text = template.format(**{k: number(v, lang) for k, v in values.items()})
    return french_spacing(text) if lang == "fr" else text


def number(value: object, lang: str) -> object:
    """Whole numbers with a thousands separator (a narrow no-break space in French)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return dates.number(value, lang)


def day(value: datetime, lang: str, *, year: bool = True) -> str:
    """« 1er novembre 2026 » / “1 November 2026”."""
    return dates.day(value, lang, year=year)


def moment(value: datetime, lang: str) -> str:
    """A day and a time in UTC: « 1er novembre 2026 à 9 h 05 » / “1 November 2026, 09:05”."""
    if lang == "fr":
        return f"{day(value, lang)} à {value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{day(value, lang)}, {value:%H:%M}"


def period(since: datetime, until: datetime, lang: str) -> str:
    """« du 24 au 31 octobre 2026 », « du 28 septembre au 4 octobre 2026 » / English alike.

    ``until`` is exclusive: a period ending at midnight is shown ending the day before.
    """
    last = until - timedelta(microseconds=1) if until.time() == time(0) else until
    if since.date() == last.date():
        return day(since, lang)
    if (since.year, since.month) == (last.year, last.month):
        first = ("1er" if since.day == 1 else str(since.day)) if lang == "fr" else str(since.day)
    else:
        first = day(since, lang, year=since.year != last.year)
    return say("watch.period", lang, since=first, until=day(last, lang))
