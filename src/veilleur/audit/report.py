"""The audit as a document: JSON for machines, Markdown, HTML with inline SVG charts, PDF.

Several accounts make a benchmark: the first is the account audited, the others are
set side by side with it (scores, rhythm, promotion share).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from veilleur import __version__
from veilleur.audit import charts, fmt
from veilleur.audit.account import ASSESSED_LANGS, OVERALL_WEIGHTS, AccountAudit, Part
from veilleur.audit.findings import Finding, findings
from veilleur.audit.promo import EVENT, PROMOTIONAL, Verdict
from veilleur.i18n import N_, colon, gettext
from veilleur.model import Post, format_datetime
from veilleur.report import html_to_pdf, render
from veilleur.report.safety import safe_url

FORMATS = ("html", "md", "json", "pdf")

# The report's fixed words, as English msgids (the templates use them by key).
_LABELS = {
    "title": N_("Presence audit"),
    "relevance": N_("Relevance"),
    "quality": N_("Quality"),
    "frequency": N_("Frequency"),
    "balance": N_("Value / promotion balance"),
    "overall": N_("Overall score"),
    "findings": N_("Findings and advice"),
    "weights": N_("Weights of the overall score"),
    "period": N_("Period"),
    "posts": N_("Posts"),
    "own": N_("without reposts"),
    "calendar": N_("Publishing calendar"),
    "heatmap": N_("Day and hour of posting"),
    "hours_in": N_("hours in the time zone"),
    "topics": N_("Positioning themes"),
    "benchmark": N_("Accounts side by side"),
    "account": N_("Account"),
    "promo_share": N_("Promotion share"),
    "per_week": N_("Posts per week"),
    "best": N_("Most engaging posts"),
    "worst": N_("Least engaging posts"),
    "engagement": N_("Engagement"),
    "interactions": N_("interactions"),
    "details": N_("Detailed figures"),
    "generated": N_("Report made by veilleur"),
    "promo_examples": N_("Examples of promotional posts"),
    "event_examples": N_("Invitations to the organisation's own events (counted apart)"),
    "reasons": N_("cues"),
    "languages": N_("Languages"),
    "replies": N_("Replies"),
    "overridden": N_("verdict set by hand"),
    "corrected": N_("Verdicts corrected by hand"),
    "corrected_note": N_(
        "Set with veilleur audit label: the consultant's verdict replaces the classifier's "
        "in every figure of this report."
    ),
    "excerpt": N_("Post"),
    "classifier": N_("Classifier's verdict"),
    "consultant": N_("Consultant's verdict"),
    # the consultant's verdict is the classifier's: a check, not a correction
    "confirmed": N_("confirmed"),
}


def labels(lang: str) -> dict[str, str]:
    """The report's fixed words in ``lang``."""
    return {key: gettext(message, lang) for key, message in _LABELS.items()}


def language_line(audit: AccountAudit, lang: str) -> str:
    """« fr 62 %, es 30 % (non évaluée), en 8 % »: the share of each language of the
    account's own writing, those the audit cannot judge marked."""
    total = sum(audit.languages.values())
    items = []
    for code, n in audit.languages.items():
        name = gettext("undetermined", lang) if code == "und" else code
        item = f"{name} {fmt.percent(n / total, lang)}"
        if code not in ASSESSED_LANGS:
            item += f" ({gettext('not assessed', lang)})"
        items.append(item)
    return ", ".join(items) or "–"


