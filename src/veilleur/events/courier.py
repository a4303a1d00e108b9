"""The mails a web page owes, sent by one thread of the server after the response.

A public sign-up or a mail link records the mails it owes in its transaction and hands the
registrations to the :class:`Courier`; the page answers at once. The courier's thread sends
those mails only (never the backlog: the events step of ``veilleur run`` does that),
holding the workspace — the web server's lock — only to claim, compose and record them,
never during an SMTP conversation: a slow or silent mail server delays the mails, not the
pages. One thread: a hundred sign-ups against a dead server do not take a hundred threads
from the pool that serves the pages. Mails it could not send stay owed (``failed``) for
the next delivery.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from veilleur.events import mails
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)


class Courier:
    """``Courier(open_workspace)``; ``send(registration_ids)`` returns at once."""

    def __init__(self, workspace: Callable[[], AbstractContextManager[Workspace]]) -> None:
        self._workspace = workspace
        self._queue: queue.Queue[int] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()

    def send(self, registrations: Iterable[int]) -> None:
        """Send the mails these registrations are owed, in the courier's thread."""
        for registration in registrations:
            self._queue.put(int(registration))
        with self._guard:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="veilleur-event-mails", daemon=True
                )
                self._thread.start()

    def wait(self) -> None:
        """Until every registration handed over so far has been dealt with."""
        self._queue.join()

    def _run(self) -> None:
        while True:
            found = [self._queue.get()]
            while True:
                try:
                    found.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                delivery = mails.deliver_apart(self._workspace, registrations=found)
                if delivery.missing:
                    log.warning("event mails not sent: %s", delivery.missing)
            except Exception:  # the thread must live on for the next mails
                log.exception("event mails for registrations %s not sent", found)
            finally:
                for _ in found:
                    self._queue.task_done()
