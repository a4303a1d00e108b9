"""Digests that read right: rising terms a reader accepts, French typography on French text
only, reposts shown as their original, undated posts never "new", ranking led by what
people did with a story — on planted data and on the real feeds of ../shared/data/feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veilleur.model import Post, Watch
from veilleur.networks.rss import entry_to_post, parse_feed
from veilleur.networks.x import tweet_to_post
from veilleur.report.typography import NBSP, NNBSP, french_spacing
from veilleur.text import fold, is_stopword
from veilleur.watch.digest import as_original, build_digest, has_trusted_date
from veilleur.watch.ranking import StoryStats, rank
from veilleur.watch.render import to_html, to_json, to_markdown, view
from veilleur.watch.selection import save_watch
from veilleur.watch.trends import Usage, post_terms, shown_form, trends
from veilleur.workspace import Workspace

from .conftest import shared_path

UNTIL = datetime(2026, 11, 1, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=7)


def _feed_posts(name: str, now: datetime) -> list[Post]:
    feed = parse_feed(shared_path("data", "feeds", name).read_bytes(), {})
    return [entry_to_post(e, feed, f"https://feeds.example/{name}", "test", now)
            for e in feed.entries]  # fmt: skip


# -- rising terms ------------------------------------------------------------------------


def _debate_usages() -> list[Usage]:
    """A presidential-debate week: the tag in three spellings, « français » mostly written
    with its cedilla, and the auxiliaries and modal verbs people use all the time."""
    usages: list[Usage] = []
    baseline = [
        "Il faut que je vous dise : je suis fatigué, on doit dormir.",
        "Je veux voir le match ce soir, il faut que ça bouge.",
    ]
    period = [
        "Il faut regarder #LeGrandDébat ce soir, je veux comprendre les Français.",
        "Je suis devant #LeGrandDebat : on doit parler du pouvoir d'achat des français",
        "legranddebat : il faut dire que le pouvoir d'achat doit passer avant tout",
        "#LeGrandDébat Je veux savoir ce que pensent les Français, je suis perdu",
        "Le pouvoir d'achat des francais, il faut en parler #LeGrandDébat",
        "Ce que veulent les Français : le pouvoir d'achat. Il faut que ça change, je suis sûr.",
    ]
    for day in range(28):
        for k, text in enumerate(baseline):
            when = SINCE - timedelta(days=28 - day, hours=-k)
            usages.append(Usage(when, f"b{k}", day * 10 + k, post_terms(text, "fr")))
    for day in range(7):
        for k, text in enumerate(period):
            when = SINCE + timedelta(days=day, hours=k)
            usages.append(Usage(when, f"a{k}", 1000 + day * 10 + k, post_terms(text, "fr")))
    return usages


def test_rising_terms_are_merged_accented_and_without_auxiliaries() -> None:
    found = trends(_debate_usages(), SINCE, UNTIL)
    shown = [t.term for t in found]
    assert "#LeGrandDébat" in shown  # one term for three spellings, its accent kept
    assert not {"#LeGrandDebat", "legranddebat"} & set(shown)
    assert "Français" in shown or "français" in shown
    assert "francais" not in shown
    assert "pouvoir d'achat" in shown or "achat" in shown
    for word in ("faut", "veux", "doit", "suis", "dire", "savoir", "veulent", "soir"):
        assert word not in {s.casefold() for s in shown}, shown
    tag = next(t for t in found if t.term == "#LeGrandDébat")
    assert tag.kind == "hashtag" and tag.count == 35  # 5 texts a day, one term each


def test_stop_lists_follow_the_post_language() -> None:
    assert all(is_stopword(w, "fr") for w in ("faut", "veux", "doit", "suis", "lundi"))
    assert all(is_stopword(w, "de") for w in ("wird", "konnen", "muss", "montag"))
    assert is_stopword("pero", "es") and is_stopword("pero", None)  # unknown: every list
    assert not is_stopword("recrutement", "fr")
    terms = dict(post_terms("Die Regierung muss jetzt handeln, sagt Merkel.", "de"))
    assert "muss" not in terms and "jetzt" not in terms and "regierung" in terms
    # A capital that only starts a sentence is not part of the written form; a name's is.
    terms = dict(post_terms("Ateliers CV lundi. Ateliers pour Marie.", "fr"))
    assert terms["ateliers"] == "ateliers" and terms["marie"] == "Marie"


def test_shown_form_keeps_accents_people_write() -> None:
    from collections import Counter

    assert shown_form(Counter({"francais": 5, "français": 3})) == "français"
    tag = Counter({"#LeGrandDebat": 6, "#LeGrandDébat": 2, "legranddebat": 1})
    assert shown_form(tag) == "#LeGrandDébat"
    # A stray accent in one use of twenty is a typo, not the word's spelling.
    assert shown_form(Counter({"emploi": 19, "émploi": 1})) == "emploi"


# -- French typography -------------------------------------------------------------------


def test_french_spacing_leaves_quotes_in_other_languages_alone() -> None:
    text = "Il a dit “Make it happen!” hier : bravo !"
    assert french_spacing(text) == f"Il a dit “Make it happen!” hier{NBSP}: bravo{NNBSP}!"
    fr = french_spacing("Le « grand débat : quoi de neuf ? » continue")
    assert fr == f"Le «{NNBSP}grand débat{NBSP}: quoi de neuf{NNBSP}?{NNBSP}» continue"
    de = french_spacing("Titre : « Mega-Deal: IBM übernimmt Red Hat »")
    assert f"Mega-Deal: IBM übernimmt Red Hat{NNBSP}»" in de and de.startswith(f"Titre{NBSP}:")
    assert french_spacing('Il répond "yes" : ok') == f'Il répond "yes"{NBSP}: ok'


def test_real_feeds_french_spacing_only_on_french_titles(ws: Workspace) -> None:
    now = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    german = _feed_posts("miniflux-rdf_UTF8.xml", now)
    french = _feed_posts("miniflux-no_encoding_ISO-8859-1.xml", now)
    ws.store.write_posts([*german, *french])
    save_watch(ws.store, Watch("tech", "IBM OR OLED OR Epic"))
    d = build_digest(ws.store, "tech", now - timedelta(days=7), now + timedelta(hours=1),
                     lang="fr", now=now + timedelta(hours=1))  # fmt: skip
    deal = next(e for e in d.stories if e.title and e.title.startswith("Mega-Deal"))
    assert deal.lang != "fr"
    for out in (to_markdown(d), to_html(d), view(d)["stories"][0]["title"] or ""):
        assert f"Mega-Deal{NBSP}:" not in out and f"Mega-Deal{NNBSP}:" not in out
        assert "Mega-Deal :" not in out
    assert "Mega-Deal: IBM übernimmt Red Hat" in to_markdown(d)

    save_watch(ws.store, Watch("psy", "cerveau OR psychologue OR prison"))
    when = datetime(2018, 10, 17, 12, tzinfo=UTC)
    d = build_digest(ws.store, "psy", when - timedelta(days=7), when, lang="fr", now=when)
    titles = [s["title"] for s in view(d)["stories"]]
    assert f"Perturbateurs endocriniens{NBSP}: quels effets sur le cerveau{NNBSP}?" in titles
    assert all(e.dated for e in d.stories)  # a date the feed gave is trusted


# -- undated posts -----------------------------------------------------------------------


def test_real_undated_feed_is_never_new(ws: Workspace) -> None:
    """heise's RDF feed gives no dates: its items are dated by their collection."""
    now = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    posts = _feed_posts("miniflux-rdf_UTF8.xml", now)
    assert posts and not any(has_trusted_date(p, now) for p in posts)
    ws.store.write_posts(posts)
    save_watch(ws.store, Watch("tech", "IBM OR OLED OR Epic OR Hersteller"))
    until = now + timedelta(hours=1)
    d = build_digest(ws.store, "tech", now - timedelta(days=7), until, lang="fr", now=until)
    assert d.stories and all(not e.dated for e in d.stories)
    assert all(e.components["novelty"] == 0 for e in d.stories)
    for e in d.stories:
        assert any(w.startswith(f"Date inconnue{NBSP}: collecté le") for w in e.why), e.why
        assert not any(w.startswith("Nouveau") for w in e.why)
    md = to_markdown(d)
    assert "Date inconnue (collecté le 6" in md and "apparu le" not in md
    assert '"dated": false' in to_json(d)