def reply_line(audit: AccountAudit, lang: str) -> str:
    """The reply share, the replies' own scores, and the reposts (frequency only)."""
    n = len(audit.replies.posts) if audit.replies else 0
    text = gettext("{share} of the posts ({n}); reposts: {reposts} (frequency only)", lang)
    line = text.format(share=fmt.percent(audit.reply_share, lang), n=n, reposts=audit.reposts)
    if audit.replies is not None:
        scored = gettext(
            "replies scored apart: relevance {relevance}/100, quality {quality}/100", lang
        )
        line += " · " + scored.format(
            relevance=fmt.number(audit.replies.relevance.score, lang, 0),
            quality=fmt.number(audit.replies.quality.score, lang, 0),
        )
    return line


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def account_json(audit: AccountAudit, lang: str) -> dict[str, Any]:
    """Everything one audit found, as plain JSON values."""
    f, r, q, p, e = audit.frequency, audit.relevance, audit.quality, audit.promo, audit.engagement
    posts = []
    parts = [part for part in (audit.original, audit.replies) if part is not None]
    found: dict[int, tuple[Any, int]] = {}
    for part in parts:
        for i, post in enumerate(part.posts):
            found[id(post)] = (part, i)
    assessed = {id(part): part.index() for part in parts}  # once: it builds a dict
    for post in audit.posts:
        where = found.get(id(post))
        kind = "repost" if where is None else "original" if where[0] is audit.original else "reply"
        record: dict[str, Any] = {
            "id": post.id,
            "created_at": format_datetime(post.created_at),
            "url": safe_url(post.url),
            "kind": kind,
            "repost": kind == "repost",
        }
        if where is not None:
            part, i = where
            verdict = part.promo.verdicts[i]
            record.update(
                category=verdict.category,
                overridden=verdict.overridden,
                classifier_category=verdict.machine or verdict.category,
                reasons=verdict.reasons(lang),
                lang=part.langs[i],
                assessed=part.langs[i] in ASSESSED_LANGS,
            )
            j = assessed[id(part)].get(id(post))
            if j is not None:
                record.update(
                    similarity=_r(part.relevance.similarities[j]),
                    on_topic=part.relevance.on_topic[j],
                    keywords=part.relevance.keyword_hits[j],
                    spelling_errors=part.quality.posts[j].errors,
                )
        posts.append(record)
    total = sum(audit.languages.values()) or 1
    return {
        "author": audit.author,
        "network": audit.network,
        "organisation": audit.profile.name,
        "period": {
            "since": f.start.isoformat(),
            "until": f.end.isoformat(),
            "weeks": f.weeks,
        },
        "post_count": len(audit.posts),
        "own_post_count": len(audit.own),
        "reply_count": len(audit.replies.posts) if audit.replies else 0,
        "repost_count": audit.reposts,
        "reply_share": round(audit.reply_share, 4),
        "languages": {
            code: {"posts": n, "share": round(n / total, 4), "assessed": code in ASSESSED_LANGS}
            for code, n in audit.languages.items()
        },
        "not_assessed_share": round(audit.not_assessed_share, 4),
        "replies": None if audit.replies is None else part_json(audit.replies),
        "scores": audit.scores,
        "weights": OVERALL_WEIGHTS,
        "promo_share": round(p.share, 4),
        "recruiting_share": round(p.recruiting_share, 4),
        "promotional_share": round(p.promotional_share, 4),
        "event_share": round(p.event_share, 4),
        "frequency": {
            "per_week": _r(f.per_week),
            "target_per_week": f.target_per_week,
            "active_week_share": _r(f.active_week_share),
            "gap_cv": _r(f.gap_cv),
            "longest_silence_days": _r(f.longest_silence_days, 1),
            "silence_from": f.silence_from.isoformat(),
            "silence_to": f.silence_to.isoformat(),
            "heatmap": f.heatmap,
            "timezone": f.timezone,
            "weekly": f.weekly,
            "components": {k: _r(v) for k, v in f.components.items()},
        },
        "relevance": {
            "method": r.method,
            "on_topic_share": _r(r.on_topic_share),
            "mean_similarity": _r(r.mean_similarity),
            "keyword_coverage": _r(r.coverage),
            "keywords": [
                {"keyword": k.keyword, "posts": k.posts, "share": _r(k.share)} for k in r.keywords
            ],
            "under_covered": r.under_covered,
            "off_profile_terms": [{"term": t, "posts": n} for t, n in r.off_profile_terms],
        },
        "quality": {
            "words": q.words,
            "spelling_errors": q.errors,
            "errors_per_100_words": _r(q.errors_per_100_words, 2),
            "frequent_errors": [{"word": w, "count": n} for w, n in q.frequent_errors],
            "readability": _r(q.readability, 1),
            "length_fit": _r(q.length_fit),
            "length_range": list(q.length_range),
            "hashtags_per_post": _r(q.hashtags_per_post, 2),
            "hashtag_count_ok": _r(q.hashtag_count_ok),
            "hashtags_without_camelcase": q.flat_hashtags,
            "camelcase_share": _r(q.camelcase_share),
            "link_share": _r(q.link_share),
            "image_share": _r(q.image_share),
            "alt_text_share": _r(q.alt_share),
            "alt_text_assessed": q.alt_assessed,
            "shouting_share": _r(q.shouting_share),
            "components": {k: _r(v) for k, v in q.components.items()},
            "weights": {k: _r(v) for k, v in q.weights.items()},
        },
        "promo": {
            "top_reasons": [
                {"reason": cue.fr if lang == "fr" else cue.en, "posts": n}
                for cue, n in p.top_reasons
            ]
        },
        "engagement": None
        if e is None
        else {
            "measured_posts": e.measured,
            "mean": _r(e.mean, 2),
            "median": e.median,
            "per_1000_followers": _r(e.per_1000_followers, 2),
            "value_mean": _r(e.value_mean, 2),
            "promo_mean": _r(e.promo_mean, 2),
            "best": [{"id": post.id, "url": post.url, "interactions": n} for post, n in e.best],
            "worst": [{"id": post.id, "url": post.url, "interactions": n} for post, n in e.worst],
        },
        "findings": [item.to_json() for item in findings(audit, lang)],
        "posts": posts,
    }


