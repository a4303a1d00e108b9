"""The web server remembers the search page's results and counts, the number of posts
and the settings while the workspace is unchanged (``veilleur.store.memo``): a write —
from another process (``veilleur import``, as ``veilleur run`` collecting beside the
server) or through the server itself — shows on the very next page load.

Over real HTTP against uvicorn on 127.0.0.1 (``web_support``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson

from .web_support import Site, _isolated_env, csrf, site  # noqa: F401

WORD = "zorglub"
"""A word of no post of the demo corpus: the posts holding it are the test's."""


def import_in_another_process(site: Site, tmp_path: Path, *ids: int) -> None:
    records = [
        {"id": f"memo-{i}", "network": "bluesky", "author": "bruno.example",
         "text": f"Un {WORD} numéro {i}", "created_at": "2026-02-01T12:00:00Z"}
        for i in ids
    ]  # fmt: skip
    source = tmp_path / f"posts-{ids[0]}.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    done = subprocess.run(
        [sys.executable, "-m", "veilleur.cli.main", "--workspace", str(site.home),
         "import", "jsonl", str(source)],
        check=False, env=dict(os.environ), timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def heading(page: str) -> str:
    found = re.search(r"<h2>([^<]*match[^<]*)</h2>", page)
    assert found, page[:2000]
    return found.group(1)


def posts_held(page: str) -> int:
    found = re.search(r"([\d,]+) posts? in this workspace", page)
    assert found, page[:2000]
    return int(found.group(1).replace(",", ""))


def test_a_write_of_another_process_shows_on_the_next_page(site: Site, tmp_path: Path) -> None:
    with site.login("viewer", **{"Accept-Language": "en"}) as viewer:
        search, dashboard = f"/w/{site.slug}/search", f"/w/{site.slug}"
        assert heading(viewer.get(search, params={"q": WORD}).text) == "0 posts match"
        held = posts_held(viewer.get(dashboard).text)
        # Asked again: the same answers (from memory now).
        assert heading(viewer.get(search, params={"q": WORD}).text) == "0 posts match"
        assert posts_held(viewer.get(dashboard).text) == held

        import_in_another_process(site, tmp_path, 1, 2)
        page = viewer.get(search, params={"q": WORD}).text
        assert heading(page) == "2 posts match"
        assert f"Un {WORD} numéro 1" in page and f"Un {WORD} numéro 2" in page
        assert posts_held(viewer.get(dashboard).text) == held + 2

        import_in_another_process(site, tmp_path, 3)
        page = viewer.get(search, params={"q": WORD}).text
        assert heading(page) == "3 posts match" and f"Un {WORD} numéro 3" in page
        assert posts_held(viewer.get(dashboard).text) == held + 3


def test_a_setting_saved_through_the_server_shows_on_the_next_page(site: Site) -> None:
    """The time zone the pages show dates in is the workspace's setting, read on every
    page (and remembered): changing it on Paramètres changes the next search page."""
    with site.login("admin") as admin:
        search = f"/w/{site.slug}/search"
        # the posts' moments (a date and a time), not the days of the counts by day
        shown = re.compile(r"<time datetime=\"[^\"]+T[^\"]+\">([^<]+)</time>")
        before = shown.findall(admin.get(search, params={"q": "emploi"}).text)
        assert before
        token = csrf(admin, "/account")
        for zone in ("America/Montreal", "Asia/Tokyo"):
            saved = admin.post(
                f"/w/{site.slug}/settings",
                data={"csrf": token, "timezone": zone, "report_lang": "fr"},
            )
            assert saved.status_code == 303, saved.text[:500]
            after = shown.findall(admin.get(search, params={"q": "emploi"}).text)
            assert len(after) == len(before) and after != before
            before = after
