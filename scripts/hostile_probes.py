"""Run issue 14's hostile probes and print how many held, went wrong or crashed, by area.

    .venv/bin/python scripts/hostile_probes.py            # every probe
    .venv/bin/python scripts/hostile_probes.py -v         # and the detail of each failure
    PYTHONPATH=/some/other/src .venv/bin/python scripts/hostile_probes.py   # another version

The probes themselves are tests/hostile_probes.py (``make test`` runs each one as a test);
the figures go in docs/security.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_probes import PROBES, isolated_env, run  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    import veilleur

    print(f"veilleur from {Path(veilleur.__file__).parent}")
    counts: Counter[tuple[str, str]] = Counter()
    failures = []
    with tempfile.TemporaryDirectory() as tmp, isolated_env(Path(tmp)):
        for name in sorted(PROBES):
            outcome = run(name, Path(tmp) / name)
            counts[(outcome.area, outcome.status)] += 1
            if outcome.status != "held":
                failures.append(outcome)
    areas = sorted({area for area, _ in counts})
    print(f"{'area':<10} {'probes':>6} {'held':>5} {'wrong':>6} {'crash':>6}")
    for area in areas:
        row = [counts[(area, s)] for s in ("held", "wrong", "crash")]
        print(f"{area:<10} {sum(row):>6} {row[0]:>5} {row[1]:>6} {row[2]:>6}")
    total = [sum(counts[(a, s)] for a in areas) for s in ("held", "wrong", "crash")]
    print(f"{'all':<10} {sum(total):>6} {total[0]:>5} {total[1]:>6} {total[2]:>6}")
    for outcome in failures:
        print(f"- {outcome.status}: {outcome.area}/{outcome.name}")
        if verbose:
            print("    " + outcome.detail.replace("\n", "\n    "))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