def part_json(part: Part) -> dict[str, Any]:
    """The scores of one kind of writing (the replies), measured apart."""
    return {
        "posts": len(part.posts),
        "assessed_posts": len(part.assessed),
        "relevance": part.relevance.score,
        "quality": part.quality.score,
        "on_topic_share": _r(part.relevance.on_topic_share),
        "errors_per_100_words": _r(part.quality.errors_per_100_words, 2),
        "promo_share": round(part.promo.share, 4),
    }


def to_json(audits: Sequence[AccountAudit], lang: str = "fr") -> dict[str, Any]:
    """The report's JSON: the first account's audit at the top level, the others (if
    any) in ``accounts``, and a side-by-side ``benchmark`` table."""
    accounts = [account_json(a, lang) for a in audits]
    out: dict[str, Any] = {
        "generator": f"veilleur {__version__}",
        "generated_at": format_datetime(datetime.now(UTC)),
        "lang": lang,
        **accounts[0],
    }
    if len(accounts) > 1:
        out["accounts"] = accounts
        out["benchmark"] = benchmark_rows(audits)
    return out


def benchmark_rows(audits: Sequence[AccountAudit]) -> list[dict[str, Any]]:
    return [
        {
            "author": a.author,
            "network": a.network,
            "scores": a.scores,
            "promo_share": round(a.promo.share, 4),
            "per_week": _r(a.frequency.per_week, 2),
            "posts": len(a.posts),
        }
        for a in audits
    ]


def to_markdown(audits: Sequence[AccountAudit], lang: str = "fr") -> str:
    L = labels(lang)
    lines: list[str] = []
    for audit in audits:
        f = audit.frequency
        lines += [
            f"# {L['title']} — @{audit.author} ({fmt.network(audit.network, lang)})",
            "",
            f"{audit.profile.name} · {L['period']} : {fmt.day(f.start, lang)} – "
            f"{fmt.day(f.end, lang)} · {L['posts']} : {len(audit.posts)}"
            if lang == "fr"
            else f"{audit.profile.name} · {L['period']}: {fmt.day(f.start, lang)} – "
            f"{fmt.day(f.end, lang)} · {L['posts']}: {len(audit.posts)}",
            "",
            f"{L['languages']}{colon(lang)}{language_line(audit, lang)}  ",
            f"{L['replies']}{colon(lang)}{reply_line(audit, lang)}",
            "",
            f"| {L['overall']} | {L['relevance']} | {L['quality']} | {L['frequency']} "
            f"| {L['balance']} | {L['promo_share']} |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {fmt.number(audit.overall, lang, 0)} | {fmt.number(audit.relevance.score, lang, 0)}"
            f" | {fmt.number(audit.quality.score, lang, 0)} "
            f"| {fmt.number(audit.frequency.score, lang, 0)} "
            f"| {fmt.number(audit.balance, lang, 0)} | {fmt.percent(audit.promo.share, lang)} |",
            "",
            f"## {L['findings']}",
            "",
        ]
        for item in findings(audit, lang):
            lines.append(f"- **{_mark(item)}** {item.text} _({item.figure})_")
        lines.append("")
        lines += corrected_markdown(audit, lang)
    if len(audits) > 1:
        lines += [f"## {L['benchmark']}", "", *benchmark_markdown(audits, lang), ""]
    return "\n".join(lines)


