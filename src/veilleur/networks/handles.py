"""Handles: the one rule for the ``author`` of every post, whatever its network or its reader.

A handle is stored without a leading ``@`` and with its case kept: ``@JLMelenchon``,
``@@JLMelenchon`` and ``JLMelenchon`` are the account ``JLMelenchon``; a Mastodon
``@user@instance`` is ``user@instance`` (the ``@`` inside is part of the handle). Spaces
around are dropped. Case is kept because it is how the account writes its name (X and
Bluesky compare handles without case, but a digest shows them as written).

Every importer (``imports/``: JSONL, CSV, the archives' ``--author``) and every normaliser
used by the collectors (``networks/x``, ``bluesky``, ``mastodon``) go through
:func:`normalize_handle`, so that ``author:JLMelenchon`` finds the posts of a CSV that
wrote ``@JLMelenchon`` and of a JSONL that wrote ``JLMelenchon``, and a template that
prints ``@{author}`` never prints ``@@``. Pure: no import beyond the standard library.
"""

from __future__ import annotations


def normalize_handle(value: str) -> str:
    """``value`` as a stored handle: no leading ``@``, no surrounding space, case kept."""
    return value.strip().lstrip("@").strip()
