"""The command line starts without loading the heavy libraries only some commands need:
`veilleur --help` must answer at once on a consultant's laptop."""

from __future__ import annotations

import subprocess
import sys

# numpy, httpx and SQLAlchemy too (issue 14): the cli modules import the doors' names
# inside their functions, so `--help` loads ~340 modules instead of ~820.
HEAVY = ("sklearn", "weasyprint", "trafilatura", "ural", "atproto", "mastodon", "numpy",
         "httpx", "httpcore", "sqlalchemy", "alembic", "feedparser", "cryptography")  # fmt: skip


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, veilleur.cli.main as m\n"
        "m.execute(['--help'])\n"
        f"print(sorted(n for n in {HEAVY!r} if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
