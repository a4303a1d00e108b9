"""The advice in one language, as plain data: the JSON output and what the templates render.

French texts get French typography here (narrow no-break spaces before ; : ! ? and inside
« »), once, so that the JSON, Markdown, HTML and PDF say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from veilleur.advise.engine import Advice, Reason
from veilleur.advise.kb import KnowledgeBase, Text
from veilleur.events.config import BASE_URL
from veilleur.i18n import N_, ngettext, t
from veilleur.report.typography import french_spacing

LANGS = ("fr", "en")


class Localizer:
    """Picks the language and the wording of the kind of organisation, fills the profile's
    values into the ``{placeholders}`` and applies the typography of that language."""

    def __init__(
        self,
        kb: KnowledgeBase,
        lang: str,
        kind: str | None = None,
        values: dict[str, str] | None = None,
    ) -> None:
        self.kb = kb
        self.lang = lang if lang in LANGS else "en"
        self.kind = kind
        self.values = values or {}

    @classmethod
    def for_advice(cls, kb: KnowledgeBase, advice: Advice, lang: str) -> Localizer:
        """In the words of the advised organisation, with its names, regions and networks."""
        loc = cls(kb, lang, advice.profile.kind)
        loc.values = placeholders(loc, advice)
        return loc

    def __call__(self, text: Text | str) -> str:
        value = text if isinstance(text, str) else text.get(self.lang, self.kind)
        value = fill(value, self.values)
        return french_spacing(value) if self.lang == "fr" else value

    def network(self, network: str) -> str:
        return self(self.kb.networks[network].name)

    def objective(self, objective: str) -> str:
        return self(self.kb.objectives[objective].label)

    def on_network(self, network: str, text: str) -> str:
        """« Sur Mastodon, choisir… » / "On Mastodon, choose…": a set-up step says where."""
        if network == "website":  # its steps already say « le site »
            return text
        if len(text) > 1 and text[0].isupper() and text[1].islower():
            text = text[0].lower() + text[1:]
        word = "Sur" if self.lang == "fr" else "On"
        return f"{word} {self.network(network)}, {text}"

    def integer(self, value: int) -> str:
        """63 206 (narrow no-break space) in French, 63,206 in English."""
        text = f"{value:,}"
        return text.replace(",", "\u202f") if self.lang == "fr" else text

    def join(self, items: Sequence[str]) -> str:
        """« a, b et c » / "a, b and c"."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        word = " et " if self.lang == "fr" else " and "
        return ", ".join(items[:-1]) + word + items[-1]

    def source(self, source: str | None) -> dict[str, Any] | None:
        if source is None:
            return None
        found = self.kb.sources[source]
        return {"id": found.id, "kind": found.kind, "title": self(found.title), "url": found.url}


def number(value: float) -> float | int:
    """Whole scores as integers (10, not 10.0) in the JSON and the reports."""
    return int(value) if float(value).is_integer() else value


STALE_AFTER = timedelta(days=365)
"""A fact checked longer ago than this is marked « à revérifier » in the advice."""


def reason_dict(
    loc: Localizer, network: str, reason: Reason, today: date | None = None
) -> dict[str, Any]:
    today = today or date.today()
    return {
        "kind": reason.kind,
        "text": loc(reason.text),
        "weight": number(reason.weight),
        "objectives": list(reason.objectives),
        "fact": f"{network}.{reason.fact}" if reason.fact else None,
        "source": loc.source(reason.source),
        "checked": reason.checked.isoformat() if reason.checked else None,
        "stale": reason.checked is not None and today - reason.checked > STALE_AFTER,
    }


def placeholders(loc: Localizer, advice: Advice) -> dict[str, str]:
    social = [loc.network(n) for n in advice.chosen if n != "website"] or [
        loc.network(n) for n in advice.chosen
    ]
    regions = advice.profile.regions
    kind = loc.kb.organisation_kinds.get(advice.profile.kind)
    return {
        "{networks}": loc.join(social),
        "{regions}": loc.join(regions) if regions else loc(Text.gettext("your area")),
        "{name}": advice.profile.name,
        "{public}": loc(kind.public) if kind else "",
        "{team}": loc(kind.team) if kind else "",
    }


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def tied_note(loc: Localizer, advice: Advice, scores: dict[str, float]) -> str | None:
    """The line that says which networks tie with the last one shown, or ``None``."""
    if not advice.tied or not advice.chosen:
        return None
    last = advice.chosen[-1]
    count = len(advice.chosen)
    message = ngettext(
        "Tied with {last} (score {score}) but left out to keep to the {count} asked for: "
        "{others}. Use --count {more} to see it.",
        "Tied with {last} (score {score}) but left out to keep to the {count} asked for: "
        "{others}. Use --count {more} to see them.",
        len(advice.tied),
        loc.lang,
    )
    return loc(
        message.format(
            last=loc.network(last),
            score=number(scores[last]),
            count=count,
            others=loc.join([loc.network(n) for n in advice.tied]),
            more=count + len(advice.tied),
        )
    )


