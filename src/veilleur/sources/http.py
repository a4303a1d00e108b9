"""The one HTTP client policy every collector uses: polite, bounded, and never a crash.

- timeouts, and a User-Agent that names veilleur;
- at most ``per_host`` requests in flight to one host;
- retries with exponential backoff and jitter on 5xx, timeouts and broken connections;
- 429 (and 503) honour ``Retry-After``;
- a bounded total time per request (``max_time``), after which :class:`FetchError` is
  raised for the caller to record on the source — never an exception that ends a run;
- bodies capped at ``max_bytes`` (after decompression);
- private, loopback and link-local addresses refused unless the workspace allows them
  (see :mod:`veilleur.sources.netguard`).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import httpcore
import httpx

from veilleur import __version__
from veilleur.errors import RemoteError
from veilleur.i18n import _, ngettext, t
from veilleur.sources.netguard import AddressRefused, GuardedBackend, ssl_context

if TYPE_CHECKING:
    from veilleur.workspace import Workspace

DEFAULT_USER_AGENT = f"veilleur/{__version__} (self-hosted watch and feed reader)"
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504, 507, 508, 520, 521, 522, 523, 524})
MAX_REDIRECTS = 5

Sleep = Callable[[float], Awaitable[None]]


class FetchError(RemoteError):
    """A request that did not succeed within the policy; its message names the URL."""

    def __init__(self, url: str, reason: str, *, retry_after: float | None = None) -> None:
        self.url = url
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How veilleur talks to the network. ``backoff_base`` is short in tests."""

    timeout: float = 20.0
    user_agent: str = DEFAULT_USER_AGENT
    per_host: int = 4
    retries: int = 3
    backoff_base: float = 0.5
    max_time: float = 60.0
    max_bytes: int = 20_000_000
    allow_private: bool = False
    max_connections: int = 100

    @classmethod
    def from_workspace(cls, ws: Workspace) -> HttpPolicy:
        """The policy the workspace's ``network.*`` settings describe."""
        return cls(
            timeout=float(ws.setting_int("network.timeout") or 20),
            user_agent=ws.setting("network.user_agent") or DEFAULT_USER_AGENT,
            per_host=max(1, ws.setting_int("network.per_host")),
            retries=ws.setting_int("network.retries"),
            backoff_base=ws.setting_int("network.backoff_ms") / 1000,
            max_time=float(ws.setting_int("network.max_time") or 60),
            allow_private=ws.setting_bool("network.allow_private"),
        )


@dataclass(slots=True)
class Response:
    """A response read whole: final URL, status, headers, body, redirect statuses."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    redirects: list[int] = field(default_factory=list)

    @property
    def moved_permanently(self) -> bool:
        """Every redirect on the way was permanent: the caller may store the new URL."""
        return bool(self.redirects) and all(s in (301, 308) for s in self.redirects)

    def json(self) -> Any:
        import orjson

        return orjson.loads(self.content)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, its connection pool built on the guarded network backend.

    httpx does not expose the network backend, so the pool is rebuilt here with the same
    limits; ``tests/test_sources_http.py`` fails if an upgrade breaks the guard.
    """

    def __init__(
        self, limits: httpx.Limits, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        super().__init__(limits=limits, trust_env=False, verify=ssl_context())
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(inner),
        )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostGate(Protocol):
    """Politeness shared with other processes (the workers of ``veilleur worker``): the
    per-host limit counted across all of them, and a host's ``Retry-After`` told to all.
    Without one, a :class:`Fetcher` is polite within its own process only."""

    def slot(self, host: str) -> AbstractAsyncContextManager[None]:
        """Held while one request to ``host`` is in flight (waits for a free slot)."""
        ...

    async def blocked_for(self, host: str) -> float:
        """Seconds before ``host`` may be asked again (0: now)."""
        ...

    async def hold(self, host: str, seconds: float) -> None:
        """``host`` asked every client to wait ``seconds`` (429/503 with Retry-After)."""
        ...

    async def aclose(self) -> None: ...


def host_key(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.host}:{parsed.port or (443 if parsed.scheme == 'https' else 80)}"


