"""Invariants of the advice for any organisation and any set of objectives (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veilleur.advise.engine import advise
from veilleur.advise.kb import load_kb
from veilleur.advise.present import advice_dict
from veilleur.model import Profile

KB = load_kb()

profiles = st.builds(
    Profile,
    name=st.sampled_from(["Dupont", "Atelier « Vert »", "Compilia"]),
    sector=st.sampled_from([None, "industrie", "logiciel", "conseil", "transport"]),
    regions=st.lists(st.sampled_from(["Haute-Loire", "Lyon", "Bretagne"]), max_size=2),
    languages=st.lists(st.sampled_from(["fr", "en", "de"]), min_size=1, max_size=2, unique=True),
    keywords=st.lists(st.sampled_from(["usinage", "pile à combustible", "Rust"]), max_size=3),
)
objective_sets = st.lists(st.sampled_from(sorted(KB.objectives)), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(profiles, objective_sets)
def test_advice_invariants(profile: Profile, objectives: list[str]) -> None:
    advice = advise(KB, profile, objectives)
    scores = [r.score for r in advice.ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(advice.chosen) >= 1 or all(s < KB.settings.min_score for s in scores)
    for entry in advice.ranked:
        assert entry.score == round(sum(r.weight for r in entry.reasons), 1)
        if entry.recommended:
            assert entry.score >= KB.settings.min_score
            assert any(set(r.objectives) & set(advice.objectives) for r in entry.reasons)
    data = advice_dict(KB, advice, "fr")
    assert data["content_mix"]["value"] + data["content_mix"]["promotional"] == 100
    assert 1 <= len(data["actions"]) <= 10
    assert all("{" not in a["text"] for a in data["actions"])
    assert [a["network"] for a in data["accounts"]] == advice.chosen
    for query in data["watch_queries"]:
        assert query["query"].count("(") == query["query"].count(")")
        assert query["query"].count('"') % 2 == 0
