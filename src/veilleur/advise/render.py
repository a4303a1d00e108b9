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
from veilleur.report import html_to_pdf, render
from veilleur.report.typography import french_spacing

FORMATS = ("md", "html", "json", "pdf")
HANDOUT_FORMATS = ("html", "pdf", "json")

_LABELS: dict[str, dict[str, str]] = {
    "title": {"fr": "Quel réseau ? Pour en faire quoi ?", "en": "Which network? To do what?"},
    "advice_for": {"fr": "Conseil pour", "en": "Advice for"},
    "objectives": {"fr": "Objectifs", "en": "Objectives"},
    "networks": {"fr": "Réseaux recommandés", "en": "Recommended networks"},
    "ranking": {"fr": "Classement et raisons", "en": "Ranking and reasons"},
    "set_aside": {"fr": "Réseaux écartés", "en": "Networks set aside"},
    "score": {"fr": "score", "en": "score"},
    "recommended": {"fr": "recommandé", "en": "recommended"},
    "accounts": {"fr": "Quels comptes ?", "en": "Which accounts?"},
    "content_mix": {"fr": "Ce qu'on publie", "en": "What to publish"},
    "value": {"fr": "valeur", "en": "value"},
    "promotional": {"fr": "promotionnel", "en": "promotional"},
    "recruit_note": {
        "fr": "Recruter sans en avoir l'air : la plupart des messages montrent les métiers, "
        "les équipes et les savoir-faire ; les offres viennent en plus.",
        "en": "Recruit without seeming to: most posts show jobs, teams and skills; "
        "offers come on top.",
    },
    "cadence": {"fr": "À quel rythme ?", "en": "How often?"},
    "per_week": {"fr": "messages par semaine", "en": "posts a week"},
    "watch_mode": {"fr": "veille", "en": "watch"},
    "rules": {"fr": "Savoir publier : les règles", "en": "Good publishing: the rules"},
    "limit": {"fr": "signes au plus", "en": "characters at most"},
    "limit_unknown": {"fr": "limite à vérifier", "en": "limit to check"},
    "actions": {"fr": "Les dix premières actions", "en": "The first ten actions"},
    "watch_queries": {"fr": "Requêtes de veille suggérées", "en": "Suggested watch queries"},
    "watch_help": {
        "fr": "À enregistrer avec « veilleur watch add NOM REQUÊTE ».",
        "en": "Save them with 'veilleur watch add NAME QUERY'.",
    },
    "evidence": {
        "fr": "Ce que mesure votre espace de travail",
        "en": "What your workspace measured",
    },
    "evidence_intro": {
        "fr": "Messages enregistrés qui contiennent vos mots-clés",
        "en": "Stored posts containing your keywords",
    },
    "leading_accounts": {
        "fr": "Comptes qui portent le sujet",
        "en": "Accounts that drive the topic",
    },
    "posts": {"fr": "messages", "en": "posts"},
    "post": {"fr": "message", "en": "post"},
    "engagement": {"fr": "réactions", "en": "engagement"},
    "own": {"fr": "votre compte", "en": "your account"},
    "source": {"fr": "source", "en": "source"},
    "checked": {"fr": "vérifié le", "en": "checked on"},
    "stale": {"fr": "à revérifier", "en": "to check again"},
    "ignored_goals": {
        "fr": "Objectifs du profil non reconnus (ignorés)",
        "en": "Profile goals not recognised (ignored)",
    },
    "generated": {"fr": "Produit par veilleur le", "en": "Made by veilleur on"},
    "handout": {"fr": "Support de formation", "en": "Training handout"},
    "participants": {"fr": "participants", "en": "participants"},
    "for_you": {"fr": "Vos objectifs atteignables ici", "en": "Your objectives reachable here"},
    "also": {"fr": "Également possible", "en": "Also possible"},
    "audience": {"fr": "Public", "en": "Audience"},
    "formats": {"fr": "Formats", "en": "Formats"},
    "features": {"fr": "Fonctions utiles", "en": "Useful features"},
    "setup": {"fr": "Mise en place : liste de contrôle", "en": "Set-up checklist"},
    "rules_recap": {"fr": "Récapitulatif : savoir publier", "en": "Recap: good publishing"},
    "livetweet": {"fr": "Préparer un live-tweet", "en": "Preparing a live-tweet"},
    "before": {"fr": "Avant", "en": "Before"},
    "during": {"fr": "Pendant", "en": "During"},
    "after": {"fr": "Après", "en": "After"},
    "syntax": {"fr": "La forme d'un message", "en": "The shape of a post"},
    "speakers": {"fr": "Intervenants et leurs comptes", "en": "Speakers and their handles"},
    "speaker": {"fr": "Intervenant", "en": "Speaker"},
    "hashtag": {"fr": "Mot-dièse officiel", "en": "Official hashtag"},
    "punchline": {"fr": "Phrases choc à capter", "en": "Punchlines to capture"},
    "none": {"fr": "aucun", "en": "none"},
}


def labels(lang: str) -> dict[str, str]:
    """The fixed words of the reports in ``lang``, with French typography in French."""
    out = {
        "colon": "\u00a0: " if lang == "fr" else ": ",
        "semi": "\u202f; " if lang == "fr" else "; ",
        "pct": "\u202f%" if lang == "fr" else "%",
    }
    for key, entry in _LABELS.items():
        text = entry.get(lang) or entry["en"]
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
    raise UsageError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")


def handout_text(data: dict[str, Any], fmt: str) -> str:
    lang = data["lang"]
    if fmt == "json":
        return to_json(data)
    if fmt == "html":
        return render("veilleur.advise", "handout.html", **_context(data, lang))
    raise UsageError(f"unknown format '{fmt}' (known: {', '.join(HANDOUT_FORMATS)})")


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
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    return None


def check_output(fmt: str, output: Path | None) -> None:
    """Fail before any work (or any question asked) when the output cannot be written."""
    if fmt == "pdf" and output is None:
        raise UsageError("--format pdf needs --output FILE.pdf")
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"cannot write {output}: the folder {output.parent} does not exist")