def test_a_date_the_parser_cannot_read_or_in_the_future_is_not_trusted() -> None:
    feed = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>'
        b"<link>https://blog.example/</link><item><title>Artigo</title>"
        b"<link>https://blog.example/a</link><pubDate>Seg, 24 Set 2018 10:00:00</pubDate>"
        b"</item><item><title>Dated</title><link>https://blog.example/b</link>"
        b"<pubDate>Mon, 24 Sep 2018 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    parsed = parse_feed(feed, {})
    now = datetime(2026, 12, 6, tzinfo=UTC)
    unread, dated = (entry_to_post(e, parsed, "https://blog.example/feed", "t", now)
                     for e in parsed.entries)  # fmt: skip
    assert not has_trusted_date(unread, now) and has_trusted_date(dated, now)
    future = Post("f", "x", "a", "Demain", now + timedelta(days=30), collected_at=now)
    assert not has_trusted_date(future, now)
    soon = Post("s", "x", "a", "Fuseau", now + timedelta(hours=5), collected_at=now)
    assert has_trusted_date(soon, now)  # a few hours ahead: a time zone, not a lie


def test_undated_story_ranks_below_the_same_story_dated() -> None:
    t = SINCE + timedelta(days=6)
    dated = StoryStats(1, 3, 3, 2, 1, None, ["a.example", "b.example"], ["rss"], t)
    undated = StoryStats(2, 3, 3, 2, 1, None, ["c.example", "d.example"], ["rss"], t,
                         dated=False)  # fmt: skip
    first, second = rank([undated, dated], SINCE, UNTIL)
    assert first.stats.story == 1 and second.components["novelty"] == 0
    assert "undated" in [r.key for r in second.reasons]
    assert "new" not in [r.key for r in second.reasons]


