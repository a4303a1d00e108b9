"""Shared fixtures: a fresh workspace, the CLI run in-process, the ../shared folder."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from veilleur.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file of ../shared, or a visible skip when the folder is absent (outside our CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the project")
        pytest.skip(f"{path} is absent: the shared data folder is not beside this clone")
    return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "both_backends: run the test on SQLite and on PostgreSQL (a database of its own)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` run twice: their workspaces in SQLite, then in a
    PostgreSQL database of their own (``VEILLEUR_DATABASE_URL``, tests/pg_support.py)."""
    if metafunc.definition.get_closest_marker("both_backends") is not None:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The store the test's workspaces use: "sqlite" unless the test is parametrised."""
    name = getattr(request, "param", "sqlite")
    if name != "postgresql":
        monkeypatch.delenv("VEILLEUR_DATABASE_URL", raising=False)
        yield name
        return
    from tests import pg_support

    url = pg_support.create_database()
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", url)
    try:
        yield name
    finally:
        pg_support.drop_database(url)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """When a test of a module that serves the workbench in this process (its module sets
    ``THREADS_ON_FAILURE = True``) fails, the report shows where every thread stood: a page
    that never answered then names the lock or the call it waited on, rather than only the
    browser's timeout."""
    report = yield
    module = getattr(item, "module", None)
    if getattr(module, "THREADS_ON_FAILURE", False) and call.when == "call" and call.excinfo:
        import sys
        import threading
        import traceback

        names = {thread.ident: thread.name for thread in threading.enumerate()}
        stacks = [
            f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
            for ident, frame in sys._current_frames().items()
        ]
        report.sections.append(("threads at the failure", "\n".join(stacks)))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests import pg_support

    pg_support.drop_template()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend: str) -> None:
    """No test reads the user's workspace or depends on the machine's locale."""
    monkeypatch.setenv("VEILLEUR_WORKSPACE", str(tmp_path / "default-ws"))
    monkeypatch.setenv("VEILLEUR_LANG", "en")
    monkeypatch.setenv("VEILLEUR_KEY_FILE", str(tmp_path / "secret.key"))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ws") as workspace:
        yield workspace


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run ``veilleur ARGS`` in-process against the test's workspace; returns code/out/err."""
    from veilleur.cli.main import execute

    def invoke(*args: str, workspace: Path | None = None) -> Result:
        # The folder stands for `veilleur init` (which would also create the database: the
        # advisor's tests rely on a workspace without one); commands refuse a missing folder.
        folder = workspace or tmp_path / "ws"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        capsys.readouterr()
        code = execute(["--workspace", str(folder), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver listens on 127.0.0.1 (a free port): tests never leave the machine."""
    return ("127.0.0.1", 0)
