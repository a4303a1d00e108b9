"""Share links, what AddThis used to give a website: one URL per network to share a page.

Nothing here talks to a network: these are the public "intent" addresses each platform
documents, built with proper percent-encoding. Mastodon has no central site, so its link goes
through the reader's own instance (``https://INSTANCE/share?text=``) or, when the instance is
unknown, through a chooser such as share.joinmastodon.org's ``#text=``-style page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from veilleur.errors import UsageError
from veilleur.i18n import t

# The Mastodon chooser used when the reader's instance is not known.
MASTODON_CHOOSER = "https://share.joinmastodon.org/"


@dataclass(frozen=True, slots=True)
class ShareLink:
    network: str
    url: str


def _query(params: dict[str, str]) -> str:
    # quote_via=quote: spaces as %20, which every target decodes (a "+" shows up in some).
    return urlencode({k: v for k, v in params.items() if v}, quote_via=quote)


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(t("not a web address: '{url}' (expected https://…)", url=url))
    return url


def _instance(value: str) -> str:
    host = value.strip().removeprefix("https://").removeprefix("http://").strip("/")
    if not host or "/" in host or " " in host:
        raise UsageError(
            t("not a Mastodon instance: '{value}' (expected e.g. piaille.fr)", value=value)
        )
    return host


def share_links(
    url: str, text: str = "", *, mastodon_instance: str | None = None
) -> list[ShareLink]:
    """The share links of ``url`` (with ``text`` as the suggested message) for each network."""
    _check_url(url)
    text = text.strip()
    both = f"{text} {url}" if text else url
    if mastodon_instance:
        mastodon = f"https://{_instance(mastodon_instance)}/share?{_query({'text': both})}"
    else:
        mastodon = f"{MASTODON_CHOOSER}#text={quote(both, safe='')}"
    subject = text or url
    return [
        ShareLink("x", "https://x.com/intent/post?" + _query({"text": text, "url": url})),
        ShareLink(
            "linkedin",
            "https://www.linkedin.com/sharing/share-offsite/?" + _query({"url": url}),
        ),
        ShareLink("facebook", "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})),
        ShareLink("bluesky", "https://bsky.app/intent/compose?" + _query({"text": both})),
        ShareLink("mastodon", mastodon),
        ShareLink("email", "mailto:?" + _query({"subject": subject, "body": both})),
    ]