class Fetcher:
    """One shared async client for a run; use as ``async with Fetcher(policy) as http``."""

    def __init__(
        self,
        policy: HttpPolicy,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        gate: HostGate | None = None,
    ) -> None:
        """``network_backend`` replaces the sockets under the address guard (tests only);
        ``gate`` shares the per-host limits and waits with other processes."""
        self.policy = policy
        self.gate = gate
        self._sleep = sleep
        self._rng = rng
        self._slots: dict[str, asyncio.Semaphore] = {}
        limits = httpx.Limits(
            max_connections=policy.max_connections,
            max_keepalive_connections=policy.max_connections,
        )
        transport = (
            httpx.AsyncHTTPTransport(limits=limits, trust_env=False, verify=ssl_context())
            if policy.allow_private
            else _GuardedTransport(limits, network_backend)
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            headers={"User-Agent": policy.user_agent},
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,
            timeout=policy.timeout,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()
        if self.gate is not None:
            await self.gate.aclose()

    def _slot(self, url: str) -> asyncio.Semaphore:
        key = host_key(url)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = asyncio.Semaphore(self.policy.per_host)
        return slot

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (1, 2, …): exponential, with jitter."""
        return float(self.policy.backoff_base * 2 ** (attempt - 1) * (0.5 + self._rng()))

    async def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Response:
        """GET ``url`` under the policy. Any status but 429/5xx is returned to the caller.

        Raises :class:`FetchError` when the policy gives up (its ``retry_after`` is set
        when the host asked to wait longer than the time left).
        """
        policy = self.policy
        deadline = time.monotonic() + policy.max_time
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            wait: float | None = None
            if self.gate is not None:  # another process was told to wait by this host
                blocked = await self.gate.blocked_for(host_key(url))
                if blocked > remaining:
                    raise FetchError(
                        url,
                        t("the host asked to wait {seconds} s", seconds=f"{blocked:.0f}"),
                        retry_after=blocked,
                    )
                if blocked > 0:
                    await self._sleep(blocked)
                    remaining = deadline - time.monotonic()
            shared = nullcontext() if self.gate is None else self.gate.slot(host_key(url))
            try:
                async with self._slot(url), shared:
                    if self.gate is not None and await self.gate.blocked_for(host_key(url)):
                        continue  # told to wait while queued for the slot: look again above
                    response = await self._once(
                        url, headers, params, min(policy.timeout, remaining)
                    )
                    if self.gate is not None and (
                        response.status == 429 or response.status in RETRYABLE_STATUSES
                    ):
                        # Told to all before the slot is freed: a request queued for this
                        # slot must find the host's wait when it gets in.
                        held = retry_after_seconds(response.headers.get("retry-after"))
                        if held is not None:
                            await self.gate.hold(host_key(url), held)
            except AddressRefused as exc:
                raise FetchError(url, str(exc)) from None
            except (TimeoutError, httpx.TimeoutException):
                reason = t(
                    "no complete answer within {seconds} s",
                    seconds=f"{min(policy.timeout, remaining):.3g}",
                )
            except httpx.RemoteProtocolError as exc:
                reason = t("the connection broke off mid-answer ({reason})", reason=exc)
            except httpx.TransportError as exc:
                reason = _describe(exc)
                if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
                    raise FetchError(url, reason) from None
            except httpx.DecodingError as exc:
                raise FetchError(
                    url, t("the answer could not be decoded ({reason})", reason=exc)
                ) from None
            except httpx.TooManyRedirects:
                raise FetchError(url, t("more than {n} redirects", n=MAX_REDIRECTS)) from None
            except httpx.InvalidURL as exc:
                raise FetchError(url, t("invalid URL ({reason})", reason=exc)) from None
            else:
                if response.status == 429 or response.status in RETRYABLE_STATUSES:
                    reason = f"HTTP {response.status}"
                    wait = retry_after_seconds(response.headers.get("retry-after"))
                    if response.status == 429:
                        reason = _("HTTP 429, rate limited by the host")
                else:
                    return response
            attempt += 1
            delay = wait if wait is not None else self.backoff(attempt)
            left = deadline - time.monotonic()
            if wait is not None and delay > left:
                raise FetchError(
                    url,
                    t("{reason}: asked to wait {seconds} s", reason=reason, seconds=f"{delay:.0f}"),
                    retry_after=delay,
                ) from None
            if attempt > policy.retries or delay >= left:
                tries = ngettext("{n} attempt", "{n} attempts", attempt).format(n=attempt)
                raise FetchError(
                    url, t("{reason} (gave up after {tries})", reason=reason, tries=tries)
                ) from None
            await self._sleep(delay)

    async def _once(
        self,
        url: str,
        headers: Mapping[str, str] | None,
        params: Mapping[str, Any] | None,
        timeout: float,
    ) -> Response:
        async with asyncio.timeout(timeout):
            request = self._client.build_request("GET", url, headers=headers, params=params)
            response = await self._client.send(request, stream=True)
            try:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.policy.max_bytes:
                        raise FetchError(
                            url,
                            t(
                                "answer larger than {n} bytes, not read",
                                n=f"{self.policy.max_bytes:,}",
                            ),
                        )
                    chunks.append(chunk)
            finally:
                await response.aclose()
            return Response(
                url=str(response.url),
                status=response.status_code,
                headers=response.headers,
                content=b"".join(chunks),
                redirects=[r.status_code for r in response.history],
            )


def _describe(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return t("cannot connect ({reason})", reason=text)
    return text


def check_status(response: Response, url: str) -> None:
    """Raise :class:`FetchError` for an answer that is neither a success nor a 304."""
    if response.status == 304 or 200 <= response.status < 300:
        return
    phrase = httpx.codes.get_reason_phrase(response.status)
    raise FetchError(url, f"HTTP {response.status} {phrase}".strip())
