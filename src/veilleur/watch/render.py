"""Writing a :class:`~veilleur.watch.digest.Digest`: HTML for e-mail, Markdown, JSON, Atom.

All wording is prepared once in :func:`view` (French or English, French typography), so the
four formats say the same thing. The HTML is made for e-mail clients: one table-based column,
inline styles only, no script, no remote image, no style sheet; every text from posts is
escaped by Jinja's autoescape after :func:`~veilleur.watch.digest.plain_text` has removed any
markup.
"""

from __future__ import annotations

from typing import Any

import orjson

from veilleur.model import format_datetime
from veilleur.report import render
from veilleur.report.safety import safe_url, strip_controls
from veilleur.report.typography import french_spacing
from veilleur.text import detect_language
from veilleur.watch import messages
from veilleur.watch.digest import Digest, StoryEntry

FORMATS = ("html", "md", "atom", "json")


def _typo(text: str, lang: str, text_lang: str) -> str:
    """French typography in a French digest, on French text only: a German or English title
    keeps its own (« Mega-Deal: IBM übernimmt Red Hat », not « Mega-Deal : … »), and so
    does a quote in another language inside French text (see french_spacing)."""
    if lang == "fr" and text_lang == "fr":
        return french_spacing(text)
    return text


def _story_view(entry: StoryEntry, lang: str) -> dict[str, Any]:
    say = messages.say
    meta = [messages.noun(entry.volume, "post", lang), messages.networks(entry.networks)]
    if entry.engagement:
        meta.append(messages.noun(entry.engagement, "interaction", lang))
    title = _typo(entry.title, lang, entry.lang) if entry.title else None
    text = _typo(entry.text, lang, entry.lang)
    return {
        "rank": entry.rank,
        "title": title,
        "text": text,
        "url": safe_url(entry.url),
        "links": [u for u in entry.links if safe_url(u)],
        "why": entry.why,
        "meta": " · ".join(meta),
        "first_seen": say("First seen {date}", lang, date=messages.moment(entry.first_seen, lang))
        if entry.dated
        else say(
            "Date unknown (collected {date})", lang, date=messages.moment(entry.first_seen, lang)
        ),
        "byline": (
            say("Originally posted by {author}", lang, author=entry.author)
            if entry.repost
            else say("By {author}", lang, author=entry.author)
        )
        if entry.author
        else None,
        "sources": ", ".join(entry.sources[:8]) + (" …" if len(entry.sources) > 8 else ""),
        "related": say(
            "Related stories ({tags}): {stories}, {posts}",
            lang,
            tags=", ".join(entry.related_tags),
            stories=messages.noun(entry.related_stories, "story", lang),
            posts=messages.noun(entry.related_posts, "post", lang),
        )
        if entry.related_stories
        else None,
        "heading": _heading(title or text),
    }


def _heading(text: str, limit: int = 110) -> str:
    """A story's heading: its title, or its text's first sentence, cut at a word."""
    for mark in (". ", " ! ", " ? ", "! ", "? "):
        cut = text.find(mark)
        if 30 <= cut <= limit:
            return text[: cut + len(mark.rstrip())]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _own_lang(text: str) -> str:
    """The language of the user's own words (a watch's description): French unless it reads
    as something else."""
    found = detect_language(text)
    return "fr" if found == "und" else found


def view(d: Digest) -> dict[str, Any]:
    """Every string the digest shows, in its language."""
    lang, say = d.lang, messages.say
    period = messages.period(d.since, d.until, lang)
    return {
        "lang": lang,
        "title": say("Watch “{watch}”", lang, watch=d.watch.name),
        "period": period,
        "description": _typo(d.watch.description, lang, _own_lang(d.watch.description))
        if d.watch.description
        else None,
        "summary": say(
            "{posts}, grouped into {stories}. Here are the ones that matter.",
            lang,
            posts=messages.noun(d.posts, "post", lang),
            stories=messages.noun(d.story_count, "story", lang),
        )
        if d.posts
        else say("No post matches this watch over the period.", lang),
        "h_stories": say("Top stories", lang),
        "h_why": say("Why", lang),
        "h_sources": say("Sources", lang),
        "h_links": say("Links", lang),
        "h_read": say("Read", lang),
        "h_trends": say("Rising", lang),
        "h_accounts": say("Accounts that matter", lang),
        "stories": [_story_view(e, lang) for e in d.stories],
        "trends": [
            {
                "term": t.term,
                "line": say(
                    "{n} over the period ({per_day} a day, against {usual} usually)",
                    lang,
                    n=messages.noun(t.count, "time", lang),
                    per_day=t.per_day,
                    usual=t.usual_per_day,
                ),
            }
            for t in d.trends
        ],
        "trends_none": say("No hashtag or word stands clearly above its usual level.", lang),
        "accounts": [
            {
                "name": a.name,
                "handles": [
                    f"{messages.NETWORK_NAMES.get(n, n)}\u00a0: @{h}"
                    if lang == "fr"
                    else f"{messages.NETWORK_NAMES.get(n, n)}: @{h}"
                    for n, h in sorted(a.handles.items())
                ],
                "line": say(
                    "{posts} on the topic, active on {days}, reposted {reposted}, mentioned "
                    "{mentioned}",
                    lang,
                    posts=messages.noun(a.posts, "post", lang),
                    days=messages.noun(a.days, "day", lang),
                    reposted=messages.noun(a.reposted, "time", lang),
                    mentioned=messages.noun(a.mentioned, "time", lang),
                ),
            }
            for a in d.accounts
        ],
        "accounts_none": say("Not enough posts yet to single out accounts.", lang),
        "footer": say(
            "Digest made by veilleur on {date}. Near-identical posts (reposts, “RT” copies, "
            "syndicated articles, truncated texts) are grouped into one story.",
            lang,
            date=messages.moment(d.generated_at, lang),
        ),
        "subject": say(
            "[veilleur] Watch “{watch}”, {period}", lang, watch=d.watch.name, period=period
        ),
    }