# -- reposts -----------------------------------------------------------------------------


def _archive_retweet(k: int, author: str) -> Post:
    """A retweet as an X archive keeps it: « RT @BFMTV: … », cut at 140 characters with a
    t.co link cut in the middle, the link X gave whole expanded in ``entities.urls``."""
    tweet = {
        "id_str": str(9000 + k),
        "created_at": "Fri Oct 30 20:00:00 +0000 2026",
        "full_text": "RT @BFMTV: Débat présidentiel : les chiffres du pouvoir d'achat vérifiés "
        "https://t.co/AbCdEfGhIj par notre cellule https://t.co/YAx…",
        "entities": {
            "urls": [
                {
                    "url": "https://t.co/AbCdEfGhIj",
                    "expanded_url": "https://www.bfmtv.com/politique/debat-chiffres_AV-1.html",
                }
            ]
        },
        "favorite_count": "0",
        "retweet_count": "12",
        "lang": "fr",
    }
    return tweet_to_post(tweet, author, None)


def test_repost_is_shown_as_its_original() -> None:
    post = _archive_retweet(1, "militant_1")
    shown = as_original(post)
    assert shown.repost and shown.author == "@BFMTV"
    assert not shown.text.startswith("RT") and "t.co" not in shown.text
    assert "https://www.bfmtv.com/politique/debat-chiffres_AV-1.html" in shown.text
    assert shown.text.endswith("par notre cellule")
    # An API payload carries the original whole: its text, author and address.
    inner = {"id_str": "55", "full_text": "Le début et la fin.",
             "user": {"screen_name": "UPR_Asselineau"}}  # fmt: skip
    api = Post("77", "x", "fan", "RT @UPR_Asselineau: Le début…", UNTIL,
               repost_of="@UPR_Asselineau", raw={"retweeted_status": inner})  # fmt: skip
    shown = as_original(api)
    assert (shown.text, shown.author) == ("Le début et la fin.", "@UPR_Asselineau")
    assert shown.url == "https://x.com/UPR_Asselineau/status/55"


