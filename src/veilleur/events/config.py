"""The names of the events pillar's settings (declared with the others in
:mod:`veilleur.settings`, so that ``veilleur config`` knows them whatever is imported)."""

from __future__ import annotations

import re

BASE_URL = "events.base_url"
OFFER_HOURS = "events.offer_hours"
ANONYMISE_DAYS = "events.anonymise_days"
LINK_KEY = "events.link_key"
SIGNUPS_PER_HOUR = "events.signups_per_hour"
SERVED_AS = "events.served_as"

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
"""A workspace's name in the public addresses, ``/e/NAME/SLUG`` (the web registry's slugs
are of this form): what :data:`SERVED_AS` may hold, however it is written."""
