"""Reads of many users run at once; writes stay one at a time and lose nothing.

Over real HTTP against uvicorn on 127.0.0.1, with one page of this module added to the
workbench: ``/w/{ws}/test-hold`` reads the workspace and, while its read is still open,
waits — for a second request to be inside the workspace too (``mode=pair``: a barrier of
two; if reads were serialised the second could not enter and the barrier breaks), or for
the test to let it go (``mode=hold``), or not at all (``mode=count``: how many posts it
sees). Overlap is observed, not timed: the barrier's timeout only keeps a failing run from
hanging.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.responses import PlainTextResponse, Response

from veilleur.web.routing import VIEWER, Ctx, Router

from .web_support import Site, _isolated_env, csrf, serve_site  # noqa: F401

router = Router()
WAIT = 60.0
"""Seconds a page waits for the other request before calling it serialised."""


class Hold:
    pair = threading.Barrier(2)
    entered = threading.Event()
    release = threading.Event()


@router.page("/w/{ws}/test-hold", "test_hold", role=VIEWER)
def hold(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        rows = ws.store.conn.execute("SELECT pk FROM posts ORDER BY pk")
        first = rows.fetchone()  # the read is open (its snapshot held) from here
        if ctx.value("mode") == "count":
            outcome = "counted"
        elif ctx.value("mode") == "pair":
            try:
                Hold.pair.wait(timeout=WAIT)
                outcome = "together"
            except threading.BrokenBarrierError:
                outcome = "alone"
        else:
            Hold.entered.set()
            outcome = "released" if Hold.release.wait(timeout=WAIT) else "never released"
        seen = (1 if first else 0) + len(rows.fetchall())
    return PlainTextResponse(f"{outcome} {seen}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(tmp_path_factory, "webconc", __name__)


def _posts(site: Site) -> int:
    with site.login("viewer") as client:
        # Not "pair": alone, its barrier breaks only after WAIT seconds — as long as the
        # client's own timeout, so the answer raced the client giving up.
        answer = client.get(f"/w/{site.slug}/test-hold", params={"mode": "count"})
        assert answer.status_code == 200 and answer.text.startswith("counted "), answer.text
        return int(answer.text.split()[-1])


def test_two_slow_reads_run_at_the_same_time(site: Site) -> None:
    Hold.pair = threading.Barrier(2)
    viewer, owner = site.login("viewer"), site.login("owner")
    url = f"/w/{site.slug}/test-hold"
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda c: c.get(url, params={"mode": "pair"}), (viewer, owner)))
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.text.split()[0] for a in answers] == ["together", "together"]


def test_a_write_during_a_read_is_neither_blocked_nor_lost(site: Site) -> None:
    Hold.entered.clear()
    Hold.release.clear()
    before = _posts(site)
    reader, editor = site.login("viewer"), site.login("editor")
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(reader.get, f"/w/{site.slug}/test-hold", params={"mode": "hold"})
        assert Hold.entered.wait(WAIT), "the reading page did not start"
        # The read is open; a write goes through and is seen by the next reads at once.
        token = csrf(editor, "/account")
        saved = editor.post(
            f"/w/{site.slug}/search/save",
            data={"csrf": token, "q": "emploi", "name": "Pendant la lecture"},
        )
        assert saved.status_code == 303, saved.text[:500]
        assert "Pendant la lecture" in reader.get(f"/w/{site.slug}/watches").text
        Hold.release.set()
        answer = held.result(timeout=WAIT)
    assert answer.status_code == 200 and answer.text == f"released {before}"


def test_writes_among_many_reads_lose_nothing(site: Site) -> None:
    writers = [site.login("editor") for _ in range(3)]
    readers = [site.login("viewer") for _ in range(3)]
    stop = threading.Event()

    def write(k: int) -> list[int]:
        client = writers[k]
        token = csrf(client, "/account")
        codes = []
        for i in range(8):
            answer = client.post(
                f"/w/{site.slug}/search/save",
                data={"csrf": token, "q": f"emploi OR stage{i}", "name": f"veille {k}-{i}"},
            )
            codes.append(answer.status_code)
        return codes

    def read(k: int) -> list[int]:
        codes = []
        while not stop.is_set():
            codes.append(
                readers[k].get(f"/w/{site.slug}/search", params={"q": "emploi"}).status_code
            )
            codes.append(readers[k].get(f"/w/{site.slug}").status_code)
        return codes

    with ThreadPoolExecutor(6) as pool:
        reading = [pool.submit(read, k) for k in range(3)]
        written = [pool.submit(write, k) for k in range(3)]
        write_codes = [code for future in written for code in future.result()]
        stop.set()
        read_codes = [code for future in reading for code in future.result()]
    assert write_codes == [303] * 24
    assert read_codes and set(read_codes) == {200}
    listed = readers[0].get(f"/w/{site.slug}/watches").text
    missing = [
        f"veille {k}-{i}"
        for k in range(3)
        for i in range(8)
        if not re.search(re.escape(f"veille {k}-{i}") + r"\b", listed)
    ]
    assert missing == []