def test_digest_of_reposts_names_the_original_author_and_full_links(ws: Workspace) -> None:
    posts = [_archive_retweet(k, f"militant_{k}") for k in range(4)]
    # A handle stored with its « @ » (some CSV exports) is not shown « @@ ».
    posts.append(Post("501", "x", "@UPR_Asselineau", "Débat : notre programme chiffré.",
                      datetime(2026, 10, 29, 18, tzinfo=UTC), lang="fr", likes=3))  # fmt: skip
    ws.store.write_posts(posts)
    save_watch(ws.store, Watch("debat", "débat"))
    d = build_digest(ws.store, "debat", SINCE, UNTIL, lang="fr", now=UNTIL)
    entry = next(e for e in d.stories if e.repost)
    assert entry.author == "@BFMTV" and not entry.text.startswith("RT")
    assert "https://www.bfmtv.com/politique/debat-chiffres_AV-1.html" in entry.links
    md = to_markdown(d)
    assert "@@" not in md and "t.co/YAx" not in md and "RT @BFMTV" not in md
    assert "Publié à l’origine par @BFMTV" in md
    assert "@UPR\\_Asselineau" in md  # Markdown-escaped, one « @ »


# -- ranking -----------------------------------------------------------------------------


def test_a_few_retweets_rising_from_zero_do_not_outrank_a_post_with_1135_interactions(
    ws: Workspace,
) -> None:
    t0 = SINCE + timedelta(days=1)
    big = Post("1", "x", "BFMTV", "Le débat de ce soir : les candidats face aux électeurs.",
               t0, lang="fr", likes=900, reposts=200, replies=35)  # fmt: skip
    posts = [big]
    for k in range(6):  # six accounts retweet a small account's post late in the week
        posts.append(Post(str(100 + k), "x", f"relai_{k}",
                          "RT @petit_compte: Mon avis sur le débat, en trois points rapides.",
                          SINCE + timedelta(days=5, hours=k), lang="fr",
                          repost_of="@petit_compte", likes=0, reposts=0))  # fmt: skip
    for k in range(4):  # ordinary talk about the debate
        posts.append(Post(str(200 + k), "mastodon", f"voix_{k}",
                          f"Sujet {k} du débat : l'école, la santé, le climat, le travail ({k}).",
                          SINCE + timedelta(days=k + 1), lang="fr", likes=5))  # fmt: skip
    ws.store.write_posts(posts)
    save_watch(ws.store, Watch("debat", "débat"))
    d = build_digest(ws.store, "debat", SINCE, UNTIL, lang="fr", now=UNTIL)
    first = d.stories[0]
    assert first.text.startswith("Le débat de ce soir"), [e.text for e in d.stories]
    assert first.why[0] == "Classé pour ses interactions"
    assert any("1\u202f135\u00a0interactions" in w for w in first.why), first.why
    burst = next(e for e in d.stories if e.repost)
    assert burst.rank > first.rank and burst.author == "@petit_compte"
    assert d.stories[0].components["engagement"] == 1.0
    en = build_digest(ws.store, "debat", SINCE, UNTIL, lang="en", now=UNTIL)
    assert en.stories[0].why[0] == "Ranked for its interactions"


def test_real_bluesky_posts_give_terms_in_their_written_forms() -> None:
    """The Bluesky sample of ../shared (many French posts): « #HCERES », « HCERES » and
    « Hcéres » are one term; no term is a stop word of its post's language."""
    from collections import Counter, defaultdict

    from veilleur.imports.bluesky_json import read_bluesky_json
    from veilleur.watch.digest import post_lang

    path = shared_path("data", "bluesky", "twitwi-bluesky-posts.json")
    posts = [p for p in read_bluesky_json(path) if isinstance(p, Post)]
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        lang = post_lang(post)
        for key, form in post_terms(post.text, lang):
            assert all(not is_stopword(fold(w), lang) for w in form.lstrip("#").split())
            forms[key][form] += 1
    assert set(forms["hceres"]) == {"#HCERES", "HCERES", "Hcéres"}
    assert shown_form(forms["francais"]) == "français"
    assert "faut" not in forms and "peut" not in forms
