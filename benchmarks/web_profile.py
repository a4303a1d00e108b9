"""CPU of one search or dashboard request, in-process, one at a time, with a cProfile of it.

    .venv/bin/python benchmarks/web_profile.py $TMPDIR/veilleur-bench/web-200000 200 search
    SORT=tottime TOP=40 .venv/bin/python benchmarks/web_profile.py WORKSPACE 200 dashboard

WORKSPACE is one built by ``web_bench.py`` (its users and slug). The ASGI app is called in
this thread through ``httpx.ASGITransport`` and each page runs inline instead of in the
thread pool, so that cProfile sees the whole request: middlewares, session, role, page,
template (the in-process client's own work is included in the CPU figure). Each kind is run
once to warm up (the answers are then remembered), then timed, then profiled.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_bench import PASSWORD, QUERIES, email


async def _inline(call: Callable[..., Any], *args: Any) -> Any:
    return call(*args)


async def main(home: Path, n: int, kinds: list[str]) -> None:
    from unittest import mock

    import veilleur.web.routing as routing
    from veilleur.web.app import create_app

    # The name the pages are run through, swapped for the whole run (this process only).
    mock.patch.object(routing, "run_in_threadpool", _inline).start()

    app = create_app(home)
    slug = (home / "slug").read_text(encoding="utf-8")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        data = {"csrf": token.group(1), "email": email(0), "password": PASSWORD, "next": "/"}
        assert (await client.post("/login", data=data)).status_code == 303

        async def run(kind: str) -> None:
            for i in range(n):
                if kind == "dashboard":
                    answer = await client.get(f"/w/{slug}")
                else:
                    answer = await client.get(f"/w/{slug}/search", params={"q": QUERIES[i % 12]})
                assert answer.status_code == 200

        for kind in kinds:
            await run(kind)
            began = time.process_time()
            await run(kind)
            spent = (time.process_time() - began) / n
            print(f"== {kind}: {spent * 1e3:.2f} ms of CPU a request (client included)")
            profile = cProfile.Profile()
            profile.enable()
            await run(kind)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("TOP", "40")))


if __name__ == "__main__":
    workspace = Path(sys.argv[1])
    os.environ.setdefault("VEILLEUR_KEY_FILE", str(workspace.parent / "bench.key"))
    asyncio.run(main(workspace, int(sys.argv[2]), sys.argv[3:] or ["dashboard", "search"]))
