"""Refuse connections to private, loopback and link-local addresses.

A feed URL typed by a user (or a redirect served by a feed) must not make veilleur reach
the intranet, the machine itself or a cloud metadata endpoint. The check is made on the
address a host name RESOLVES to, at the moment of connecting, for every connection httpx
opens — redirects included — and veilleur then connects to that very address, so a name
that resolves differently a second later (DNS rebinding) cannot slip through.

An IPv6 address that carries an IPv4 one is judged by both: IPv4-mapped (``::ffff:a.b.c.d``),
6to4 (``2002:AABB:CCDD::``, which a 6to4 relay delivers to ``a.b.c.d``), Teredo (server and
client) and NAT64 (``64:ff9b::/96``; the local-use ``64:ff9b:1::/48`` is never public).
``2002:7f00:1::`` is the loopback, whatever Python's ``is_global`` says of it.

:class:`GuardedBackend` (asynchronous, the collectors) and :class:`GuardedSyncBackend`
(synchronous, the alerts' webhooks through :func:`guarded_transport`) are the two ways to
connect; both check, then connect to the address they checked.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import typing
from collections.abc import Iterable

import anyio
import httpcore
import httpx

from veilleur.errors import RemoteError
from veilleur.i18n import t

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_HINT = "veilleur config set network.allow_private true"


class AddressRefused(RemoteError):
    """A connection to a non-public address was refused (see :func:`refusal`)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host = host
        self.address = address
        self.kind = kind
        shown = host if host == address else f"{host} ({address})"
        super().__init__(
            t(
                "refused to connect to {host}: a {kind} address. Collectors only reach public "
                "addresses unless the workspace allows it with `{hint}`",
                host=shown,
                kind=kind,
                hint=ALLOW_HINT,
            )
        )


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not public (``"loopback"``, ``"private"``…), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address_kind(address.ipv4_mapped)
        for inner in embedded_ipv4(address):
            kind = address_kind(inner)
            if kind is not None:
                return kind
        if address in _NAT64_LOCAL:
            return "non-public"
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
    )
    for kind, flag in checks:
        if flag:
            return kind
    # Shared address space (100.64/10) and the like: not private, not global either.
    return None if address.is_global else "non-public"


def check_addresses(host: str, addresses: Iterable[str]) -> list[str]:
    """Return ``addresses`` when all are public; raise :class:`AddressRefused` otherwise.

    A name resolving to one public and one private address is refused: the connection
    could land on either.
    """
    checked: list[str] = []
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        kind = address_kind(address)
        if kind is not None:
            raise AddressRefused(host, text, kind)
        checked.append(text)
    return checked


async def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host`` (an IP literal resolves to itself), in resolver order."""
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal)
    except ValueError:
        pass
    else:
        return [literal]
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that checks the resolved address before connecting."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = check_addresses(host, await resolve(host, port))
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        if last is not None:
            raise last
        raise httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("collectors do not connect to local sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def resolve_sync(host: str, port: int) -> list[str]:
    """:func:`resolve`, blocking."""
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal)
    except ValueError:
        pass
    else:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedSyncBackend(httpcore.NetworkBackend):
    """:class:`GuardedBackend` for blocking clients: check the resolved addresses, then
    connect to one of them (not to the name, which could resolve elsewhere by then)."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in check_addresses(host, resolve_sync(host, port)):
            try:
                return self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        if last is not None:
            raise last
        raise httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("veilleur does not connect to local sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle is the dearest part of a
    new client (0.05-0.25 s), paid once rather than by every job of ``veilleur worker`` or
    every webhook call (``veilleur.sources.http`` re-exports it)."""
    return httpx.create_ssl_context()


class _GuardedSyncTransport(httpx.HTTPTransport):
    """httpx's blocking transport on :class:`GuardedSyncBackend` (same trick as the
    collectors' transport in :mod:`veilleur.sources.http`)."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        super().__init__(trust_env=False, verify=ssl_context())
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context(),
            network_backend=GuardedSyncBackend(inner),
        )


def guarded_transport(
    allow_private: bool, inner: httpcore.NetworkBackend | None = None
) -> httpx.HTTPTransport:
    """A blocking httpx transport that reaches only public addresses (unless
    ``allow_private``), connecting to the address it checked."""
    if allow_private:
        return httpx.HTTPTransport(trust_env=False, verify=ssl_context())
    return _GuardedSyncTransport(inner)
