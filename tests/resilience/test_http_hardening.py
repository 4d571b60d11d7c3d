"""Streamable HTTP transport, end to end: the console script as a subprocess, real sockets, real clients."""

from __future__ import annotations

import ipaddress
import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.abc
import httpx
import httpx2
import mcp
import pytest
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from onderwijsloket_mcp import __version__
from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.errors import ConfigurationError
from onderwijsloket_mcp.http_server import check_exposure, is_loopback, security_settings
from tests.support.client import text_of
from tests.support.faulty_upstream import faulty_upstream, respond, slow
from tests.support.serving import SERVER_COMMAND, HttpServer, free_port, get, http_server, server_env

BEARER = "test-bearer-0123456789abcdef"
REQUEST_HEAD_TIMEOUT = 10.0  # what the README promises
ANY_V4 = "0.0.0.0"  # noqa: S104 - the wildcard address under test, never bound here
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "raw-test", "version": "0"},
    },
}
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def served(stack: Any) -> Iterator[HttpServer]:
    with http_server(server_env(stack)) as server:
        yield server


@pytest.fixture(scope="module")
def served_with_bearer(stack: Any) -> Iterator[HttpServer]:
    with http_server(server_env(stack, ONDERWIJSLOKET_MCP_BEARER=BEARER)) as server:
        yield server


def _post(url: str, headers: dict[str, str] | None = None, body: Any = INITIALIZE) -> httpx.Response:
    return httpx.post(url, json=body, headers={**MCP_HEADERS, **(headers or {})}, timeout=10, trust_env=False)


# --- health -------------------------------------------------------------------------------------------


def test_health_answers_status_and_version(served: HttpServer) -> None:
    status, headers, body = get(f"{served.base}/healthz")
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == {"status": "ok", "version": __version__}


