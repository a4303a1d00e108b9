"""Claims around every job: the scheduler's pass, a worker's run of one job, and the steps
``veilleur run`` does in its own process.

A job's key is ``STEP:KEY`` (``collect:le-monde``). Its life in the claims table:

1. the scheduler claims it for a token of its own (``queued:…``) until ``queue.wait`` has
   passed, then sends the message; a second scheduler's claim fails, so it sends nothing;
2. a worker that receives the message hands the claim over from that token to itself, for
   ``queue.lease`` seconds, renewed by a heartbeat while the step runs; a message whose
   token no longer holds the claim (a copy sent again after a wait) is dropped;
3. when the step is done the claim is released (or kept until the step's rest is over).

A worker killed in the middle stops renewing: its claim expires after ``queue.lease`` and
the scheduler sends the job again (the collection's state and the publisher's in-flight
record make doing it again safe). A message lost with a killed worker is sent again once
``queue.wait`` has passed. Claims, not trust: nothing relies on a message arriving once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from veilleur.jobs.steps import Step, steps
from veilleur.jobs.tables import Claims
from veilleur.model import format_datetime, utcnow
from veilleur.sources import HostGate
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_LEASE = 60
DEFAULT_WAIT = 900
DEFAULT_BATCH = 20

Enqueue = Callable[[str, list[str], str], None]
"""``enqueue(step, keys, token)``: send one message (one job, or a batch) to the broker."""


def job_key(step: str, key: str) -> str:
    return f"{step}:{key}"


def _stamp(moment: datetime) -> str:
    return format_datetime(moment)


def lease_seconds(ws: Workspace) -> int:
    return max(2, ws.setting_int("queue.lease") or DEFAULT_LEASE)


def wait_seconds(ws: Workspace) -> int:
    return max(2, ws.setting_int("queue.wait") or DEFAULT_WAIT)


def owner_token(kind: str) -> str:
    """A token no other process can have: kind, host, process, and a random part."""
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def batch_size(ws: Workspace) -> int:
    return max(1, ws.setting_int("queue.batch") or DEFAULT_BATCH)


def schedule_once(
    ws: Workspace, claims: Claims, enqueue: Enqueue, now: datetime | None = None
) -> dict[str, int]:
    """Claim and enqueue every due job that nobody holds; the count of jobs sent per step.

    A step whose jobs are ``batched`` sends up to ``queue.batch`` of them per message, all
    claimed for the message's token in one transaction (a worker pays its fixed cost —
    an event loop, an HTTP client, the claims' writes — once per message, not per feed)."""
    moment = now or utcnow()
    stamp = _stamp(moment)
    until = _stamp(moment + timedelta(seconds=wait_seconds(ws)))
    size = batch_size(ws)
    sent: dict[str, int] = {}
    for step in steps():
        try:
            keys = step.due(ws, moment)
        except Exception:  # one step's bug must not stop the others being scheduled
            log.exception("could not list the due jobs of step %s", step.name)
            continue
        held = claims.held(step.name + ":", stamp)
        free = [k for k in keys if job_key(step.name, k) not in held]
        per_message = size if step.batched else 1
        count = 0
        for start in range(0, len(free), per_message):
            chunk = free[start : start + per_message]
            token = owner_token("queued")
            names = claims.claim_many([job_key(step.name, k) for k in chunk], token, stamp, until)
            if not names:
                continue  # another scheduler was first
            taken = [name.split(":", 1)[1] for name in names]
            try:
                enqueue(step.name, taken, token)
            except Exception:
                claims.release_many(names, token)  # free them for the next pass
                raise
            count += len(taken)
        sent[step.name] = count
    return sent


@contextmanager
def heartbeat(claims: Claims, names: Sequence[str], owner: str, lease: int) -> Iterator[None]:
    """Renew ``owner``'s claims on ``names`` every third of the lease while the block runs."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease / 3):
            until = _stamp(utcnow() + timedelta(seconds=lease))
            kept = set(claims.hand_over_many(names, owner, owner, until))
            for name in names:
                if name not in kept:
                    log.warning("lost the claim on %s (held past its lease?)", name)

    thread = threading.Thread(target=renew, name="veilleur heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(
    claims: Claims, step: Step, names: Sequence[str], owner: str, started: datetime
) -> None:
    if step.rest:
        claims.hand_over_many(names, owner, owner, _stamp(started + timedelta(seconds=step.rest)))
    else:
        claims.release_many(names, owner)


def run_message(
    ws: Workspace,
    claims: Claims,
    step_name: str,
    keys: str | Sequence[str],
    token: str,
    gate: HostGate | None = None,
) -> str:
    """A worker's part: take the jobs over from the message's token, run them, let them go.

    ``keys``: one job's key or a batch's (a message of an older scheduler carries one).
    Returns ``done``, ``stale`` (the token no longer holds any of the claims: a copy of a
    message sent again, or jobs another worker already did) or ``unknown`` (no such step).
    Keys of a batch whose claim moved on are left out; the others run."""
    registry = {s.name: s for s in steps()}
    step = registry.get(step_name)
    if step is None:
        log.error("no step named %s: message dropped", step_name)
        return "unknown"
    wanted = [keys] if isinstance(keys, str) else list(keys)
    owner = owner_token("worker")
    lease = lease_seconds(ws)
    started = utcnow()
    until = _stamp(started + timedelta(seconds=lease))
    names = claims.hand_over_many([job_key(step_name, k) for k in wanted], token, owner, until)
    if not names:
        log.info("jobs %s:%s: their claims moved on, message dropped", step_name, wanted)
        return "stale"
    mine = [name.split(":", 1)[1] for name in names]
    try:
        with heartbeat(claims, names, owner, lease):
            step.run(ws, mine, gate)
    except Exception:
        log.exception("jobs %s:%s failed", step_name, mine)
    finally:
        _finish(claims, step, names, owner, started)
    return "done"


def run_steps_inline(ws: Workspace, claims: Claims, now: datetime | None = None) -> dict[str, int]:
    """``veilleur run``'s part: each step's due jobs, claimed, run here in one go."""
    moment = now or utcnow()
    lease = lease_seconds(ws)
    done: dict[str, int] = {}
    for step in steps():
        if not step.in_run:
            continue
        try:
            keys = step.due(ws, moment)
        except Exception:
            log.exception("could not list the due jobs of step %s", step.name)
            continue
        owner = owner_token("run")
        until = _stamp(moment + timedelta(seconds=lease))
        names = claims.claim_many(
            [job_key(step.name, k) for k in keys], owner, _stamp(moment), until
        )
        if not names:
            continue
        mine = [name.split(":", 1)[1] for name in names]
        try:
            with heartbeat(claims, names, owner, lease):
                step.run(ws, mine, None)
        except Exception:
            log.exception("step %s failed", step.name)
        finally:
            _finish(claims, step, names, owner, moment)
        done[step.name] = len(mine)
    return done
