"""A sliding-window count of requests per client address, kept in the server's memory.

The public sign-up form uses it (``events.signups_per_hour`` per address): a restart
forgets the counts, which is fine for its purpose — keeping one address from filling an
event's waitlist with made-up people — while the login's limit, which guards passwords,
lives in the database (``accounts``).

An IPv6 client is counted by its /64 (:func:`client_key`): one subscriber holds a whole
/64 and would otherwise get a fresh quota per address. Addresses whose last request left
the window are forgotten, in a sweep at most once per tenth of the window, so the memory
follows the addresses seen within the window and one request costs no scan of them all.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from dataclasses import dataclass, field


def client_key(host: str) -> str:
    """What the limit counts for a client address: an IPv4 address (an IPv4-mapped IPv6
    one included) as it is, an IPv6 one by its /64, anything else as given."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass
class RateLimit:
    window: float = 3600.0
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _swept: float | None = None

    def allow(self, key: str, limit: int, now: float | None = None) -> bool:
        """Count one request from ``key``; False (and not counted) when ``limit`` requests
        already came within the window."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._sweep(moment)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(moment)
            return True

    def __len__(self) -> int:
        """How many addresses are remembered."""
        with self._lock:
            return len(self._hits)

    def _sweep(self, moment: float) -> None:
        if self._swept is not None and moment - self._swept < self.window / 10:
            return
        self._swept = moment
        gone = [k for k, hits in self._hits.items() if not hits or hits[-1] <= moment - self.window]
        for key in gone:
            del self._hits[key]
