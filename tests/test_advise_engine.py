"""The method's scenarios, the reasons behind every line, and evidence measured in the store."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest

from veilleur.advise import build_advice, demo_summary
from veilleur.advise.engine import advise, resolve_objective
from veilleur.advise.evidence import fts_query, measure
from veilleur.advise.handout import handout_dict
from veilleur.advise.kb import load_kb
from veilleur.advise.present import advice_dict
from veilleur.advise.queries import any_of, term
from veilleur.errors import UsageError
from veilleur.model import Post, Profile
from veilleur.workspace import Workspace

KB = load_kb()

HAUTE_LOIRE = Profile(
    name="Dupont Usinage",
    sector="industrie",
    regions=["Haute-Loire"],
    keywords=["usinage", "décolletage"],
    languages=["fr"],
    goals=["recruit_less_qualified", "recruit_local"],
)
TECH = Profile(
    name="Compilia",
    sector="logiciel",
    keywords=["compilateur", "Rust"],
    languages=["fr", "en"],
    goals=["recruit_experts"],
)
WATCH = Profile(
    name="Hydrogène Conseil",
    keywords=["hydrogène", "électrolyseur"],
    languages=["fr"],
    goals=["watch_sector", "watch_competition", "watch_technology"],
)


def test_industrial_sme_hiring_local_less_qualified_staff_goes_to_facebook_groups() -> None:
    advice = advise(KB, HAUTE_LOIRE)
    first = advice.ranked[0]
    assert first.network == "facebook" and advice.chosen[0] == "facebook"
    assert first.reasons[0].fact == "local_groups"  # the strongest reason: local groups
    assert set(first.reasons[0].objectives) == {"recruit_less_qualified", "recruit_local"}
    facebook_accounts = advice.accounts[0]
    kinds = [c.kind for c in facebook_accounts.choices]
    assert "group" in kinds[:2] and "personal" in kinds[:2]
    assert "linkedin" not in advice.chosen
    linkedin = next(r for r in advice.ranked if r.network == "linkedin")
    assert linkedin.score < 0 and linkedin.reasons[0].fact == "few_operators"
    assert {r.rule.id for r in advice.rules} >= {"group_rules", "recruit_without_seeming"}
    assert any('"Haute-Loire"' in q.query for q in advice.watch_queries)


def test_tech_company_seeking_specialised_experts_goes_to_x_and_linkedin() -> None:
    advice = advise(KB, TECH)
    assert set(advice.chosen[:2]) == {"x", "linkedin"}
    assert "facebook" not in advice.chosen
    for entry in advice.ranked[:2]:
        assert any("recruit_experts" in r.objectives for r in entry.reasons)
    assert all(a.choices[0].kind == "personal" for a in advice.accounts)


def test_a_watch_only_company_gets_x_mastodon_bluesky_and_rss() -> None:
    # Mastodon, Bluesky and the website tie for second place: three are shown (as asked by
    # default), the website is named as tied, and --count 4 shows all four.
    advice = advise(KB, WATCH)
    assert advice.chosen == ["x", "mastodon", "bluesky"] and advice.tied == ["website"]
    advice = advise(KB, WATCH, recommended=4)
    assert set(advice.chosen) == {"x", "mastodon", "bluesky", "website"} and not advice.tied
    assert all(c.mode == "watch" for c in advice.cadence)
    assert advice.content_mix.promotional == 0
    assert "facebook" not in advice.chosen and "linkedin" not in advice.chosen
    website = next(r for r in advice.ranked if r.network == "website")
    assert website.reasons[0].fact == "rss_watch"


def test_training_day_on_facebook_and_x_with_executives_personal_profiles() -> None:
    company = Profile(name="Transports Martin", sector="transport", regions=["Loire"])
    objectives = ["employer_brand", "events", "sales"]
    advice = advise(KB, company, objectives, networks=["facebook", "x"])
    assert advice.chosen == ["facebook", "x"]
    for accounts in advice.accounts:
        assert accounts.choices[0].kind == "personal"
    data = handout_dict(KB, advice, "fr", participants=6)
    assert data["participants"] == 6
    assert [s["network"] for s in data["sheets"]] == ["facebook", "x"]
    facebook, x = data["sheets"]
    assert {o["id"] for o in x["objectives"]} >= {"events"}
    assert {o["id"] for o in facebook["objectives"]} >= {"sales", "events", "employer_brand"}
    assert "collaboration" in {o["id"] for o in facebook["other_objectives"]}
    assert len(facebook["setup"]) >= 3 and len(x["setup"]) >= 3
    assert data["livetweet"]["before"] and "@" in data["livetweet"]["syntax"]


@pytest.mark.parametrize("profile", [HAUTE_LOIRE, TECH, WATCH])
def test_every_recommendation_states_its_reasons(profile: Profile) -> None:
    advice = advise(KB, profile)
    for entry in advice.ranked:
        if entry.recommended:
            assert any(r.weight > 0 for r in entry.reasons)
        assert entry.score == round(sum(r.weight for r in entry.reasons), 1)
        for reason in entry.reasons:
            assert reason.source in KB.sources and reason.checked is not None
    data = advice_dict(KB, advice, "en")
    assert [n["score"] for n in data["networks"]] == sorted(
        (n["score"] for n in data["networks"]), reverse=True
    )
    assert all(n["reasons"] for n in data["networks"])
    assert len(data["actions"]) == 10
    assert not any("{" in a["text"] for a in data["actions"])


def test_objectives_are_found_by_id_label_or_alias() -> None:
    assert resolve_objective(KB, "recruit_local") == "recruit_local"
    assert resolve_objective(KB, "Veille concurrentielle") == "watch_competition"
    assert resolve_objective(KB, "marque employeur") == "employer_brand"
    assert resolve_objective(KB, "Competitive watch") == "watch_competition"
    assert resolve_objective(KB, "devenir célèbre") is None
    profile = Profile(name="A", goals=["veille technologique", "devenir célèbre"])
    advice = advise(KB, profile)
    assert advice.objectives == ["watch_technology"]
    assert advice.ignored_goals == ["devenir célèbre"]
    with pytest.raises(UsageError, match="unknown objective 'sell_more'"):
        advise(KB, profile, ["sell_more"])
    with pytest.raises(UsageError, match="no objective"):
        advise(KB, Profile(name="A"))
    with pytest.raises(UsageError, match="unknown network 'twitter'"):
        advise(KB, profile, networks=["twitter"])


def test_content_mix_recruits_without_seeming_to() -> None:
    data = advice_dict(KB, advise(KB, HAUTE_LOIRE), "fr")
    mix = data["content_mix"]
    assert mix["value"] + mix["promotional"] == 100
    assert mix["value"] > mix["promotional"] > 0
    assert mix["recruit_without_seeming"] is True
    assert advice_dict(KB, advise(KB, WATCH), "fr")["content_mix"]["promotional"] == 0


def test_french_texts_have_french_typography() -> None:
    data = advice_dict(KB, advise(KB, HAUTE_LOIRE), "fr")
    texts = [r["text"] for r in data["rules"]] + [a["text"] for a in data["actions"]]
    assert any("\u00a0:" in t for t in texts)
    assert not any(" :" in t or " ;" in t or "« " in t for t in texts)
    english = advice_dict(KB, advise(KB, HAUTE_LOIRE), "en")
    assert not any("\u202f" in r["text"] for r in english["rules"])


def test_watch_query_terms_follow_the_query_language() -> None:
    assert term("usinage") == "usinage"
    assert term("offre d'emploi") == '"offre d\'emploi"'
    assert term("Haute-Loire") == '"Haute-Loire"'
    assert term("OR") == '"OR"'
    assert term("#RecrutementRH") == "#RecrutementRH"
    assert any_of(["a", "b c", "a"]) == '(a OR "b c")'


def test_watch_queries_parse_with_the_query_language() -> None:
    parse = getattr(importlib.import_module("veilleur.query"), "parse", None)
    if parse is None:
        pytest.skip("veilleur.query.parse has not landed yet: syntax checked by the terms test")
    for profile in (HAUTE_LOIRE, TECH, WATCH):
        for query in advise(KB, profile).watch_queries:
            parse(query.query)


def _post(i: int, network: str, author: str, text: str, likes: int = 0) -> Post:
    return Post(
        id=f"p{i}",
        network=network,
        author=author,
        text=text,
        created_at=datetime(2026, 10, 1, 8, i, tzinfo=UTC),
        likes=likes,
    )


def test_evidence_counts_where_the_topic_is_active(ws: Workspace) -> None:
    posts = [_post(i, "bluesky", "h2.bsky.social", "L'électrolyseur de demain") for i in range(4)]
    posts += [_post(10 + i, "mastodon", "a@m.social", "hydrogene vert", likes=5) for i in range(2)]
    posts += [_post(20, "x", "other", "rien à voir"), _post(21, "rss", "press", "Hydrogène")]
    ws.store.write_posts(posts)
    evidence = measure(ws.store, WATCH.keywords)
    assert evidence is not None
    assert evidence.per_network == {"bluesky": 4, "mastodon": 2, "website": 1}
    assert evidence.total == 7
    assert evidence.accounts[0] == ("h2.bsky.social", "bluesky", 4, 0)
    assert ("a@m.social", "mastodon", 2, 10) in evidence.accounts

    # Without evidence mastodon, bluesky and the website tie; the measure breaks the tie.
    plain = advise(KB, WATCH)
    measured = build_advice(WATCH, kb=KB, store=ws.store)
    rank = [r.network for r in measured.ranked]
    assert rank.index("bluesky") < rank.index("mastodon")
    assert [r.network for r in plain.ranked].index("bluesky") > [
        r.network for r in plain.ranked
    ].index("mastodon")
    bluesky = next(r for r in measured.ranked if r.network == "bluesky")
    assert any(r.kind == "evidence" and "4" in r.text.fr for r in bluesky.reasons)
    mastodon = next(r for r in measured.ranked if r.network == "mastodon")
    assert not any(r.kind == "evidence" for r in mastodon.reasons)  # 2 posts: below minimum
    data = advice_dict(KB, measured, "fr")
    assert data["evidence"]["per_network"]["bluesky"] == 4


def test_no_evidence_when_nothing_matches(ws: Workspace) -> None:
    ws.store.write_posts([_post(1, "x", "a", "rien à voir")])
    assert measure(ws.store, ["hydrogène"]) is None
    assert measure(ws.store, []) is None
    assert fts_query(['dit "non"', "Haute-Loire"]) == '"dit non" OR "Haute-Loire"'


def test_demo_summary_in_both_languages() -> None:
    fr = demo_summary("fr")
    en = demo_summary("en")
    assert "Dupont Usinage" in fr and "Réseaux recommandés\u00a0:" in fr
    assert "1. Facebook" in fr and "1. Facebook" in en
    assert "Recommended networks:" in en and "veilleur advise --demo" in en


def test_length_rule_reads_limits_from_the_text_core() -> None:
    count = getattr(importlib.import_module("veilleur.text"), "count", None)
    if count is None:
        pytest.skip("veilleur.text.count has not landed: limits are shown as 'to check'")
    advice = advise(KB, TECH)
    rule = next(r for r in advice.rules if r.rule.id == "length")
    limits = dict(rule.limits)
    assert set(limits) == set(advice.chosen) - {"website"}
    assert limits["x"] == count("", "x").limit == 280  # X's documented limit
    data = advice_dict(KB, advice, "fr")
    shown = next(r for r in data["rules"] if r["id"] == "length")["limits"]
    assert {"network": "x", "name": "X (Twitter)", "limit": 280, "limit_text": "280"} in shown


def test_numbers_follow_each_language() -> None:
    fr = advice_dict(KB, advise(KB, HAUTE_LOIRE), "fr")
    en = advice_dict(KB, advise(KB, HAUTE_LOIRE), "en")
    limits_fr = next(r for r in fr["rules"] if r["id"] == "length")["limits"]
    limits_en = next(r for r in en["rules"] if r["id"] == "length")["limits"]
    facebook_fr = next(item for item in limits_fr if item["network"] == "facebook")
    facebook_en = next(item for item in limits_en if item["network"] == "facebook")
    if facebook_fr["limit"] is None:
        pytest.skip("veilleur.text does not state Facebook's limit")
    assert facebook_fr["limit_text"] == f"{facebook_fr['limit']:,}".replace(",", "\u202f")
    assert facebook_en["limit_text"] == f"{facebook_en['limit']:,}"
    group_rules = next(r for r in fr["rules"] if r["id"] == "group_rules")
    assert group_rules["scope"] == ["Facebook"]  # a rule for some networks says which
    assert next(r for r in fr["rules"] if r["id"] == "one_idea")["scope"] == []


def test_old_facts_are_marked_to_be_checked_again() -> None:
    advice = advise(KB, HAUTE_LOIRE)
    checked = advice.ranked[0].reasons[0].checked
    assert checked is not None
    fresh = advice_dict(KB, advice, "fr", today=checked + timedelta(days=30))
    old = advice_dict(KB, advice, "fr", today=checked + timedelta(days=400))
    assert not fresh["networks"][0]["reasons"][0]["stale"]
    assert old["networks"][0]["reasons"][0]["stale"]
