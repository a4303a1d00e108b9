"""The workbench under load (issue 16, "Speed"): dashboard and search pages served by the
real server (uvicorn, as ``veilleur serve``) to N concurrent logged-in users, against the
same searches called directly through the store's door (no HTTP) in the same run.

    .venv/bin/python benchmarks/web_bench.py --posts 1000000 --users 20 --seconds 60
    .venv/bin/python benchmarks/web_bench.py --quick          # 200,000 posts

The workspace (seeded posts of ``benchmarks/corpus.py``, imported through ``import jsonl``'s
path, a few watches, one user per simulated user) is built once and kept under
``--cache`` (default ``$TMPDIR/veilleur-bench``), never in the repository. The server runs
in a child process; the load generator (httpx, asyncio) in this one: each user logs in,
then loops over its pages (dashboard, then each search query in turn, ``--think`` seconds
between requests; 0 = as fast as the server answers) for ``--seconds``. Reported: p50, p95,
p99 per page kind, requests/s, and the same searches' time in-process (parse + the four
store calls the search page makes: posts, total, by network, top authors) as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl

PASSWORD = "mot-de-passe-du-banc"
QUERIES = [
    "recrutement",
    "emploi OR stage",
    '"veille stratégique"',
    "recrut*",
    "innovation lang:fr",
    "network:mastodon formation",
    "#Recrutement",
    "author:compte42",
    "hiring NEAR/3 team",
    "énergie -sécurité",
    "salon since:2025-11-01",
    "(clients OR partenaires) atelier",
]
"""Words of the corpus's vocabulary: each common word is in 5–20 % of the posts."""
WATCHES = {"Recrutement": "recrutement OR hiring", "Salons": "salon OR conférence"}


def email(i: int) -> str:
    return f"banc{i}@exemple.fr"


def build(home: Path, n: int, users: int) -> None:
    """The workspace of ``n`` posts with ``users`` viewers (kept: built once per size)."""
    from veilleur import accounts, watch
    from veilleur.errors import VeilleurError
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import ImportSummary, import_file
    from veilleur.model import Watch
    from veilleur.workspace import init_workspace

    done = home / "built"
    if not done.exists():
        tmp = home.with_name(home.name + ".tmp")
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp)
        began = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            src = write_jsonl(Path(scratch) / "posts.jsonl", n)
            ws, _ = init_workspace(tmp)
            with ws:
                summary = ImportSummary()
                import_file(ws.store, src, read_jsonl, summary)
                for name, text in WATCHES.items():
                    watch.save_watch(ws.store, Watch(name=name, query=text))
                ws.store.conn.execute("ANALYZE")
        tmp.rename(home)
        done.write_text(f"{n}\n", encoding="ascii")
        print(f"built {n:,} posts in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    from veilleur.workspace import Workspace

    with Workspace(home, create=False) as ws:
        entry = accounts.register_workspace(ws.store, home)
        organisation = dict(accounts.organisations(ws.store))[entry.organisation_id]
        for i in range(users):
            with contextlib.suppress(VeilleurError):  # made by an earlier run
                accounts.add_user(ws.store, email(i), PASSWORD, "viewer", organisation)
    (home / "slug").write_text(entry.slug, encoding="utf-8")


def baseline(home: Path, runs: int) -> dict[str, float]:
    """Median times through the doors, in this process, one call at a time: each query's
    search as ``veilleur search`` makes it (parse, the first 50 posts, the total), and the
    dashboard's calls (watches, the queue's three lists, sources, posts held)."""
    from veilleur import publish, sources, watch
    from veilleur.query import parse
    from veilleur.workspace import Workspace

    def median_time(call: Callable[[], object]) -> float:
        spent = []
        for _ in range(runs):
            began = time.perf_counter()
            call()
            spent.append(time.perf_counter() - began)
        return statistics.median(spent)

    times: dict[str, float] = {}
    with Workspace(home, create=False) as ws:
        store = ws.store

        def search(text: str) -> None:
            root = parse(text).root
            store.search(root, limit=50)
            store.count_matches(root)

        def dashboard() -> None:
            watch.list_watches(store)
            queue = publish.open_queue(ws)
            for status in ("scheduled", "submitted", "failed"):
                queue.posts(status)
            sources.list_sources(ws)
            store.count_posts()

        for text in QUERIES:
            times[text] = median_time(functools.partial(search, text))
        began = time.perf_counter()
        dashboard()  # the first call counts the posts; the next ones are told the count
        times["dashboard first"] = time.perf_counter() - began
        times["dashboard"] = median_time(dashboard)
    return times


WRITER = """
import sys, time
from datetime import UTC, datetime
from veilleur.model import Post
from veilleur.workspace import Workspace
every, i = float(sys.argv[2]), 0
with Workspace(sys.argv[1], create=False) as ws:
    while True:
        time.sleep(every)
        i += 1
        ws.store.write_posts([Post(id=f"banc-ecrit-{time.time_ns()}", network="mastodon",
            author="collecte", text=f"Recrutement : atelier emploi et formation n° {i}",
            created_at=datetime.now(UTC))])
"""
"""A post written every N seconds by another process, as ``veilleur run`` collecting
beside the server: each commit makes the server forget what it remembered."""


def start_writer(home: Path, every: float, src: Path | None) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(every)], env=env)


