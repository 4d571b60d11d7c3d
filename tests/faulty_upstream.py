"""A tiny HTTP/1.1 server on loopback that imitates Directus for the requests our tools make, and misbehaves
on cue: error statuses, stalls, resets and truncated or non-JSON bodies.

It speaks raw HTTP over asyncio streams (not a framework) so faults happen on a real socket: a reset is a
TCP RST, a truncated body is a FIN before ``Content-Length`` bytes, a stall is a silent open connection.
Every request is recorded so tests can count attempts and check what was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str]


Writer = asyncio.StreamWriter
# A behaviour answers one request; returning False closes the connection afterwards.
Behaviour = Callable[[Recorded, Writer], Awaitable[bool]]


def _head(status: int, headers: dict[str, str]) -> bytes:
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}.get(
        status, "Error"
    )
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def respond(
    status: int = 200,
    body: bytes | str | dict[str, Any] | list[Any] = b"",
    *,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json; charset=utf-8",
) -> Behaviour:
    """A complete, well-framed response (the body may still be nonsense)."""
    if isinstance(body, dict | list):
        payload = json.dumps(body).encode()
    elif isinstance(body, str):
        payload = body.encode()
    else:
        payload = body

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        head = {"Content-Type": content_type, "Content-Length": str(len(payload)), **(headers or {})}
        writer.write(_head(status, head) + payload)
        await writer.drain()
        return True

    return behaviour


def stall(seconds: float = 60.0) -> Behaviour:
    """Accept the request and say nothing (a read timeout for the client)."""

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        await asyncio.sleep(seconds)
        return False

    return behaviour


def slow(seconds: float, then: Behaviour) -> Behaviour:
    """Answer properly, but only after ``seconds``."""

    async def behaviour(request: Recorded, writer: Writer) -> bool:
        await asyncio.sleep(seconds)
        return await then(request, writer)

    return behaviour


def partial_body(*, reset: bool, declared: int = 4000) -> Behaviour:
    """Send the head and part of the body, then end the connection: RST (``reset``) or FIN (truncation)."""

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(declared)}
        writer.write(_head(200, head) + b'{"data":[{"id":"1","question":"Wat verdient')
        await writer.drain()
        await asyncio.sleep(0.05)
        if reset:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                # SO_LINGER with a zero timeout turns close() into a TCP RST.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        return False

    return behaviour


@dataclass
class FaultyUpstream:
    """Imitates Directus: ``routes`` map a path prefix to the healthy answer; ``script`` holds faults that
    are used first, one per request, before the healthy answers resume."""

    routes: dict[str, Behaviour]
    script: list[Behaviour] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    disconnects: int = 0
    disconnected: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    def fail_next(self, *behaviours: Behaviour) -> None:
        self.script.extend(behaviours)

    def fail_always(self, behaviour: Behaviour, times: int = 50) -> None:
        self.script[:] = [behaviour] * times

    def heal(self) -> None:
        self.script.clear()

    def reset_log(self) -> None:
        self.requests.clear()
        self.disconnects = 0

    def _healthy(self, request: Recorded) -> Behaviour:
        for prefix, behaviour in sorted(self.routes.items(), key=lambda kv: -len(kv[0])):
            if request.path.startswith(prefix):
                return behaviour
        return respond(
            404, {"errors": [{"message": "Route doesn't exist.", "extensions": {"code": "ROUTE"}}]}
        )

    async def _serve(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request = _parse(head)
                self.requests.append(request)
                behaviour = self.script.pop(0) if self.script else self._healthy(request)
                reading = asyncio.ensure_future(reader.read(1))
                answering = asyncio.ensure_future(behaviour(request, writer))
                done, _ = await asyncio.wait({reading, answering}, return_when=asyncio.FIRST_COMPLETED)
                if reading in done and not answering.done():
                    # The client hung up (gave up or was cancelled) while we were still "working".
                    self.disconnects += 1
                    self.disconnected.set()
                    answering.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await answering
                    return
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading
                if not answering.result():
                    return
        except (ConnectionError, OSError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()


def _parse(head: bytes) -> Recorded:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    parts = urlsplit(target)
    return Recorded(method, parts.path, parse_qsl(parts.query, keep_blank_values=True), headers)


@asynccontextmanager
async def faulty_upstream(routes: dict[str, Behaviour]) -> AsyncIterator[FaultyUpstream]:
    upstream = FaultyUpstream(routes=routes)
    server = await asyncio.start_server(upstream._serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    upstream.url = f"http://127.0.0.1:{port}"
    try:
        yield upstream
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1.0)


@contextlib.contextmanager
def unanswered_port() -> Any:
    """A loopback port whose accept queue is full, so a new connection attempt hangs (connect timeout)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for s in [*fillers, listener]:
            s.close()
