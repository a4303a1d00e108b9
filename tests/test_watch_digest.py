"""The digest: stories, why, trends and accounts on the demo corpus; the four formats; HTML
safe for e-mail; French typography; delivery over SMTP to a local aiosmtpd server."""

from __future__ import annotations

import email
import re
import socket
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import Message
from pathlib import Path

import orjson
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from defusedxml import ElementTree

from veilleur.demo import corpus_path
from veilleur.imports.jsonl import read_jsonl
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.model import Post, Watch
from veilleur.report.typography import NNBSP
from veilleur.watch import DEMO_WATCH, demo_digest
from veilleur.watch.digest import build_digest
from veilleur.watch.experts import Activity, rank_accounts
from veilleur.watch.ranking import StoryStats, rank
from veilleur.watch.selection import save_watch, simple_matcher
from veilleur.watch.trends import Usage, trends
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


UNTIL = datetime(2026, 11, 1, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=7)


@pytest.fixture
def demo_ws(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    import_file(ws.store, corpus_path(), read_jsonl, ImportSummary())
    save_watch(ws.store, DEMO_WATCH)
    return ws


def test_demo_digest_stories_and_their_why(demo_ws: Workspace) -> None:
    d = build_digest(demo_ws.store, "recrutement", SINCE, UNTIL, lang="fr", limit=20)
    by_text = {(e.title or e.text)[:30]: e for e in d.stories}
    release = next(e for e in d.stories if e.title and e.title.startswith("Semaine de l"))
    # Five sites, five URL variants, one truncated copy: one story.
    assert release.volume == 5 and len(release.sources) == 5
    assert release.networks == ["rss"]
    assert any("5\u00a0sources" in w for w in release.why)
    study = next(e for e in d.stories if e.text.startswith("Étude : 62"))
    assert study.volume == 11  # the original, 7 "RT @" copies and 3 truncations
    assert not study.text.startswith("RT")  # the representative is the original
    cross = next(e for e in d.stories if e.text.startswith("Mon conseil du jour"))
    assert cross.networks == ["bluesky", "mastodon", "x"]
    ads = demo_ws.store.conn.execute(
        "SELECT count(DISTINCT s.grp), count(*) FROM story_posts s JOIN posts p ON p.pk = s.pk "
        "WHERE p.author = 'cabinet-talents'"
    ).fetchone()
    assert ads == (5, 5)  # look-alike job ads: one template, five offers, no duplicate
    assert all(e.why for e in d.stories)
    assert len(by_text) == len(d.stories)
    assert d.trends and d.trends[0].z >= 2
    assert any(t.term == "#SemaineDeLEmploi" for t in d.trends)
    marie = next(a for a in d.accounts if a.name == "Marie Dupont")
    assert set(marie.handles) >= {"x", "mastodon"}


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "\n", html)


def test_html_is_for_mail_clients_and_french(demo_ws: Workspace, tmp_path: Path) -> None:
    path = demo_digest(demo_ws, tmp_path / "out", "fr")
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert "<link" not in html.lower() and "src=" not in html.lower()
    text = _visible_text(html)
    assert "«" + NNBSP + "recrutement" + NNBSP + "»" in text
    # No ordinary space before a French double punctuation mark in anything visible.
    assert not re.search(r"[^\s] [:;!?](\s|$)", text), re.findall(r".{20}[^\s] [:;!?]\s", text)
    assert "Pourquoi" in text and "Ce qui monte" in text and "Les comptes qui comptent" in text
    assert (tmp_path / "out" / "digest-recrutement.md").exists()


