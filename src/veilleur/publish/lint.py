"""The savoir-publier linter: findings with a rule id, a severity and a message (fr/en).

Rules look at the text as written (``network`` None in the finding) or at one network's
rendering (length, hashtag limits). Their severities are defaults: a workspace changes them
with the setting ``publish.rules`` (``"spelling=off,capitals=error"``), and an ``error``
makes ``veilleur compose`` exit with status 1. The rules themselves are in
:mod:`veilleur.publish.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veilleur import i18n, settings
from veilleur.errors import UsageError

SEVERITIES = ("error", "warning", "info")
RANK = {"error": 0, "warning": 1, "info": 2}

# rule id → default severity
RULES: dict[str, str] = {
    "length": "error",
    "hashtags.count": "warning",
    "hashtags.max": "error",
    "hashtags.trimmed": "info",
    "hashtags.camelcase": "warning",
    "mention.leading": "warning",
    "mention.unknown": "info",
    "image.alt": "error",
    "capitals": "warning",
    "punctuation": "warning",
    "link.bare": "warning",
    "link.instagram": "info",
    "typography.fr": "warning",
    "typography.apostrophe": "info",
    "spelling": "warning",
    "recruiting.promotional": "warning",
    "thread.split": "info",
}

settings.register(
    settings.Setting(
        "publish.rules",
        "str",
        None,
        "linter rules to change: rule=off|error|warning|info, comma-separated "
        "(e.g. spelling=off,capitals=error)",
    )
)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    network: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "network": self.network,
            "message": self.message,
        }


def parse_rule_config(value: str | None) -> dict[str, str]:
    """``"spelling=off,capitals=error"`` → {rule: severity or "off"}; unknown rules refused."""
    config: dict[str, str] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        rule, _, level = item.partition("=")
        rule, level = rule.strip(), level.strip().lower()
        if rule not in RULES:
            raise UsageError(f"unknown linter rule '{rule}'. Rules: {', '.join(sorted(RULES))}")
        if level not in (*SEVERITIES, "off"):
            raise UsageError(f"rule '{rule}': expected off, error, warning or info, got '{level}'")
        config[rule] = level
    return config


class Reporter:
    """Collects findings with the configured severity and the language's message."""

    def __init__(self, lang: str, config: dict[str, str] | None = None) -> None:
        self.lang = lang
        self.config = config or {}
        self.findings: list[Finding] = []

    def add(self, rule: str, network: str | None = None, **values: object) -> None:
        severity = self.config.get(rule, RULES[rule])
        if severity == "off":
            return
        message = i18n.t(f"publish.rule.{rule}", self.lang, **values)
        finding = Finding(rule, severity, network, message)
        if finding not in self.findings:
            self.findings.append(finding)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (RANK[f.severity], f.network or "", f.rule))


def has_error(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


i18n.register(
    {
        "publish.rule.length": {
            "fr": "{length} caractères pour une limite de {limit} : raccourcissez ou "
            "publiez en fil (--thread).",
            "en": "{length} characters for a limit of {limit}: shorten it or post a "
            "thread (--thread).",
        },
        "publish.rule.hashtags.count": {
            "fr": "{n} mots-dièse : au-delà de {max}, le message passe pour de la réclame "
            "et se lit mal.",
            "en": "{n} hashtags: beyond {max} a post looks like spam and reads badly.",
        },
        "publish.rule.hashtags.max": {
            "fr": "{n} mots-dièse : ce réseau en accepte {max} au plus.",
            "en": "{n} hashtags: this network takes {max} at most.",
        },
        "publish.rule.hashtags.trimmed": {
            "fr": "mots-dièse retirés pour ce réseau : {tags}.",
            "en": "hashtags trimmed for this network: {tags}.",
        },
        "publish.rule.hashtags.camelcase": {
            "fr": "#{tag} : écrivez #{camel} (une majuscule par mot) pour les lecteurs "
            "d'écran et la lisibilité.",
            "en": "#{tag}: write #{camel} (a capital per word) for screen readers and readability.",
        },
        "publish.rule.mention.leading": {
            "fr": "le message commence par @{who} : il sera pris pour une réponse et peu "
            "de gens le verront ; commencez par un mot.",
            "en": "the post starts with @{who}: it reads as a reply and few people will "
            "see it; start with a word.",
        },
        "publish.rule.mention.unknown": {
            "fr": "@{who} n'est pas dans l'annuaire : laissé tel quel sur chaque réseau.",
            "en": "@{who} is not in the directory: left as written on every network.",
        },
        "publish.rule.image.alt": {
            "fr": "image sans texte alternatif ({image}) : décrivez-la pour les personnes "
            "qui ne la voient pas.",
            "en": "image without alt text ({image}): describe it for people who cannot see it.",
        },
        "publish.rule.capitals": {
            "fr": "trop de majuscules ({share} % des lettres) : on lit cela comme un cri.",
            "en": "too many capitals ({share}% of letters): it reads as shouting.",
        },
        "publish.rule.punctuation": {
            "fr": "ponctuation excessive « {mark} » : un seul signe suffit.",
            "en": "excess punctuation '{mark}': one mark is enough.",
        },
        "publish.rule.link.bare": {
            "fr": "un lien sans contexte : dites en une phrase ce que le lecteur y trouvera.",
            "en": "a bare link: say in a sentence what the reader will find there.",
        },
        "publish.rule.link.instagram": {
            "fr": "les liens ne sont pas cliquables sur Instagram : mettez-le dans la "
            "biographie (« lien en bio »).",
            "en": "links are not clickable on Instagram: put it in the bio ('link in bio').",
        },
        "publish.rule.typography.fr": {
            "fr": "typographie française : {n} espace(s) insécable(s) manquante(s) (avant "
            "; : ! ? et dans « »), par exemple « {example} ».",
            "en": "French typography: {n} missing no-break space(s) (before ; : ! ? and "
            "inside « »), e.g. '{example}'.",
        },
        "publish.rule.typography.apostrophe": {
            "fr": "apostrophe droite (') : l'apostrophe typographique (’) est préférable.",
            "en": "straight apostrophe ('): the typographic one (’) is better.",
        },
        "publish.rule.spelling": {
            "fr": "orthographe à vérifier : {words}.",
            "en": "spelling to check: {words}.",
        },
        "publish.rule.recruiting.promotional": {
            "fr": "offre d'emploi au ton publicitaire ({words}) : montrez le métier, "
            "l'équipe et le savoir-faire plutôt que des superlatifs.",
            "en": "job post with promotional wording ({words}): show the work, the team "
            "and the know-how rather than superlatives.",
        },
        "publish.rule.thread.split": {
            "fr": "trop long : découpé en fil de {n} messages.",
            "en": "too long: split into a thread of {n} posts.",
        },
    }
)
