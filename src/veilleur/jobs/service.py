"""``veilleur worker`` and ``veilleur scheduler`` on Celery, and their health for ``doctor``.

One Celery task, ``veilleur.step(workspace, step, keys, token)``: do one job (or a batch of
``queue.batch`` feeds) of a periodic step (:mod:`veilleur.jobs.steps`) under its claims
(:mod:`veilleur.jobs.work`). The scheduler is ours, not Celery beat: it reads what is due
from the data at each tick and claims before it sends, so two schedulers started by mistake
do not double the work, and a job lost with a killed worker is sent again.

Messages are JSON, acknowledged on receipt (``acks_late`` off): a message lost with its
worker is not redelivered by the broker, the claims make the scheduler send it again.
Each worker serves one workspace (``-w``) and drops the messages of another.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veilleur.errors import MissingExtra, UsageError
from veilleur.i18n import N_, t
from veilleur.jobs import work
from veilleur.jobs.hostgate import RedisHostGate
from veilleur.jobs.steps import preload
from veilleur.jobs.tables import Claims
from veilleur.model import utcnow
from veilleur.sources import HostGate, HttpPolicy
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

TASK = "veilleur.step"
QUEUE = "veilleur"
ENV_BROKER = "VEILLEUR_BROKER_URL"


def broker_url(ws: Workspace) -> str | None:
    """The broker: ``VEILLEUR_BROKER_URL``, else the workspace's ``queue.broker_url``."""
    return os.environ.get(ENV_BROKER) or ws.setting("queue.broker_url") or None


def _required_broker(ws: Workspace) -> str:
    url = broker_url(ws)
    if not url:
        raise UsageError(
            t(
                "no broker configured: set VEILLEUR_BROKER_URL or 'veilleur config set "
                "queue.broker_url redis://127.0.0.1:6379/0' (without one, 'veilleur run' "
                "does the same work in one process)"
            )
        )
    return url


def make_app(url: str) -> Any:
    """The Celery application on the broker at ``url``, with the step task registered."""
    try:
        from celery import Celery
    except ImportError:
        raise MissingExtra("veilleur worker / scheduler", "queue") from None
    app = Celery("veilleur", broker=url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=False,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        enable_utc=True,
    )
    app.task(name=TASK)(_step_task)
    return app


def is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://", "unix://"))


# -- the worker's side (state per worker process) ----


@dataclass(slots=True)
class _Served:
    path: Path
    broker: str
    pid: int = 0
    workspace: Workspace | None = None
    claims: Claims | None = None


_SERVED: _Served | None = None


def _open_here() -> tuple[Workspace, Claims]:
    """This process's workspace and claims (a forked worker process opens its own)."""
    served = _SERVED
    if served is None:
        raise RuntimeError("not a veilleur worker")
    if served.pid != os.getpid() or served.workspace is None or served.claims is None:
        served.workspace = Workspace(served.path, create=False)
        served.claims = Claims(served.workspace.store)
        served.pid = os.getpid()
    return served.workspace, served.claims


def gate_for(ws: Workspace, url: str | None) -> HostGate | None:
    """Per-host politeness shared by the workers, when the broker is a Redis server."""
    if not url or not is_redis(url):
        return None
    policy = HttpPolicy.from_workspace(ws)
    return RedisHostGate(url, policy.per_host, policy.max_time + policy.timeout)


def _step_task(workspace: str, step: str, keys: str | list[str], token: str) -> str:
    served = _SERVED
    if served is None or Path(workspace) != served.path:
        log.error("message for workspace %s dropped: this worker serves %s", workspace,
                  served.path if served else None)  # fmt: skip
        return "elsewhere"
    ws, claims = _open_here()
    return work.run_message(ws, claims, step, keys, token, gate_for(ws, served.broker))


def run_worker(ws: Workspace, *, concurrency: int = 2, loglevel: str = "INFO") -> int:
    """Consume jobs until stopped (SIGTERM: the jobs in hand finish); the exit status."""
    global _SERVED
    url = _required_broker(ws)
    path = ws.path.resolve()
    ws.close()  # each worker process opens its own connection
    _SERVED = _Served(path, url)
    preload()
    app = make_app(url)
    worker = app.Worker(
        hostname=f"veilleur-{os.getpid()}@{socket.gethostname()}",
        concurrency=max(1, concurrency),
        pool="prefork",
        loglevel=loglevel,
        queues=[QUEUE],
        without_mingle=True,
        without_gossip=True,
        quiet=True,
    )
    worker.start()
    return int(worker.exitcode or 0)


# -- the scheduler ----


def run_scheduler(
    ws: Workspace,
    *,
    tick: float = 10.0,
    on_tick: Callable[[dict[str, int]], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Enqueue the due jobs every ``tick`` seconds until SIGTERM/SIGINT; the passes run."""
    url = _required_broker(ws)
    app = make_app(url)
    claims = Claims(ws.store)
    path = str(ws.path.resolve())
    halt = stop or threading.Event()
    if stop is None and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: halt.set())

    def enqueue(step: str, keys: list[str], token: str) -> None:
        app.send_task(TASK, args=[path, step, keys, token], queue=QUEUE)

    passes = 0
    try:
        while not halt.is_set():
            try:
                sent = work.schedule_once(ws, claims, enqueue)
            except Exception as exc:  # a broker restarting, a database locked: try again
                log.warning(t("this pass failed ({error}); next try in {s} s", error=exc, s=tick))
            else:
                passes += 1
                log.debug("pass %d: %s", passes, sent)
                if on_tick is not None:
                    on_tick(sent)
            halt.wait(tick)
    finally:
        claims.close()
        app.close()
    return passes


# -- health ----


@dataclass(frozen=True, slots=True)
class Check:
    """One check of ``veilleur doctor``: its name (English msgid), passed or not, detail."""

    check: str
    ok: bool
    detail: str


def broker_checks(ws: Workspace, *, timeout: float = 2.0) -> list[Check]:
    """The broker answers, and which workers answered a ping (empty: no broker set)."""
    url = broker_url(ws)
    if not url:
        return []
    try:
        app = make_app(url)
    except MissingExtra as exc:
        return [Check(N_("broker"), False, str(exc))]
    shown = _without_password(url)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        found = [Check(N_("broker"), True, shown)]
        replies = app.control.ping(timeout=timeout) or []
        names = sorted(name for reply in replies for name in reply)
        found.append(
            Check(
                N_("workers"),
                bool(names),
                ", ".join(names) if names else t("no worker answered within {s} s", s=timeout),
            )
        )
        claims = Claims(ws.store)
        try:
            running = claims.active(work._stamp(utcnow()))
        finally:
            claims.close()
        found.append(Check(N_("jobs"), True, t("{n} jobs claimed now", n=len(running))))
        return found
    except Exception as exc:  # the broker down, refused, unknown host…
        return [Check(N_("broker"), False, f"{shown}: {type(exc).__name__}: {exc}")]
    finally:
        app.close()


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
