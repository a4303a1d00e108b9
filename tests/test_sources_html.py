"""HTML of feeds and statuses to text with links kept; sanitising where HTML is kept."""

from __future__ import annotations

from veilleur.networks.html import html_to_text, sanitize


def test_links_keep_their_address() -> None:
    html = '<p>Lire <a href="https://lwn.net/Articles/1/">cet article</a> sur LWN.</p>'
    assert html_to_text(html) == "Lire cet article (https://lwn.net/Articles/1/) sur LWN."


def test_a_link_shown_as_a_shortened_address_becomes_the_full_address() -> None:
    html = (
        '<p>voir <a href="https://example.com/very/long/path"><span class="invisible">https://'
        '</span><span class="ellipsis">example.com/very/lo</span><span class="invisible">'
        "ng/path</span></a></p>"
    )
    assert html_to_text(html) == "voir https://example.com/very/long/path"


def test_mastodon_mentions_and_hashtags_read_as_written() -> None:
    html = (
        '<p><span class="h-card"><a href="https://m.example/@bob" class="u-url mention">'
        '@<span>bob</span></a></span> <a href="https://m.example/tags/veille" '
        'class="mention hashtag" rel="tag">#<span>veille</span></a></p>'
    )
    assert html_to_text(html) == "@bob #veille"


def test_paragraphs_breaks_scripts_and_typography() -> None:
    html = "<p>Un\n  paragraphe</p><p>Deux<br>lignes\u00a0!</p><script>alert(1)</script>"
    assert html_to_text(html) == "Un paragraphe\nDeux\nlignes\u00a0!"


def test_plain_text_is_left_alone() -> None:
    assert html_to_text("  juste du texte  ") == "juste du texte"


def test_sanitize_removes_scripts_and_handlers() -> None:
    html = '<p onclick="steal()">ok <a href="javascript:x()">x</a><script>bad()</script></p>'
    clean = sanitize(html)
    assert "script" not in clean and "onclick" not in clean and "javascript:" not in clean
    assert "<p>ok" in clean
