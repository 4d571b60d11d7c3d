"""A tiny HTTP/1.1 server on loopback that imitates Directus (or Algolia, or PDOK) for the requests our tools
make, and misbehaves on cue: error statuses, stalls, resets, truncated or non-JSON bodies, and the hostile
answers of issue 13: error codes that echo the request's headers, answers that drip one byte at a time,
gzip bombs and oversized bodies, absurdly deep JSON, and Directus's coercion of filter literals.

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
import zlib
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
    body: bytes = b""


Writer = asyncio.StreamWriter
# A behaviour answers one request; returning False closes the connection afterwards.
Behaviour = Callable[[Recorded, Writer], Awaitable[bool]]


def _head(status: int, headers: dict[str, str]) -> bytes:
    reason = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        429: "Too Many Requests",
    }.get(status, "Error")
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

    async def behaviour(_: Recorded, __: Writer) -> bool:
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


def echo_headers(status: int, *names: str) -> Behaviour:
    """An error envelope whose ``extensions.code`` and message repeat request headers (e.g. Authorization), as
    a misconfigured proxy or a hostile upstream might; Algolia-shaped too (a top-level ``message``)."""

    async def behaviour(request: Recorded, writer: Writer) -> bool:
        echoed = " ".join(request.headers.get(name.lower(), "") for name in names)
        body = {
            "errors": [{"message": f"Rejected {echoed}", "extensions": {"code": echoed}}],
            "message": f"Rejected {echoed}",
            "status": status,
        }
        headers = {"Retry-After": "120"} if status == 429 else {}
        return await respond(status, body, headers=headers)(request, writer)

    return behaviour


def drip(body: bytes | dict[str, Any], interval: float = 0.05) -> Behaviour:
    """A well-framed answer whose body arrives one byte per ``interval``: every read gets data in time, so only
    a deadline on the whole answer ends it."""
    payload = json.dumps(body).encode() if isinstance(body, dict) else body

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        writer.write(_head(200, head))
        await writer.drain()
        for index in range(len(payload)):
            writer.write(payload[index : index + 1])
            await writer.drain()
            await asyncio.sleep(interval)
        return True

    return behaviour


def _json_with_a_long_string(size: int) -> list[bytes]:
    """A Directus items answer whose one FAQ question is ``size`` bytes long, in 1 MiB pieces."""
    piece = b"a" * (1 << 20)
    parts = [b'{"data":[{"id":"faq-1","path":"/x","question":"']
    parts += [piece] * (size // len(piece)) + [b"a" * (size % len(piece))]
    parts.append(b'"}],"meta":{"filter_count":1}}')
    return parts


def gzip_bomb(decoded_size: int) -> Behaviour:
    """A small gzip body (about a thousandth of ``decoded_size``) that inflates into valid, huge JSON."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    payload = b"".join(compressor.compress(part) for part in _json_with_a_long_string(decoded_size))
    payload += compressor.flush()

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        head = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Content-Length": str(len(payload)),
        }
        writer.write(_head(200, head) + payload)
        await writer.drain()
        return True

    return behaviour


def oversized(size: int) -> Behaviour:
    """Valid JSON of ``size``-odd bytes, sent plainly (no compression), in pieces."""
    parts = _json_with_a_long_string(size)

    async def behaviour(_: Recorded, writer: Writer) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(sum(map(len, parts)))}
        writer.write(_head(200, head))
        for part in parts:
            writer.write(part)
            await writer.drain()
        return True

    return behaviour


def nested(depth: int, *, inside: str = "data") -> Behaviour:
    """Valid JSON nested ``depth`` arrays deep (under key ``inside``): deeper than any parser's recursion."""
    payload = ("{" + json.dumps(inside) + ":" + "[" * depth + "]" * depth + "}").encode()
    return respond(200, payload)


_COERCED = frozenset({"true", "false", "null", "NULL"})
# Directus lower-cases the compared value of these with String.prototype.toLowerCase().
_CASE_INSENSITIVE = frozenset(
    {"_icontains", "_nicontains", "_istarts_with", "_nistarts_with", "_iends_with", "_niends_with", "_ieq"}
)


def coerces_filter_literals(then: Behaviour) -> Behaviour:
    """Directus 11's filter parsing: the strings "true", "false", "null" and "NULL" become a boolean or null
    before the operators run (``parseFilter`` in @directus/utils), so a case-insensitive operator calls
    ``toLowerCase()`` on a non-string and the request fails with HTTP 500 INTERNAL_SERVER_ERROR (reproduced on
    the test stack, Directus 11.17.4). Any other request goes on to ``then``."""

    def breaks(node: Any, operator: str | None = None) -> bool:
        if isinstance(node, dict):
            return any(breaks(value, key) for key, value in node.items())
        if isinstance(node, list):
            return any(breaks(value, operator) for value in node)
        return operator in _CASE_INSENSITIVE and node in _COERCED

    async def behaviour(request: Recorded, writer: Writer) -> bool:
        for name, value in request.params:
            if name in ("filter", "deep") and breaks(json.loads(value)):
                failure = {
                    "errors": [
                        {
                            "message": "An unexpected error occurred.",
                            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                        }
                    ]
                }
                return await respond(500, failure)(request, writer)
        return await then(request, writer)

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
                length = int(request.headers.get("content-length") or 0)
                if length:
                    request.body = await reader.readexactly(length)
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
                # A client that hung up mid-answer fails both the read and the answer's writes.
                with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
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
