"""`import x-archive` against `import jsonl` of the same posts, and peak memory.

    .venv/bin/python benchmarks/exports.py [--sizes 20000,100000]

An X archive zip of N tweets (texts from corpus.py, the archive's own layout: counts as
strings, t.co links with their entities) is imported through veilleur's whole path; the
baseline imports the same posts as JSONL (the interchange format, streamed) in the same
run. Each side runs in its own child process for its peak memory (max RSS). The archive
reader parses each tweets.js whole (so that a bad part is refused before anything is
written): its memory grows with N, which this measures.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import posts

TWITTER_DATE = "%a %b %d %H:%M:%S +0000 %Y"


def write_archive(dest: Path, n: int) -> list[dict[str, object]]:
    """The zip, and the same posts as interchange records."""
    rng = random.Random(7)
    tweets, records = [], []
    for record in posts(n):
        created = datetime.fromisoformat(str(record["created_at"]).replace("Z", "+00:00"))
        text = str(record["text"])
        urls = []
        if rng.random() < 0.3:
            short = f"https://t.co/{rng.randrange(16**10):010x}"
            urls.append({"url": short, "expanded_url": "https://exemple.fr/a", "indices": []})
            text = f"{text} {short}"
        tweets.append(
            {
                "tweet": {
                    "id_str": record["id"],
                    "full_text": text,
                    "created_at": created.astimezone(UTC).strftime(TWITTER_DATE),
                    "favorite_count": str(record["likes"]),
                    "retweet_count": str(record["reposts"]),
                    "lang": record["lang"],
                    "entities": {"hashtags": [], "user_mentions": [], "urls": urls},
                }
            }
        )
        records.append({**record, "network": "x", "author": "compte"})
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        body = json.dumps(tweets, ensure_ascii=False, indent=2)
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + body)
        archive.writestr(
            "data/account.js",
            'window.YTD.account.part0 = [{"account": {"username": "compte"}}]',
        )
    return records


def _peak_mb() -> float:
    """This process's own peak (VmHWM): ru_maxrss would carry the parent's over fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, src: Path, ws: Path) -> None:
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import ImportSummary, import_file
    from veilleur.imports.x_archive import x_archive_reader
    from veilleur.workspace import Workspace

    reader = x_archive_reader() if kind == "x-archive" else read_jsonl
    start = time.perf_counter()
    with Workspace(ws) as workspace:
        summary = ImportSummary()
        import_file(workspace.store, src, reader, summary)
        assert summary.new == summary.read and not summary.rejected, summary
    elapsed = time.perf_counter() - start
    peak_mb = _peak_mb()
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))


def measure(kind: str, src: Path, ws: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(src), str(ws)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated tweet counts")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, ws = args.child
        child(kind, Path(src), Path(ws))
        return
    print("| tweets | x-archive posts/s | jsonl posts/s | ratio | peak MB | jsonl peak MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "twitter.zip"
            records = write_archive(archive, n)
            jsonl = Path(tmp) / "posts.jsonl"
            jsonl.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                encoding="utf-8",
            )
            ours = measure("x-archive", archive, Path(tmp) / "ws1")
            base = measure("jsonl", jsonl, Path(tmp) / "ws2")
        rate, base_rate = n / ours["seconds"], n / base["seconds"]
        print(
            f"| {n:,} | {rate:,.0f} | {base_rate:,.0f} | {base_rate / rate:.2f}x slower "
            f"| {ours['peak_mb']:.0f} | {base['peak_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