def benchmark_markdown(audits: Sequence[AccountAudit], lang: str) -> list[str]:
    L = labels(lang)
    rows = [
        f"| {L['account']} | {L['overall']} | {L['relevance']} | {L['quality']} "
        f"| {L['frequency']} | {L['promo_share']} | {L['per_week']} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for a in audits:
        rows.append(
            f"| @{a.author} | {fmt.number(a.overall, lang, 0)} "
            f"| {fmt.number(a.relevance.score, lang, 0)} | {fmt.number(a.quality.score, lang, 0)} "
            f"| {fmt.number(a.frequency.score, lang, 0)} | {fmt.percent(a.promo.share, lang)} "
            f"| {fmt.number(a.frequency.per_week, lang)} |"
        )
    return rows


def _mark(item: Finding) -> str:
    return {"good": "✓", "warn": "!", "bad": "✗"}.get(item.level, "·")


def corrected(audit: AccountAudit) -> list[tuple[Post, Verdict]]:
    """The posts whose verdict a consultant set (``veilleur audit label``), originals
    then replies, in the audit's order."""
    parts = [part for part in (audit.original, audit.replies) if part is not None]
    return [
        (post, verdict)
        for part in parts
        for post, verdict in zip(part.posts, part.promo.verdicts, strict=True)
        if verdict.overridden
    ]


def excerpt(text: str, width: int = 100) -> str:
    """The start of ``text`` on one line, cut at a word, « … » when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + " …"


def corrected_markdown(audit: AccountAudit, lang: str) -> list[str]:
    """« Verdicts corrigés à la main »: a table of the corrected posts, or nothing."""
    pairs = corrected(audit)
    if not pairs:
        return []
    L = labels(lang)
    rows = [
        f"## {L['corrected']}",
        "",
        L["corrected_note"],
        "",
        f"| {L['excerpt']} | {L['classifier']} | {L['consultant']} |",
        "|---|---|---|",
    ]
    for post, verdict in pairs:
        text = excerpt(post.text).replace("\\", "\\\\").replace("|", "\\|")
        rows.append(
            f"| {text} (`{post.id}`) | {verdict.category_name(lang, verdict.machine)} "
            f"| {consultant_verdict(verdict, lang)} |"
        )
    return [*rows, ""]


def consultant_verdict(verdict: Verdict, lang: str) -> str:
    """The consultant's category, « (confirmé) » when it is the classifier's too."""
    name = verdict.category_name(lang)
    return f"{name} ({labels(lang)['confirmed']})" if verdict.confirmed else name


def _examples(audit: AccountAudit, category: str, n: int = 5) -> list[tuple[Post, Verdict]]:
    """The first ``n`` original posts of ``category`` with their verdicts."""
    pairs = zip(audit.own, audit.promo.verdicts, strict=True)
    return [(post, verdict) for post, verdict in pairs if verdict.category == category][:n]


def _sections(audits: Sequence[AccountAudit], lang: str) -> list[dict[str, Any]]:
    """What the HTML report shows of each account: the audit, its findings, its charts
    (inline SVG), examples and the posts a consultant corrected."""
    sections = []
    for audit in audits:
        sections.append(
            {
                "audit": audit,
                "findings": findings(audit, lang),
                "scores_svg": charts.score_bars(audit.scores, labels(lang), lang),
                "calendar_svg": charts.calendar(audit.frequency, lang),
                "heatmap_svg": charts.heatmap(
                    audit.frequency.heatmap, lang, audit.frequency.timezone
                ),
                "topics_svg": charts.topics(audit.relevance.keywords, lang),
                # « exemples de messages de réclame »: promotional posts only (job ads
                # and invitations to the organisation's events are not réclame)
                "promo_examples": _examples(audit, PROMOTIONAL),
                "event_examples": _examples(audit, EVENT),
                "corrected": corrected(audit),
            }
        )
    return sections


def _context(audits: Sequence[AccountAudit], lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "L": labels(lang),
        "sections": _sections(audits, lang),
        "benchmark": benchmark_rows(audits) if len(audits) > 1 else None,
        "benchmark_svg": charts.benchmark(audits, labels(lang), lang) if len(audits) > 1 else "",
        "weights": OVERALL_WEIGHTS,
        "fmt": fmt,
        "version": __version__,
        "language_line": language_line,
        "reply_line": reply_line,
        "colon": colon(lang),
    }


def to_html(audits: Sequence[AccountAudit], lang: str = "fr") -> str:
    """A self-contained HTML page: inline CSS and SVG, no script, no remote resource."""
    return render("veilleur.audit", "audit.html", **_context(audits, lang))


def post_rows(audit: AccountAudit, lang: str) -> list[dict[str, Any]]:
    """The account's original posts and replies, newest first, each with its verdict: the
    list a consultant reads to correct a verdict (reposts carry none)."""
    rows: list[dict[str, Any]] = []
    for part, kind in ((audit.original, "original"), (audit.replies, "reply")):
        if part is None:
            continue
        for post, verdict in zip(part.posts, part.promo.verdicts, strict=True):
            rows.append(
                {
                    "post": post,
                    "created_at": post.created_at,
                    "kind": kind,
                    "category": verdict.category,
                    "category_name": verdict.category_name(lang),
                    "overridden": verdict.overridden,
                    "classifier_name": verdict.category_name(lang, verdict.machine)
                    if verdict.overridden
                    else None,
                    "reasons": verdict.reasons(lang),
                    "url": safe_url(post.url),
                }
            )
    rows.sort(key=lambda row: row["created_at"], reverse=True)
    return rows


def report_view(audits: Sequence[AccountAudit], lang: str = "fr") -> dict[str, Any]:
    """The report as data for another page to lay out (the web workbench): what
    :func:`to_html` renders (charts as SVG markup, findings, labels, helpers), and for each
    account its ``posts`` with their verdicts (:func:`post_rows`) and the language and
    reply lines; ``categories`` are the verdicts a consultant may give, named in ``lang``."""
    from veilleur.audit.promo import CATEGORIES, CATEGORY_NAMES

    view = _context(audits, lang)
    for section in view["sections"]:
        audit = section["audit"]
        section["posts"] = post_rows(audit, lang)
        section["language_line"] = language_line(audit, lang)
        section["reply_line"] = reply_line(audit, lang)
    view["categories"] = [(c, gettext(CATEGORY_NAMES[c], lang)) for c in CATEGORIES]
    return view


def write(audits: Sequence[AccountAudit], format: str, output: Path, lang: str = "fr") -> None:
    """Write the report in ``format`` to ``output`` (through a temporary file: never half)."""
    import orjson

    tmp = output.with_name(output.name + ".part")
    if format == "json":
        data = orjson.dumps(to_json(audits, lang), option=orjson.OPT_INDENT_2)
        tmp.write_bytes(data + b"\n")
    elif format == "md":
        tmp.write_text(to_markdown(audits, lang), encoding="utf-8")
    elif format == "html":
        tmp.write_text(to_html(audits, lang), encoding="utf-8")
    elif format == "pdf":
        html_to_pdf(to_html(audits, lang), tmp)
    else:
        raise ValueError(f"unknown format {format!r}")
    tmp.replace(output)
