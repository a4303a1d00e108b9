"""Terminal and XML outputs besides ``search`` (issue 14): ``alert check``/``alert list``,
``demo`` and ``audit`` print post text and handles without the terminal codes a stranger
put in them; the OPML export stays valid XML whatever a feed's title holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from veilleur.model import Post, Watch
from veilleur.sources import registry
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace

from .audit_planted import ON_TOPIC, PROMOTIONAL, mixed

ESCAPES = ("\x1b", "\x07", "\x9b", "\x00")
HOSTILE_HANDLE = "marie\x1b]0;owned\x07\x1b[2J"


def _clean(text: str) -> bool:
    return not any(code in text for code in ESCAPES)


def test_alert_check_and_list_print_no_terminal_code(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        save_watch(ws.store, Watch("emploi", "emploi"))
    # A handle pasted from a post, escape codes included, matches the post's author.
    res = cli("alert", "add", "a\x1b[2J", "--watch", "emploi", "--account", HOSTILE_HANDLE,
              "--mail", "veille@pme.example")  # fmt: skip
    assert res.code == 0, res.err
    with Workspace(tmp_path / "ws") as ws:
        text = "L'emploi repart \x1b]0;owned\x07 en Auvergne \x1b[2J"
        ws.store.write_posts(
            [Post("p1", "x", HOSTILE_HANDLE, text, datetime(2026, 10, 20, 9, tzinfo=UTC))]
        )
    checked = cli("alert", "check")
    assert checked.code == 1  # no SMTP: pending
    assert "@marie]0;owned[2J" in checked.err and "NOT sent" in checked.err
    assert _clean(checked.err), repr(checked.err)
    listed = cli("alert", "list")
    assert listed.code == 0 and "marie" in listed.out
    assert _clean(listed.out), repr(listed.out)


def test_audit_markdown_on_the_terminal_has_no_terminal_code(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, ws: Workspace
) -> None:
    posts = mixed("dupont", ON_TOPIC, PROMOTIONAL, 4)
    for post in posts[:5]:
        post.text = "\x1b]0;owned\x07\x1b[2J" + post.text + "\x9b31m\x00"
    ws.store.write_posts(posts)
    ws.close()
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Dupont\\u001b[2J"\nkeywords = ["usinage"]\n', encoding="utf-8")
    res = cli("audit", "-a", "dupont", "-p", str(profile), "-f", "md")
    assert res.code == 0, res.err
    assert "Dupont[2J" in res.out  # shown, disarmed
    assert _clean(res.out), repr(res.out)


def test_demo_prints_no_terminal_code_from_a_stored_post(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "demo"
    with Workspace(out) as ws:
        text = "recrutement \x1b]0;owned\x07 recrutement \x1b[2J recrutement"
        ws.store.write_posts(
            [Post("evil", "mastodon", "a\x1b[2J", text, datetime(2026, 12, 1, tzinfo=UTC))]
        )
    res = cli("demo", "--out", str(out), "--lang", "en")
    assert res.code == 0, res.err
    assert "]0;owned" in res.out  # the hostile post is in the tour, disarmed
    assert _clean(res.out), repr(res.out)


def test_opml_export_is_valid_xml_with_control_characters_in_titles(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    with Workspace(tmp_path / "ws") as ws:
        params = {"url": "https://a.example/f", "category": "Veille\x01\x1b"}
        record = registry.add_source(ws.store, "rss", params, "a")
        registry.save_outcome(
            ws.store,
            record,
            [],
            {"title": "Le \x00fil\x1b[2J\x0b de la PME", "link": "https://a.example/\x07"},
        )
    path = tmp_path / "out.opml"
    res = cli("source", "export-opml", str(path))
    assert res.code == 0, res.err
    root = ElementTree.fromstring(path.read_bytes())  # raises on invalid XML
    (outline,) = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert outline.get("title") == "Le fil[2J de la PME"
    assert outline.get("htmlUrl") is None  # not an address once checked
    folder = next(o for o in root.iter("outline") if not o.get("xmlUrl"))
    assert folder.get("title") == "Veille"
