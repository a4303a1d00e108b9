"""What the digest and the alerts say, in French and English, and how they write numbers and
dates (French: « 1 230 », « 1er novembre 2026 », narrow no-break spaces before ; : ! ?)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from veilleur import i18n
from veilleur.i18n import N_, NP_
from veilleur.networks import NETWORKS
from veilleur.report import dates
from veilleur.report.typography import french_spacing

# The reasons a story is in the digest (watch.rank's keys), as English msgids.
REASONS = {
    "sources": N_("Carried by {n} on {networks} ({names})"),
    "sources_one": N_("Carried by {n} ({names})"),
    "copies": N_("{n} grouped here"),
    "volume": N_("{n} over the period"),
    "growth": N_("Rising: {recent} in the second half of the period, against {earlier}"),
    "engagement": N_("{n} (likes, reposts, replies)"),
    "main": N_("Ranked for {signals}"),
    "new": N_("New: first seen {date}"),
    "undated": N_("Date unknown: collected {date}, never counted as new"),
    "ongoing": N_("Ongoing story, followed since {date}"),
    "on_topic": N_("All its posts are on the watch's topic"),
    "partly": N_("Partly on topic ({share}% of its posts)"),
}

# The signals of watch.ranking, as "main" names them: what made a story's rank.
SIGNALS = {
    "engagement": N_("its interactions"),
    "diversity": N_("its spread across sources"),
    "novelty": N_("its novelty"),
    "growth": N_("its growth"),
    "volume": N_("its number of posts"),
    "match": N_("its fit with the watch's topic"),
}

# Counted nouns (msgctxt "count"): French takes the singular for 0 and 1, English for 1 only.
NOUNS: dict[str, tuple[str, str, str]] = {
    "post": NP_("count", "post", "posts"),
    "story": NP_("count", "story", "stories"),
    "source": NP_("count", "source", "sources"),
    "network": NP_("count", "network", "networks"),
    "copy": NP_("count", "near-identical copy", "near-identical copies"),
    "interaction": NP_("count", "interaction", "interactions"),
    "day": NP_("count", "day", "days"),
    "time": NP_("count", "time", "times"),
}

NETWORK_NAMES = {n.id: n.name("fr") for n in NETWORKS.values()}


def noun(n: int, word: str, lang: str) -> str:
    """« 1 message », « 0 message », « 2 messages » / “1 post”, “0 posts”: number and noun."""
    context, one, many = NOUNS[word]
    return f"{number(n, lang)}\u00a0{i18n.npgettext(context, one, many, n, lang)}"


def networks(names: list[str]) -> str:
    return ", ".join(NETWORK_NAMES.get(n, n) for n in names)


def signals(keys: list[str], lang: str) -> str:
    """« ses interactions et sa nouveauté »: the signals that made a rank."""
    names = [i18n.gettext(SIGNALS[k], lang) for k in keys]
    if len(names) < 2:
        return "".join(names)
    return say("{first} and {second}", lang, first=", ".join(names[:-1]), second=names[-1])


def say(message: str, lang: str, **values: object) -> str:
    """``message`` (an English msgid) in ``lang``, numbers written in its way, with French
    typography in French."""
    template = i18n.gettext(message, lang)
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
    return say("from {since} to {until}", lang, since=first, until=day(last, lang))