def test_formats_through_the_cli(demo_ws: Workspace, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo_ws.close()
    ws_path = tmp_path / "ws"
    res = cli("digest", "recrutement", "--until", "2026-11-01", "--format", "json",
              workspace=ws_path)  # fmt: skip
    assert res.code == 0, res.err
    data = orjson.loads(res.out)
    assert data["since"] == "2026-10-25T00:00:00Z" and data["stories"]
    assert {"match", "novelty", "growth", "engagement", "diversity"} <= set(
        data["stories"][0]["components"]
    )
    atom = tmp_path / "feed.xml"
    res = cli("digest", "recrutement", "--until", "2026-11-01", "-f", "atom", "-o", str(atom),
              workspace=ws_path)  # fmt: skip
    assert res.code == 0, res.err
    root = ElementTree.fromstring(atom.read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries and all(e.find("a:id", ns) is not None for e in entries)
    content = entries[0].find("a:content", ns)
    assert content is not None and "<li>" in (content.text or "")
    res = cli("digest", "recrutement", "--until", "2026-11-01", "-f", "md", "--lang", "en",
              workspace=ws_path)  # fmt: skip
    assert res.code == 0 and "## Top stories" in res.out and "**Why:**" in res.out
    res = cli("digest", "nope", workspace=ws_path)
    assert res.code == 2 and "no watch named 'nope'" in res.err and "recrutement" in res.err
    res = cli("digest", "recrutement", "--since", "demain", workspace=ws_path)
    assert res.code == 2 and "is not a date" in res.err


def test_html_from_posts_is_sanitised(ws: Workspace) -> None:
    t0 = datetime(2026, 10, 30, tzinfo=UTC)
    evil = (
        '<p>Offre d\'emploi <script>alert("x")</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(2)">ici</a></p>'
    )
    ws.store.write_posts([Post("e1", "rss", "site.example", evil, t0, title="Emploi <b>!</b>")])
    save_watch(ws.store, Watch("w", "emploi"))
    d = build_digest(ws.store, "w", t0 - timedelta(days=1), t0 + timedelta(days=1))
    from veilleur.watch.render import to_atom, to_html, to_markdown

    html = to_html(d)
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "alert" not in d.stories[0].text
    assert "<img" not in to_markdown(d) and "<script" not in to_atom(d)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_mail_delivery_to_a_local_smtp_server(
    demo_ws: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[Message] = []
    logins: list[tuple[bytes, bytes]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            received.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret-pass", handled=False)

    port = _free_port()
    controller = Controller(
        Handler(), hostname="127.0.0.1", port=port, server_hostname="smtp.test",
        authenticator=authenticator,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    try:
        for key, value in {
            "smtp.host": "127.0.0.1",
            "smtp.port": str(port),
            "smtp.starttls": "false",
            "smtp.insecure": "true",  # a local test server without TLS
            "smtp.user": "veille",
            "smtp.password": "s3cret-pass",
            "smtp.from": "veille@cabinet.example",
        }.items():
            demo_ws.set_setting(key, value)
        from veilleur.cli.main import execute

        caplog.set_level("DEBUG")
        code = execute(["--workspace", str(demo_ws.path), "digest", "recrutement", "--until",
                        "2026-11-01", "--mail", "client@pme.example"])  # fmt: skip
        assert code == 0
        assert logins == [(b"veille", b"s3cret-pass")]
        (message,) = received
        assert message["To"] == "client@pme.example"
        assert str(message["Subject"]).startswith("[veilleur] Veille «\u202frecrutement\u202f»")
        types = [part.get_content_type() for part in message.walk()]
        assert types == ["multipart/alternative", "text/plain", "text/html"]
        assert "s3cret-pass" not in caplog.text

        demo_ws.set_setting("smtp.password", "wrong")
        code = execute(["--workspace", str(demo_ws.path), "digest", "recrutement", "--mail",
                        "client@pme.example"])  # fmt: skip
        assert code == 1 and len(received) == 1
        assert "wrong" not in caplog.text
    finally:
        controller.stop()


def test_mail_without_settings_says_what_to_set(demo_ws: Workspace, cli) -> None:  # type: ignore[no-untyped-def]
    demo_ws.close()
    res = cli("digest", "recrutement", "--mail", "a@b.example", workspace=demo_ws.path)
    assert res.code == 2 and "veilleur config set smtp.host" in res.err


def test_ranking_is_explained() -> None:
    t = SINCE + timedelta(days=6)
    wide = StoryStats(1, 8, 8, 6, 2, 300, ["a", "b", "c", "d"], ["mastodon", "x"], t, 3)
    narrow = StoryStats(2, 2, 4, 1, 1, 5, ["e"], ["x"], SINCE - timedelta(days=3))
    first, second = rank([narrow, wide], SINCE, UNTIL)
    assert first.stats.story == 1 and first.score > second.score
    keys = [r.key for r in first.reasons]
    # Which signals made the rank, then the strongest facts (at most three).
    assert keys[0] == "main" and len(keys) == 4
    assert first.reasons[0].values["signals"] == ["engagement"]
    assert keys[1] == "engagement"
    burst = StoryStats(3, 5, 5, 5, 0, 0, ["f", "g"], ["x"], t)
    assert "growth" in [r.key for r in rank([burst], SINCE, UNTIL)[0].reasons]
    assert "ongoing" in [r.key for r in second.reasons]
    assert second.components["match"] == 0.5 and second.components["novelty"] == 0.0


def test_trends_rise_above_their_own_baseline() -> None:
    usages = []
    for day in range(35):
        when = SINCE - timedelta(days=28) + timedelta(days=day, hours=10)
        per_day = 6 if when >= SINCE else 1
        for k in range(per_day):
            usages.append(Usage(when, f"u{k}", day * 100 + k, (("rising", "#Rising"),)))
        for k in range(5):  # a steady tag, busy every day
            usages.append(Usage(when, f"s{k}", day * 100 + 50 + k,
                                (("steady", "#steady"), ("routine", "routine"))))  # fmt: skip
    found = trends(usages, SINCE, UNTIL)
    assert [t.term for t in found] == ["#Rising"]
    # 6 a day against 1 a day over the baseline: z = (6 - 1) / sqrt((1 + 0.5) / 7) = 10.8
    assert (found[0].per_day, found[0].usual_per_day, found[0].z) == (6.0, 1.0, 10.8)


def test_accounts_merge_networks_and_count_amplification() -> None:
    t = SINCE
    acts = [
        Activity("x", "marie_d", "Marie Dupont", t, "1", "Le recrutement…", (), None, False, 4),
        Activity("mastodon", "marie@m.social", "Marie Dupont", t + timedelta(days=2), "2",
                 "L'emploi…", (), None, False, 0),
        Activity("x", "fan", None, t, "3", "RT @marie_d: Le recrutement…", (), None, True, 0),
        Activity("x", "other", None, t, "4", "Bien vu @marie_d", ("marie_d",), None, False, 0),
        Activity("x", "once", None, t, "5", "Un avis", (), None, False, 0),
    ]  # fmt: skip
    first = rank_accounts(acts)[0]
    assert first.name == "Marie Dupont"
    assert first.handles == {"x": "marie_d", "mastodon": "marie@m.social"}
    assert (first.posts, first.days, first.mentioned) == (2, 2, 1)
    assert first.reposted == 4 + 1


def test_simple_matcher_reads_words_tags_and_exclusions() -> None:
    match = simple_matcher("recrutement OR #emploi -stage")
    post = Post("1", "x", "a", "Le #Recrutement repart", UNTIL)
    assert match(post)
    assert match(Post("2", "x", "a", "Des offres d'EMPLOI", UNTIL))
    assert not match(Post("3", "x", "a", "Recrutement d'un stage", UNTIL))
    assert not match(Post("4", "x", "a", "Rien à voir", UNTIL))