def start_server(home: Path, src: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    code = (
        "import sys, uvicorn\n"
        "from veilleur.web.app import create_app\n"
        "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]),"
        " log_level='warning', server_header=False)\n"
    )
    env = dict(os.environ)
    if src is not None:  # another code's server (the "before" of a comparison)
        env["PYTHONPATH"] = str(src)
    proc = subprocess.Popen([sys.executable, "-c", code, str(home), str(port)], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/login", timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit("the server stopped before answering")
    raise SystemExit("the server did not answer within 10 minutes")


async def log_in(client: httpx.AsyncClient, i: int) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    answer = await client.post(
        "/login",
        data={"csrf": token.group(1), "email": email(i), "password": PASSWORD, "next": "/"},
    )
    assert answer.status_code == 303, answer.text[:300]


async def user_loop(
    i: int,
    client: httpx.AsyncClient,
    slug: str,
    until: float,
    think: float,
    pages: str,
    log: list[tuple[str, float, int]],
) -> None:
    targets: list[tuple[str, str, dict[str, str]]] = []
    if "dashboard" in pages:
        targets.append(("dashboard", f"/w/{slug}", {}))
    if "search" in pages:
        targets += [("search", f"/w/{slug}/search", {"q": q}) for q in QUERIES]
    k = i  # users start at different places of the loop
    while time.monotonic() < until:
        kind, path, params = targets[k % len(targets)]
        k += 1
        began = time.perf_counter()
        answer = await client.get(path, params=params)
        log.append((kind, time.perf_counter() - began, answer.status_code))
        if think:
            await asyncio.sleep(think)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def load(
    url: str, slug: str, users: int, seconds: float, think: float, pages: str, server: int
) -> tuple[list[tuple[str, float, int]], float, float, float]:
    """The requests' log, the seconds they took, and the CPU seconds the server process
    and this one (the load generator) used meanwhile."""
    log: list[tuple[str, float, int]] = []
    clients = [httpx.AsyncClient(base_url=url, timeout=300) for _ in range(users)]
    try:
        await asyncio.gather(*(log_in(c, i) for i, c in enumerate(clients)))  # not timed
        began = time.monotonic()
        server_cpu, own_cpu = cpu_seconds(server), time.process_time()
        until = began + seconds
        await asyncio.gather(
            *(user_loop(i, c, slug, until, think, pages, log) for i, c in enumerate(clients))
        )
        return (
            log,
            time.monotonic() - began,
            cpu_seconds(server) - server_cpu,
            time.process_time() - own_cpu,
        )
    finally:
        for client in clients:
            await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 posts")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=0.0, help="Seconds between a user's requests."
    )
    parser.add_argument("--runs", type=int, default=5, help="Baseline runs of each query.")
    parser.add_argument(
        "--server-src", type=Path, help="Serve with the code in this src/ folder (PYTHONPATH)."
    )
    parser.add_argument(
        "--pages", default="dashboard,search", help="Pages the users ask for (comma-separated)."
    )
    parser.add_argument(
        "--write-every",
        type=float,
        default=0.0,
        help="Another process writes a post every this many seconds (0: none).",
    )
    parser.add_argument("--build-only", action="store_true", help="Build the workspace, stop.")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "veilleur-bench"
    )
    args = parser.parse_args()
    n = 200_000 if args.quick else args.posts
    home = (args.cache / f"web-{n}").resolve()
    home.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("VEILLEUR_KEY_FILE", str(args.cache / "bench.key"))
    build(home, n, args.users)
    slug = (home / "slug").read_text(encoding="utf-8")
    if args.build_only:
        return

    direct = baseline(home, args.runs)
    proc, url = start_server(home, args.server_src)
    writer = start_writer(home, args.write_every, args.server_src) if args.write_every else None
    try:
        log, elapsed, server_cpu, client_cpu = asyncio.run(
            load(url, slug, args.users, args.seconds, args.think, args.pages, proc.pid)
        )
    finally:
        if writer is not None:
            writer.kill()
            writer.wait(60)
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    errors = [s for _, _, s in log if s != 200]
    print(
        f"\n{n:,} posts, {args.users} users, think {args.think} s, {elapsed:.0f} s, "
        f"{f'a post written every {args.write_every} s, ' if args.write_every else ''}"
        f"{len(log)} requests ({len(log) / elapsed:.1f} req/s), {len(errors)} not 200, "
        f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores; CPU per request: "
        f"server {server_cpu / max(1, len(log)) * 1e3:.1f} ms, "
        f"load generator {client_cpu / max(1, len(log)) * 1e3:.1f} ms"
    )
    print("\n| page | requests | p50 ms | p95 ms | p99 ms | direct p50 ms | p50 / direct |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    direct_search = statistics.median(direct[q] for q in QUERIES)
    for kind, base in (("dashboard", direct["dashboard"]), ("search", direct_search)):
        times = [t for k, t, _ in log if k == kind]
        if not times:
            continue
        p50 = percentile(times, 50)
        print(
            f"| {kind} | {len(times)} | {p50 * 1e3:.0f} | {percentile(times, 95) * 1e3:.0f} | "
            f"{percentile(times, 99) * 1e3:.0f} | {base * 1e3:.1f} | {p50 / base:.1f}x |"
        )
    print(
        "\nDirect (in-process, one at a time) per query, ms: "
        + ", ".join(f"{q} {direct[q] * 1e3:.0f}" for q in QUERIES)
        + f"; dashboard first call {direct['dashboard first'] * 1e3:.0f}"
    )


if __name__ == "__main__":
    main()