def test_health_needs_no_bearer(served_with_bearer: HttpServer) -> None:
    status, _, body = get(f"{served_with_bearer.base}/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_health_makes_no_upstream_call() -> None:
    # An unreachable API and no token: liveness must not depend on Onderwijsloket being up.
    env = server_env(ONDERWIJSLOKET_API_URL=f"http://127.0.0.1:{free_port()}")
    with http_server(env) as server:
        status, _, body = get(f"{server.base}/healthz")
        log = server.stderr()
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert "upstream" not in log.lower()


def test_health_is_read_only(served: HttpServer) -> None:
    response = httpx.post(f"{served.base}/healthz", timeout=5, trust_env=False)
    assert response.status_code == 405


# --- MCP over HTTP ------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_tools_list_and_a_tool_call_over_http(served: HttpServer, mode: Any) -> None:
    async with mcp.Client(served.url, mode=mode) as client:
        tools = (await client.list_tools()).tools
        assert {"search_faq", "get_article"} <= {t.name for t in tools}
        result = await client.call_tool("search_faq", {"query": "salaris leraar", "limit": 2})
    assert isinstance(result, CallToolResult)
    assert not result.is_error, text_of(result)
    assert "https://onderwijsloket.com" in text_of(result)


@pytest.mark.anyio
async def test_one_log_line_per_call_without_arguments_or_token(served: HttpServer, stack: Any) -> None:
    marker = "zzqx-persoonlijk-gegeven"
    async with mcp.Client(served.url) as client:
        await client.call_tool("search_faq", {"query": f"salaris {marker}"})
    log = served.stderr()
    lines = [line for line in log.splitlines() if "tool=search_faq" in line]
    assert lines, log
    assert re.search(r"tool=search_faq duration_ms=\d+ upstream_requests=\d+ outcome=(ok|error)", lines[-1])
    assert marker not in log
    assert stack.reader_token not in log
    assert served.stdout() == "", "the HTTP transport logs to stderr only"


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_failed_call_logs_no_arguments_at_info(served: HttpServer, mode: Any) -> None:
    # The SDK's own "Tool 'x' failed: <message>" line quoted the message, and with it the caller's address.
    marker = f"Zzqxstraat 9 {mode}"
    async with mcp.Client(served.url, mode=mode) as client:
        result = await client.call_tool("find_programs_near", {"near": marker})
    assert isinstance(result, CallToolResult) and result.is_error and marker in text_of(result)
    log = served.stderr()
    assert "tool=find_programs_near" in log and "outcome=error" in log
    assert marker not in log


@pytest.mark.anyio
async def test_stateless_any_request_is_served_without_a_session(served: HttpServer) -> None:
    response = _post(served.url)
    assert response.status_code == 200
    assert "mcp-session-id" not in {k.lower() for k in response.headers}
    tools_call = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
    follow_up = _post(served.url, {"MCP-Protocol-Version": "2025-11-25"}, tools_call)
    assert follow_up.status_code == 200, follow_up.text
    assert "search_faq" in follow_up.text


# --- bearer -------------------------------------------------------------------------------------------


def test_missing_bearer_is_401_with_challenge(served_with_bearer: HttpServer) -> None:
    response = _post(served_with_bearer.url)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert "invalid_token" not in response.headers["www-authenticate"]
    assert BEARER not in response.text


@pytest.mark.parametrize(
    "authorization", [f"Bearer {BEARER}x", "Bearer wrong", f"Basic {BEARER}", f"Bearer {BEARER[:-1]}"]
)
def test_wrong_bearer_is_401(served_with_bearer: HttpServer, authorization: str) -> None:
    response = _post(served_with_bearer.url, {"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert BEARER not in response.text
    assert BEARER not in served_with_bearer.stderr()


def test_right_bearer_is_accepted(served_with_bearer: HttpServer) -> None:
    response = _post(served_with_bearer.url, {"Authorization": f"bearer {BEARER}"})
    assert response.status_code == 200, response.text


@pytest.mark.anyio
async def test_sdk_client_with_bearer_calls_a_tool(served_with_bearer: HttpServer) -> None:
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {BEARER}"}) as http:
        transport = streamable_http_client(served_with_bearer.url, http_client=http)
        async with mcp.Client(transport) as client:
            result = await client.call_tool("search_faq", {"query": "zij-instroom", "limit": 1})
    assert isinstance(result, CallToolResult) and not result.is_error, text_of(result)
    assert BEARER not in served_with_bearer.stderr()


# --- exposure -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", [ANY_V4, "::", "192.0.2.10", "example.org"])
def test_beyond_loopback_without_bearer_refuses_to_start(host: str) -> None:
    result = subprocess.run(
        [*SERVER_COMMAND, "--transport", "http", "--host", host, "--port", str(free_port())],
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    message = result.stderr.strip()
    assert message.count("\n") == 0, message
    assert "ONDERWIJSLOKET_MCP_BEARER" in message and host in message
    assert result.stdout == ""


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_bearer(host: str) -> None:
    assert is_loopback(host)
    check_exposure(host, Settings())


def test_beyond_loopback_with_bearer_is_allowed() -> None:
    from pydantic import SecretStr

    assert not is_loopback(ANY_V4)
    check_exposure(ANY_V4, Settings(mcp_bearer=SecretStr(BEARER)))
    with pytest.raises(ConfigurationError):
        check_exposure(ANY_V4, Settings())


# --- DNS rebinding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Host": "evil.example"}, 421),
        ({"Host": "evil.example:{port}"}, 421),
        ({"Host": "127.0.0.1.evil.example:{port}"}, 421),
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "http://evil.example:{port}"}, 403),
    ],
)
def test_dns_rebinding_is_refused(served: HttpServer, headers: dict[str, str], expected: int) -> None:
    filled = {k: v.format(port=served.port) for k, v in headers.items()}
    assert _post(served.url, filled).status_code == expected


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
def test_loopback_host_and_origin_are_accepted(served: HttpServer, host: str) -> None:
    host = host.format(port=served.port)
    assert _post(served.url, {"Host": host, "Origin": f"http://{host}"}).status_code == 200


def test_dns_rebinding_is_checked_behind_the_bearer(served_with_bearer: HttpServer) -> None:
    headers = {"Authorization": f"Bearer {BEARER}", "Host": "evil.example"}
    assert _post(served_with_bearer.url, headers).status_code == 421


