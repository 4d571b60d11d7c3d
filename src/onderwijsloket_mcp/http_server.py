"""Streamable HTTP transport: stateless, loopback by default, bearer-protected when exposed.

Stateless so that any number of replicas can sit behind a load balancer: no session lives in a process.
The gateway in front of the SDK's app answers ``/healthz`` itself (no auth, no upstream call) and checks the
bearer token on ``/mcp``; the SDK checks Host and Origin (DNS-rebinding protection) behind it.
"""

from __future__ import annotations

import asyncio
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
from .config import DEFAULT_MAX_CONNECTIONS, Settings
from .errors import ConfigurationError

logger = logging.getLogger("onderwijsloket_mcp.http")

MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"
REALM = "onderwijsloket-mcp"
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, not a bind
# Seconds in-flight requests get after SIGTERM/SIGINT before their connections are closed.
GRACEFUL_SHUTDOWN_SECONDS = 10
# Seconds a client gets to send a request's head (from connecting, or from the end of the previous answer on a
# kept-alive connection), then its body. A connection that has not sent them by then is closed: otherwise
# connections that never finish a request pile up until the process runs out of file descriptors.
REQUEST_HEAD_TIMEOUT = 10.0
REQUEST_BODY_TIMEOUT = 30.0


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
        # POST requests being answered (calls); GET streams only listen and do not count.
        self.in_flight = 0
        self._no_calls: asyncio.Event | None = None

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
            if scope["method"] == "POST":
                self.in_flight += 1
                try:
                    await self.app(scope, receive, send)
                finally:
                    self.in_flight -= 1
                    if not self.in_flight and self._no_calls is not None:
                        self._no_calls.set()
                return
        await self.app(scope, receive, send)

    async def calls_finished(self) -> None:
        """Return once no POST request is being answered."""
        while self.in_flight:
            self._no_calls = asyncio.Event()
            await self._no_calls.wait()

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


# C901 counts the eight small methods of the class below as one function: the class is made here, not at module
# level, only so that uvicorn and h11 are imported when HTTP is served.
def guarded_protocol(*, head_timeout: float, body_timeout: float, max_connections: int) -> type[Any]:  # noqa: C901
    """uvicorn's HTTP/1.1 (h11) protocol with what it lacks against clients that never finish a request.

    uvicorn times out only idle kept-alive connections, and any byte resets that: a connection that sends
    nothing, half a head or a body byte now and then stays open for good. Here the head must be complete
    within ``head_timeout`` and the body within ``body_timeout`` of it (however the bytes trickle in), and at
    most ``max_connections`` stay open: a new one closes the one that has waited longest for a request.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _phase: str | None = None  # "head" or "body" while waiting for the client, else None
        _waiting_since = 0.0

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            self._watch()
            self._make_room()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._watch()

        def connection_lost(self, exc: Exception | None) -> None:
            self._set_phase(None)
            super().connection_lost(exc)

        def _watch(self) -> None:
            state = self.conn.their_state
            self._set_phase("head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None)

        def _set_phase(self, phase: str | None) -> None:
            if phase == self._phase:
                return
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._phase = phase
            if phase is not None:
                self._waiting_since = self.loop.time()
                limit = head_timeout if phase == "head" else body_timeout
                self._timer = self.loop.call_later(limit, self._timed_out)

        def _timed_out(self) -> None:
            self._timer = None
            if not self.transport.is_closing():
                logger.debug("closing a connection whose request %s did not arrive in time", self._phase)
                self.transport.close()

        def _make_room(self) -> None:
            _close_longest_idle(self, self.connections, max_connections)

    return GuardedH11Protocol


def _close_longest_idle(new: Any, connections: Iterable[Any], max_connections: int) -> None:
    """Past ``max_connections`` open ones, close the connection (other than ``new``) that has waited longest for
    a request; when every one is busy, uvicorn answers the new one's request 503 (limit_concurrency)."""
    open_now = [c for c in connections if not c.transport.is_closing()]
    if len(open_now) <= max_connections:
        return
    waiting = [c for c in open_now if c is not new and getattr(c, "_phase", None) == "head"]
    if waiting:
        oldest = min(waiting, key=lambda c: c._waiting_since)
        logger.debug("%d connections open: closing the one idle longest", len(open_now))
        oldest.transport.close()


def uvicorn_config(
    app: Gateway,
    settings: Settings,
    *,
    host: str,
    port: int,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    head_timeout: float = REQUEST_HEAD_TIMEOUT,
    body_timeout: float = REQUEST_BODY_TIMEOUT,
) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        host=host.strip("[]"),
        port=port,
        http=guarded_protocol(
            head_timeout=head_timeout, body_timeout=body_timeout, max_connections=max_connections
        ),
        # uvicorn counts the connection asking, so one more lets max_connections be served at once.
        limit_concurrency=max_connections + 1,
        # None: keep our stderr handler (with redaction); uvicorn's default config logs access to stdout.
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=settings.log_level == "DEBUG",
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _uvicorn_server(config: Any) -> Any:
    import uvicorn
    from sse_starlette.sse import AppStatus

    # sse-starlette ends every SSE response the moment uvicorn sees a signal, which cut calls of the
    # 2025-11-25 era (answered as SSE) off mid-way; _Server.shutdown ends the streams itself, after the calls.
    AppStatus.disable_automatic_graceful_drain()  # type: ignore[no-untyped-call]

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, _: FrameType | None) -> None:
            # A signal-triggered graceful stop is a normal end (exit 0): unlike uvicorn's default, do not
            # re-raise the signal afterwards. A second signal forces the stop.
            if self.should_exit:
                self.force_exit = True
                return
            logger.info("received %s: finishing in-flight requests, then stopping", signal.Signals(sig).name)
            self.should_exit = True

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            ending = asyncio.ensure_future(self._end_listening_streams())
            try:
                await super().shutdown(sockets)
            finally:
                ending.cancel()

        async def _end_listening_streams(self) -> None:
            # A GET stream only listens and would hold the stop for the whole grace period: once no call is
            # in flight any more, tell sse-starlette to end the streams still open.
            if isinstance(self.config.app, Gateway):
                await self.config.app.calls_finished()
            AppStatus.should_exit = True

    return _Server(config)


def run_http(
    server: MCPServer[Any],
    settings: Settings,
    *,
    host: str,
    port: int,
    allowed_hosts: Iterable[str] = (),
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> int:
    """Serve until SIGTERM/SIGINT; returns the process exit status."""
    check_exposure(host, settings)
    app = build_app(server, settings, host=host, port=port, allowed_hosts=tuple(allowed_hosts))
    config = uvicorn_config(app, settings, host=host, port=port, max_connections=max_connections)
    if settings.log_level != "DEBUG":
        # The SDK logs "Terminating session: None" for every stateless request at INFO.
        logging.getLogger("mcp.server.streamable_http").setLevel(logging.WARNING)
    if settings.mcp_bearer is None:
        logger.info("HTTP transport on %s without bearer token (loopback only)", _host_port(host, port))
    elif len(settings.mcp_bearer.get_secret_value()) < 16:
        logger.warning("ONDERWIJSLOKET_MCP_BEARER is shorter than 16 characters; use a long random secret")
    _uvicorn_server(config).run()
    return 0