# The networks the live-tweet kit prepares posts for when the advice chose none of them.
KIT_NETWORKS = ("x", "mastodon", "bluesky", "linkedin")


def event_steps(advice: Advice, lang: str) -> list[dict[str, str]]:
    """The event route's next steps in veilleur (issue 18): what each command does and the
    command itself, from creating the event to its recap. Empty without the events goal."""
    if "events" not in advice.objectives:
        return []
    slug = t("free-workshop", lang)
    site = t("https://your.site", lang)
    networks = ",".join(n for n in advice.chosen if n in KIT_NETWORKS) or ",".join(KIT_NETWORKS)
    steps = [
        (
            t("Create the event with its seats and its hashtag.", lang),
            f'veilleur event add {slug} --title "{t("Free workshop", lang)}" '
            "--start 2027-03-15T14:00 --end 2027-03-15T17:00 --timezone Europe/Paris "
            # quoted: a shell reads an unquoted word starting with # as a comment
            f'--capacity 15 --hashtag "{t("#MyWorkshop", lang)}"',
        ),
        (
            t(
                "Put the sign-up link in every post: the event's public page {url} takes "
                "the seats, keeps the waiting list in order and says how many seats are "
                "left, once the site's address is set.",
                lang,
                url=f"{site}/e/{slug}",
            ),
            f"veilleur config set {BASE_URL} {site}",
        ),
        (
            t(
                "Let the mails go: the confirmations, the D-2 reminders (“I'm coming” / "
                "“I free my seat”) and the practical details on the morning of the day; "
                "veilleur run sends them as it goes (veilleur event mails {slug} sends them "
                "at once).",
                lang,
                slug=slug,
            ),
            "veilleur run",
        ),
        (
            t("Follow the sign-ups, the waiting list and who is coming.", lang),
            f"veilleur event attendees {slug} --format table",
        ),
        (
            t("Prepare the live-tweet kit from the programme.", lang),
            f"veilleur event kit {slug} --program {t('programme.csv', lang)} --networks {networks}",
        ),
        (
            t("After the event, write the recap and the thank-you posts.", lang),
            f"veilleur event recap {slug} --format html --output recap.html",
        ),
    ]
    return [
        {"text": french_spacing(text) if lang == "fr" else text, "command": command}
        for text, command in steps
    ]