def test_allowed_hosts_follow_the_bind_address() -> None:
    loopback = security_settings("127.0.0.1", 8000)
    assert loopback.enable_dns_rebinding_protection
    assert set(loopback.allowed_hosts) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "http://localhost:8000" in loopback.allowed_origins
    assert "127.0.0.2:8000" in security_settings("127.0.0.2", 8000).allowed_hosts
    specific = security_settings("192.0.2.10", 8080)
    assert specific.allowed_hosts == ["192.0.2.10:8080"]
    assert specific.allowed_origins == ["http://192.0.2.10:8080"]
    wildcard = security_settings(ANY_V4, 8000)
    assert {"127.0.0.1:8000", "localhost:8000"} <= set(wildcard.allowed_hosts)
    assert not any(h.startswith(ANY_V4) for h in wildcard.allowed_hosts)
    proxied = security_settings(ANY_V4, 8000, ["mcp.example.org"])
    assert {"mcp.example.org", "mcp.example.org:*"} <= set(proxied.allowed_hosts)
    assert "https://mcp.example.org" in proxied.allowed_origins
    assert "evil.example:8000" not in proxied.allowed_hosts
    with_port = security_settings(ANY_V4, 8000, ["mcp.example.org:8443", "[2001:db8::1]", "2001:db8::2"])
    assert "mcp.example.org:8443" in with_port.allowed_hosts
    assert "mcp.example.org" not in with_port.allowed_hosts
    assert "https://mcp.example.org:8443" in with_port.allowed_origins
    assert {"[2001:db8::1]", "[2001:db8::1]:*", "[2001:db8::2]:*"} <= set(with_port.allowed_hosts)


def _reachable_interface_address() -> str | None:
    """A non-loopback address of this machine that a local client can connect to, if there is one.

    Found the way a person would (the source address of a route, no packet sent), independently of how the
    server enumerates its interfaces.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.200", 9))
        address: str = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if ipaddress.ip_address(address).is_loopback else address


def test_a_wildcard_bind_allows_its_interface_addresses_when_the_host_name_does_not_resolve_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = _reachable_interface_address()
    if address is None:
        pytest.skip("this machine has no non-loopback interface address")

    def unresolvable(*_: Any, **__: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)
    wildcard = security_settings(ANY_V4, 8000)
    assert f"{address}:8000" in wildcard.allowed_hosts
    assert f"http://{address}:8000" in wildcard.allowed_origins


def test_a_wildcard_bind_answers_requests_addressed_to_its_interface_address() -> None:
    # The real process on 0.0.0.0, reached the way a LAN client reaches it: by the interface address, with that
    # address in Host (this machine's name resolves to 127.0.0.1 here, so only interface detection helps).
    address = _reachable_interface_address()
    if address is None:
        pytest.skip("this machine has no non-loopback interface address")
    port = free_port()
    env = server_env(ONDERWIJSLOKET_MCP_BEARER=BEARER)
    with http_server(env, ["--host", ANY_V4], port=port) as server:
        url = f"http://{address}:{port}/mcp"
        response = _post(url, {"Authorization": f"Bearer {BEARER}"})
        assert response.status_code == 200, (response.status_code, response.text, server.stderr())
        spoofed = _post(url, {"Authorization": f"Bearer {BEARER}", "Host": f"evil.example:{port}"})
        assert spoofed.status_code == 421


# --- connections that never finish a request -----------------------------------------------------------


def _open(port: int, first: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first:
        sock.sendall(first)
    return sock


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server ends this connection within ``within`` seconds (anything it sends is skipped)."""
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return True
        except TimeoutError:
            return False
        except OSError:
            return True  # reset
    return False


