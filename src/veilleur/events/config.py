"""The events pillar's settings, declared when its door is imported."""

from __future__ import annotations

from veilleur import settings
from veilleur.i18n import N_

BASE_URL = "events.base_url"
OFFER_HOURS = "events.offer_hours"
ANONYMISE_DAYS = "events.anonymise_days"
LINK_KEY = "events.link_key"

for _setting in (
    settings.Setting(
        BASE_URL,
        "str",
        None,
        N_("public address of the event pages, for the links in mails (https://example.org)"),
    ),
    settings.Setting(
        OFFER_HOURS,
        "int",
        "24",
        N_("hours a person on a waitlist has to take a freed seat before it passes on"),
    ),
    settings.Setting(
        ANONYMISE_DAYS,
        "int",
        "90",
        N_("days after an event before its registrations are anonymised"),
    ),
    settings.Setting(
        LINK_KEY,
        "str",
        None,
        N_("key that signs the links in event mails (made on first use; never shown)"),
        secret=True,
    ),
):
    settings.register(_setting)
