"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for the tests of
event mails followed through the web pages."""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    """``with Mailbox() as box:`` — ``box.port``; ``box.wait_for(n)``; ``box.to(address)``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Condition()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        box = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                message = email.message_from_bytes(envelope.content, policy=policy.default)
                assert isinstance(message, EmailMessage)
                with box._lock:
                    box.messages.append(message)
                    box._lock.notify_all()
                return "250 OK"

        self._controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, server_hostname="smtp.test"
        )

    def __enter__(self) -> Mailbox:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 120) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.messages)} mails arrived, {count} expected"
                self._lock.wait(left)
            return list(self.messages)

    def wait_to(
        self, address: str, subject: str = "", count: int = 1, timeout: float = 120
    ) -> list[EmailMessage]:
        """The mails to ``address`` whose subject holds ``subject``, once ``count`` came (the
        web pages send their mails after the response, from the server's courier thread)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [m for m in self.messages
                         if address in str(m["To"]) and subject in str(m["Subject"])]  # fmt: skip
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                assert left > 0, f"{len(found)} mails to {address} ({subject!r}), {count} expected"
                self._lock.wait(left)

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]

    def configure(self, ws: Any) -> None:
        """Point the workspace's SMTP settings at this server."""
        ws.set_setting("smtp.host", "127.0.0.1")
        ws.set_setting("smtp.port", str(self.port))
        ws.set_setting("smtp.starttls", "false")
        ws.set_setting("smtp.from", "ateliers@pme.example")


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def links_in(message: EmailMessage, base: str) -> list[str]:
    """The paths of the event links (``BASE/e/SLUG/l/TOKEN``, ``BASE/e/NAME/SLUG/l/TOKEN``)
    a mail gives, in order."""
    found = re.findall(re.escape(base) + r"(/e/(?:[\w-]+/)?[\w-]+/l/[\w.\-]+)", text_of(message))
    assert found, text_of(message)
    return found


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts a connection and says nothing until
    ``release()`` (then closes it): an SMTP server that hangs. ``connected`` is set once a
    client is in; ``gave_up`` once the client closed its side first (its timeout ran out)."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = int(self._sock.getsockname()[1])
        self.connected = threading.Event()
        self.gave_up = threading.Event()
        self._released = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._released.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connected.set()
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with conn:
            while not self._released.is_set():
                try:
                    if conn.recv(1024) == b"":
                        self.gave_up.set()
                        return
                except TimeoutError:
                    continue
                except OSError:
                    self.gave_up.set()
                    return

    def release(self) -> None:
        self._released.set()

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._thread.join(5)
        self._sock.close()
