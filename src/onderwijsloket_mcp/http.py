"""Streamable HTTP transport: stateless, loopback by default, bearer-protected when exposed.

Stateless so that any number of replicas can sit behind a load balancer: no session lives in a process.
The gateway in front of the SDK's app answers ``/healthz`` itself (no auth, no upstream call) and checks the
bearer token on ``/mcp``; the SDK checks Host and Origin (DNS-rebinding protection) behind it.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import signal
import socket
import struct
import sys
from collections.abc import Iterable, Sequence
from types import FrameType
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from . import __version__
from .config import Settings
from .errors import ConfigurationError

logger = logging.getLogger("onderwijsloket_mcp.http")

MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"
REALM = "onderwijsloket-mcp"
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, not a bind
# Seconds in-flight requests get after SIGTERM/SIGINT before their connections are closed.
GRACEFUL_SHUTDOWN_SECONDS = 10


def is_loopback(host: str) -> bool:
    """True only for addresses no other machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        # Any other name may resolve to a public interface: treat it as exposed.
        return False


def check_exposure(host: str, settings: Settings) -> None:
    """Refuse to serve beyond loopback without a bearer token (raises ConfigurationError, one line)."""
    if not is_loopback(host) and settings.mcp_bearer is None:
        raise ConfigurationError(
            f"refusing to listen on {host} without ONDERWIJSLOKET_MCP_BEARER: anyone who can reach this "
            "address could use your Onderwijsloket token. Set ONDERWIJSLOKET_MCP_BEARER to a long random "
            "secret (clients send 'Authorization: Bearer <it>') or bind to 127.0.0.1"
        )


def _host_port(name: str, port: int) -> str:
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # IPv6 literal
    return f"{name}:{port}"


def _split_host(name: str) -> tuple[str, str | None]:
    """``name``, ``name:port``, ``[v6]``, ``[v6]:port`` or a bare IPv6 literal -> (host for Host headers, port)."""
    name = name.strip()
    if name.startswith("["):
        host, _, rest = name.partition("]")
        return f"{host}]", rest.removeprefix(":") or None
    if name.count(":") == 1:
        host, _, port = name.partition(":")
        return host, port or None
    if ":" in name:
        return f"[{name}]", None
    return name, None


def _local_names() -> list[str]:
    """This machine's host name, what it resolves to, and every interface address, for a wildcard bind.

    The name often resolves only to 127.0.0.1 (``/etc/hosts``), so the interface addresses clients on the
    network actually use are read from the interfaces themselves.
    """
    names: list[str] = []

    def add(value: str) -> None:
        if value and value not in names:
            names.append(value)

    try:
        hostname = socket.gethostname()
    except OSError:  # pragma: no cover - platform quirk
        hostname = ""
    if hostname:
        add(hostname)
        try:
            infos = socket.getaddrinfo(hostname, None, proto=socket.IPPROTO_TCP)
        except OSError:
            infos = []
        for info in infos:
            add(str(info[4][0]))
    for address in _interface_addresses():
        add(address)
    return names


# SIOCGIFADDR: the IPv4 address of one interface (struct ifreq; the address sits at bytes 20-24 on both).
_SIOCGIFADDR = 0xC0206921 if sys.platform == "darwin" or "bsd" in sys.platform else 0x8915


def _interface_addresses() -> list[str]:
    """Addresses of this machine's network interfaces, standard library only (best effort, never raises).

    IPv4 per interface through ``ioctl(SIOCGIFADDR)`` (Linux, macOS, BSD), IPv6 from ``/proc/net/if_inet6``
    (Linux), and on any system the source address of the default routes (a UDP ``connect`` sends nothing).
    Link-local IPv6 addresses are left out: a Host header cannot carry their zone.
    """
    found: list[str] = []
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: getaddrinfo(hostname) lists every address there
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None and hasattr(socket, "if_nameindex"):
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, name in socket.if_nameindex():
                request = struct.pack("256s", name.encode()[:15])
                with contextlib.suppress(OSError):
                    answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, request)
                    found.append(socket.inet_ntoa(answer[20:24]))
    with contextlib.suppress(OSError), open("/proc/net/if_inet6", encoding="ascii") as table:
        for line in table:
            digits = line.split()[0] if line.strip() else ""
            if len(digits) == 32:
                found.append(str(ipaddress.IPv6Address(bytes.fromhex(digits))))
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))
            found.append(str(probe.getsockname()[0]))
    return [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_link_local]


