"""The audit by language, and replies, reposts and original posts told apart."""

from __future__ import annotations

from dataclasses import replace

from veilleur.audit.account import audit_posts, language
from veilleur.audit.report import to_html, to_json, to_markdown

from .audit_planted import ON_TOPIC, PROFILE, regular

NBSP = "\u00a0"
SPANISH = [
    "Los precios de la vivienda suben por tercer año, pero más despacio que en 2022, "
    "según el informe para la región.",
    "Una jornada con los técnicos para hablar de seguridad, con una visita al taller "
    "por la tarde y más preguntas.",
    "Pero la cuestión sigue abierta: para una empresa pequeña, una inversión así es "
    "difícil por los costes.",
]


def _account() -> list:  # type: ignore[type-arg]
    """20 weeks of two posts; one in four in Spanish, declared ``es`` (as X stores it)."""
    posts = regular("dupont")
    for i, post in enumerate(posts):
        if i % 4 == 0:
            post.text, post.lang = SPANISH[i % 3], "es"
    return posts


def test_spanish_posts_are_not_read_as_french() -> None:
    audit = audit_posts(_account(), PROFILE, author="dupont")
    # « 32,4 fautes pour 100 mots … los, por, más, pero »: Spanish was spell-checked as French
    assert audit.quality.errors == 0
    assert len(audit.original.assessed) == 30  # type: ignore[union-attr]
    off = {term for term, _ in audit.relevance.off_profile_terms}
    assert not off & {"para", "con", "una", "los", "por", "pero"}
    assert audit.languages == {"fr": 30, "es": 10}
    assert audit.not_assessed_share == 0.25
    data = to_json([audit], "fr")
    assert data["languages"]["es"] == {"posts": 10, "share": 0.25, "assessed": False}
    assert data["not_assessed_share"] == 0.25
    spanish = [p for p in data["posts"] if p["lang"] == "es"]
    assert len(spanish) == 10 and not any(p["assessed"] for p in spanish)
    finding = next(f for f in data["findings"] if f["criterion"] == "languages")
    assert "25" in finding["text"] and "es" in finding["text"]
    md = to_markdown([audit], "fr")
    assert f"Langues{NBSP}: fr 75\u202f%, es 25\u202f% (non évaluée)" in md
    assert "Langues" in to_html([audit], "fr")


def test_a_missing_language_is_detected() -> None:
    post = replace(regular("a")[0], text=SPANISH[0], lang=None)
    assert language(post) == "es"  # not French: not judged as French
    assert language(replace(post, text=ON_TOPIC[0])) == "fr"
    assert language(replace(post, text="Whatever", lang="en-GB")) == "en"
    assert language(replace(post, text=ON_TOPIC[0], lang="und")) == "fr"
    audit = audit_posts(
        [replace(p, lang=None, text=SPANISH[i % 3]) for i, p in enumerate(regular("b"))],
        PROFILE,
        author="b",
    )
    assert audit.quality.errors == 0 and audit.not_assessed_share == 1.0


def test_replies_are_scored_apart_and_reposts_count_only_for_frequency() -> None:
    posts = regular("dupont")
    for i, post in enumerate(posts):
        if i % 2 == 1:
            post.text, post.reply_to = "@client Merci, à bientôt !", f"other-{i}"
        elif i % 10 == 0:
            post.text, post.repost_of = "RT @ami : Quel beau match ce week-end !", f"rt-{i}"
    # a thread of the account's own posts is publishing, not a reply
    posts[2].reply_to = posts[0].id
    audit = audit_posts(posts, PROFILE, author="dupont")
    assert audit.replies is not None and len(audit.replies.posts) == 20
    assert audit.reposts == 4
    assert len(audit.own) == 16 and posts[2] in audit.own
    assert audit.frequency.posts == 40  # every post counts for the rhythm
    assert audit.reply_share == 0.5
    assert audit.relevance.on_topic_share == 1.0  # the replies do not dilute the posts
    assert audit.replies.relevance.on_topic_share < 0.5
    data = to_json([audit], "en")
    assert data["reply_share"] == 0.5 and data["repost_count"] == 4
    assert data["replies"]["posts"] == 20
    assert {p["kind"] for p in data["posts"]} == {"original", "reply", "repost"}
    assert any(f["criterion"] == "replies" for f in data["findings"])
    assert "Replies: 50% of the posts (20); reposts: 4" in to_markdown([audit], "en")
