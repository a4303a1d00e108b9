"""The shared HTTP policy against a real local server: retries, 429, timeouts, the guard."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import httpcore
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from veilleur.sources import netguard
from veilleur.sources.http import (
    DEFAULT_USER_AGENT,
    Fetcher,
    FetchError,
    HttpPolicy,
    retry_after_seconds,
)
from veilleur.sources.netguard import AddressRefused, address_kind, check_addresses

LOCAL = HttpPolicy(allow_private=True, backoff_base=0.01, timeout=5, max_time=10, retries=3)


class Sleeps:
    """Records the delays the client asked for, and waits a negligible time instead."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


def fetch(policy: HttpPolicy, url: str, **kwargs: Any) -> Any:
    sleeps = kwargs.pop("sleeps", None) or Sleeps()

    async def go() -> Any:
        async with Fetcher(policy, sleep=sleeps, rng=lambda: 0.5, **kwargs) as http:
            return await http.get(url)

    return asyncio.run(go())


def test_user_agent_names_veilleur(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ua").respond_with_data("ok")
    fetch(LOCAL, httpserver.url_for("/ua"))
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("veilleur/")


def test_5xx_is_retried_with_exponential_backoff(httpserver: HTTPServer) -> None:
    for _ in range(2):
        httpserver.expect_ordered_request("/flaky").respond_with_data("no", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("yes")
    sleeps = Sleeps()
    response = fetch(LOCAL, httpserver.url_for("/flaky"), sleeps=sleeps)
    assert response.status == 200 and response.content == b"yes"
    # rng 0.5 → jitter factor 1: base, then twice the base.
    assert sleeps.delays == pytest.approx([0.01, 0.02])


def test_5xx_gives_up_after_the_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("no", status=500)
    sleeps = Sleeps()
    with pytest.raises(FetchError) as caught:
        fetch(LOCAL, httpserver.url_for("/down"), sleeps=sleeps)
    assert "HTTP 500" in str(caught.value) and "4 attempts" in str(caught.value)
    assert httpserver.url_for("/down") in str(caught.value)
    assert len(httpserver.log) == 4 and len(sleeps.delays) == 3


def test_jitter_spreads_the_delays() -> None:
    fetcher_low = Fetcher(HttpPolicy(backoff_base=1.0), rng=lambda: 0.0)
    fetcher_high = Fetcher(HttpPolicy(backoff_base=1.0), rng=lambda: 0.999)
    assert fetcher_low.backoff(3) == pytest.approx(2.0)
    assert fetcher_high.backoff(3) == pytest.approx(5.996)


def test_429_waits_what_retry_after_says(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/limited").respond_with_data("ok")
    sleeps = Sleeps()
    response = fetch(LOCAL, httpserver.url_for("/limited"), sleeps=sleeps)
    assert response.status == 200
    assert sleeps.delays == [2.0]


def test_429_beyond_the_time_budget_gives_up_with_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/limited").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(FetchError) as caught:
        fetch(LOCAL, httpserver.url_for("/limited"))
    assert caught.value.retry_after == 3600
    assert "429" in str(caught.value)
    assert len(httpserver.log) == 1


def test_retry_after_as_an_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("soon") is None


def test_a_slow_answer_times_out_and_is_retried(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(60)  # far longer than the client may wait, even on a loaded machine
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    policy = HttpPolicy(allow_private=True, backoff_base=0.01, timeout=0.2, retries=1)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(policy, httpserver.url_for("/slow"))
    finally:
        release.set()  # free the (single-threaded) server for the next tests
    assert "no complete answer within 0.2 s" in str(caught.value)
    assert "2 attempts" in str(caught.value)
    assert time.monotonic() - started < 30  # it did not wait for the server's answer


def test_total_time_is_bounded(httpserver: HTTPServer) -> None:
    """50 retries with a backoff doubling from 0.2 s would take years: the time budget ends
    them after a few. (A budget of 0.5 s was eaten by the first answer on a loaded
    machine: no retry at all.)"""
    httpserver.expect_request("/down").respond_with_data("", status=502)
    policy = HttpPolicy(allow_private=True, backoff_base=0.2, max_time=3, retries=50)
    started = time.monotonic()
    with pytest.raises(FetchError):
        fetch(policy, httpserver.url_for("/down"), sleeps=asyncio.sleep)
    assert time.monotonic() - started < 15  # the budget, give or take the last answer
    assert 1 < len(httpserver.log) < 10  # retried, and stopped long before 50


def test_truncated_body_is_an_error_after_retries(httpserver: HTTPServer) -> None:
    def truncated(request: Request) -> Response:
        response = Response(b"<rss><channel><title>cut", content_type="application/rss+xml")
        response.headers["Content-Length"] = "5000"
        return response

    httpserver.expect_request("/cut").respond_with_handler(truncated)
    with pytest.raises(FetchError) as caught:
        fetch(LOCAL, httpserver.url_for("/cut"))
    assert "broke off" in str(caught.value)


def test_bodies_are_capped(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 50_000)
    policy = HttpPolicy(allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchError, match="larger than 10,000 bytes"):
        fetch(policy, httpserver.url_for("/big"))


def test_per_host_concurrency_is_limited(httpserver: HTTPServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def counted(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Response("ok")

    httpserver.expect_request("/c").respond_with_handler(counted)
    policy = HttpPolicy(allow_private=True, per_host=2)

    async def go() -> None:
        async with Fetcher(policy) as http:
            await asyncio.gather(*(http.get(httpserver.url_for("/c")) for _ in range(8)))

    # A threaded server, so that the limit comes from the client, not the server.
    httpserver.stop()
    httpserver.threaded = True
    httpserver.start()
    try:
        asyncio.run(go())
    finally:
        httpserver.stop()
        httpserver.threaded = False
        httpserver.start()
    assert state["peak"] == 2


# -- the address guard ------------------------------------------------------------------


def test_loopback_is_refused_without_the_setting(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("secret")
    with pytest.raises(FetchError) as caught:
        fetch(HttpPolicy(allow_private=False), httpserver.url_for("/feed"))
    message = str(caught.value)
    assert "127.0.0.1" in message and "loopback" in message
    assert "veilleur config set network.allow_private true" in message
    assert httpserver.log == []


def test_names_are_checked_on_their_resolved_address(httpserver: HTTPServer) -> None:
    # "localhost" is a name: the guard refuses it for what it resolves to.
    url = f"http://localhost:{httpserver.port}/feed"
    with pytest.raises(FetchError, match="loopback"):
        fetch(HttpPolicy(), url)
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "private"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    import ipaddress

    assert address_kind(ipaddress.ip_address(address)) == kind


def test_a_name_with_one_private_address_is_refused() -> None:
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.1"):
        check_addresses("mixed.example", ["8.8.8.8", "10.0.0.1"])
    assert check_addresses("ok.example", ["8.8.8.8"]) == ["8.8.8.8"]


class ToLocalServer(httpcore.AsyncNetworkBackend):
    """Sockets that land on the local test server whatever address was approved."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpcore.AnyIOBackend()
        self.approved: list[str] = []

    async def connect_tcp(self, host: str, port: int, **kwargs: Any) -> Any:
        self.approved.append(host)
        return await self.inner.connect_tcp("127.0.0.1", self.port, **kwargs)

    async def connect_unix_socket(self, path: str, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def test_a_redirect_to_a_private_address_is_refused(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public feed redirecting to the intranet: the second hop is refused."""
    fake_dns = {"public.test": ["93.184.216.34"], "intranet.test": ["10.0.0.5"]}

    async def resolve(host: str, port: int) -> list[str]:
        return fake_dns[host]

    monkeypatch.setattr(netguard, "resolve", resolve)
    port = httpserver.port
    httpserver.expect_request("/feed").respond_with_data(
        "", status=302, headers={"Location": f"http://intranet.test:{port}/admin"}
    )
    httpserver.expect_request("/admin").respond_with_data("secret")
    backend = ToLocalServer(port)
    with pytest.raises(FetchError) as caught:
        fetch(HttpPolicy(), f"http://public.test:{port}/feed", network_backend=backend)
    assert "intranet.test (10.0.0.5)" in str(caught.value) and "private" in str(caught.value)
    assert backend.approved == ["93.184.216.34"]
    assert [request.path for request, _ in httpserver.log] == ["/feed"]


def test_allow_private_lets_loopback_through(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("fine")
    assert fetch(HttpPolicy(allow_private=True), httpserver.url_for("/feed")).content == b"fine"


def test_connection_refused_is_an_error_not_a_crash() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(LOCAL, f"http://127.0.0.1:{port}/feed")
