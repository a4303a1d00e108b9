"""The live-tweet kit (programme CSV, the people directory, posts per network counted by the
text core, drafts queued at session times) and the recap (planted posts with
near-duplicates grouped into one story, counts, attendance, a thank-you post)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from veilleur import events, publish, text
from veilleur.errors import InputError
from veilleur.model import Post
from veilleur.workspace import Workspace

DIRECTORY = """\
anne:
  name: Anne Dupont
  x: anne_dupont
  mastodon: anne@piaille.fr
  bluesky: anne.bsky.social
  linkedin: urn:li:person:8675309
"""

PROGRAMME = """\
titre,début,fin,intervenants
Ouverture,14:00,14:30,Anne Dupont
Le hashtag et la punchline,2027-03-15T14:30,2027-03-15T15:30,anne;Bruno Martin
"""


@pytest.fixture
def event(ws: Workspace) -> events.Event:
    (ws.path / "directory.yaml").write_text(DIRECTORY, encoding="utf-8")
    return events.add_event(
        ws,
        "conf-lyon",
        events.EventSpec(
            title="Conférence RH Lyon",
            start="2027-03-15T14:00",
            end="2027-03-15T18:00",
            timezone="Europe/Paris",
            capacity=100,
            hashtag="#RHLyon27",
            lang="fr",
        ),
    )


def _programme(tmp_path: Path, content: str = PROGRAMME) -> Path:
    path = tmp_path / "programme.csv"
    path.write_text(content, encoding="utf-8")
    return path


def test_the_kit_mentions_each_speaker_as_each_network_writes_them(
    ws: Workspace, event: events.Event, tmp_path: Path
) -> None:
    kit = events.build_kit(ws, "conf-lyon", _programme(tmp_path), "x,mastodon,bluesky,linkedin")
    data = json.loads(events.kit_json(kit))
    first, second = data["sessions"]
    assert first["start"] == "2027-03-15T14:00:00+01:00"
    assert [p["name"] for p in second["speakers"]] == ["Anne Dupont", "Bruno Martin"]
    announce = {r["network"]: r for r in second["posts"][0]["renderings"]}
    assert "@anne_dupont" in announce["x"]["text"]
    assert "@anne@piaille.fr" in announce["mastodon"]["text"]
    assert "@anne.bsky.social" in announce["bluesky"]["text"]
    assert "Anne Dupont" in announce["linkedin"]["text"] and "@" not in announce["linkedin"]["text"]
    assert all("Bruno Martin" in r["text"] and "#RHLyon27" in r["text"] for r in announce.values())
    assert announce["x"]["text"].startswith(
        "En ce moment\u00a0: «\u00a0Le hashtag et la punchline\u00a0»"
    )
    # The counts are the text core's, network by network.
    for network, rendering in announce.items():
        sent = rendering.get("sent", rendering["text"])
        assert rendering["weighted_length"] == text.count(sent, network).weighted_length
    quotes = [p for p in second["posts"] if p["kind"] == "quote"]
    assert [q["speaker"] for q in quotes] == ["Anne Dupont", "Bruno Martin"]
    x_quote = next(r for r in quotes[0]["renderings"] if r["network"] == "x")
    assert x_quote["text"].startswith("«\u00a0…\u00a0» — @anne_dupont")
    assert quotes[0]["room"]["x"] == 280 - x_quote["weighted_length"] + 1
    page = events.kit_html(kit)
    assert "Kit de live-tweet" in page and "@anne_dupont" in page


def test_the_kit_queues_drafts_at_session_times_once(
    ws: Workspace, event: events.Event, tmp_path: Path
) -> None:
    programme = _programme(tmp_path)
    kit = events.build_kit(ws, "conf-lyon", programme, "x,mastodon", queue=True)
    assert kit.queued == 4
    again = events.build_kit(ws, "conf-lyon", programme, "x,mastodon", queue=True)
    assert again.queued == 0, "a second run queues nothing twice"
    drafts = publish.open_queue(ws).posts()
    assert {p.status for p in drafts} == {"draft"}, "never published without someone's go"
    starts = sorted({p.scheduled_at for p in drafts if p.scheduled_at})
    assert starts == [
        datetime(2027, 3, 15, 13, tzinfo=UTC),
        datetime(2027, 3, 15, 13, 30, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        ("name,when\nx,14:00\n", ":1", "expected a header title,start,end"),
        ("title,start,end,speakers\nA,14:00,15:00,x\nB,14:00\n", ":3", "expected 4 columns"),
        ("title,start,end,speakers\nA,14:00,15:00,x\nB,demain,15:00,y\n", ":3", "start"),
        ("title,start,end,speakers\nA,15:00,14:00,x\n", ":2", "ends before it starts"),
        ("title,start,end,speakers\n", ":2", "no session"),
    ],
)
def test_a_bad_programme_names_its_file_and_line(
    ws: Workspace, event: events.Event, tmp_path: Path, content: str, where: str, what: str
) -> None:
    path = _programme(tmp_path, content)
    with pytest.raises(InputError) as caught:
        events.read_program(path, event)
    assert f"{path}{where}" in str(caught.value) and what in str(caught.value)


T = datetime(2027, 3, 15, 13, 10, tzinfo=UTC)  # 14:10 in Paris


def _plant(ws: Workspace) -> None:
    quote = "« Un tweet, c'est une punchline et un lien » — @anne_dupont #RHLyon27"
    posts = [
        Post("1", "x", "marie", quote, T, likes=40, reposts=12, url="https://x.com/marie/status/1"),
        Post("2", "x", "paul", "RT " + quote, T + timedelta(minutes=3), likes=1),
        Post("3", "x", "lea", quote + " !", T + timedelta(minutes=5), likes=2),
        Post("4", "mastodon", "jo@piaille.fr",
             "Salle comble pour l'ouverture #RHLyon27, bravo à l'équipe", T + timedelta(hours=1),
             likes=5, url="https://piaille.fr/@jo/4"),
        Post("5", "bluesky", "marie.bsky.social",
             "Les slides de l'atelier recrutement sont en ligne #RHLyon27",
             T + timedelta(hours=2), likes=3),
        Post("6", "x", "autre", "Rien à voir #RHLyon27", T - timedelta(days=30), likes=99),
    ]  # fmt: skip
    ws.store.write_posts(posts)


def test_the_recap_groups_near_duplicates_and_counts(ws: Workspace, event: events.Event) -> None:
    _plant(ws)
    ws.set_setting("events.base_url", "https://conf.example")
    for i, email in enumerate(("a@pme.example", "b@pme.example", "c@pme.example")):
        person = events.register(
            ws, "conf-lyon",
            events.Applicant(name=f"P{i}", email=email, consent="oui"),
            now=T - timedelta(days=10),
        )  # fmt: skip
        from veilleur.events.links import token

        events.follow_link(ws, token(ws, person.id, "confirm"), now=T - timedelta(days=10))
    events.check_in(ws, "conf-lyon", "a@pme.example", now=T)
    recap = events.build_recap(ws, "conf-lyon", networks="x,mastodon")
    data = json.loads(events.recap_json(recap))
    assert data["posts"] == 5, "the post a month before is out of the window"
    assert data["per_network"] == {"bluesky": 1, "mastodon": 1, "x": 3}
    assert data["per_hour"] == {"2027-03-15 14:00": 3, "2027-03-15 15:00": 1,
                                "2027-03-15 16:00": 1}  # fmt: skip
    punchline = [s for s in data["stories"] if "punchline" in s["text"]]
    assert len(punchline) == 1 and punchline[0]["volume"] == 3, "three copies, one story"
    assert len(data["stories"]) == 3
    assert data["top_posts"][0]["author"] == "marie" and data["top_posts"][0]["engagement"] == 52
    assert data["top_accounts"][0] == {"account": "bluesky:marie.bsky.social", "posts": 1}
    assert len(data["top_accounts"]) == 5
    assert data["attendance"]["registered"] == 3 and data["attendance"]["attended"] == 1
    thanks = {r["network"]: r for r in data["thanks"]["renderings"]}
    assert "#RHLyon27" in thanks["x"]["text"] and thanks["x"]["valid"]
    assert (
        "Merci à toutes celles et ceux venus à «\u00a0Conférence RH Lyon\u00a0»"
        in thanks["x"]["text"]
    )
    markdown = events.recap_markdown(recap)
    assert markdown.startswith("# Bilan\u00a0: Conférence RH Lyon")
    html = events.recap_html(recap)
    assert "https://x.com/marie/status/1" in html and "<script" not in html
