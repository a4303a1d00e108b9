"""Per-host politeness shared by every worker, in Redis.

``network.per_host`` requests at most in flight to one host across all the workers: each
request holds a slot, a member of a sorted set per host scored by the time its slot
expires (a killed worker's slots free themselves after ``ttl``). A Lua script removes the
expired members and adds one only while fewer than the limit remain, atomically, on the
Redis server's clock. A 429 or 503 with ``Retry-After`` sets a key per host that expires
when the host may be asked again; every worker waits for it (or, if it is longer than a
request may take, records the wait on the source, which is collected again after it).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

PREFIX = "veilleur:host:"

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""


class RedisHostGate:
    """A :class:`veilleur.sources.HostGate` on a Redis server (``redis://…``).

    ``limit``: requests in flight to one host across all processes; ``ttl``: seconds a slot
    lasts at most (longer than a request may take: ``network.max_time``)."""

    def __init__(self, url: str, limit: int, ttl: float, *, poll: float = 0.05) -> None:
        self.url = url
        self.limit = max(1, limit)
        self.ttl_ms = int(max(1.0, ttl) * 1000)
        self.poll = poll
        self._client: Any = None

    def _redis(self) -> Any:
        if self._client is None:  # made in the event loop that uses it
            import redis.asyncio

            self._client = redis.asyncio.Redis.from_url(self.url)
        return self._client

    def slot(self, host: str) -> AbstractAsyncContextManager[None]:
        return self._slot(host)

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        client = self._redis()
        key = f"{PREFIX}{host}:slots"
        token = uuid.uuid4().hex
        while not await client.eval(_ACQUIRE, 1, key, self.limit, self.ttl_ms, token):
            await asyncio.sleep(self.poll * (0.5 + random.random()))
        try:
            yield
        finally:
            await client.zrem(key, token)

    async def blocked_for(self, host: str) -> float:
        left = await self._redis().pttl(f"{PREFIX}{host}:hold")
        return max(0.0, int(left) / 1000) if left and int(left) > 0 else 0.0

    async def hold(self, host: str, seconds: float) -> None:
        if seconds <= 0:
            return
        client = self._redis()
        key, ms = f"{PREFIX}{host}:hold", int(seconds * 1000)
        if not await client.set(key, "1", px=ms, nx=True):
            await client.pexpire(key, ms, gt=True)  # keep the longer of two waits

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
