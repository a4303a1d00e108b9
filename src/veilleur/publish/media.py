"""Images sent with a post: their type read from their first bytes (not from the name a
browser gives), their size against each network's limit, their alternative text required
and not longer than the network takes; kept in the workspace's ``media/`` folder under a
name made of their content's hash (the queue stores that path; the same image twice is
one file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.publish.compose import Image

SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
"""First bytes of the image types every network takes (WebP: RIFF….WEBP, below)."""

MAX_BYTES = {"bluesky": 1_000_000, "mastodon": 8 * 1024 * 1024}
"""Bytes an image may weigh: Bluesky's blob limit (the client refuses more too); Mastodon
servers take 8 MB at least (more on many, not all). Others: :data:`DEFAULT_MAX_BYTES`."""
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

MAX_ALT = {"mastodon": 1500, "bluesky": 2000}
"""Characters of alternative text a network keeps (Mastodon's media description, Bluesky's
image alt); others: :data:`DEFAULT_MAX_ALT`."""
DEFAULT_MAX_ALT = 1000

MEDIA_DIR = "media"


def image_type(data: bytes) -> str | None:
    """``png``, ``jpg``, ``gif`` or ``webp`` from the first bytes; None for anything else."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(
    data: bytes,
    name: str,
    alt: str | None,
    networks: Sequence[str],
    *,
    alt_required: bool = True,
) -> str:
    """The image's type, after checking it for every network of ``networks``: a PNG, JPEG,
    GIF or WebP image, within each one's size, with an alternative text (unless not
    ``alt_required``) within each one's length. A UsageError names the file and what was
    expected."""
    kind = image_type(data)
    if kind is None:
        raise UsageError(
            t("{name}: not an image veilleur can send (expected PNG, JPEG, GIF or WebP)", name=name)
        )
    for network in networks:
        most = MAX_BYTES.get(network, DEFAULT_MAX_BYTES)
        if len(data) > most:
            raise UsageError(
                t(
                    "{name}: {size} bytes, over the {most} bytes {network} takes: make it smaller",
                    name=name,
                    size=len(data),
                    most=most,
                    network=network,
                )
            )
    text = (alt or "").strip()
    if not text and alt_required:
        raise UsageError(
            t(
                "{name}: describe the image (alternative text) for the people who cannot see it",
                name=name,
            )
        )
    for network in networks:
        longest = MAX_ALT.get(network, DEFAULT_MAX_ALT)
        if len(text) > longest:
            raise UsageError(
                t(
                    "{name}: the alternative text has {length} characters, {network} keeps "
                    "{most}: shorten it",
                    name=name,
                    length=len(text),
                    network=network,
                    most=longest,
                )
            )
    return kind


def store_image(
    workspace: Path, data: bytes, name: str, alt: str | None, networks: Sequence[str]
) -> Image:
    """Check the image (:func:`check_image`) and keep it in the workspace's ``media/``."""
    kind = check_image(data, name, alt, networks)
    folder = Path(workspace) / MEDIA_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # unpublished images: ours only
    path = folder / f"{hashlib.sha256(data).hexdigest()[:32]}.{kind}"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return Image(str(path), (alt or "").strip())