def advice_dict(
    kb: KnowledgeBase, advice: Advice, lang: str, today: date | None = None
) -> dict[str, Any]:
    """Everything the renderers need, in ``lang``; also the ``--format json`` output.

    ``today`` (default: the real date) decides which facts are old enough to re-check.
    """
    loc = Localizer.for_advice(kb, advice, lang)
    profile = advice.profile
    kind = kb.organisation_kinds.get(profile.kind)

    def network_entry(entry: Any) -> dict[str, Any]:
        network = kb.networks[entry.network]
        return {
            "network": entry.network,
            "name": loc(network.name),
            "score": number(entry.score),
            "recommended": entry.recommended,
            "audience": loc(network.audience),
            "reasons": [reason_dict(loc, entry.network, r, today) for r in entry.reasons],
        }

    scores = {r.network: r.score for r in advice.ranked}
    kept = [r for r in advice.ranked if r.score > 0 or r.recommended]
    set_aside = [r for r in advice.ranked if not (r.score > 0 or r.recommended) and r.reasons]
    mix = advice.content_mix
    promo_in_ten = round(mix.promotional / 10)
    value_in_ten = 10 - promo_in_ten
    if mix.shares:
        if promo_in_ten == 1:
            message = N_(
                "Out of ten posts, {value} bring value (tips, know-how, behind the scenes, "
                "commented watch) and {promo} is promotional ({examples})."
            )
        else:
            message = N_(
                "Out of ten posts, {value} bring value (tips, know-how, behind the scenes, "
                "commented watch) and {promo} are promotional ({examples})."
            )
        examples = loc.join([loc(e) for e in mix.examples]) or t("announcements", loc.lang)
        summary: Text | str = t(
            message, loc.lang, value=value_in_ten, promo=promo_in_ten, examples=examples
        )
    else:
        summary = Text.gettext(
            "Your objectives do not require posting: if you post, share your commented "
            "watch, with no promotional post."
        )
    recruiting = any(o.startswith("recruit_") or o == "employer_brand" for o in advice.objectives)
    out: dict[str, Any] = {
        "veilleur": "advice",
        "lang": loc.lang,
        "organisation": {
            "name": profile.name,
            "kind": profile.kind,
            "kind_label": loc(kind.label) if kind else profile.kind,
            "public": loc(kind.public) if kind else "",
            "positioning": profile.positioning,
            "sector": profile.sector,
            "regions": profile.regions,
            "languages": profile.languages,
            "keywords": profile.keywords,
            "audiences": profile.audiences,
        },
        "objectives": [{"id": o, "label": loc.objective(o)} for o in advice.objectives],
        "ignored_goals": advice.ignored_goals,
        "networks": [network_entry(r) for r in kept],
        "count": len(advice.chosen),
        "tied": [
            {"network": n, "name": loc.network(n), "score": number(scores[n])} for n in advice.tied
        ],
        "tied_note": tied_note(loc, advice, scores),
        "set_aside": [network_entry(r) for r in set_aside],
        "accounts": [
            {
                "network": a.network,
                "name": loc.network(a.network),
                "choices": [
                    {
                        "kind": c.kind,
                        "label": loc(kb.account_kinds[c.kind].label),
                        "score": number(c.score),
                        "objectives": list(c.objectives),
                        "why": loc(kb.account_kinds[c.kind].why),
                    }
                    for c in a.choices
                ],
            }
            for a in advice.accounts
        ],
        "content_mix": {
            "value": mix.value,
            "promotional": mix.promotional,
            "summary": loc(summary),
            "recruit_without_seeming": recruiting,
            "ideas": [
                {
                    "objective": o,
                    "label": loc.objective(o),
                    "text": loc(t),
                }
                for o, t in mix.ideas
            ],
        },
        "cadence": [
            {
                "network": c.network,
                "name": loc.network(c.network),
                "mode": c.mode,
                "per_week": list(c.per_week),
                "text": loc(c.text),
            }
            for c in advice.cadence
        ],
        "rules": [
            {
                "id": r.rule.id,
                "text": loc(r.rule.text),
                "networks": list(r.networks),
                "limits": [
                    {
                        "network": n,
                        "name": loc.network(n),
                        "limit": limit,
                        "limit_text": loc.integer(limit) if limit else None,
                    }
                    for n, limit in r.limits
                ],
                "scope": [loc.network(n) for n in r.networks] if r.rule.networks else [],
                "source": loc.source(r.rule.source),
                "checked": r.rule.checked.isoformat(),
            }
            for r in advice.rules
        ],
        "actions": [
            {
                "rank": i,
                "text": loc.on_network(a.network, loc(a.text)) if a.network else loc(a.text),
                "network": a.network,
            }
            for i, a in enumerate(advice.actions, 1)
        ],
        "event_steps": event_steps(advice, lang),
        "watch_queries": [
            {
                "objective": q.objective,
                "label": loc.objective(q.objective),
                "query": q.query,
                "lang": q.lang,
            }
            for q in advice.watch_queries
        ],
        "evidence": None,
    }
    if advice.evidence is not None:
        ev = advice.evidence
        own = {handle.lstrip("@").lower() for handle in profile.accounts.values()}
        out["evidence"] = {
            "query": ev.query,
            "total": ev.total,
            "per_network": ev.per_network,
            "networks": [
                {"network": n, "name": loc.network(n) if n in kb.networks else n, "posts": c}
                for n, c in ev.per_network.items()
            ],
            "accounts": [
                {"author": a, "network": n, "posts": p, "engagement": e, "own": a.lower() in own}
                for a, n, p, e in ev.accounts
            ],
        }
    return out
