"""Issue 14's hostile probes, each a test: no traceback, the expected exit status, nothing
good lost (tests/hostile_probes.py says what each one tries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .hostile_probes import PROBES, run


@pytest.mark.parametrize("name", sorted(PROBES))
def test_probe_holds(name: str, tmp_path: Path) -> None:
    outcome = run(name, tmp_path / "probe")
    assert outcome.status == "held", f"{outcome.status}: {outcome.detail}"
