"""What the publishing front ends show before anything else is loaded: the export layouts
and the relay templates' fields (``veilleur --help`` prints them without loading the queue,
the clients or httpx)."""

from __future__ import annotations

EXPORT_LAYOUTS = ("hootsuite", "buffer")
"""The schedulers whose bulk-upload CSV ``queue export`` writes."""

RELAY_FIELDS = ("title", "summary", "url", "tags", "author")
"""The fields a relay's template may name, in braces."""

RELAY_TEMPLATE = "{title}\n\n{summary}"
"""A relay's template when none is given."""
