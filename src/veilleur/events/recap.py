"""The recap of an event: what was said under its hashtag, by whom, when, and who came.

The posts are the collected ones carrying the event's hashtag, from the day before the
start to the day after the end. What was said comes from the watch's door: a saved watch
``event-SLUG`` on the hashtag, and its digest over that window — near-duplicates (the same
quote reposted by ten people) grouped into one story. Next to it: the posts with the most
engagement, the accounts that posted most, the counts per network and per local hour,
the attendance figures, and a thank-you post per network drafted through publish's compose.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson

from veilleur import publish, watch
from veilleur.errors import UsageError
from veilleur.events.manage import get_event
from veilleur.events.model import Event
from veilleur.events.roster import Attendance, attendance
from veilleur.i18n import colon, t, using
from veilleur.model import Post, Watch, format_datetime
from veilleur.report.safety import safe_url, strip_controls
from veilleur.workspace import Workspace

MARGIN = timedelta(days=1)
TOP = 5


@dataclass(slots=True)
class Recap:
    event: Event
    posts: int
    stories: list[dict[str, Any]]
    top_posts: list[dict[str, Any]]
    top_accounts: list[dict[str, Any]]
    per_network: dict[str, int]
    per_hour: dict[str, int]
    attendance: Attendance
    thanks: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event.to_json(),
            "posts": self.posts,
            "stories": self.stories,
            "top_posts": self.top_posts,
            "top_accounts": self.top_accounts,
            "per_network": self.per_network,
            "per_hour": self.per_hour,
            "attendance": self.attendance.to_json(),
            "thanks": self.thanks,
        }


def _engagement(post: Post) -> int:
    return sum(n or 0 for n in (post.likes, post.reposts, post.replies, post.quotes))


def _window(event: Event, posts: list[Post]) -> list[Post]:
    start, end = event.starts_at - MARGIN, event.ends_at + MARGIN
    return [p for p in posts if start <= p.created_at < end]


def build_recap(
    ws: Workspace, slug: str, *, networks: str = "x,mastodon,bluesky,linkedin"
) -> Recap:
    """The recap of ``slug`` (see the module's docstring); the event needs a hashtag."""
    from veilleur.query import parse

    store = ws.store
    event = get_event(store, slug)
    if not event.hashtag:
        raise UsageError(
            t(
                "the recap needs the event's hashtag: veilleur event edit {slug} --hashtag #…",
                slug=slug,
            )
        )
    posts = _window(event, store.search(parse(event.hashtag).root, limit=None))
    name = f"event-{event.slug}"
    watch.save_watch(store, Watch(name, event.hashtag, description=event.title))
    groups = watch.group_stories(store, name, event.starts_at - MARGIN, event.ends_at + MARGIN)
    stories = [_story(group) for group in groups]
    ranked = sorted(posts, key=lambda p: (-_engagement(p), p.created_at))[:TOP]
    top_posts = [
        {
            "network": p.network,
            "author": p.author,
            "text": p.text,
            "url": safe_url(p.url) if p.url else None,
            "engagement": _engagement(p),
            "created_at": format_datetime(p.created_at),
        }
        for p in ranked
    ]
    accounts = Counter(f"{p.network}:{p.author}" for p in posts)
    top_accounts = [
        {"account": a, "posts": n}
        for a, n in sorted(accounts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    ]
    per_network = dict(sorted(Counter(p.network for p in posts).items()))
    zone = event.zone
    per_hour = dict(
        sorted(Counter(f"{p.created_at.astimezone(zone):%Y-%m-%d %H}:00" for p in posts).items())
    )
    figures = attendance(store, slug)
    recap = Recap(
        event, len(posts), stories, top_posts, top_accounts, per_network, per_hour, figures
    )
    with using(event.lang):
        thanks = t(
            "Thank you to everyone who came to “{title}” and to everyone who shared it!",
            title=event.title,
        )
    recap.thanks = publish.compose_post(
        ws,
        publish.Draft(f"{thanks} {event.hashtag}", lang=event.lang),
        networks,
        message_lang=event.lang,
    ).to_json()
    return recap


def _story(group: list[Post]) -> dict[str, Any]:
    """One story: its most engaging post stands for it, the others are listed."""
    lead = sorted(group, key=lambda p: (-_engagement(p), p.created_at))[0]
    return {
        "text": lead.text,
        "volume": len(group),
        "networks": sorted({p.network for p in group}),
        "url": safe_url(lead.url) if lead.url else None,
        "first_seen": format_datetime(min(p.created_at for p in group)),
        "posts": [
            {
                "network": p.network,
                "author": p.author,
                "url": safe_url(p.url) if p.url else None,
            }
            for p in sorted(group, key=lambda p: p.created_at)
        ],
    }


def recap_json(recap: Recap) -> str:
    return orjson.dumps(recap.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"


def _labels() -> dict[str, str]:
    return {
        "stories": t("What was said"),
        "top_posts": t("Top posts"),
        "top_accounts": t("Most active accounts"),
        "per_network": t("Posts per network"),
        "per_hour": t("Posts per hour"),
        "attendance": t("Attendance"),
        "thanks": t("Thank-you post"),
        "registered": t("registrations"),
        "confirmed": t("confirmed seats"),
        "attended": t("present"),
        "no_shows": t("no-shows"),
    }


def _line(value: str) -> str:
    """Text from outside on one Markdown line: no control character, no line break, no
    HTML a Markdown renderer would pass through."""
    flat = re.sub(r"[ \t\n\r]+", " ", strip_controls(value)).strip()
    return flat.replace("<", "&lt;").replace(">", "&gt;")


def recap_markdown(recap: Recap) -> str:
    data = recap.to_json()
    with using(recap.event.lang) as lang:
        labels = _labels()
        sep = colon(lang)
        lines = [
            f"# {_line(t('Recap: {title}', title=recap.event.title))}",
            "",
            t("{count} posts with {hashtag}", count=recap.posts, hashtag=recap.event.hashtag),
            "",
            f"## {labels['attendance']}",
            "",
        ]
        figures = data["attendance"]
        for key in ("registered", "confirmed", "attended", "no_shows"):
            if figures[key] is not None:
                lines.append(f"- {labels[key]}{sep}{figures[key]}")
        lines += ["", f"## {labels['stories']}", ""]
        lines += [f"- {_line(s['text'])} ({s['volume']})" for s in data["stories"]]
        lines += ["", f"## {labels['top_posts']}", ""]
        for post in data["top_posts"]:
            who = f"@{_line(post['author'])} ({post['network']}, {post['engagement']})"
            lines.append(f"- {who}{sep}{_line(post['text'])}")
        lines += ["", f"## {labels['top_accounts']}", ""]
        lines += [f"- {_line(a['account'])} ({a['posts']})" for a in data["top_accounts"]]
        lines += ["", f"## {labels['per_network']}", ""]
        lines += [f"- {n}{sep}{c}" for n, c in data["per_network"].items()]
        lines += ["", f"## {labels['per_hour']}", ""]
        lines += [f"- {h}{sep}{c}" for h, c in data["per_hour"].items()]
        lines += ["", f"## {labels['thanks']}", ""]
        for rendering in data["thanks"]["renderings"]:
            texts = rendering["text"]
            text = texts if isinstance(texts, str) else " ".join(texts)
            size = f"{rendering['weighted_length']}/{rendering['limit']}"
            lines.append(f"- {rendering['network']} ({size}){sep}{_line(text)}")
        return "\n".join(lines) + "\n"


def recap_html(recap: Recap) -> str:
    from veilleur.report import render

    with using(recap.event.lang) as lang:
        labels = _labels()
        labels["title"] = t("Recap: {title}", title=recap.event.title)
        labels["summary"] = t(
            "{count} posts with {hashtag}", count=recap.posts, hashtag=recap.event.hashtag
        )
        return render(
            "veilleur.events", "recap.html", recap=recap.to_json(), labels=labels, lang=lang
        )


def recap_pdf(recap: Recap, output: Path) -> None:
    """The recap as a PDF (WeasyPrint, the ``pdf`` extra), written whole or not at all."""
    from veilleur.events.kit import write_pdf

    write_pdf(recap_html(recap), output)
