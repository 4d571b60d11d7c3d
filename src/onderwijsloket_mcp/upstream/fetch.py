"""Reading upstream answers: one GET within an overall deadline, its body decoded under a size cap, JSON
parsed with bounded nesting; and the process's one HTTP client.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from ..config import Settings

USER_AGENT = "onderwijsloket-mcp"

MIB = 1 << 20


def describe_size(limit: int) -> str:
    return f"{limit / MIB:g} MiB"


class ResponseTooLargeError(Exception):
    """An upstream answer went over the size cap while it was read (it is not read further)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"answer larger than {describe_size(limit)}")
        self.limit = limit


class UnreadableAnswerError(Exception):
    """An upstream answer in a content encoding we did not ask for, or corrupt compressed data."""


class NestingTooDeepError(ValueError):
    """JSON nested deeper than Python's recursion limit lets the parser follow."""


def parse_json(body: bytes | str) -> Any:
    """``json.loads``, with nesting too deep to parse reported as :class:`NestingTooDeepError` (a ValueError)."""
    try:
        return json.loads(body)
    except RecursionError:
        raise NestingTooDeepError("JSON nested too deeply") from None


@dataclass(frozen=True)
class Answer:
    """One upstream answer, read in full within its deadline and size cap."""

    status_code: int
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        return parse_json(self.body)


class _BoundedDecoder:
    """Content-Encoding gzip or deflate, inflated never past the room left under the cap.

    httpx's own decoder inflates each network chunk in full, and 64 KiB of gzip can hold 64 MiB.
    """

    def __init__(self, encoding: str) -> None:
        codings = [
            c.strip().lower() for c in encoding.split(",") if c.strip().lower() not in ("", "identity")
        ]
        self._inflate: Any = None
        if codings in (["gzip"], ["x-gzip"], ["deflate"]):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header, found by zlib
        elif codings:
            raise UnreadableAnswerError(f"unsupported Content-Encoding {encoding!r}")

    @property
    def identity(self) -> bool:
        return self._inflate is None

    def decode(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` bytes of output: more than ``room`` means the answer is over the cap."""
        if self._inflate is None:
            return data
        try:
            return bytes(self._inflate.decompress(data, room + 1))
        except zlib.error:
            raise UnreadableAnswerError("corrupt compressed answer") from None

    def flush(self) -> bytes:
        return b"" if self._inflate is None else bytes(self._inflate.flush())


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed ``response``, decoded, or :class:`ResponseTooLargeError` once it passes ``limit``."""
    decoder = _BoundedDecoder(response.headers.get("Content-Encoding", ""))
    declared = response.headers.get("Content-Length", "")
    if decoder.identity and declared.isdigit() and int(declared) > limit:
        raise ResponseTooLargeError(limit)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        data = decoder.decode(raw, limit - size)
        size += len(data)
        if size > limit:
            raise ResponseTooLargeError(limit)
        chunks.append(data)
    tail = decoder.flush()
    if size + len(tail) > limit:
        raise ResponseTooLargeError(limit)
    chunks.append(tail)
    return b"".join(chunks)


async def fetch(
    http: httpx.AsyncClient,
    url: str,
    *,
    params: Any = None,
    headers: Mapping[str, str] | None = None,
    deadline: float,
    limit: int,
) -> Answer:
    """One GET, from connect to last byte within ``deadline`` seconds (else TimeoutError), its body decoded
    and at most ``limit`` bytes (else :class:`ResponseTooLargeError`)."""
    with anyio.fail_after(deadline):
        async with http.stream("GET", url, params=params, headers=headers) as response:
            body = await read_capped(response, limit)
    return Answer(response.status_code, response.headers, body)


def create_http_client(settings: Settings) -> httpx.AsyncClient:
    from .. import __version__

    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
        headers={
            "User-Agent": f"{USER_AGENT}/{__version__}",
            "Accept": "application/json",
            # Only what _BoundedDecoder inflates (httpx would also offer br or zstd when installed).
            "Accept-Encoding": "gzip, deflate",
        },
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        follow_redirects=False,
        trust_env=True,
    )