def test_connections_that_never_finish_a_request_are_closed(served: HttpServer) -> None:
    # Loopback only, bounded: 30 connections that say nothing, 10 that send a partial head and 10 that
    # dribble a header byte every second. They used to stay open as long as the client liked.
    idle = [_open(served.port) for _ in range(30)]
    partial = [_open(served.port, b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n") for _ in range(10)]
    dribbling = [_open(served.port, b"GET /healthz HTTP/1.1\r\nX-Slow: ") for _ in range(10)]
    try:
        started = time.monotonic()
        status, _, _ = get(f"{served.base}/healthz")
        assert status == 200, "health answers while they wait"
        while time.monotonic() - started < REQUEST_HEAD_TIMEOUT - 1:
            for sock in dribbling:
                sock.sendall(b"a")
            time.sleep(1)
        for sock in idle + partial + dribbling:
            assert _closed_by_server(sock, within=started + REQUEST_HEAD_TIMEOUT + 3 - time.monotonic()), (
                "a connection without a complete request head was still open"
            )
        assert get(f"{served.base}/healthz")[0] == 200
    finally:
        for sock in idle + partial + dribbling:
            sock.close()


@asynccontextmanager
async def guarded_server(
    *, head_timeout: float = 0.6, body_timeout: float = 1.2, max_connections: int = 100
) -> AsyncIterator[int]:
    """The HTTP transport in this process (uvicorn with our protocol and app), with short limits."""
    import uvicorn

    from onderwijsloket_mcp.http_server import build_app, uvicorn_config
    from onderwijsloket_mcp.server import create_server

    settings, port = Settings(), free_port()
    app = build_app(create_server(settings), settings, host="127.0.0.1", port=port)
    config = uvicorn_config(
        app,
        settings,
        host="127.0.0.1",
        port=port,
        max_connections=max_connections,
        head_timeout=head_timeout,
        body_timeout=body_timeout,
    )
    server = uvicorn.Server(config)
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve)
        with anyio.fail_after(10):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for this
                await anyio.sleep(0.01)
        try:
            yield port
        finally:
            server.should_exit = True


async def _connect(port: int, first: bytes = b"") -> anyio.abc.SocketStream:
    stream = await anyio.connect_tcp("127.0.0.1", port)
    if first:
        await stream.send(first)
    return stream


async def _ended_by_server(stream: anyio.abc.SocketStream, within: float) -> bool:
    with anyio.move_on_after(within):
        try:
            while await stream.receive():
                pass
        except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
            return True
    return False


async def _health_status(port: int) -> int:
    stream = await _connect(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer = b""
    with anyio.fail_after(5):
        try:
            while chunk := await stream.receive():
                answer += chunk
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            pass
    await stream.aclose()
    return int(answer.split(b" ", 2)[1])


@pytest.mark.anyio
async def test_a_body_that_trickles_in_is_cut_off_at_the_body_timeout() -> None:
    async with guarded_server() as port:
        head = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n" % port
        stream = await _connect(port, head + b"Content-Length: 1000\r\n\r\n{")
        started = time.monotonic()
        ended = False
        with anyio.move_on_after(3):
            try:
                while True:  # a byte every 0.2 s: each arrives in time, the body never does
                    await stream.send(b" ")
                    await anyio.sleep(0.2)
            except (anyio.BrokenResourceError, OSError):
                ended = True
        assert ended or await _ended_by_server(stream, within=0.5), "the connection outlived the body timeout"
        assert 1.0 <= time.monotonic() - started < 3.5
        assert await _health_status(port) == 200


@pytest.mark.anyio
async def test_a_kept_alive_connection_must_send_its_next_head_in_time() -> None:
    async with guarded_server() as port:
        stream = await _connect(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert b" 200 " in await stream.receive()
        await stream.send(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        for _ in range(3):  # uvicorn's keep-alive timer restarts with every byte; ours does not
            await anyio.sleep(0.25)
            await stream.send(b"a")
        assert await _ended_by_server(stream, within=1.5)


@pytest.mark.anyio
async def test_past_the_connection_cap_the_longest_idle_connection_makes_room() -> None:
    async with guarded_server(head_timeout=30, max_connections=5) as port:
        idle = [await _connect(port) for _ in range(5)]
        await anyio.sleep(0.1)
        assert await _health_status(port) == 200, "a real client is served, not locked out by idle ones"
        assert await _ended_by_server(idle[0], within=1), "the connection idle longest was closed"
        for stream in idle:
            await stream.aclose()


@pytest.mark.anyio
async def test_while_every_connection_is_busy_a_new_request_gets_503() -> None:
    async with guarded_server(body_timeout=30, max_connections=3) as port:
        head = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n" % port
        busy = [await _connect(port, head + b"Content-Length: 100\r\n\r\n{") for _ in range(3)]
        await anyio.sleep(0.2)
        assert await _health_status(port) == 503
        for stream in busy:
            await stream.aclose()
        await anyio.sleep(0.2)
        assert await _health_status(port) == 200


# --- shutdown -----------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_stops_gracefully(stack: Any, sig: signal.Signals) -> None:
    with http_server(server_env(stack)) as server:
        async with mcp.Client(server.url) as client:
            result = await client.call_tool("search_faq", {"query": "pabo", "limit": 1})
        assert isinstance(result, CallToolResult) and not result.is_error
        code = server.stop(sig)
        log, out = server.stderr(), server.stdout()
    assert code == 0, log
    assert "Application shutdown complete" in log
    assert "Traceback" not in log
    assert out == ""


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["legacy", "auto"], ids=["2025-11-25-sse", "2026-07-28"])
async def test_sigterm_lets_an_in_flight_call_finish(mode: Any) -> None:
    # The 2025-11-25 era answers a call as an SSE stream, which sse-starlette used to end the moment uvicorn
    # saw the signal; the README promises in-flight requests up to 10 s.
    faq = {"id": "faq-1", "question": "Wat verdient een leraar?", "path": "/kennisbank/x", "answer": None}
    healthy = respond(200, {"data": [faq], "meta": {"filter_count": 1}})
    async with faulty_upstream({"/items/faqs": healthy}) as upstream:
        arrived = anyio.Event()

        async def slow_answer(request: Any, writer: Any) -> bool:
            arrived.set()
            return await slow(2.0, healthy)(request, writer)

        upstream.fail_next(slow_answer)
        env = server_env(ONDERWIJSLOKET_API_URL=upstream.url, ONDERWIJSLOKET_TOKEN="sigterm-test-token-0123")
        with http_server(env) as server:
            results: list[CallToolResult] = []
            async with mcp.Client(server.url, mode=mode) as client:
                # Listed first: the client fetches output schemas to check the result, which after the signal
                # would be a new request (refused, as it should be).
                await client.list_tools()

                async def call() -> None:
                    result = await client.call_tool("search_faq", {"query": "salaris"})
                    assert isinstance(result, CallToolResult)
                    results.append(result)

                async with anyio.create_task_group() as group:
                    group.start_soon(call)
                    with anyio.fail_after(10):
                        await arrived.wait()
                    server.process.send_signal(signal.SIGTERM)
            code = await anyio.to_thread.run_sync(server.process.wait, 20)
            log = server.stderr()
    assert results and not results[0].is_error, (results, log)
    assert "Wat verdient een leraar?" in text_of(results[0])
    assert code == 0, log
    assert "Traceback" not in log


def test_shutdown_closes_the_shared_upstream_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process: the ASGI lifespan the server runs under uvicorn, driven by Starlette's test client.
    from starlette.testclient import TestClient

    from onderwijsloket_mcp.http_server import build_app
    from onderwijsloket_mcp.server import create_server
    from onderwijsloket_mcp.services import Services

    events: list[str] = []
    original_create, original_close = Services.create, Services.aclose

    def create(settings: Settings, http: Any = None) -> Services:
        events.append("create")
        return original_create(settings, http)

    async def aclose(self: Services) -> None:
        events.append("close")
        await original_close(self)

    monkeypatch.setattr(Services, "create", staticmethod(create))
    monkeypatch.setattr(Services, "aclose", aclose)
    settings = Settings()
    app = build_app(create_server(settings), settings, host="127.0.0.1", port=8000)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").json()["status"] == "ok"
        for _ in range(3):
            assert client.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS).status_code == 200
        assert events == ["create"], "one set of upstream clients for all stateless requests"
    assert events == ["create", "close"]


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_port_is_validated(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    from onderwijsloket_mcp.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--transport", "http", "--port", port])
    assert exited.value.code == 2
    assert "port" in capsys.readouterr().err
