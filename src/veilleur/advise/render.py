"""Writing the advice and the handout: Markdown, HTML, JSON and PDF.

The content comes from :mod:`veilleur.advise.present` (already in one language, with French
typography); the templates in ``templates/`` only lay it out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson

from veilleur.errors import UsageError
from veilleur.i18n import N_, gettext
from veilleur.report import html_to_pdf, render
from veilleur.report.typography import french_spacing

FORMATS = ("md", "html", "json", "pdf")
HANDOUT_FORMATS = ("html", "pdf", "json")

# The fixed words of the reports, as English msgids (the templates use them by key).
_LABELS: dict[str, str] = {
    "title": N_("Which network? To do what?"),
    "advice_for": N_("Advice for"),
    "objectives": N_("Objectives"),
    "organisation": N_("Organisation"),
    "public": N_("whom you serve"),
    "regions": N_("area"),
    "networks": N_("Recommended networks"),
    "ranking": N_("Ranking and reasons"),
    "set_aside": N_("Networks set aside"),
    "score": N_("score"),
    "recommended": N_("recommended"),
    "accounts": N_("Which accounts?"),
    "content_mix": N_("What to publish"),
    "value": N_("value"),
    "promotional": N_("promotional"),
    "recruit_note": N_(
        "Recruit without seeming to: most posts show jobs, teams and skills; offers come on top."
    ),
    "cadence": N_("How often?"),
    "per_week": N_("posts a week"),
    "watch_mode": N_("watch"),
    "rules": N_("Good publishing: the rules"),
    "limit": N_("characters at most"),
    "limit_unknown": N_("limit to check"),
    "actions": N_("The first ten actions"),
    "event_steps": N_("Your event with veilleur"),
    "watch_queries": N_("Suggested watch queries"),
    "watch_help": N_("Save them with 'veilleur watch add NAME QUERY'."),
    "evidence": N_("What your workspace measured"),
    "evidence_intro": N_("Stored posts containing your keywords"),
    "leading_accounts": N_("Accounts that drive the topic"),
    "posts": N_("posts"),
    "post": N_("post"),
    "engagement": N_("engagement"),
    "own": N_("your account"),
    "source": N_("source"),
    "checked": N_("checked on"),
    "stale": N_("to check again"),
    "ignored_goals": N_("Profile goals not recognised (ignored)"),
    "generated": N_("Made by veilleur on"),
    "handout": N_("Training handout"),
    "participants": N_("participants"),
    "for_you": N_("Your objectives reachable here"),
    "also": N_("Also possible"),
    "audience": N_("Audience"),
    "formats": N_("Formats"),
    "features": N_("Useful features"),
    "setup": N_("Set-up checklist"),
    "rules_recap": N_("Recap: good publishing"),
    "livetweet": N_("Preparing a live-tweet"),
    "before": N_("Before"),
    "during": N_("During"),
    "after": N_("After"),
    "syntax": N_("The shape of a post"),
    "speakers": N_("Speakers and their handles"),
    "speaker": N_("Speaker"),
    "hashtag": N_("Official hashtag"),
    "punchline": N_("Punchlines to capture"),
    "none": N_("none"),
}


def labels(lang: str) -> dict[str, str]:
    """The fixed words of the reports in ``lang``, with French typography in French."""
    out = {
        "colon": "\u00a0: " if lang == "fr" else ": ",
        "semi": "\u202f; " if lang == "fr" else "; ",
        "pct": "\u202f%" if lang == "fr" else "%",
    }
    for key, message in _LABELS.items():
        text = gettext(message, lang)
        out[key] = french_spacing(text) if lang == "fr" else text
    return out


def _context(data: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"d": data, "L": labels(lang), "lang": lang, "today": date.today().isoformat()}


def to_json(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def advice_text(data: dict[str, Any], fmt: str) -> str:
    """The advice as Markdown, HTML or JSON text."""
    lang = data["lang"]
    if fmt == "json":
        return to_json(data)
    if fmt == "md":
        return render("veilleur.advise", "advice_md.txt", **_context(data, lang))
    if fmt == "html":
        return render("veilleur.advise", "advice.html", **_context(data, lang))
    raise UsageError(
        gettext("unknown format '{fmt}' (known: {known})").format(fmt=fmt, known=", ".join(FORMATS))
    )


def handout_text(data: dict[str, Any], fmt: str) -> str:
    lang = data["lang"]
    if fmt == "json":
        return to_json(data)
    if fmt == "html":
        return render("veilleur.advise", "handout.html", **_context(data, lang))
    raise UsageError(
        gettext("unknown format '{fmt}' (known: {known})").format(
            fmt=fmt, known=", ".join(HANDOUT_FORMATS)
        )
    )


def write(text_or_html: str, fmt: str, output: Path | None) -> str | None:
    """Write to ``output`` (PDF needs one); return the text when it goes to standard output."""
    check_output(fmt, output)
    if output is None:
        return text_or_html
    try:
        if fmt == "pdf":
            html_to_pdf(text_or_html, output)
        else:
            output.write_text(text_or_html, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            gettext("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        ) from None
    return None


def check_output(fmt: str, output: Path | None) -> None:
    """Fail before any work (or any question asked) when the output cannot be written."""
    if fmt == "pdf" and output is None:
        raise UsageError(gettext("--format pdf needs --output FILE.pdf"))
    if output is not None and not output.parent.is_dir():
        raise UsageError(
            gettext("cannot write {path}: the folder {folder} does not exist").format(
                path=output, folder=output.parent
            )
        )
