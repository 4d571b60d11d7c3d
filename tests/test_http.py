"""Streamable HTTP transport, end to end: the console script as a subprocess, real sockets, real clients."""

from __future__ import annotations

import ipaddress
import json
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import mcp
import pytest
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from onderwijsloket_mcp import __version__
from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.errors import ConfigurationError
from onderwijsloket_mcp.http import check_exposure, is_loopback, security_settings
from tests.serving import SERVER_COMMAND, HttpServer, free_port, get, http_server, server_env
from tests.support import text_of

BEARER = "test-bearer-0123456789abcdef"
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


def test_shutdown_closes_the_shared_upstream_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process: the ASGI lifespan the server runs under uvicorn, driven by Starlette's test client.
    from starlette.testclient import TestClient

    from onderwijsloket_mcp.http import build_app
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