def to_html(d: Digest) -> str:
    v = view(d)
    return render("veilleur.watch", "digest.html", v=v)


def to_markdown(d: Digest) -> str:
    v = view(d)
    lines = [f"# {v['title']}", "", f"*{v['period']}*", ""]
    if v["description"]:
        lines += [v["description"], ""]
    lines += [v["summary"], "", f"## {v['h_stories']}", ""]
    for s in v["stories"]:
        lines += [f"### {s['rank']}. {_md(s['heading'])}", ""]
        if s["heading"] != s["text"]:
            lines += [_md(s["text"]), ""]
        if s["byline"]:
            lines += [f"*{_md(s['byline'])}*", ""]
        lines.append(f"**{v['h_why']}**\u00a0:" if d.lang == "fr" else f"**{v['h_why']}:**")
        lines += [f"- {_md(w)}" for w in s["why"]]
        lines += ["", f"{s['meta']} — {s['first_seen']}", ""]
        lines.append(f"{v['h_sources']}\u00a0: {_md(s['sources'])}" if d.lang == "fr"
                     else f"{v['h_sources']}: {_md(s['sources'])}")  # fmt: skip
        for link in s["links"]:  # already http(s) only: see _story_view
            lines.append(f"<{link}>")
        if s["related"]:
            lines += ["", f"*{_md(s['related'])}*"]
        lines.append("")
    lines += [f"## {v['h_trends']}", ""]
    lines += [f"- **{_md(t['term'])}** — {t['line']}" for t in v["trends"]] or [v["trends_none"]]
    lines += ["", f"## {v['h_accounts']}", ""]
    for a in v["accounts"]:
        lines.append(f"- **{_md(a['name'])}** ({_md(', '.join(a['handles']))}) — {a['line']}")
    if not v["accounts"]:
        lines.append(v["accounts_none"])
    lines += ["", "---", "", f"*{v['footer']}*", ""]
    # French spacing was put where it belongs (our words, French posts): a global
    # replace here would put it in German titles too.
    return strip_controls("\n".join(lines))


def _md(text: str) -> str:
    """Escape what Markdown would read as markup in text that came from posts."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def to_json(d: Digest) -> str:
    data = {
        "watch": {"name": d.watch.name, "query": d.watch.query},
        "since": format_datetime(d.since),
        "until": format_datetime(d.until),
        "generated_at": format_datetime(d.generated_at),
        "lang": d.lang,
        "posts": d.posts,
        "stories_total": d.story_count,
        "stories": [
            {
                "rank": e.rank,
                "story": e.story,
                "title": e.title,
                "text": e.text,
                "url": safe_url(e.url),
                "links": [u for u in e.links if safe_url(u)],
                "first_seen": format_datetime(e.first_seen),
                "dated": e.dated,
                "author": e.author,
                "repost": e.repost,
                "lang": e.lang,
                "last_seen": format_datetime(e.last_seen),
                "volume": e.volume,
                "sources": e.sources,
                "networks": e.networks,
                "engagement": e.engagement,
                "score": e.score,
                "components": e.components,
                "why": e.why,
                "posts": [
                    {
                        "network": p.network,
                        "author": p.author,
                        "url": safe_url(p.url),
                        "created_at": format_datetime(p.created_at),
                    }
                    for p in e.posts
                ],
            }
            for e in d.stories
        ],
        "trends": [
            {
                "term": t.term,
                "kind": t.kind,
                "count": t.count,
                "per_day": t.per_day,
                "usual_per_day": t.usual_per_day,
                "z": t.z,
                "authors": t.authors,
            }
            for t in d.trends
        ],
        "accounts": [
            {
                "name": a.name,
                "handles": a.handles,
                "posts": a.posts,
                "reposted": a.reposted,
                "mentioned": a.mentioned,
                "days": a.days,
                "score": a.score,
            }
            for a in d.accounts
        ],
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def to_atom(d: Digest, feed_url: str | None = None) -> str:
    v = view(d)
    entries = []
    for e, s in zip(d.stories, v["stories"], strict=True):
        entries.append(
            {
                "id": f"tag:veilleur,2026:{d.watch.name}/story/{e.story}",
                "title": s["title"] or s["text"][:120],
                "updated": format_datetime(e.last_seen),
                "published": format_datetime(e.first_seen),
                "link": safe_url(e.url),
                "story": s,
            }
        )
    return render(
        "veilleur.watch",
        "digest.atom.j2",
        v=v,
        feed_id=f"tag:veilleur,2026:{d.watch.name}",
        updated=format_datetime(d.until),
        feed_url=feed_url,
        entries=entries,
    )


def write(d: Digest, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown digest format {fmt!r}")
    return {"html": to_html, "md": to_markdown, "json": to_json, "atom": to_atom}[fmt](d)