def security_settings(host: str, port: int, extra_hosts: Sequence[str] = ()) -> TransportSecuritySettings:
    """DNS-rebinding protection with the allowed Host/Origin values derived from the bind address.

    A loopback bind accepts only the loopback names; a wildcard bind also this machine's name and
    addresses; a specific address only itself. ``extra_hosts`` (``--allowed-host``) adds the public names a
    reverse proxy forwards, on any port and without one (proxies on 443 send a bare Host).
    """
    loopback = ["127.0.0.1", "localhost", "::1"]
    if is_loopback(host):
        bases = list(dict.fromkeys([host.strip("[]"), *loopback]))  # e.g. 127.0.0.2 too
    elif host in WILDCARD_BINDS:
        bases = [*loopback, *_local_names()]
    else:
        bases = [host.strip("[]")]
    hosts: list[str] = []
    origins: list[str] = []

    def add_host(value: str) -> None:
        if value not in hosts:
            hosts.append(value)

    def add_origin(value: str) -> None:
        if value not in origins:
            origins.append(value)

    for base in bases:
        add_host(_host_port(base, port))
        add_origin(f"http://{_host_port(base, port)}")
        if port == 80:
            # Clients omit the default port from Host and Origin.
            add_host(_host_port(base, port).rsplit(":", 1)[0])
            add_origin(f"http://{_host_port(base, port).rsplit(':', 1)[0]}")
    for name in extra_hosts:
        public, public_port = _split_host(name)
        # Without a port: any port, and none (proxies on 443 send a bare Host).
        suffixes = [f":{public_port}"] if public_port else ["", ":*"]
        for suffix in suffixes:
            add_host(public + suffix)
            for scheme in ("https", "http"):
                add_origin(f"{scheme}://{public}{suffix}")
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def _bearer_from(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
            return None
    return None


class Gateway:
    """ASGI front: ``/healthz`` without auth, the bearer check on ``/mcp``, everything else to the SDK app.

    Lifespan events pass through, so the SDK's lifespan (the shared upstream clients) starts once and is
    closed on shutdown.
    """

    def __init__(self, app: ASGIApp, bearer: str | None) -> None:
        self.app = app
        self._bearer = bearer.encode() if bearer else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path == HEALTH_PATH:
                await self._health(scope)(scope, receive, send)
                return
            if self._bearer is not None and (path == MCP_PATH or path.startswith(MCP_PATH + "/")):
                rejection = self._check_bearer(scope)
                if rejection is not None:
                    await rejection(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _health(scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            return Response(status_code=405, headers={"Allow": "GET, HEAD"})
        # Liveness only: an upstream outage must not make an orchestrator restart healthy replicas.
        return JSONResponse({"status": "ok", "version": __version__})

    def _check_bearer(self, scope: Scope) -> Response | None:
        assert self._bearer is not None
        offered = _bearer_from(scope)
        if offered is not None and hmac.compare_digest(offered.encode(), self._bearer):
            return None
        if offered is None:
            challenge = f'Bearer realm="{REALM}"'
            description = (
                "this server needs 'Authorization: Bearer <token>' (the ONDERWIJSLOKET_MCP_BEARER value)"
            )
            error = "unauthorized"
        else:
            challenge = f'Bearer realm="{REALM}", error="invalid_token"'
            description = "the bearer token does not match ONDERWIJSLOKET_MCP_BEARER"
            error = "invalid_token"
        logger.warning("rejected HTTP request to %s: %s", scope["path"], error)
        return JSONResponse(
            {"error": error, "error_description": description},
            status_code=401,
            headers={"WWW-Authenticate": challenge},
        )


def build_app(
    server: MCPServer[Any], settings: Settings, *, host: str, port: int, allowed_hosts: Sequence[str] = ()
) -> Gateway:
    """The ASGI app ``run_http`` serves (also usable under another ASGI server)."""
    inner = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        transport_security=security_settings(host, port, allowed_hosts),
        host=host,
    )
    bearer = settings.mcp_bearer.get_secret_value() if settings.mcp_bearer else None
    return Gateway(inner, bearer)


def _uvicorn_server(config: Any) -> Any:
    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # A signal-triggered graceful stop is a normal end (exit 0): unlike uvicorn's default, do not
            # re-raise the signal afterwards. A second signal forces the stop.
            if self.should_exit:
                self.force_exit = True
                return
            logger.info("received %s: finishing in-flight requests, then stopping", signal.Signals(sig).name)
            self.should_exit = True

    return _Server(config)


def run_http(
    server: MCPServer[Any],
    settings: Settings,
    *,
    host: str,
    port: int,
    allowed_hosts: Iterable[str] = (),
) -> int:
    """Serve until SIGTERM/SIGINT; returns the process exit status."""
    import uvicorn

    check_exposure(host, settings)
    app = build_app(server, settings, host=host, port=port, allowed_hosts=tuple(allowed_hosts))
    config = uvicorn.Config(
        app,
        host=host.strip("[]"),
        port=port,
        # None: keep our stderr handler (with redaction); uvicorn's default config logs access to stdout.
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=settings.log_level == "DEBUG",
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    if settings.log_level != "DEBUG":
        # The SDK logs "Terminating session: None" for every stateless request at INFO.
        logging.getLogger("mcp.server.streamable_http").setLevel(logging.WARNING)
    if settings.mcp_bearer is None:
        logger.info("HTTP transport on %s without bearer token (loopback only)", _host_port(host, port))
    elif len(settings.mcp_bearer.get_secret_value()) < 16:
        logger.warning("ONDERWIJSLOKET_MCP_BEARER is shorter than 16 characters; use a long random secret")
    _uvicorn_server(config).run()
    return 0
