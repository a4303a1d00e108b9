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
from veilleur.i18n import N_

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
        N_(
            "linter rules to change: rule=off|error|warning|info, comma-separated "
            "(e.g. spelling=off,capitals=error)"
        ),
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
            raise UsageError(
                i18n.t(
                    "unknown linter rule '{rule}'. Rules: {rules}",
                    rule=rule,
                    rules=", ".join(sorted(RULES)),
                )
            )
        if level not in (*SEVERITIES, "off"):
            raise UsageError(
                i18n.t(
                    "rule '{rule}': expected off, error, warning or info, got '{level}'",
                    rule=rule,
                    level=level,
                )
            )
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
        message = i18n.t(MESSAGES[rule], self.lang, **values)
        finding = Finding(rule, severity, network, message)
        if finding not in self.findings:
            self.findings.append(finding)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (RANK[f.severity], f.network or "", f.rule))


def has_error(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


# What each rule says, as English msgids with {placeholders}.
MESSAGES = {
    "length": N_(
        "{length} characters for a limit of {limit}: shorten it or post a thread (--thread)."
    ),
    "hashtags.count": N_("{n} hashtags: beyond {max} a post looks like spam and reads badly."),
    "hashtags.max": N_("{n} hashtags: this network takes {max} at most."),
    "hashtags.trimmed": N_("hashtags trimmed for this network: {tags}."),
    "hashtags.camelcase": N_(
        "#{tag}: write #{camel} (a capital per word) for screen readers and readability."
    ),
    "mention.leading": N_(
        "the post starts with @{who}: it reads as a reply and few people will see it; start with "
        "a word."
    ),
    "mention.unknown": N_("@{who} is not in the directory: left as written on every network."),
    "image.alt": N_("image without alt text ({image}): describe it for people who cannot see it."),
    "capitals": N_("too many capitals ({share}% of letters): it reads as shouting."),
    "punctuation": N_("excess punctuation '{mark}': one mark is enough."),
    "link.bare": N_("a bare link: say in a sentence what the reader will find there."),
    "link.instagram": N_(
        "links are not clickable on Instagram: put it in the bio ('link in bio')."
    ),
    "typography.fr": N_(
        "French typography: {n} missing no-break space(s) (before ; : ! ? and inside « »), e.g. "
        "'{example}'."
    ),
    "typography.apostrophe": N_("straight apostrophe ('): the typographic one (’) is better."),
    "spelling": N_("spelling to check: {words}."),
    "recruiting.promotional": N_(
        "job post with promotional wording ({words}): show the work, the team and the know-how "
        "rather than superlatives."
    ),
    "thread.split": N_("too long: split into a thread of {n} posts."),
}
