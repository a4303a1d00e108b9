"""A sliding-window count of requests per client address, kept in the server's memory.

The public sign-up form uses it (``events.signups_per_hour`` per address): a restart
forgets the counts, which is fine for its purpose — keeping one address from filling an
event's waitlist with made-up people — while the login's limit, which guards passwords,
lives in the database (``accounts``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class RateLimit:
    window: float = 3600.0
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str, limit: int, now: float | None = None) -> bool:
        """Count one request from ``key``; False (and not counted) when ``limit`` requests
        already came within the window."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(moment)
            if len(self._hits) > 10_000:  # forget idle addresses
                for other in [k for k, v in self._hits.items() if not v]:
                    del self._hits[other]
            return True
